"""Start a translation through the API: a new, empty edition following the original."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from translator.extensions import db
from translator.services.documents import get_document
from translator.services.editions import start_translation
from translator.services.rights import Right
from translator.web.api import shapes
from translator.web.api.inputs import NewEditionBody
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires


@bp.post("/documents/<slug>/editions")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Start a translation: a new, empty edition",
    tag="documents",
    body=NewEditionBody,
    status=201,
    answer=shapes.NewEdition,
    errors={409: "the document already has an edition in this language"},
)
def new_edition(slug: str, body: NewEditionBody) -> Any:
    """Its cells follow the units of the original (or ``source``), all empty; its title is
    ``title`` or, when empty, its translated title row."""
    made = start_translation(
        get_document(slug), body.language, title=body.title, source=body.source
    )
    answer: shapes.NewEdition = {
        "language": made.edition.language,
        "original": made.original,
        "units": made.units,
        "words_to_translate": made.words_to_translate,
    }
    db.session.commit()
    return jsonify(answer), 201
