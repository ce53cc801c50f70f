"""Manual fixes of the alignment, each across all the editions of a row, each recorded
as a StructureChange (undoable) with revisions for every text it changes:
merge a unit with the next, split a unit, move a sentence to the neighbouring unit,
insert an empty unit, undo the last change."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from fractional_indexing import generate_key_between
from sqlalchemy import func, select

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.models import (
    Document,
    RevisionReason,
    Segment,
    StructureChange,
    StructureKind,
    Unit,
)
from translator.services.carryover import move_attachments
from translator.services.layout import Snapshot, record_change, replace_units, snapshot_units
from translator.services.layout_bulk import replace_all_units
from translator.services.segments import cell_states, count_changed, lock_segments
from translator.text.segmentation import split_sentences

STATUS_RANK = {"empty": 0, "draft": 1, "translated": 2, "reviewed": 3}


class Side(enum.StrEnum):
    """Where the other languages' text goes when one language's cell is split."""

    FIRST = "first"
    SECOND = "second"


def get_unit(document: Document, unit_id: int) -> Unit:
    """The document's unit ``unit_id``, or NotFound."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.document_id != document.id:
        raise NotFound(f"no unit {unit_id} in document {document.slug!r}", field="unit")
    return unit


def _neighbour(unit: Unit, *, after: bool) -> Unit | None:
    query = select(Unit).where(Unit.document_id == unit.document_id)
    if after:
        query = query.where(Unit.order_key > unit.order_key).order_by(Unit.order_key)
    else:
        query = query.where(Unit.order_key < unit.order_key).order_by(Unit.order_key.desc())
    neighbour: Unit | None = db.session.scalars(query.limit(1)).first()
    return neighbour


def _join(first: str, second: str) -> str:
    return " ".join(t for t in (first.strip(), second.strip()) if t)


