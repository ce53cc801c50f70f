"""What people wrote follows its text through every change of rows.

A merge, a split, a sentence moved, an undo or a realignment removes units, and with
them their segments. Before the removed units go, everything attached to them is
moved to the unit (and segment) that now holds their text: suggestions, revisions,
comment threads; and a forward is recorded for each removed segment, so that a save
still aimed at it is kept on its successor (``services.editing``).

Where a cell's text went is found by position: each edition's text is one stream of
characters through the rows, and a structure change only regroups it (spaces aside).
A removed cell is anchored at the offset where its text began in its edition's stream
(counting non-space characters, which joining and splitting do not move); an empty cell
at the offset of its row's text in the first edition that has some (its row-mates went
there), or where its row stood. The successor is the new unit whose text in that
edition covers the offset.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from translator.extensions import db
from translator.models import (
    INCLUDE_DELETED,
    Assignment,
    Comment,
    Edition,
    Revision,
    Segment,
    SegmentForward,
    Suggestion,
    Unit,
)

IN_LIST_LIMIT = 500
Layout = Sequence[Mapping[str, Any]]  # snapshot units: {"id", "cells": {edition id: {text}}}


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an old cell's text began: ``offset`` non-space characters into edition
    ``edition_id``'s stream of the changed rows."""

    edition_id: str
    offset: int


def _width(text: str) -> int:
    """Non-space characters (``str.split`` and ``\\s`` agree on every code point)."""
    return len("".join(text.split()))


def _anchors(before: Layout, editions: list[str]) -> dict[tuple[int, str], Anchor]:
    """(old unit id, edition id) → anchor, for every cell of the old layout."""
    starts: dict[str, int] = dict.fromkeys(editions, 0)
    anchors: dict[tuple[int, str], Anchor] = {}
    for unit in before:
        cells = unit["cells"]
        with_text = [e for e in editions if (cells.get(e) or {}).get("text")]
        fallback = Anchor(with_text[0], starts[with_text[0]]) if with_text else None
        for edition in editions:
            if edition in with_text:
                anchors[(unit["id"], edition)] = Anchor(edition, starts[edition])
            else:
                anchors[(unit["id"], edition)] = fallback or Anchor(
                    editions[0], starts[editions[0]]
                )
        for edition in with_text:
            starts[edition] += _width(cells[edition]["text"])
    return anchors


def successors(
    before: Layout, after: Layout, editions: Iterable[str]
) -> dict[tuple[int, str], int]:
    """(old unit id, edition id) → the new unit that holds that cell's text, for every
    cell of ``before`` (old layout) in ``after`` (new layout, units with ids)."""
    order = sorted(str(e) for e in editions)
    if not after:
        return {}
    spans = _new_spans(after, order)
    first = after[0]["id"]
    found: dict[tuple[int, str], int] = {}
    for key, anchor in _anchors(before, order).items():
        starts, ids = spans[anchor.edition_id]
        if not ids:
            found[key] = first
            continue
        index = bisect.bisect_right(starts, anchor.offset) - 1
        found[key] = ids[max(index, 0)]
    return found


def _new_spans(after: Layout, editions: list[str]) -> dict[str, tuple[list[int], list[int]]]:
    spans: dict[str, tuple[list[int], list[int]]] = {e: ([], []) for e in editions}
    ends: dict[str, int] = dict.fromkeys(editions, 0)
    for unit in after:
        for edition in editions:
            text = (unit["cells"].get(edition) or {}).get("text", "")
            if text:
                starts, ids = spans[edition]
                starts.append(ends[edition])
                ids.append(unit["id"])
                ends[edition] += _width(text)
    return spans


def carry_over(
    document_id: int, before: Layout, after: Layout, removed: Iterable[int]
) -> dict[int, int]:
    """``before`` and ``after`` are the same stretch of rows (or the whole document)
    before and after a change, in order. Move what is attached to the ``removed`` units
    of ``before`` (which must still exist) to their successors in ``after``:
    suggestions, revisions and comments, and record a forward for each removed segment.
    Call after the new layout is written and before the removed units are deleted.
    Returns removed segment id → successor segment id."""
    removed = list(removed)
    if not removed or not after:
        return {}
    editions = [
        str(e)
        for e in db.session.scalars(
            select(Edition.id)
            .where(Edition.document_id == document_id)
            .execution_options(**{INCLUDE_DELETED: True})  # their cells move too
        )
    ]
    gone = set(removed)
    targets = {
        key: unit for key, unit in successors(before, after, editions).items() if key[0] in gone
    }
    wanted = gone | {u["id"] for u in after}
    segment_of = {
        (unit_id, str(edition_id)): segment_id
        for segment_id, unit_id, edition_id in db.session.execute(_segments_of(document_id, wanted))
        if unit_id in wanted
    }
    moves: dict[int, tuple[int, int]] = {}  # old segment → (new segment, new unit)
    for (unit_id, edition), new_unit in targets.items():
        old, new = segment_of.get((unit_id, edition)), segment_of.get((new_unit, edition))
        if old is not None and new is not None:
            moves[old] = (new, new_unit)
    _move_rows(moves)
    _move_comments(removed, targets, document_id)
    _move_assignments(removed, targets, document_id)
    return {old: new for old, (new, _unit) in moves.items()}


