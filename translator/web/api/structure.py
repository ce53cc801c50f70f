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
    Placement,
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
from translator.web.api import shapes
from translator.web.api.inputs import MoveBody, SplitBody
from translator.web.api.spec import operation
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
    answer: shapes.Place = {"unit": unit_id, "index": index}
    return jsonify(answer)


@bp.post("/units/<int:unit_id>/merge")
@requires(Right.RESTRUCTURE_DOCUMENT)
@operation("Merge a row with the next one", tag="rows", answer=shapes.Place)
def merge(unit_id: int) -> Any:
    """The answer is the merged row and its position; the last row has no next one
    (400)."""
    document = _document_of(unit_id)
    merged = merge_units(document, unit_id, author_id=current_user.id)
    return _done(document, merged.id)


@bp.post("/units/<int:unit_id>/insert")
@requires(Right.RESTRUCTURE_DOCUMENT)
@operation("Insert an empty row after this one", tag="rows", answer=shapes.Place)
def insert(unit_id: int) -> Any:
    """The answer is the new row and its position."""
    document = _document_of(unit_id)
    new = insert_unit(document, unit_id, author_id=current_user.id)
    return _done(document, new.id)


def _stored_offset(unit: Unit, language: str, offset: int, field: str) -> int:
    """``offset`` is in the editable text the user saw: cut that, and find the stored
    offset as the length of the stored form of the part before the cursor."""
    cell = next((s for s in unit.segments if s.edition.language == language), None)
    if cell is None:
        raise InputError(f"the document has no {language} edition", field=field)
    editable = editable_text(cell.text)
    if not 0 < offset < len(editable):
        raise InputError(f"offset {offset} is not inside the {language} text", field=field)
    return len(stored_text(editable[:offset]))


@bp.post("/units/<int:unit_id>/split")
@requires(Right.RESTRUCTURE_DOCUMENT)
@operation(
    "Split a row at the cursor of one language", tag="rows", body=SplitBody, answer=shapes.Place
)
def split(unit_id: int, body: SplitBody) -> Any:
    """``offset`` is in the editable text of that cell; each other language stays in
    the first row, goes to the second, or is cut at its own offset (``placements``);
    those not named go with the half ``others`` says. The answer is the first half and
    its position."""
    document = _document_of(unit_id)
    unit = get_unit(document, unit_id)
    offset = _stored_offset(unit, body.language, body.offset, "offset")
    placements: dict[str, Placement] = {}
    for language, placement in (body.placements or {}).items():
        if isinstance(placement, str):
            placements[language] = Side(placement)
        elif language != body.language:  # the service names that mistake
            placements[language] = _stored_offset(
                unit, language, placement, f"placements.{language}"
            )
        else:
            placements[language] = Side.FIRST
    first, _second = split_unit(
        document,
        unit_id,
        body.language,
        offset,
        others=Side.FIRST if body.others == "before" else Side.SECOND,
        placements=placements,
        author_id=current_user.id,
    )
    return _done(document, first.id)


@bp.post("/units/<int:unit_id>/move")
@requires(Right.RESTRUCTURE_DOCUMENT)
@operation(
    "Move one language's sentence to the previous or next row",
    tag="rows",
    body=MoveBody,
    answer=shapes.Place,
)
def move(unit_id: int, body: MoveBody) -> Any:
    """The sentence at the edge of the cell moves: the last one to the next row, the
    first one to the previous row."""
    document = _document_of(unit_id)
    move_sentence(
        document, unit_id, body.language, to_next=body.to == "next", author_id=current_user.id
    )
    return _done(document, unit_id)


@bp.post("/documents/<slug>/undo")
@requires(Right.RESTRUCTURE_DOCUMENT)
@operation(
    "Undo the latest change of rows",
    tag="rows",
    answer=shapes.Place,
    errors={
        409: "A cell of its rows was edited or confirmed since, or it is not the latest change."
    },
)
def undo(slug: str) -> Any:
    """Undoes the latest merge, split, move, insert or alignment; 400 when there is
    nothing to undo."""
    document = get_document(slug)
    change = undo_change(document, author_id=current_user.id)
    return _done(document, change.after[0] if change.after else None)
