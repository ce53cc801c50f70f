"""Progress figures: segments and words by status, per edition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from translator.extensions import db
from translator.models import Edition, Segment, SegmentStatus


@dataclass(slots=True)
class EditionProgress:
    """Counts of one edition by status."""

    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    unaligned: int = 0

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
    return dict(result)
