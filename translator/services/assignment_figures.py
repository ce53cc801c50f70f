"""The figures of assignments: the positions of each range's ends, its words (the
original's) in all and not done yet, and its first unit still to do, for any number of
assignments in a fixed number of queries (one aggregate over the units of every range,
then their positions), never one query per unit or per assignment.

``words_left`` counts the words of the units not translated yet (empty or draft) for a
translation, not reviewed yet for a review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
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


def assignment_figures(assignment_ids: Iterable[int]) -> dict[int, Figures]:
    """Assignment id → its figures, for any number of assignments, in two queries: the
    words (one aggregate over the units of every range) and the positions."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    first, last, unit = aliased(Unit), aliased(Unit), aliased(Unit)
    cell, original = aliased(Segment), aliased(Segment)
    words = func.coalesce(original.words, cell.words, 0)
    to_do = _to_do(Assignment.kind, cell.status)
    in_range = and_(
        unit.document_id == Assignment.document_id,
        or_(first.id.is_(None), unit.order_key >= first.order_key),
        or_(last.id.is_(None), unit.order_key <= last.order_key),
    )
    rows = db.session.execute(
        select(
            Assignment.id,
            func.count(unit.id),
            func.coalesce(func.sum(words), 0),
            func.coalesce(func.sum(case((to_do, words), else_=0)), 0),
            func.min(case((to_do, unit.order_key), else_=None)),
        )
        .join(Document, Document.id == Assignment.document_id)
        .outerjoin(first, first.id == Assignment.first_unit_id)
        .outerjoin(last, last.id == Assignment.last_unit_id)
        .join(unit, in_range)
        .join(cell, and_(cell.unit_id == unit.id, cell.edition_id == Assignment.edition_id))
        .outerjoin(
            original,
            and_(original.unit_id == unit.id, original.edition_id == Document.original_edition_id),
        )
        .where(Assignment.id.in_(ids))
        .group_by(Assignment.id)
    ).all()
    figures = {i: Figures() for i in ids}
    first_keys: dict[int, str] = {}
    for assignment_id, units, total, left, first_key in rows:
        f = figures[assignment_id]
        f.units, f.words, f.words_left = int(units), int(total), int(left)
        if first_key is not None:
            first_keys[assignment_id] = first_key
    _positions(ids, figures, first_keys)
    return figures


def _positions(ids: list[int], figures: dict[int, Figures], first_keys: dict[int, str]) -> None:
    """Fill the 1-based positions of each range's ends and its first unit to do."""
    first, last, before = aliased(Unit), aliased(Unit), aliased(Unit)

    def rank(bound: Any) -> Any:
        return (
            select(func.count(before.id))
            .where(before.document_id == Assignment.document_id, before.order_key <= bound)
            .correlate(Assignment, first, last)
            .scalar_subquery()
        )

    total = (
        select(func.count(before.id))
        .where(before.document_id == Assignment.document_id)
        .correlate(Assignment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Assignment.id,
            case((first.id.is_(None), 1), else_=rank(first.order_key)),
            case((last.id.is_(None), total), else_=rank(last.order_key)),
        )
        .outerjoin(first, first.id == Assignment.first_unit_id)
        .outerjoin(last, last.id == Assignment.last_unit_id)
        .where(Assignment.id.in_(ids))
    ).all()
    for assignment_id, first_position, last_position in rows:
        figures[assignment_id].first_position = int(first_position)
        figures[assignment_id].last_position = int(last_position)
    if first_keys:
        pairs = db.session.execute(
            select(Assignment.id, Unit.id, Unit.order_key)
            .join(Unit, Unit.document_id == Assignment.document_id)
            .where(Assignment.id.in_(list(first_keys)), Unit.order_key.in_(first_keys.values()))
        ).all()
        for assignment_id, unit_id, key in pairs:
            if first_keys[assignment_id] == key:  # the keys of all are asked at once
                figures[assignment_id].first_to_do = unit_id


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
