"""A document's unit layout as data: snapshots of units with their cells, and writing a
layout back. Structure changes (alignment, merge, split, move, insert) keep the layout
they replaced in a StructureChange row; undoing one writes that snapshot back: a few
rows here (``replace_units``), the whole document in bulk in ``services.layout_bulk``.

A snapshot unit is ``{"id", "order_key", "role", "level", "label", "paragraph_key",
"confidence", "cells": {edition_id: {"text", "status", "aligned"}}}`` (edition ids as
strings: it is stored as JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

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
from translator.services.carryover import carry_over
from translator.services.events import record_structure_changed
from translator.services.segments import cell_states, content_hash, write_segment
from translator.services.siblings import baseline_siblings

Snapshot = list[dict[str, Any]]


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
