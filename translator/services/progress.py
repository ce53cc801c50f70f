"""Progress figures: segments and words by status, per edition, and words per person
and day, read from the counters the database keeps (``models.counters``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from translator.extensions import db
from translator.models import Document, Edition, EditionCount, PersonDayCount, SegmentStatus, User
from translator.services.assignment_figures import Figures, assignment_figures
from translator.services.assignments import list_assignments

_TO_DO = (SegmentStatus.EMPTY, SegmentStatus.DRAFT)


@dataclass(frozen=True, slots=True)
class Blocker:
    """One reason an edition is not ready: ``reason`` is a segment status (``empty``,
    ``draft``, ``translated``: not reviewed yet), ``outdated`` or ``unaligned``;
    ``segments`` how many of its segments it holds back (``words``: their own words)."""

    reason: str
    segments: int
    words: int = 0

    @property
    def editor_filters(self) -> dict[str, str]:
        """The editor's list filters (``FilterQuery``) that show these segments, given
        ``status_language`` by the caller."""
        if self.reason == "outdated":
            return {"outdated": "1"}
        if self.reason == "unaligned":
            return {"unaligned": "1"}
        return {"status": self.reason}


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
    # The document's setting: False when a translated (confirmed) segment is done.
    review_required: bool = True
    # A translation: the original's words of its units, by this edition's status.
    original_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total_segments(self) -> int:
        return sum(self.segments.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def ready(self) -> bool:
        """Every segment reviewed (or confirmed, where the document needs no review),
        none outdated, none waiting for an alignment."""
        return self.total_segments > 0 and not self.blockers

    @property
    def blockers(self) -> list[Blocker]:
        """What keeps this edition from being ready, most basic first; empty when
        ready (or when it has no segment at all, which is not ready either)."""
        found = []
        for status in self.blocking_statuses:
            if self.segments[status]:
                found.append(Blocker(str(status), self.segments[status], self.words[status]))
        if self.outdated:
            found.append(Blocker("outdated", self.outdated))
        if self.unaligned:
            found.append(Blocker("unaligned", self.unaligned))
        return found

    @property
    def blocking_statuses(self) -> tuple[SegmentStatus, ...]:
        """The statuses that still hold an edition back."""
        if self.review_required:
            return (SegmentStatus.EMPTY, SegmentStatus.DRAFT, SegmentStatus.TRANSLATED)
        return _TO_DO

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
            Document.review_required,
        )
        .join(Edition, Edition.id == EditionCount.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .where(Edition.document_id.in_(document_ids), EditionCount.segments > 0)
    ).all()
    result: dict[int, EditionProgress] = defaultdict(EditionProgress)
    for (
        edition_id,
        status,
        count,
        words,
        unaligned,
        outdated,
        original_words,
        original,
        review_required,
    ) in rows:
        progress = result[edition_id]
        progress.review_required = bool(review_required)
        progress.segments[SegmentStatus(status)] = count
        progress.words[SegmentStatus(status)] = words
        progress.unaligned += unaligned
        progress.outdated += outdated
        if original is not None and original != edition_id:
            # A translation of the document's original: counted in the original's words.
            progress.original_words = (progress.original_words or 0) + original_words
            progress.original_by_status[str(status)] = original_words
            if status in _TO_DO:
                progress.words_left = (progress.words_left or 0) + original_words
            else:
                progress.words_left = progress.words_left or 0
    return dict(result)


def editions_progress(condition: Any) -> dict[int, EditionProgress]:
    """``edition_progress`` for the editions meeting ``condition`` (on ``Edition`` and
    ``Document``: every document a person manages, say), the same figures from one
    query that sums each edition's counters in the database (a row per edition, not
    per edition and status: what the dashboard of thousands of editions needs)."""
    statuses = list(SegmentStatus)

    def by_status(column: Any) -> list[Any]:
        return [func.sum(case((EditionCount.status == s.value, column), else_=0)) for s in statuses]

    rows = db.session.execute(
        select(
            EditionCount.edition_id,
            Document.original_edition_id,
            Document.review_required,
            func.sum(EditionCount.unaligned),
            func.sum(EditionCount.outdated),
            *by_status(EditionCount.segments),
            *by_status(EditionCount.words),
            *by_status(EditionCount.original_words),
        )
        .join(Edition, Edition.id == EditionCount.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .where(condition, EditionCount.segments > 0)
        .group_by(EditionCount.edition_id, Document.original_edition_id, Document.review_required)
    ).all()
    count = len(statuses)
    result = {}
    for edition_id, original, review_required, unaligned, outdated, *figures in rows:
        segments = [int(n or 0) for n in figures[:count]]
        words = [int(n or 0) for n in figures[count : 2 * count]]
        originals = [int(n or 0) for n in figures[2 * count :]]
        progress = EditionProgress(
            segments=dict(zip(statuses, segments, strict=True)),
            words=dict(zip(statuses, words, strict=True)),
            unaligned=int(unaligned or 0),
            outdated=int(outdated or 0),
            review_required=bool(review_required),
        )
        if original is not None and original != edition_id:
            present = [(s, n) for s, n, k in zip(statuses, originals, segments, strict=True) if k]
            progress.original_by_status = {str(s): n for s, n in present}
            progress.original_words = sum(n for _, n in present)
            progress.words_left = sum(n for s, n in present if s in _TO_DO)
        result[edition_id] = progress
    return result


def person_activity(document_id: int) -> list[dict[str, Any]]:
    """Words each person brought to translated and to reviewed, per edition and UTC day
    (the kept counters), newest day first."""
    rows = db.session.execute(
        select(
            PersonDayCount.day,
            Edition.language,
            User.id,
            User.display_name,
            User.email,
            PersonDayCount.words_translated,
            PersonDayCount.words_reviewed,
        )
        .join(Edition, Edition.id == PersonDayCount.edition_id)
        .join(User, User.id == PersonDayCount.user_id)
        .where(
            Edition.document_id == document_id,
            (PersonDayCount.words_translated > 0) | (PersonDayCount.words_reviewed > 0),
        )
        .order_by(PersonDayCount.day.desc(), Edition.language, User.id)
    ).all()
    return [
        {
            "day": day.isoformat(),
            "language": language,
            "user": {"id": user_id, "name": display_name or email},
            "words_translated": translated,
            "words_reviewed": reviewed,
        }
        for day, language, user_id, display_name, email, translated, reviewed in rows
    ]


def assignment_report(document: Document) -> list[dict[str, Any]]:
    """A document's open assignments as plain data: who, which language, translate or
    review, the range of units (1-based positions, ``"1-120"``), the original's words of
    those units in all and still to do, and the due date (ISO) — soonest due first."""
    assignments = list_assignments(document_id=document.id)
    figures = assignment_figures(a.id for a in assignments)
    report = []
    for assignment in assignments:
        f = figures.get(assignment.id) or Figures()
        units = (
            f"{f.first_position}-{f.last_position}"
            if f.first_position is not None and f.last_position is not None
            else ""
        )
        report.append(
            {
                "id": assignment.id,
                "user": assignment.user.email,
                "name": assignment.user.name,
                "language": assignment.edition.language,
                "kind": assignment.kind.value,
                "units": units,
                "words": f.words,
                "words_left": f.words_left,
                "due": assignment.due.isoformat() if assignment.due else None,
            }
        )
    return report


def progress_report(document: Document) -> dict[str, Any]:
    """A document's progress as plain data (``translator progress --json`` and the API):
    per edition, segments and words by status, the words left to translate (in the
    original's words), and whether it is ready; the people's activity by day."""
    figures = edition_progress([document.id])
    editions = []
    for edition in sorted(document.editions, key=lambda e: e.language):
        p = figures.get(edition.id) or EditionProgress()
        editions.append(
            {
                "language": edition.language,
                "original": edition.id == document.original_edition_id,
                "segments": {str(s): n for s, n in p.segments.items()},
                "words": {str(s): n for s, n in p.words.items()},
                "unaligned": p.unaligned,
                "outdated": p.outdated,
                "original_words": p.original_words,
                "words_left": p.words_left,
                "ready": p.ready,
                "blockers": [{"reason": b.reason, "segments": b.segments} for b in p.blockers],
            }
        )
    return {
        "document": document.slug,
        "editions": editions,
        "assignments": assignment_report(document),
        "activity": person_activity(document.id),
    }
