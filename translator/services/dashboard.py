"""The coordinators' dashboard: every edition of the documents a person manages, with
its progress, assignees, due date, words left, velocity and forecast: the rows and the
rule that orders them.

Everything is read from the kept counters (``models.counters``) and the open
assignments, in a fixed number of queries whatever the number of documents: no segment
is read, no query is made per document. The daily snapshots, the burndown and the
throughput are in ``services.dashboard_history``; the ranked pages of rows in
``services.dashboard_page``.

Words are the original's for a translation of the document's original (an empty cell
has none of its own), the edition's own otherwise. An edition is in the *translate*
phase while it has empty or draft cells, then in the *review* phase until every cell is
reviewed (``done``). Its velocity is the words its people brought to translated or
reviewed (in the review phase: to reviewed) a day over the last ``VELOCITY_DAYS`` UTC
days (``PersonDayCount``), converted to the original's words for a translation; its
forecast is today plus the words left of the phase over the velocity (None when nobody
worked on it: no velocity; None too more than ``FORECAST_HORIZON_DAYS`` ahead: not at
this pace). Its due date is the earliest of its open assignments of the phase's kind
(else of any kind). It is *overdue* when that date is past with work left, *at risk*
when the forecast falls after it (or there is no forecast while words are left)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Document,
    Edition,
    PersonDayCount,
    Revision,
    SegmentStatus,
    User,
)
from translator.services.progress import EditionProgress, editions_progress

VELOCITY_DAYS = 7
# Beyond ten years a forecast says nothing but "not at this pace" (and a few words a
# century would run past the last date there is).
FORECAST_HORIZON_DAYS = 3653
TRANSLATE, REVIEW, DONE = "translate", "review", "done"


def utc_today() -> date:
    """Today's UTC date: the day of the counters (``PersonDayCount``) and snapshots."""
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Assignee:
    """One open assignment of an edition: who, translate or review, by when."""

    user_id: int
    name: str
    kind: str
    due: date | None


@dataclass(slots=True)
class Row:
    """One edition of a managed document, as the dashboard shows it."""

    document_id: int
    slug: str
    title: str
    edition_id: int
    language: str
    original: bool  # the document's original
    progress: EditionProgress
    words_total: int = 0
    words_to_translate: int = 0
    words_to_review: int = 0
    assignees: list[Assignee] = field(default_factory=list)
    due: date | None = None
    velocity: float = 0.0  # words of the phase a day, over the last VELOCITY_DAYS
    forecast: date | None = None
    overdue: bool = False
    at_risk: bool = False
    phase: str = DONE  # translate (empty or draft cells left), review, or done
    work_left: bool = False  # anything keeps it from being ready (its blockers)

    @property
    def words_left(self) -> int:
        """The words left in the current phase."""
        return {TRANSLATE: self.words_to_translate, REVIEW: self.words_to_review}.get(self.phase, 0)

    @property
    def ready(self) -> bool:
        return self.progress.ready


def _measure(progress: EditionProgress) -> tuple[int, int, int]:
    """(words in all, to translate, to review), in the original's words for a
    translation, the edition's own otherwise."""
    if progress.original_words is not None:
        by_status = progress.original_by_status
    else:
        by_status = {str(s): n for s, n in progress.words.items()}
    total = sum(by_status.values())
    to_translate = by_status.get("empty", 0) + by_status.get("draft", 0)
    return total, to_translate, total - by_status.get("reviewed", 0)


def _to_original_words(progress: EditionProgress) -> float:
    """How many of the original's words one word of this edition stands for, from
    what it has done so far (1 for an original, or before anything is done)."""
    if progress.original_words is None:
        return 1.0
    done = (SegmentStatus.TRANSLATED, SegmentStatus.REVIEWED)
    own = sum(progress.words[s] for s in done)
    original = sum(progress.original_by_status.get(str(s), 0) for s in done)
    return original / own if own and original else 1.0


