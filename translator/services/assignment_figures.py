"""The figures of assignments: the positions of each range's ends, its words (the
original's) in all and not done yet, and its first unit still to do, for any number of
assignments in a fixed number of queries (their editions, one aggregate over the cells
of every range, then their positions), never one query per unit or per assignment.

``words_left`` counts the words of the units not translated yet (empty or draft) for a
translation, not reviewed yet for a review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentKind,
    Document,
    Segment,
    SegmentStatus,
    Unit,
)


@dataclass(slots=True)
class Figures:
    """An assignment's range and words, as read now."""

    units: int = 0
    words: int = 0
    words_left: int = 0
    first_position: int | None = None  # 1-based positions of its first and last unit
    last_position: int | None = None
    first_to_do: int | None = None  # the first unit of the range still to do


def _to_do(kind: Any, status: Any) -> Any:
    return or_(
        and_(
            kind == AssignmentKind.TRANSLATE,
            status.in_([SegmentStatus.EMPTY, SegmentStatus.DRAFT]),
        ),
        and_(kind == AssignmentKind.REVIEW, status != SegmentStatus.REVIEWED),
    )


def _bounds(ids: list[int]) -> Any:
    """The assignments with the order keys of their ends (None: the edition's start or
    end), apart (``OFFSET 0`` keeps PostgreSQL from merging this subquery into the one
    that uses it): the end units are looked up once per assignment, not once per cell."""
    first, last = aliased(Unit), aliased(Unit)
    return (
        select(
            Assignment.id,
            Assignment.kind,
            Assignment.edition_id,
            Assignment.document_id,
            first.order_key.label("first_key"),
            last.order_key.label("last_key"),
        )
        .outerjoin(first, first.id == Assignment.first_unit_id)
        .outerjoin(last, last.id == Assignment.last_unit_id)
        .where(Assignment.id.in_(ids))
        .offset(0)
        .subquery("bounds")
    )


def assignment_figures(assignment_ids: Iterable[int]) -> dict[int, Figures]:
    """Assignment id → its figures, for any number of assignments, in a fixed number of
    queries: their editions, the words (one aggregate over the cells of every range)
    and the positions."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    figures = {i: Figures() for i in ids}
    editions: list[tuple[int, int, int | None]] = [
        (edition_id, document_id, original_id)
        for edition_id, document_id, original_id in db.session.execute(
            select(Assignment.edition_id, Assignment.document_id, Document.original_edition_id)
            .join(Document, Document.id == Assignment.document_id)
            .where(Assignment.id.in_(ids))
        )
    ]
    if not editions:
        return figures
    bounds = _bounds(ids)
    first_keys: dict[int, str] = {}
    for assignment_id, units, total, left, first_key in db.session.execute(
        _words(bounds, editions)
    ):
        f = figures[assignment_id]
        f.units, f.words, f.words_left = int(units), int(total), int(left)
        if first_key is not None:
            first_keys[assignment_id] = first_key
    _positions(bounds, figures, first_keys)
    return figures


def _words(bounds: Any, editions: list[tuple[int, int, int | None]]) -> Any:
    """Per assignment: its units, their words and those still to do, the first key to do.

    The cells of the editions concerned are read apart (``OFFSET 0``), by edition and
    document ids given as values: each of the three relations (the editions' cells,
    their units, the original's cells) is then estimated right and joined by hashing,
    one pass over each edition's segments. Driven from the assignments instead, the
    planner expected a few rows and looked up each unit and each original cell one at
    a time (``docs/benchmarks.md``, "My work" at scale)."""
    cell, original = aliased(Segment), aliased(Segment)
    originals = sorted({o for _, _, o in editions if o is not None})
    cells = (
        select(
            cell.edition_id,
            Unit.order_key,
            cell.status,
            func.coalesce(original.words, cell.words, 0).label("words"),
        )
        .join(Unit, Unit.id == cell.unit_id)
        .outerjoin(
            original, and_(original.unit_id == cell.unit_id, original.edition_id.in_(originals))
        )
        .where(
            cell.edition_id.in_(sorted({e for e, _, _ in editions})),
            Unit.document_id.in_(sorted({d for _, d, _ in editions})),
        )
        .offset(0)
        .subquery("cells")
    )
    to_do = _to_do(bounds.c.kind, cells.c.status)
    return (
        select(
            bounds.c.id,
            func.count(),
            func.coalesce(func.sum(cells.c.words), 0),
            func.coalesce(func.sum(case((to_do, cells.c.words), else_=0)), 0),
            func.min(case((to_do, cells.c.order_key), else_=None)),
        )
        .select_from(bounds)
        .join(
            cells,
            and_(
                cells.c.edition_id == bounds.c.edition_id,
                or_(bounds.c.first_key.is_(None), cells.c.order_key >= bounds.c.first_key),
                or_(bounds.c.last_key.is_(None), cells.c.order_key <= bounds.c.last_key),
            ),
        )
        .group_by(bounds.c.id)
    )


def _positions(bounds: Any, figures: dict[int, Figures], first_keys: dict[int, str]) -> None:
    """Fill the 1-based positions of each range's ends (units counted on the (document,
    order key) index) and its first unit to do (found by its key)."""
    before = aliased(Unit)

    def count(key: Any = None) -> Any:
        query = select(func.count()).where(before.document_id == bounds.c.document_id)
        if key is not None:
            query = query.where(before.order_key <= key)
        return query.correlate(bounds).scalar_subquery()

    rows = db.session.execute(
        select(
            bounds.c.id,
            bounds.c.document_id,
            case((bounds.c.first_key.is_(None), 1), else_=count(bounds.c.first_key)),
            case((bounds.c.last_key.is_(None), count()), else_=count(bounds.c.last_key)),
        )
    ).all()
    documents = {}
    for assignment_id, document_id, first_position, last_position in rows:
        documents[assignment_id] = document_id
        figures[assignment_id].first_position = int(first_position)
        figures[assignment_id].last_position = int(last_position)
    if first_keys:
        wanted = {(documents[i], key) for i, key in first_keys.items()}
        pairs = db.session.execute(
            select(Unit.document_id, Unit.order_key, Unit.id).where(
                tuple_(Unit.document_id, Unit.order_key).in_(list(wanted))
            )
        ).all()
        found = {(d, key): unit_id for d, key, unit_id in pairs}
        for assignment_id, key in first_keys.items():
            figures[assignment_id].first_to_do = found.get((documents[assignment_id], key))


def editor_start(assignment: Assignment) -> dict[str, Any]:
    """Where the editor opens on an assignment: its language, its range (1-based
    positions) and the position, in the list filtered to the range, of the first unit
    still to do (0, the range's first unit, when all is done)."""
    figures = assignment_figures([assignment.id])[assignment.id]
    position = 0
    if figures.first_to_do is not None and figures.first_position is not None:
        key = select(Unit.order_key).where(Unit.id == figures.first_to_do).scalar_subquery()
        before = db.session.scalar(
            select(func.count(Unit.id)).where(
                Unit.document_id == assignment.document_id, Unit.order_key < key
            )
        )
        position = int(before or 0) - (figures.first_position - 1)
    return {
        "id": assignment.id,
        "language": assignment.edition.language,
        "kind": assignment.kind.value,
        "first": figures.first_position,
        "last": figures.last_position,
        "position": max(position, 0),
        "unit": figures.first_to_do,
    }
