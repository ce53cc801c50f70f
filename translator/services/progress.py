"""Progress figures: segments and words by status, per edition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from translator.extensions import db
from translator.models import Document, Edition, EditionCount, SegmentStatus

_TO_DO = (SegmentStatus.EMPTY, SegmentStatus.DRAFT)


@dataclass(slots=True)
class EditionProgress:
    """Counts of one edition by status."""

    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SegmentStatus, 0))
    unaligned: int = 0
    outdated: int = 0
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

    @property
    def ready(self) -> bool:
        """Every segment reviewed, none outdated, none waiting for an alignment."""
        return (
            self.total_segments > 0
            and self.segments[SegmentStatus.REVIEWED] == self.total_segments
            and self.outdated == 0
            and self.unaligned == 0
        )

    def percent(self, status: SegmentStatus) -> float:
        total = self.total_segments
        return 100.0 * self.segments[status] / total if total else 0.0


def edition_progress(document_ids: list[int]) -> dict[int, EditionProgress]:
    """Edition id → its progress, for every edition (with segments) of the given
    documents, in one query of the kept counters (``models.counters``): no segment is
    read, however long the documents."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(
            EditionCount.edition_id,
            EditionCount.status,
            EditionCount.segments,
            EditionCount.words,
            EditionCount.unaligned,
            EditionCount.outdated,
            EditionCount.original_words,
            Document.original_edition_id,
        )
        .join(Edition, Edition.id == EditionCount.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .where(Edition.document_id.in_(document_ids), EditionCount.segments > 0)
    ).all()
    result: dict[int, EditionProgress] = defaultdict(EditionProgress)
    for edition_id, status, count, words, unaligned, outdated, original_words, original in rows:
        progress = result[edition_id]
        progress.segments[SegmentStatus(status)] = count
        progress.words[SegmentStatus(status)] = words
        progress.unaligned += unaligned
        progress.outdated += outdated
        if original is not None and original != edition_id:
            # A translation of the document's original: counted in the original's words.
            progress.original_words = (progress.original_words or 0) + original_words
            if status in _TO_DO:
                progress.words_left = (progress.words_left or 0) + original_words
            else:
                progress.words_left = progress.words_left or 0
    return dict(result)