def _assess(row: Row, done_words: tuple[int, int], today: date) -> None:
    """Fill phase, due date, velocity, forecast, overdue and at risk from the row's
    figures, its assignees and the words translated / reviewed over the velocity window."""
    segments = row.progress.segments
    if row.words_to_translate or segments[SegmentStatus.EMPTY] or segments[SegmentStatus.DRAFT]:
        row.phase = TRANSLATE
    elif row.words_to_review or segments[SegmentStatus.TRANSLATED]:
        row.phase = REVIEW
    # The same as a non-empty ``progress.blockers``, without building the list.
    row.work_left = bool(row.phase != DONE or row.progress.outdated or row.progress.unaligned)
    phase = row.phase
    kind_dues = [a.due for a in row.assignees if a.due is not None and a.kind == phase]
    any_dues = [a.due for a in row.assignees if a.due is not None]
    row.due = min(kind_dues or any_dues, default=None)
    translated, reviewed = done_words
    # Translating counts the words brought to reviewed too: a reviewer's confirmation
    # of an empty cell or a draft skips "translated" (the counters cannot tell it from
    # a review of a translated cell, so a review made meanwhile counts as well).
    words = translated + reviewed if phase == TRANSLATE else reviewed if phase == REVIEW else 0
    row.velocity = words * _to_original_words(row.progress) / VELOCITY_DAYS
    left = row.words_left
    if left and row.velocity > 0:
        row.forecast = forecast_day(today, left / row.velocity)
    if row.due is not None and row.work_left:
        row.overdue = row.due < today
        late = row.forecast is None or row.forecast > row.due
        row.at_risk = not row.overdue and left > 0 and late


def forecast_horizon(today: date) -> int:
    """How many days ahead of ``today`` a forecast may fall: ``FORECAST_HORIZON_DAYS``,
    fewer where the calendar ends first."""
    return min(FORECAST_HORIZON_DAYS, (date.max - today).days)


def forecast_day(today: date, days: float) -> date | None:
    """The day ``days`` (words left over velocity: a positive float, maybe huge or
    infinite) after ``today``, rounded up; None beyond ``forecast_horizon``."""
    if not days <= forecast_horizon(today):  # also NaN: no forecast
        return None
    return today + timedelta(days=math.ceil(days))


# The groups of the order: overdue, at risk, work left (on track), nothing left.
OVERDUE, AT_RISK, ON_TRACK, FINISHED = 0, 1, 2, 3


def rank_key(
    group: int, due: date | None, title: str, language: str, edition_id: int
) -> tuple[Any, ...]:
    """The order of the rows: by group, then due date (none last), title (casefolded,
    as Python compares strings: no database collation gives this order), language, and
    the edition's id last (two documents may share a title: pages must not overlap)."""
    return (group, due is None, due or date.max, title.casefold(), language, edition_id)


def _rank(row: Row) -> tuple[Any, ...]:
    group = (
        OVERDUE
        if row.overdue
        else AT_RISK
        if row.at_risk
        else ON_TRACK
        if row.work_left
        else FINISHED
    )
    return rank_key(group, row.due, row.title, row.language, row.edition_id)


def edition_rows(condition: Any, *, today: date | None = None) -> list[Row]:
    """The dashboard's rows for the editions of the documents meeting ``condition`` (a
    condition on ``Document`` and ``Edition``, e.g. ``rights.managed_documents``):
    overdue first, then at risk, then by due date (none last), ready ones last. Four
    queries, whatever the number of documents. This is the rule; the dashboard's pages
    rank in SQL by the same rule (``services.dashboard_page``) and build their rows
    alone."""
    editions = db.session.execute(
        select(*edition_key_columns())
        .join(Document, Document.id == Edition.document_id)
        .where(condition)
    ).all()
    rows = build_rows([EditionKey._make(e) for e in editions], condition, today=today)
    rows.sort(key=_rank)
    return rows


