"""Replacing a whole document's layout at once (an alignment run, or undoing one): in
bulk, with Core statements on the tables, because a document has ten thousand rows.

An alignment keeps each old row whose cells are exactly those of a new row: only its
place and attributes are written (``_rewrite_kept``); every other row is inserted anew,
and what was written on the old rows (suggestions, revisions, comment threads) follows
its text (``services.carryover``). ``services.layout`` has the snapshots this takes and
the changes of a few rows."""

from __future__ import annotations

from typing import Any

from fractional_indexing import generate_n_keys_between
from sqlalchemy import ColumnElement, and_, bindparam, delete, func, insert, select, update

from translator.extensions import db
from translator.models import (
    Document,
    RevisionReason,
    Segment,
    SegmentStatus,
    Unit,
    UnitRole,
)
from translator.models._types import utcnow
from translator.services.carryover import carry_over
from translator.services.counters import recounted
from translator.services.layout import Snapshot
from translator.services.segments import new_segment_row, record_revisions_of
from translator.services.siblings import in_step_records, keep_flags_of_kept_rows

_units = Unit.__table__
_segments = Segment.__table__


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
    revisions): nothing of it needs to move. Returns the new unit ids in order. The
    document's progress counters are recounted once, after every row is written."""
    with recounted(document.id):
        return _replace_all_units(
            document, layout, before=before, reason=reason, author_id=author_id, job_id=job_id
        )


def _replace_all_units(
    document: Document,
    layout: Snapshot,
    *,
    before: Snapshot,
    reason: RevisionReason,
    author_id: int | None,
    job_id: str | None,
) -> list[int]:
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
            # The kept rows are among the new ones now, and older than every row
            # inserted here: ids only grow, so no list of thousands of ids to send.
            and_(of_new_rows, Segment.unit_id <= max(kept.values())),
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
            # The old rows not kept: the kept ones have their new keys already.
            of_old_rows=Segment.unit_id.in_(
                select(Unit.id).where(
                    Unit.document_id == document.id, Unit.order_key <= (last_key or "")
                )
            ),
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
        ).where(of_rows)
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
