"""Progress figures: segments and words by status, per edition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from translator.extensions import db
from translator.models import Document, Edition, Segment, SegmentStatus


@dataclass(slots=True)
class EditionProgress:
    """Counts of one edition by status."""

    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    unaligned: int = 0
    # A translation of the document's original: the original's words in all, and in
    # the units this edition has not translated yet (empty or draft). None otherwise.
    original_words: int | None = None
    words_left: int | None = None

    @property
    def total_segments(self) -> int:
        return sum(self.segments.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    def percent(self, status: SegmentStatus) -> float:
        total = self.total_segments
        return 100.0 * self.segments[status] / total if total else 0.0


def edition_progress(document_ids: list[int]) -> dict[int, EditionProgress]:
    """Edition id → its progress, for every edition of the given documents, in one query."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(
            Segment.edition_id,
            Segment.status,
            func.count(Segment.id),
            func.coalesce(func.sum(Segment.words), 0),
            func.sum(func.cast(~Segment.aligned, db.Integer)),
        )
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Edition.document_id.in_(document_ids))
        .group_by(Segment.edition_id, Segment.status)
    ).all()
    result: dict[int, EditionProgress] = defaultdict(EditionProgress)
    for edition_id, status, count, words, unaligned in rows:
        progress = result[edition_id]
        progress.segments[SegmentStatus(status)] = int(count)
        progress.words[SegmentStatus(status)] = int(words)
        progress.unaligned += int(unaligned or 0)
    _words_left(document_ids, result)
    return dict(result)


def _words_left(document_ids: list[int], result: dict[int, EditionProgress]) -> None:
    """Fill ``original_words`` and ``words_left`` of every translation (an edition of a
    document with an original, other than the original), counted in the original's
    words: an empty cell has no words of its own to count."""
    original = aliased(Segment)
    to_do = Segment.status.in_([SegmentStatus.EMPTY, SegmentStatus.DRAFT])
    rows = db.session.execute(
        select(
            Segment.edition_id,
            func.coalesce(func.sum(original.words), 0),
            func.coalesce(func.sum(case((to_do, original.words), else_=0)), 0),
        )
        .join(Edition, Edition.id == Segment.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .join(
            original,
            and_(
                original.unit_id == Segment.unit_id,
                original.edition_id == Document.original_edition_id,
            ),
        )
        .where(Edition.document_id.in_(document_ids), Edition.id != Document.original_edition_id)
        .group_by(Segment.edition_id)
    ).all()
    for edition_id, total, left in rows:
        progress = result[edition_id]
        progress.original_words, progress.words_left = int(total), int(left)
