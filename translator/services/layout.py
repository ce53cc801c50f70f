"""A document's unit layout as data: snapshots of units with their cells, and writing a
layout back. Structure changes (alignment, merge, split, move, insert) keep the layout
they replaced in a StructureChange row; undoing one writes that snapshot back.

A snapshot unit is ``{"id", "order_key", "role", "level", "label", "paragraph_key",
"confidence", "cells": {edition_id: {"text", "status", "aligned"}}}`` (edition ids as
strings: it is stored as JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fractional_indexing import generate_n_keys_between
from sqlalchemy import ColumnElement, bindparam, delete, func, insert, select, update

from translator.extensions import db
from translator.models import (
    Document,
    RevisionReason,
    Segment,
    SegmentStatus,
    StructureChange,
    StructureKind,
    Unit,
    UnitRole,
)
from translator.models._types import utcnow
from translator.services.carryover import carry_over
from translator.services.events import record_structure_changed
from translator.services.segments import (
    cell_states,
    content_hash,
    new_segment_row,
    record_revisions_of,
    write_segment,
)
from translator.services.siblings import (
    baseline_siblings,
    in_step_records,
    keep_flags_of_kept_rows,
)

Snapshot = list[dict[str, Any]]
_units = Unit.__table__
_segments = Segment.__table__


def snapshot_units(document: Document, unit_ids: Iterable[int] | None = None) -> Snapshot:
    """The layout of ``unit_ids`` (default: every unit), in document order."""
    # Columns, not ORM objects: a whole document's snapshot reads ten thousand rows.
    query = (
        select(
            Unit.id,
            Unit.order_key,
            Unit.role,
            Unit.level,
            Unit.label,
            Unit.paragraph_key,
            Unit.confidence,
        )
        .where(Unit.document_id == document.id)
        .order_by(Unit.order_key)
    )
    if unit_ids is not None:
        query = query.where(Unit.id.in_(list(unit_ids)))
    units = db.session.execute(query).all()
    cells: dict[int, dict[str, dict[str, Any]]] = {u.id: {} for u in units}
    if units:
        cells_query = (
            select(
                Segment.unit_id, Segment.edition_id, Segment.text, Segment.status, Segment.aligned
            )
            .join(Unit, Unit.id == Segment.unit_id)
            .where(Unit.document_id == document.id)
        )
        if unit_ids is not None:  # every unit: no list of ten thousand ids to send
            cells_query = cells_query.where(Segment.unit_id.in_(list(cells)))
        for unit_id, edition_id, text, status, aligned in db.session.execute(cells_query):
            cells[unit_id][str(edition_id)] = {
                "text": text,
                "status": str(status),
                "aligned": aligned,
            }
    return [
        {
            "id": u.id,
            "order_key": u.order_key,
            "role": str(u.role),
            "level": u.level,
            "label": u.label,
            "paragraph_key": u.paragraph_key,
            "confidence": u.confidence,
            "cells": cells[u.id],
        }
        for u in units
    ]


def record_change(
    document: Document,
    kind: StructureKind,
    before: Snapshot,
    after: list[int],
    *,
    author_id: int | None = None,
    job_id: str | None = None,
    summary: dict[str, Any] | None = None,
) -> StructureChange:
    """Write the StructureChange row for a layout change (same flush as the change),
    with the state of its rows' cells now (what an undo checks); open pages are told
    once it commits."""
    states = cell_states(Segment.unit_id.in_(after or [-1]))
    change = StructureChange(
        document_id=document.id,
        kind=kind,
        before=before,
        after=after,
        after_states={str(segment_id): state for segment_id, state in states.items()},
        author_id=author_id,
        job_id=job_id,
        summary=summary or {},
    )
    db.session.add(change)
    db.session.flush()
    whole = kind is StructureKind.ALIGNMENT  # every row replaced: reload from the top
    record_structure_changed(document.id, after[0] if after and not whole else None)
    return change


def replace_all_units(
    document: Document,
    layout: Snapshot,
    *,
    before: Snapshot,
    reason: RevisionReason,
    author_id: int | None = None,
    job_id: str | None = None,
) -> list[int]:
    """Replace every unit of the document (whose layout is ``before``) by ``layout``, in
    bulk (an alignment run, or restoring one). Each new non-empty cell gets a revision
    with ``reason``; suggestions, revisions and comment threads of the old units move to
    the new unit holding their text (``services.carryover``), then the old units go.
    An alignment keeps an old row whose cells are exactly those of a new one (only its
    position, paragraph, confidence and sibling records are written, and its cells'
    revisions): nothing of it needs to move. Returns the new unit ids in order."""
    editions = document.all_editions  # the trash's cells move too
    edition_ids = sorted(e.id for e in editions)
    languages = {e.id: e.language for e in editions}
    in_step = reason == RevisionReason.ALIGNMENT  # aligned rows start in step...
    last_key = db.session.scalar(
        select(func.max(Unit.order_key)).where(Unit.document_id == document.id)
    )
    # New keys after the old ones: both layouts live side by side until the carry-over.
    keys = generate_n_keys_between(last_key, None, len(layout)) if layout else []
    kept = _kept_rows(before, layout, edition_ids) if in_step else {}
    now = utcnow()
    unit_rows = [
        {
            "document_id": document.id,
            "order_key": key,
            "role": UnitRole(u["role"]),
            "level": u.get("level"),
            "label": u.get("label"),
            "paragraph_key": u["paragraph_key"],
            "confidence": u.get("confidence"),
            "created_at": now,
        }
        for key, u in zip(keys, layout, strict=True)
    ]
    # Core executemany on the tables, not the ORM's bulk insert: the rows are plain
    # dicts already, and nothing of them is needed back but the unit ids, read below.
    inserted = [row for k, row in enumerate(unit_rows) if k not in kept]
    if inserted:
        db.session.execute(insert(_units), inserted)
    new_units = select(Unit.id).where(Unit.document_id == document.id)
    if last_key is not None:
        new_units = new_units.where(Unit.order_key > last_key)
    fresh = iter(db.session.scalars(new_units.order_by(Unit.order_key)))
    unit_ids = [kept[k] if k in kept else next(fresh) for k in range(len(layout))]
    segment_rows = []
    baselines: dict[int, list[dict[str, str]]] = {}  # kept unit -> its cells' records
    for k, (unit_id, u) in enumerate(zip(unit_ids, layout, strict=True)):
        rows = []
        for edition_id in edition_ids:
            cell = u["cells"].get(str(edition_id)) or {}
            rows.append(
                new_segment_row(
                    unit_id,
                    edition_id,
                    cell.get("text", ""),
                    SegmentStatus(cell.get("status") or "empty"),
                    aligned=bool(cell.get("aligned", True)),
                )
            )
        if in_step:  # their sibling records written with them, not read back and updated
            cells = [(languages[r["edition_id"]], r["text"], r["content_hash"]) for r in rows]
            for row, record in zip(rows, in_step_records(cells), strict=True):
                row["sibling_hashes"] = record
        if k in kept:
            baselines[unit_id] = rows
        else:
            segment_rows.extend(rows)
    if segment_rows:
        db.session.execute(insert(_segments), segment_rows)
    of_new_rows = Segment.unit_id.in_(new_units)
    if kept:
        _rewrite_kept(
            [(unit_rows[k], unit_id) for k, unit_id in kept.items()],
            baselines,
            of_new_rows,  # the kept rows are among the new ones now
            now,
        )
    # Every cell of the new layout gets its revision, the kept ones too: each cell's
    # history says when an alignment placed it, as if its row had been rebuilt.
    record_revisions_of(of_new_rows, reason, author_id=author_id, job_id=job_id)
    after = [{"id": i, "cells": u["cells"]} for i, u in zip(unit_ids, layout, strict=True)]
    if in_step:  # ...except the pending flags of kept rows
        keep_flags_of_kept_rows(
            [u for u in before if u["id"] not in baselines],
            [u for u in after if u["id"] not in baselines],
        )
    removed = [u["id"] for u in before if u["id"] not in baselines]
    carry_over(document.id, before, after, removed)
    if last_key is not None:
        db.session.execute(
            delete(Unit).where(Unit.document_id == document.id, Unit.order_key <= last_key)
        )
    db.session.expire_all()
    return unit_ids


def _cells_key(cells: dict[str, Any], edition_ids: list[int]) -> tuple[tuple[str, str], ...]:
    """A row's text and status in every edition (an empty cell is "empty")."""
    key = []
    for edition_id in edition_ids:
        cell = cells.get(str(edition_id)) or {}
        text = cell.get("text", "")
        key.append((text, (cell.get("status") or "empty") if text else "empty"))
    return tuple(key)


