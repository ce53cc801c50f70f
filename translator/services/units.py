"""Reading a document's units as rows, one cell per edition (paged for big documents)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Subquery, func, or_, select

from translator.extensions import db
from translator.models import (
    Document,
    Edition,
    Segment,
    SegmentStatus,
    StructureChange,
    Suggestion,
    SuggestionState,
    Unit,
)
from translator.services.comments import open_comment_counts
from translator.services.search import UnitFilter, filter_units


@dataclass(slots=True)
class Cell:
    id: int
    text: str
    status: str
    aligned: bool
    version: int
    outdated: bool = False
    suggestions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "status": self.status, "aligned": self.aligned}


@dataclass(slots=True)
class Row:
    id: int
    role: str
    level: int | None
    label: str | None
    paragraph: int
    confidence: float | None
    cells: dict[str, Cell] = field(default_factory=dict)
    index: int = 0  # position in the whole document, 0-based
    comments: int = 0  # open comments

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "paragraph": self.paragraph,
            "segments": {lang: cell.to_dict() for lang, cell in self.cells.items()},
        }
        if self.level is not None:
            data["level"] = self.level
        if self.label is not None:
            data["label"] = self.label
        return data


def count_units(document: Document, *, max_confidence: float | None = None) -> int:
    """How many units the document has (only those whose alignment confidence is below
    ``max_confidence``, if given: the "needs review" list)."""
    query = select(func.count(Unit.id)).where(Unit.document_id == document.id)
    if max_confidence is not None:
        query = query.where(Unit.confidence < max_confidence)
    return int(db.session.scalar(query) or 0)


def _row(r: Any) -> Row:
    return Row(r.id, str(r.role), r.level, r.label, r.paragraph_key, r.confidence)


def _add_cells(
    rows: dict[int, Row], languages: list[str] | None, *, document_id: int | None = None
) -> dict[int, Cell]:
    """Give each row its cells (in ``languages``, default every edition), read in one
    query: by document when ``rows`` hold all of its units (``document_id``), else by
    unit id. Returns the cells by segment id."""
    cells = select(
        Segment.id,
        Segment.unit_id,
        Segment.text,
        Segment.status,
        Segment.aligned,
        Segment.version,
        Segment.outdated,
        Edition.language,
    ).join(Edition, Edition.id == Segment.edition_id)
    if document_id is not None:
        cells = cells.join(Unit, Unit.id == Segment.unit_id).where(Unit.document_id == document_id)
    else:
        cells = cells.where(Segment.unit_id.in_(list(rows)))
    if languages:
        cells = cells.where(Edition.language.in_(languages))
    by_id: dict[int, Cell] = {}
    for c in db.session.execute(cells):
        if c.unit_id not in rows:  # a unit created after the rows were read
            continue
        cell = Cell(c.id, c.text, str(c.status), c.aligned, c.version, c.outdated)
        rows[c.unit_id].cells[c.language] = cell
        by_id[c.id] = cell
    return by_id


READ_ATTEMPTS = 3


def _consistent(
    read: Callable[[], tuple[dict[int, Row], dict[int, Cell]]],
    document: Document,
    languages: list[str] | None,
) -> tuple[dict[int, Row], dict[int, Cell]]:
    """Rows and their cells are read by two statements; a change of rows committed in
    between (a merge, a realignment) leaves rows without cells. Read again then (each
    statement sees what was committed before it), at most ``READ_ATTEMPTS`` times; rows
    still without their cells are left out."""
    expected = len(languages or document.languages)
    for _ in range(READ_ATTEMPTS):
        rows, by_id = read()
        if all(len(row.cells) == expected for row in rows.values()):
            return rows, by_id
    return {i: row for i, row in rows.items() if len(row.cells) == expected}, by_id


def unit_rows(
    document: Document,
    *,
    offset: int = 0,
    limit: int | None = None,
    languages: list[str] | None = None,
    max_confidence: float | None = None,
) -> list[Row]:
    """Units in document order with their cells, in two queries whatever the page size.
    ``max_confidence`` keeps only the units whose alignment confidence is below it (units
    never aligned, whose confidence is NULL, are left out)."""
    query = (
        select(Unit.id, Unit.role, Unit.level, Unit.label, Unit.paragraph_key, Unit.confidence)
        .where(Unit.document_id == document.id)
        .order_by(Unit.order_key)
        .offset(offset)
    )
    if max_confidence is not None:
        query = query.where(Unit.confidence < max_confidence)
    if limit is not None:
        query = query.limit(limit)
    whole = limit is None and offset == 0 and max_confidence is None

    def read() -> tuple[dict[int, Row], dict[int, Cell]]:
        rows = {r.id: _row(r) for r in db.session.execute(query)}
        if not rows:
            return rows, {}
        return rows, _add_cells(rows, languages, document_id=document.id if whole else None)

    rows, _cells = _consistent(read, document, languages)
    return list(rows.values())


def unit_positions(document_id: int, unit_filter: UnitFilter | None = None) -> Subquery:
    """A subquery of the document's units, ``id`` and ``position`` (0-based, document
    order), to join where a filtered or per-edition list must say where each unit is.
    With ``unit_filter``, only the units passing it, numbered among themselves (the
    editor's row numbers)."""
    query = select(
        Unit.id, (func.row_number().over(order_by=Unit.order_key) - 1).label("position")
    ).where(Unit.document_id == document_id)
    if unit_filter is not None and not unit_filter.is_empty():
        query = filter_units(query, document_id, unit_filter)
    return query.subquery()


def layout_token(document_id: int) -> tuple[int, int, int]:
    """What changes whenever the document's rows change: its latest structure change
    (fixes and alignment runs record one), its number of units and of editions (an
    import adds cells or rows). One query."""
    changes = select(func.coalesce(func.max(StructureChange.id), 0)).where(
        StructureChange.document_id == document_id
    )
    units = select(func.count(Unit.id)).where(Unit.document_id == document_id)
    editions = select(func.count(Edition.id)).where(Edition.document_id == document_id)
    row = db.session.execute(
        select(changes.scalar_subquery(), units.scalar_subquery(), editions.scalar_subquery())
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def unit_position(document_id: int, unit_id: int) -> int:
    """Where one unit is in its document (0-based): how many units come before it."""
    key = select(Unit.order_key).where(Unit.id == unit_id).scalar_subquery()
    before = select(func.count(Unit.id)).where(
        Unit.document_id == document_id, Unit.order_key < key
    )
    return int(db.session.scalar(before) or 0)


def _window_query(document: Document, unit_filter: UnitFilter | None) -> Select[Any]:
    numbered = unit_positions(document.id)
    query = (
        select(
            Unit.id,
            Unit.role,
            Unit.level,
            Unit.label,
            Unit.paragraph_key,
            Unit.confidence,
            numbered.c.position,
        )
        .join(numbered, numbered.c.id == Unit.id)
        .where(Unit.document_id == document.id)
    )
    if unit_filter is not None and not unit_filter.is_empty():
        query = filter_units(query, document.id, unit_filter)
    return query


def count_window(document: Document, unit_filter: UnitFilter | None = None) -> int:
    """How many units pass ``unit_filter`` (all of them without one)."""
    query = select(func.count(Unit.id)).where(Unit.document_id == document.id)
    if unit_filter is not None and not unit_filter.is_empty():
        query = filter_units(query, document.id, unit_filter)
    return int(db.session.scalar(query) or 0)


def next_to_do(
    document: Document,
    *,
    after: int,
    direction: int,
    language: str,
    unit_filter: UnitFilter | None = None,
) -> int | None:
    """Where the editor goes on Ctrl+Enter: the position, in the list of units passing
    ``unit_filter`` (the editor's row numbers), of the first unit after position
    ``after`` in ``direction`` (1 or -1) whose ``language`` cell needs work (empty, a
    draft, or outdated); None when there is none. One query, however far it is."""
    ranked = unit_positions(document.id, unit_filter)
    needs_work = (
        select(Segment.id)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(
            Segment.unit_id == ranked.c.id,
            Edition.language == language,
            or_(
                Segment.status.in_([SegmentStatus.EMPTY, SegmentStatus.DRAFT]),
                Segment.outdated.is_(True),
            ),
        )
        .exists()
    )
    rank = ranked.c.position
    query = select(rank).where(needs_work).limit(1)
    if direction > 0:
        query = query.where(rank > after).order_by(rank)
    else:
        query = query.where(rank < after).order_by(rank.desc())
    position: int | None = db.session.scalar(query)
    return position


def unit_window(
    document: Document,
    *,
    offset: int = 0,
    limit: int = 100,
    languages: list[str] | None = None,
    unit_filter: UnitFilter | None = None,
) -> list[Row]:
    """A window of the units passing ``unit_filter``, in document order, each with its
    position in the whole document, its open comments and, per cell, the open
    suggestions and the outdated flag (what the editor shows). Four queries."""
    query = _window_query(document, unit_filter).order_by("position").offset(offset).limit(limit)

    def read() -> tuple[dict[int, Row], dict[int, Cell]]:
        rows: dict[int, Row] = {}
        for r in db.session.execute(query):
            rows[r.id] = _row(r)
            rows[r.id].index = r.position
        return rows, (_add_cells(rows, languages) if rows else {})

    rows, by_id = _consistent(read, document, languages)
    if not rows:
        return []
    ids = list(rows)
    open_suggestions = (
        select(Suggestion.segment_id, func.count(Suggestion.id))
        .where(Suggestion.segment_id.in_(list(by_id)), Suggestion.state == SuggestionState.OPEN)
        .group_by(Suggestion.segment_id)
    )
    for segment_id, count in db.session.execute(open_suggestions):
        if segment_id is not None:
            by_id[segment_id].suggestions = count
    for unit_id, count in open_comment_counts(ids).items():
        rows[unit_id].comments = count
    return list(rows.values())
