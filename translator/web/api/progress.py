"""A document's progress through the API: the counters the database keeps."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from translator.services.documents import get_document
from translator.services.progress import progress_report
from translator.services.rights import Right
from translator.web.api import coordination_shapes
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires


@bp.get("/documents/<slug>/progress")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "A document's progress: segments and words by status, words left, who did what",
    tag="documents",
    answer=coordination_shapes.Progress,
)
def progress(slug: str) -> Any:
    """Per edition, segments and words by status, the original's words left to
    translate and whether it is ready (every segment reviewed, none outdated, none
    waiting for an alignment); per person, language and UTC day, the words they brought
    to translated and to reviewed. Read from counters kept with every save: no segment
    is read."""
    answer: coordination_shapes.Progress = progress_report(get_document(slug))  # type: ignore[assignment]
    return jsonify(answer)