def _kept_rows(before: Snapshot, layout: Snapshot, edition_ids: list[int]) -> dict[int, int]:
    """Layout index → the old unit it keeps: an old row with a cell in every edition
    whose texts and statuses are exactly the new row's (each old row kept once, the
    first one in order)."""
    old: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for unit in before:
        if len(unit["cells"]) == len(edition_ids):
            old.setdefault(_cells_key(unit["cells"], edition_ids), []).append(unit["id"])
    kept = {}
    for k, unit in enumerate(layout):
        same = old.get(_cells_key(unit["cells"], edition_ids))
        if same:
            kept[k] = same.pop(0)
    return kept


def _rewrite_kept(
    units: list[tuple[dict[str, Any], int]],
    baselines: dict[int, list[dict[str, Any]]],
    of_rows: ColumnElement[bool],
    now: Any,
) -> None:
    """Give kept rows their new place and attributes, and their segments the new
    ``aligned`` flag and the new baseline of sibling records (a pending flag is kept
    with its records, as ``keep_flags_of_kept_rows`` does for a row rebuilt)."""
    names = ("order_key", "role", "level", "label", "paragraph_key", "confidence")
    db.session.execute(
        update(_units)
        .where(_units.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in names}),
        [{"b_id": unit_id} | {f"b_{n}": row[n] for n in names} for row, unit_id in units],
    )
    wanted = {(r["unit_id"], r["edition_id"]): r for rows in baselines.values() for r in rows}
    values = []
    for segment_id, unit_id, edition_id, hashes, outdated, aligned in db.session.execute(
        select(
            Segment.id,
            Segment.unit_id,
            Segment.edition_id,
            Segment.sibling_hashes,
            Segment.outdated,
            Segment.aligned,
        ).where(of_rows)  # no list of thousands of ids to send
    ):
        row = wanted.get((unit_id, edition_id))
        if row is None:
            continue
        new = {**row["sibling_hashes"], **(hashes or {})} if outdated else row["sibling_hashes"]
        if new != hashes or row["aligned"] != aligned:
            values.append(
                {"b_id": segment_id, "b_hashes": new, "b_aligned": row["aligned"], "b_now": now}
            )
    if values:
        db.session.execute(
            update(_segments)
            .where(_segments.c.id == bindparam("b_id"))
            .values(
                sibling_hashes=bindparam("b_hashes"),
                aligned=bindparam("b_aligned"),
                updated_at=bindparam("b_now"),
            ),
            values,
        )