def _merged_status(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Merged text is only as far along as the less advanced of its two parts."""
    statuses = [c["status"] for c in (a, b) if c.get("text")]
    return min(statuses, key=STATUS_RANK.__getitem__) if statuses else "empty"


def _language_edition_id(document: Document, language: str) -> str:
    edition = document.edition(language)
    if edition is None:
        raise NotFound(f"document {document.slug!r} has no {language} edition", field="language")
    return str(edition.id)


def _locked_snapshot(document: Document, unit_ids: list[int]) -> Snapshot:
    """The layout of these units, read after locking their segments: a save waiting on
    them lands before (and is in the snapshot) or finds its segment gone (and the editor
    keeps the text), never in between."""
    lock_segments(Segment.unit_id.in_(unit_ids or [-1]))
    return snapshot_units(document, unit_ids)


def merge_units(document: Document, unit_id: int, *, author_id: int | None = None) -> Unit:
    """Merge a unit with the next one, in every language."""
    unit = get_unit(document, unit_id)
    following = _neighbour(unit, after=True)
    if following is None:
        raise InputError("the last unit has no next unit to merge with", field="unit")
    before = _locked_snapshot(document, [unit.id, following.id])
    first, second = before
    merged = dict(first, cells={})
    for edition_id in set(first["cells"]) | set(second["cells"]):
        a = first["cells"].get(edition_id, {"text": "", "status": "empty"})
        b = second["cells"].get(edition_id, {"text": "", "status": "empty"})
        merged["cells"][edition_id] = {
            "text": _join(a["text"], b["text"]),
            "status": _merged_status(a, b),
            "aligned": a.get("aligned", True) and b.get("aligned", True),
        }
    after = replace_units(
        document,
        [unit.id, following.id],
        [merged],
        reason=RevisionReason.MERGE,
        author_id=author_id,
    )
    record_change(document, StructureKind.MERGE, before, after, author_id=author_id)
    return get_unit(document, after[0])


def split_offsets(text: str, language: str) -> list[int]:
    """Character offsets in ``text`` where a sentence starts (after the first): the
    places a split "at a sentence boundary" may cut."""
    offsets: list[int] = []
    position = 0
    for sentence in split_sentences(text, language):
        found = text.find(sentence, position)
        if found < 0:
            break
        if found > 0:
            offsets.append(found)
        position = found + len(sentence)
    return offsets


Placement = Side | int
"""Where one other language goes in a split: a whole side, or an offset (in its stored
text) where its own text is cut too."""


def _placements(
    document: Document,
    spec: dict[str, Any],
    language: str,
    others: Side,
    placements: Mapping[str, Placement] | None,
) -> dict[str, Placement]:
    """Edition id → placement for every other edition of the row; a language not named
    in ``placements`` goes to the ``others`` side."""
    chosen: dict[str, Placement] = {}
    for other_language, placement in (placements or {}).items():
        field = f"placements.{other_language}"
        if other_language == language:
            raise InputError(f"{language} is the language being split", field=field)
        edition = document.edition(other_language)
        if edition is None:
            raise InputError(f"the document has no {other_language} edition", field=field)
        if not isinstance(placement, Side):
            text = spec["cells"].get(str(edition.id), {}).get("text", "")
            if not (text[:placement].strip() and text[placement:].strip()):
                raise InputError(
                    f"offset {placement} does not split the {other_language} text in two",
                    field=field,
                )
        chosen[str(edition.id)] = placement
    return chosen | {
        edition_id: others
        for edition_id in spec["cells"]
        if edition_id not in chosen and edition_id != _language_edition_id(document, language)
    }


def split_unit(
    document: Document,
    unit_id: int,
    language: str,
    offset: int,
    *,
    others: Side = Side.FIRST,
    placements: Mapping[str, Placement] | None = None,
    author_id: int | None = None,
) -> tuple[Unit, Unit]:
    """Split a unit in two at ``offset`` in ``language``'s text. Each other language's
    text stays in the first unit, goes to the second, or is cut at an offset of its own
    (``placements``, by language; the rest go to the ``others`` side). Suggestions and
    comments of a language sent to the second unit go with its text."""
    unit = get_unit(document, unit_id)
    edition_id = _language_edition_id(document, language)
    before = _locked_snapshot(document, [unit.id])
    spec = before[0]
    cell = spec["cells"].get(edition_id, {"text": "", "status": "empty"})
    text = cell["text"]
    head, tail = text[:offset].strip(), text[offset:].strip()
    if not head or not tail:
        raise InputError(
            f"offset {offset} does not split the {language} text in two", field="offset"
        )
    chosen = _placements(document, spec, language, others, placements)
    following = _neighbour(unit, after=True)
    first = dict(spec, cells={})
    second = dict(spec, id=None, cells={})
    second["order_key"] = generate_key_between(
        spec["order_key"], following.order_key if following else None
    )
    empty = {"text": "", "status": "empty", "aligned": True}
    first["cells"][edition_id] = dict(cell, text=head)
    second["cells"][edition_id] = dict(cell, text=tail)
    for other_id, placement in chosen.items():
        other = spec["cells"].get(other_id, empty)
        if placement is Side.FIRST:
            first["cells"][other_id], second["cells"][other_id] = other, empty
        elif placement is Side.SECOND:
            first["cells"][other_id], second["cells"][other_id] = empty, other
        else:
            cut = other["text"]
            first["cells"][other_id] = dict(other, text=cut[:placement].strip())
            second["cells"][other_id] = dict(other, text=cut[placement:].strip())
    after = replace_units(
        document, [unit.id], [first, second], reason=RevisionReason.SPLIT, author_id=author_id
    )
    moved = [int(e) for e, p in chosen.items() if p is Side.SECOND]
    move_attachments(document.id, after[0], after[1], moved)
    record_change(
        document,
        StructureKind.SPLIT,
        before,
        after,
        author_id=author_id,
        summary={
            "language": language,
            "offset": offset,
            "others": {e: str(p) if isinstance(p, Side) else p for e, p in chosen.items()},
        },
    )
    return get_unit(document, after[0]), get_unit(document, after[1])


def move_sentence(
    document: Document,
    unit_id: int,
    language: str,
    *,
    to_next: bool,
    author_id: int | None = None,
) -> None:
    """Move the last sentence of a cell to the next unit (``to_next``) or the first
    sentence to the previous unit, in one language."""
    unit = get_unit(document, unit_id)
    edition_id = _language_edition_id(document, language)
    neighbour = _neighbour(unit, after=to_next)
    if neighbour is None:
        where = "next" if to_next else "previous"
        raise InputError(f"there is no {where} unit to move the sentence to", field="unit")
    ids = [unit.id, neighbour.id] if to_next else [neighbour.id, unit.id]
    before = _locked_snapshot(document, ids)
    source = before[0] if to_next else before[1]
    target = before[1] if to_next else before[0]
    cell = source["cells"].get(edition_id, {"text": "", "status": "empty"})
    sentences = split_sentences(cell["text"], language)
    if not sentences:
        raise InputError(f"the {language} cell is empty: no sentence to move", field="unit")
    moved = sentences[-1] if to_next else sentences[0]
    rest = " ".join(sentences[:-1] if to_next else sentences[1:])
    target_cell = target["cells"].get(edition_id, {"text": "", "status": "empty", "aligned": True})
    joined = _join(target_cell["text"], moved) if not to_next else _join(moved, target_cell["text"])
    layout = [dict(u, cells=dict(u["cells"])) for u in before]
    new_source = layout[0] if to_next else layout[1]
    new_target = layout[1] if to_next else layout[0]
    new_source["cells"][edition_id] = dict(
        cell, text=rest, status=cell["status"] if rest else "empty"
    )
    new_target["cells"][edition_id] = dict(
        target_cell, text=joined, status=_merged_status(target_cell, cell)
    )
    after = replace_units(document, ids, layout, reason=RevisionReason.MOVE, author_id=author_id)
    record_change(
        document,
        StructureKind.MOVE,
        before,
        after,
        author_id=author_id,
        summary={"language": language, "to_next": to_next},
    )


def insert_unit(
    document: Document, unit_id: int, *, after: bool = True, author_id: int | None = None
) -> Unit:
    """Insert an empty unit after (or before) ``unit_id``, in the same paragraph."""
    unit = get_unit(document, unit_id)
    neighbour = _neighbour(unit, after=after)
    low, high = (unit, neighbour) if after else (neighbour, unit)
    key = generate_key_between(low.order_key if low else None, high.order_key if high else None)
    new = Unit(
        document_id=document.id,
        order_key=key,
        role=unit.role,
        level=unit.level,
        paragraph_key=unit.paragraph_key,
    )
    db.session.add(new)
    db.session.flush()
    after_ids = replace_units(
        document,
        [new.id],
        [
            {
                "id": new.id,
                "order_key": key,
                "role": str(unit.role),
                "level": unit.level,
                "label": None,
                "paragraph_key": unit.paragraph_key,
                "confidence": None,
                "cells": {},
            }
        ],
        reason=RevisionReason.EDIT,
        author_id=author_id,
    )
    record_change(document, StructureKind.INSERT, [], after_ids, author_id=author_id)
    return new


def last_change(document: Document) -> StructureChange | None:
    """The most recent structure change that can still be undone."""
    change: StructureChange | None = db.session.scalars(
        select(StructureChange)
        .where(
            StructureChange.document_id == document.id,
            StructureChange.undone_by_id.is_(None),
            StructureChange.kind != StructureKind.UNDO,
        )
        .order_by(StructureChange.id.desc())
        .limit(1)
    ).first()
    return change


def undo_change(
    document: Document, change_id: int | None = None, *, author_id: int | None = None
) -> StructureChange:
    """Undo the latest structure change (``change_id``, if given, must be it): the units
    it produced are replaced by the layout it recorded. The undo is itself recorded."""
    change = last_change(document)
    if change is None:
        raise InputError("there is nothing to undo", field="change")
    if change_id is not None and change.id != change_id:
        raise Conflict("only the latest change can be undone; reload the page", field="change")
    existing = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(change.after or [-1]))))
    current_ids = [i for i in change.after if i in existing]
    of_rows = Segment.unit_id.in_(current_ids or [-1])
    lock_segments(of_rows)
    if change.after_states is not None:
        recorded = {int(i): state for i, state in change.after_states.items()}
        edited = count_changed(recorded, cell_states(of_rows))
        if edited:
            raise Conflict(
                f"{edited} cell(s) of these rows were edited or confirmed since this "
                f"{change.kind}; undoing it would replace that work: fix the rows by hand",
                field="change",
            )
    before_now = snapshot_units(document, current_ids)
    if change.kind is StructureKind.ALIGNMENT:
        total = db.session.scalar(
            select(func.count(Unit.id)).where(Unit.document_id == document.id)
        )
        if total != len(current_ids):
            raise Conflict("units were added since the alignment; undo those first", field="change")
        restored = replace_all_units(
            document,
            change.before,
            before=before_now,
            reason=RevisionReason.REVERT,
            author_id=author_id,
        )
    else:
        restored = replace_units(
            document,
            current_ids,
            _restorable(change.before),
            reason=RevisionReason.REVERT,
            author_id=author_id,
        )
    undo = record_change(
        document,
        StructureKind.UNDO,
        before_now,
        restored,
        author_id=author_id,
        summary={"undid": change.id, "kind": str(change.kind)},
    )
    change.undone_by_id = undo.id
    db.session.flush()
    return undo


def _restorable(snapshot: Snapshot) -> Snapshot:
    """Snapshot units whose row was deleted come back as new rows (ids are not reused)."""
    existing = set(
        db.session.scalars(select(Unit.id).where(Unit.id.in_([u["id"] for u in snapshot] or [-1])))
    )
    return [u if u["id"] in existing else dict(u, id=None) for u in snapshot]