class EditionKey(NamedTuple):
    """What names an edition on the dashboard, read before its figures."""

    edition_id: int
    language: str
    document_id: int
    slug: str
    title: str
    original_id: int | None


def edition_key_columns() -> tuple[Any, ...]:
    """The columns of an ``EditionKey``, in its order (on ``Edition`` and ``Document``)."""
    return (
        Edition.id.label("edition_id"),
        Edition.language,
        Document.id.label("document_id"),
        Document.slug,
        Document.title,
        Document.original_edition_id.label("original_id"),
    )


def build_rows(
    editions: list[EditionKey], condition: Any, *, today: date | None = None
) -> list[Row]:
    """The rows of ``editions`` (in their order), whose figures are read for the
    editions meeting ``condition`` (on ``Document`` and ``Edition``: at least those):
    three queries of the counters and the open assignments."""
    if not editions:
        return []
    today = today or utc_today()
    figures = editions_progress(condition)
    since = today - timedelta(days=VELOCITY_DAYS - 1)
    done: dict[int, tuple[int, int]] = {
        edition_id: (int(t or 0), int(r or 0))
        for edition_id, t, r in db.session.execute(
            select(
                PersonDayCount.edition_id,
                func.sum(PersonDayCount.words_translated),
                func.sum(PersonDayCount.words_reviewed),
            )
            .join(Edition, Edition.id == PersonDayCount.edition_id)
            .join(Document, Document.id == Edition.document_id)
            .where(condition, PersonDayCount.day >= since, PersonDayCount.day <= today)
            .group_by(PersonDayCount.edition_id)
        )
    }
    assignees: dict[int, list[Assignee]] = defaultdict(list)
    for edition_id, kind, due, user_id, display_name, email in db.session.execute(
        select(
            Assignment.edition_id,
            Assignment.kind,
            Assignment.due,
            User.id,
            User.display_name,
            User.email,
        )
        .join(User, User.id == Assignment.user_id)
        .join(Edition, Edition.id == Assignment.edition_id)
        .join(Document, Document.id == Assignment.document_id)
        .where(condition, Assignment.state == AssignmentState.OPEN)
        .order_by(Assignment.due.is_(None), Assignment.due, Assignment.id)
    ):
        assignees[edition_id].append(Assignee(user_id, display_name or email, str(kind), due))
    rows = []
    for key in editions:
        progress = figures.get(key.edition_id) or EditionProgress()
        total, to_translate, to_review = _measure(progress)
        row = Row(
            document_id=key.document_id,
            slug=key.slug,
            title=key.title,
            edition_id=key.edition_id,
            language=key.language,
            original=key.edition_id == key.original_id,
            progress=progress,
            words_total=total,
            words_to_translate=to_translate,
            words_to_review=to_review,
            assignees=assignees.get(key.edition_id, []),
        )
        _assess(row, done.get(key.edition_id, (0, 0)), today)
        rows.append(row)
    return rows


def edition_row(document: Document, language: str, *, today: date | None = None) -> Row | None:
    """The dashboard's row of one edition (None if the document has no such edition)."""
    rows = edition_rows((Document.id == document.id) & (Edition.language == language), today=today)
    return rows[0] if rows else None


# --- live ----------------------------------------------------------------------------


def change_token() -> tuple[Any, ...]:
    """Something that changes whenever the dashboard's figures may have (a revision, an
    assignment's change, an edition added or removed): cheap, read by the live stream
    to catch changes made where the live hub does not reach."""
    return tuple(
        db.session.execute(
            select(
                select(func.max(Revision.id)).scalar_subquery(),
                select(func.max(AssignmentEvent.id)).scalar_subquery(),
                select(func.count(Edition.id))
                .join(Document, Document.id == Edition.document_id)
                .where(Edition.deleted_at.is_(None), Document.deleted_at.is_(None))
                .scalar_subquery(),
            )
        ).one()
    )