def _beside(document: Document, keys: list[str]) -> int | None:
    """The unit just before the range of ``keys``, else the one just after it."""
    if not keys:
        return None
    of_document = select(Unit.id).where(Unit.document_id == document.id)
    before: int | None = db.session.scalar(
        of_document.where(Unit.order_key < min(keys)).order_by(Unit.order_key.desc()).limit(1)
    )
    if before is not None:
        return before
    after: int | None = db.session.scalar(
        of_document.where(Unit.order_key > max(keys)).order_by(Unit.order_key).limit(1)
    )
    return after


def replace_units(
    document: Document,
    current_ids: list[int],
    layout: Snapshot,
    *,
    reason: RevisionReason,
    author_id: int | None = None,
) -> list[int]:
    """Replace the units ``current_ids`` (a contiguous range) by ``layout``, reusing a
    unit row when the layout names its id, so its segments keep their history; texts
    that differ are written with a revision. Returns the resulting unit ids in order."""
    current = {
        u.id: u
        for u in db.session.scalars(
            select(Unit).where(Unit.document_id == document.id, Unit.id.in_(current_ids))
        )
    }
    wanted = {u["id"] for u in layout if u.get("id") in current}
    removed = sorted(set(current) - wanted)
    before = snapshot_units(document, current_ids) if removed else []
    # Where the removed rows' things go when nothing replaces them (undoing an insert):
    # the row before them, else the row after.
    beside = _beside(document, [u.order_key for u in current.values()]) if not layout else None
    for parked in current.values():  # park the keys: the layout may reuse them elsewhere
        parked.order_key = f"~{parked.id}"
    db.session.flush()
    leaving = [current.pop(unit_id) for unit_id in removed]
    edition_ids = [e.id for e in document.all_editions]  # the trash's cells move too
    result: list[int] = []
    for spec in layout:
        unit: Unit | None = current.get(spec.get("id", -1))
        if unit is None:
            unit = Unit(document_id=document.id)
            db.session.add(unit)
        unit.order_key = spec["order_key"]
        unit.role = UnitRole(spec["role"])
        unit.level = spec.get("level")
        unit.label = spec.get("label")
        unit.paragraph_key = spec["paragraph_key"]
        unit.confidence = spec.get("confidence")
        db.session.flush()
        segments = {
            s.edition_id: s
            # populate_existing: a copy loaded before the caller locked these rows may be
            # older than a save that landed meanwhile (its version check would fail).
            for s in db.session.scalars(
                select(Segment)
                .where(Segment.unit_id == unit.id)
                .execution_options(populate_existing=True)
            )
        }
        for edition_id in edition_ids:
            cell = spec["cells"].get(str(edition_id)) or {}
            text = cell.get("text", "")
            status = SegmentStatus(cell.get("status") or "empty") if text else SegmentStatus.EMPTY
            segment = segments.get(edition_id)
            if segment is None:
                segment = Segment(
                    unit_id=unit.id,
                    edition_id=edition_id,
                    text="",
                    status=SegmentStatus.EMPTY,
                    content_hash=content_hash(""),
                    sibling_hashes={},
                    words=0,
                )
                db.session.add(segment)
                db.session.flush()
            segment.aligned = bool(cell.get("aligned", True))
            if segment.text != text or segment.status != status:
                write_segment(segment, text, status, reason=reason, author_id=author_id)
        result.append(unit.id)
    db.session.flush()
    if removed:  # what was written on the removed rows follows its text, then they go
        holders = result or ([beside] if beside is not None else [])
        carry_over(document.id, before, snapshot_units(document, holders), removed)
        for unit in leaving:
            db.session.delete(unit)
        db.session.flush()
    baseline_siblings(result)  # whoever fixed the rows decided what belongs together
    db.session.expire_all()
    return result
