"""Alignment fixes from the editor: merge, split at the cursor, move a sentence, insert,
undo (the services are the document page's; docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import Document, Unit
from translator.services.documents import get_document
from translator.services.rights import Right
from translator.services.structure import (
    Side,
    get_unit,
    insert_unit,
    merge_units,
    move_sentence,
    split_unit,
    undo_change,
)
from translator.services.units import unit_position
from translator.text.inline import editable_text, stored_text
from translator.web.api.schemas import field, json_body
from translator.web.api.views import bp
from translator.web.rights import requires


def _document_of(unit_id: int) -> Document:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"no unit {unit_id}", field="unit")
    document = unit.document
    return document


def _done(document: Document, unit_id: int | None) -> Any:
    """Commit (open pages are told to reload) and answer where the change is."""
    index = unit_position(document.id, unit_id) if unit_id is not None else 0
    db.session.commit()
    return jsonify({"unit": unit_id, "index": index})


@bp.post("/units/<int:unit_id>/merge")
@requires(Right.RESTRUCTURE_DOCUMENT)
def merge(unit_id: int) -> Any:
    document = _document_of(unit_id)
    merged = merge_units(document, unit_id, author_id=current_user.id)
    return _done(document, merged.id)


@bp.post("/units/<int:unit_id>/insert")
@requires(Right.RESTRUCTURE_DOCUMENT)
def insert(unit_id: int) -> Any:
    document = _document_of(unit_id)
    new = insert_unit(document, unit_id, author_id=current_user.id)
    return _done(document, new.id)


@bp.post("/units/<int:unit_id>/split")
@requires(Right.RESTRUCTURE_DOCUMENT)
def split(unit_id: int) -> Any:
    document = _document_of(unit_id)
    data = json_body()
    language = field(data, "language", str)
    offset = field(data, "offset", int)
    others = field(data, "others", str, required=False) or "after"
    if others not in ("before", "after"):
        raise InputError("others must be 'before' or 'after'", field="others")
    unit = get_unit(document, unit_id)
    cell = next((s for s in unit.segments if s.edition.language == language), None)
    if cell is None:
        raise InputError(f"the document has no {language} edition", field="language")
    # The offset is in the editable text the user saw: cut that, and find the stored
    # offset as the length of the stored form of the part before the cursor.
    editable = editable_text(cell.text)
    if not 0 < offset < len(editable):
        raise InputError(f"offset {offset} is not inside the {language} text", field="offset")
    stored_offset = len(stored_text(editable[:offset]))
    first, _second = split_unit(
        document,
        unit_id,
        language,
        stored_offset,
        others=Side.FIRST if others == "before" else Side.SECOND,
        author_id=current_user.id,
    )
    return _done(document, first.id)


@bp.post("/units/<int:unit_id>/move")
@requires(Right.RESTRUCTURE_DOCUMENT)
def move(unit_id: int) -> Any:
    document = _document_of(unit_id)
    data = json_body()
    to = field(data, "to", str)
    if to not in ("previous", "next"):
        raise InputError("to must be 'previous' or 'next'", field="to")
    move_sentence(
        document,
        unit_id,
        field(data, "language", str),
        to_next=to == "next",
        author_id=current_user.id,
    )
    return _done(document, unit_id)


@bp.post("/documents/<slug>/undo")
@requires(Right.RESTRUCTURE_DOCUMENT)
def undo(slug: str) -> Any:
    document = get_document(slug)
    change = undo_change(document, author_id=current_user.id)
    return _done(document, change.after[0] if change.after else None)
