"""Reading a document's units as rows, one cell per edition (paged for big documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from translator.extensions import db
from translator.models import Document, Edition, Segment, Unit


@dataclass(slots=True)
class Cell:
    id: int
    text: str
    status: str
    aligned: bool
    version: int

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
    rows = {
        r.id: Row(r.id, str(r.role), r.level, r.label, r.paragraph_key, r.confidence)
        for r in db.session.execute(query)
    }
    if not rows:
        return []
    cells = select(
        Segment.id,
        Segment.unit_id,
        Segment.text,
        Segment.status,
        Segment.aligned,
        Segment.version,
        Edition.language,
    ).join(Edition, Edition.id == Segment.edition_id)
    if limit is None and offset == 0 and max_confidence is None:
        cells = cells.join(Unit, Unit.id == Segment.unit_id).where(Unit.document_id == document.id)
    else:
        cells = cells.where(Segment.unit_id.in_(list(rows)))
    if languages:
        cells = cells.where(Edition.language.in_(languages))
    for c in db.session.execute(cells):
        rows[c.unit_id].cells[c.language] = Cell(c.id, c.text, str(c.status), c.aligned, c.version)
    return list(rows.values())