def _move_rows(moves: dict[int, tuple[int, int]]) -> None:
    """Record the forwards, then point the removed segments' suggestions and revisions
    at their successors: set-based statements, whatever the number of rows."""
    if not moves:
        return
    forwards = SegmentForward.__table__
    # SQLite gives a deleted row's id to the next new row when it was the highest: a
    # forward recorded for an id removed earlier is stale once that id is removed again.
    # (PostgreSQL's sequences never give an id twice: nothing to look for there.)
    if db.session.connection().dialect.name == "sqlite":
        db.session.execute(delete(forwards).where(forwards.c.segment_id.in_(list(moves))))
    db.session.execute(
        insert(forwards),
        [{"segment_id": old, "successor_id": new} for old, (new, _unit) in moves.items()],
    )
    forwarded = select(forwards.c.segment_id)
    # Forwards that pointed at a segment removed now point at its successor (one step).
    onward = forwards.alias("onward")
    db.session.execute(
        update(forwards)
        .where(forwards.c.successor_id.in_(forwarded))
        .values(
            successor_id=select(onward.c.successor_id)
            .where(onward.c.segment_id == forwards.c.successor_id)
            .scalar_subquery()
        )
    )
    segments = Segment.__table__
    for table in (Suggestion.__table__, Revision.__table__):
        successor = (
            select(forwards.c.successor_id)
            .where(forwards.c.segment_id == table.c.segment_id)
            .correlate(table)
            .scalar_subquery()
        )
        db.session.execute(
            update(table)
            .where(table.c.segment_id.in_(forwarded))
            .values(
                unit_id=select(segments.c.unit_id)
                .where(segments.c.id == successor)
                .scalar_subquery(),
                segment_id=successor,
            )
        )


def _segments_of(document_id: int, unit_ids: set[int]) -> Any:
    """The segments of these units: by id for a few rows, by document for a whole
    layout (a long IN list would pass SQLite's limit on bound parameters)."""
    query = select(Segment.id, Segment.unit_id, Segment.edition_id)
    if len(unit_ids) <= IN_LIST_LIMIT:
        return query.where(Segment.unit_id.in_(unit_ids))
    return query.join(Unit, Unit.id == Segment.unit_id).where(Unit.document_id == document_id)


def _move_comments(
    removed: list[int], targets: dict[tuple[int, str], int], document_id: int
) -> None:
    """A thread follows the text of the cell it was written in (or of its row's first
    edition with text when written in no particular language)."""
    languages = dict(
        db.session.execute(
            select(Edition.language, Edition.id)
            .where(Edition.document_id == document_id)
            .execution_options(**{INCLUDE_DELETED: True})
        ).all()
    )
    first = str(min(languages.values())) if languages else None
    gone = set(removed)
    rows = db.session.execute(
        select(Comment.id, Comment.unit_id, Comment.language).where(
            Comment.document_id == document_id, Comment.unit_id.is_not(None)
        )
    ).all()
    params = []
    for comment_id, unit_id, language in rows:
        if unit_id not in gone:
            continue
        edition = str(languages[language]) if language in languages else first
        target = targets.get((unit_id, edition)) if edition is not None else None
        if target is not None:
            params.append({"b_id": comment_id, "b_unit": target})
    if params:
        table = Comment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(unit_id=bindparam("b_unit")),
            params,
        )


def _move_assignments(
    removed: list[int], targets: dict[tuple[int, str], int], document_id: int
) -> None:
    """An assignment whose first or last unit goes now starts or ends at the unit that
    holds that unit's text in the assignment's edition."""
    gone = set(removed)
    for assignment in db.session.scalars(
        select(Assignment).where(Assignment.document_id == document_id)
    ):
        for name in ("first_unit_id", "last_unit_id"):
            unit_id = getattr(assignment, name)
            if unit_id in gone:
                setattr(assignment, name, targets.get((unit_id, str(assignment.edition_id))))


def move_attachments(
    document_id: int, from_unit: int, to_unit: int, edition_ids: Iterable[int]
) -> None:
    """Move the suggestions and comment threads of these editions' cells from one
    existing unit to another (a split sent those cells' text to the new row)."""
    edition_ids = list(edition_ids)
    if not edition_ids:
        return
    pairs = db.session.execute(
        select(Segment.unit_id, Segment.edition_id, Segment.id).where(
            Segment.unit_id.in_([from_unit, to_unit]), Segment.edition_id.in_(edition_ids)
        )
    ).all()
    segment = {(unit_id, edition_id): segment_id for unit_id, edition_id, segment_id in pairs}
    for edition_id in edition_ids:
        old, new = segment.get((from_unit, edition_id)), segment.get((to_unit, edition_id))
        if old is not None and new is not None:
            db.session.execute(
                update(Suggestion)
                .where(Suggestion.segment_id == old)
                .values(segment_id=new, unit_id=to_unit)
            )
    languages = select(Edition.language).where(Edition.id.in_(edition_ids))
    db.session.execute(
        update(Comment)
        .where(
            Comment.document_id == document_id,
            Comment.unit_id == from_unit,
            Comment.language.in_(languages),
        )
        .values(unit_id=to_unit)
    )


def successor_of(segment_id: int) -> int | None:
    """The segment that holds the text of a segment removed by a structure change."""
    successor: int | None = db.session.scalar(
        select(SegmentForward.successor_id).where(SegmentForward.segment_id == segment_id)
    )
    return successor
