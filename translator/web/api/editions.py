"""Editions and documents through the API: start a translation (a new, empty edition
following the original); move an edition or a whole document to the trash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import jsonify
from flask_login import current_user

from translator.extensions import db
from translator.services.documents import get_document
from translator.services.editions import start_translation
from translator.services.rights import Right
from translator.services.trash import delete_document, delete_edition, trash_days
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


def _deleted(slug: str, language: str | None, deleted_at: datetime | None) -> shapes.Deleted:
    assert deleted_at is not None
    return {
        "document": slug,
        "edition": language,
        "deleted_at": deleted_at.isoformat(),
        "purge_at": (deleted_at + timedelta(days=trash_days())).isoformat(),
    }


@bp.delete("/documents/<slug>/editions/<language>")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Move an edition to the trash",
    tag="documents",
    answer=shapes.Deleted,
    errors={400: "the original or the only edition cannot be deleted", 404: "no such edition"},
)
def delete_edition_api(slug: str, language: str) -> Any:
    """It leaves the document (pages, editor, exports, alignment, API) with its cells,
    their history and suggestions kept; restorable until ``purge_at``."""
    edition = delete_edition(get_document(slug), language, user_id=current_user.id)
    answer = _deleted(slug, edition.language, edition.deleted_at)
    db.session.commit()
    return jsonify(answer)


@bp.delete("/documents/<slug>")
@requires(Right.MANAGE_DOCUMENT)
@operation("Move a document to the trash", tag="documents", answer=shapes.Deleted)
def delete_document_api(slug: str) -> Any:
    """The document is then not found anywhere (its slug stays taken) until an
    administrator restores it; it is deleted for good at ``purge_at``."""
    document = get_document(slug)
    delete_document(document, user_id=current_user.id)
    answer = _deleted(slug, None, document.deleted_at)
    db.session.commit()
    return jsonify(answer)
