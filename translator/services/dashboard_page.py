"""A page of the dashboard: its editions ranked in SQL, its rows built alone.

``dashboard.edition_rows`` states the rule (phase, due date, velocity, forecast,
overdue, at risk; the order) by building a full row per edition. The dashboard shows
50 rows of thousands, so its pages rank differently: one query computes, per edition
and from the sums of the kept counters, the day-counters of the last
``VELOCITY_DAYS`` days and the open assignments' due dates, the few figures the order
and the page's totals need (the group: overdue, at risk, on track, finished; the due
date; ready or not) and sorts the editions on them. The rule compares titles
casefolded, which no database collation reproduces; in ASCII it is lower-casing and
byte order, so the database sorts and Python only moves the few other titles to their
place. Only the page's rows are built, by ``dashboard.build_rows``.

The query follows the rule's arithmetic step for step, in double precision as Python
does (velocity = words × ratio / 7; a forecast after the due date is
``left / velocity > days to the due date``, the same as ``ceil(left / velocity) >
days``), so the two agree to the last bit; ``tests/services/test_dashboard_page.py``
checks them against each other."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentKind,
    AssignmentState,
    Document,
    Edition,
    EditionCount,
    PersonDayCount,
    SegmentStatus,
)
from translator.services.dashboard import (
    AT_RISK,
    FINISHED,
    ON_TRACK,
    OVERDUE,
    REVIEW,
    TRANSLATE,
    VELOCITY_DAYS,
    EditionKey,
    Row,
    build_rows,
    edition_key_columns,
    forecast_horizon,
    rank_key,
    utc_today,
)


class Ranked(NamedTuple):
    """An edition's place in the order and what the page's totals count."""

    key: EditionKey
    group: int  # OVERDUE, AT_RISK, ON_TRACK or FINISHED
    due: date | None
    ready: bool


@dataclass(frozen=True, slots=True)
class Totals:
    """What the dashboard counts over all its editions."""

    editions: int
    overdue: int
    at_risk: int
    ready: int

    @classmethod
    def of(cls, ranked: list[Ranked]) -> Totals:
        return cls(
            editions=len(ranked),
            overdue=sum(r.group == OVERDUE for r in ranked),
            at_risk=sum(r.group == AT_RISK for r in ranked),
            ready=sum(bool(r.ready) for r in ranked),
        )


def page_rows(
    ranked: list[Ranked], *, offset: int, limit: int, today: date | None = None
) -> list[Row]:
    """The full rows of ``ranked[offset : offset + limit]`` (``ranked_editions``'s
    order), built alone: three queries of the counters and assignments of these
    editions."""
    window = [r.key for r in ranked[offset : offset + limit]]
    ids = [key.edition_id for key in window]
    return build_rows(window, Edition.id.in_(ids), today=today) if ids else []


class _DaysUntil(FunctionElement[int]):
    """Whole days from the second date to the first: date subtraction on PostgreSQL,
    Julian days on SQLite (which keeps dates as ISO text)."""

    name = "days_until"
    type = Integer()
    inherit_cache = True


class _CodePoints(FunctionElement[str]):
    """A text compared byte by byte (code point order, as Python compares strings) and,
    through ``lower``, lower-cased in ASCII only: PostgreSQL's "C" collation; SQLite's
    own comparison and ``lower`` already are."""

    name = "code_points"
    type = String()
    inherit_cache = True


@compiles(_CodePoints)
def _compile_code_points(element: _CodePoints, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f'({value} COLLATE "C")'


@compiles(_CodePoints, "sqlite")
def _compile_code_points_sqlite(element: _CodePoints, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"({value})"


@compiles(_DaysUntil)
def _compile_days_until(element: _DaysUntil, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(_DaysUntil, "sqlite")
def _compile_days_until_sqlite(element: _DaysUntil, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _total(column: Any, *statuses: SegmentStatus, but: SegmentStatus | None = None) -> Any:
    """The sum of a counter's ``column`` over the given statuses (all but ``but``)."""
    chosen: ColumnElement[bool]
    if statuses:
        chosen = EditionCount.status.in_([s.value for s in statuses])
    elif but is not None:
        chosen = EditionCount.status != but.value
    else:
        return func.coalesce(func.sum(column), 0)
    return func.coalesce(func.sum(case((chosen, column), else_=0)), 0)


def ranked_editions(condition: Any, *, today: date | None = None) -> list[Ranked]:
    """Every edition meeting ``condition``, in the dashboard's order, with its group,
    due date and readiness: one query, whatever the number of editions."""
    today = today or utc_today()
    since = today - timedelta(days=VELOCITY_DAYS - 1)
    day = bindparam("today", today, type_=Date)
    translation = and_(
        Document.original_edition_id.is_not(None), Document.original_edition_id != Edition.id
    )
    empty, draft, translated, reviewed = (
        SegmentStatus.EMPTY,
        SegmentStatus.DRAFT,
        SegmentStatus.TRANSLATED,
        SegmentStatus.REVIEWED,
    )
    keys = edition_key_columns()
    chosen = (
        select(Edition.id)
        .join(Document, Document.id == Edition.document_id)
        .where(condition, Edition.deleted_at.is_(None), Document.deleted_at.is_(None))
    )
    # The counters summed alone (a narrow aggregate), then joined to their editions.
    counts = (
        select(
            EditionCount.edition_id,
            _total(EditionCount.words, empty, draft).label("own_to_translate"),
            _total(EditionCount.original_words, empty, draft).label("original_to_translate"),
            _total(EditionCount.words, but=reviewed).label("own_to_review"),
            _total(EditionCount.original_words, but=reviewed).label("original_to_review"),
            _total(EditionCount.segments, empty, draft).label("segments_to_do"),
            _total(EditionCount.segments, translated).label("segments_translated"),
            _total(EditionCount.segments).label("segments"),
            (_total(EditionCount.outdated) + _total(EditionCount.unaligned)).label("flagged"),
            _total(EditionCount.words, translated, reviewed).label("own_done"),
            _total(EditionCount.original_words, translated, reviewed).label("original_done"),
        )
        .where(EditionCount.segments > 0, EditionCount.edition_id.in_(chosen))
        .group_by(EditionCount.edition_id)
        .subquery("counts")
    )
    c = counts.c

    def zero(column: Any) -> Any:
        return func.coalesce(column, 0)

    # A translation of the original counts the original's words (``dashboard._measure``).
    sums = (
        select(
            *keys,
            Document.review_required,
            translation.label("translation"),
            zero(case((translation, c.original_to_translate), else_=c.own_to_translate)).label(
                "to_translate"
            ),
            zero(case((translation, c.original_to_review), else_=c.own_to_review)).label(
                "to_review"
            ),
            *(
                zero(column).label(column.name)
                for column in (
                    c.segments_to_do,
                    c.segments_translated,
                    c.segments,
                    c.flagged,
                    c.own_done,
                    c.original_done,
                )
            ),
        )
        .join(Document, Document.id == Edition.document_id)
        .outerjoin(counts, c.edition_id == Edition.id)
        .where(condition, Edition.deleted_at.is_(None), Document.deleted_at.is_(None))
        .subquery("sums")
    )
    done = (
        select(
            PersonDayCount.edition_id,
            func.sum(PersonDayCount.words_translated).label("translated"),
            func.sum(PersonDayCount.words_reviewed).label("reviewed"),
        )
        .where(PersonDayCount.day >= since, PersonDayCount.day <= day)
        .group_by(PersonDayCount.edition_id)
        .subquery("done")
    )
    dues = (
        select(
            Assignment.edition_id,
            func.min(case((Assignment.kind == AssignmentKind.TRANSLATE, Assignment.due))).label(
                "translate"
            ),
            func.min(case((Assignment.kind == AssignmentKind.REVIEW, Assignment.due))).label(
                "review"
            ),
            func.min(Assignment.due).label("any"),
        )
        .where(Assignment.state == AssignmentState.OPEN)
        .group_by(Assignment.edition_id)
        .subquery("dues")
    )
    s = sums.c
    # ``dashboard._assess``: the phase, then what follows from it.
    phase = case(
        (or_(s.to_translate > 0, s.segments_to_do > 0), TRANSLATE),
        (or_(s.to_review > 0, s.segments_translated > 0), REVIEW),
        else_="done",
    )
    translated_words = func.coalesce(done.c.translated, 0)
    reviewed_words = func.coalesce(done.c.reviewed, 0)
    # ``dashboard._to_original_words``: a float division, as in Python.
    ratio = case(
        (
            and_(s.translation, s.own_done > 0, s.original_done > 0),
            cast(s.original_done, Float) / cast(s.own_done, Float),
        ),
        else_=cast(1, Float),
    )
    phases = select(
        s.edition_id,
        s.language,
        s.document_id,
        s.slug,
        s.title,
        s.original_id,
        case(
            (phase == TRANSLATE, func.coalesce(dues.c.translate, dues.c.any)),
            (phase == REVIEW, func.coalesce(dues.c.review, dues.c.any)),
            else_=dues.c.any,
        ).label("due"),
        or_(phase != "done", s.flagged > 0).label("work_left"),
        case((phase == TRANSLATE, s.to_translate), (phase == REVIEW, s.to_review), else_=0).label(
            "left"
        ),
        (
            cast(
                case(
                    (phase == TRANSLATE, translated_words + reviewed_words),
                    (phase == REVIEW, reviewed_words),
                    else_=0,
                ),
                Float,
            )
            * ratio
            / cast(VELOCITY_DAYS, Float)
        ).label("velocity"),
        and_(
            s.segments > 0,
            s.segments_to_do == 0,
            or_(~s.review_required, s.segments_translated == 0),
            s.flagged == 0,
        ).label("ready"),
    )
    phases = phases.outerjoin(done, done.c.edition_id == s.edition_id).outerjoin(
        dues, dues.c.edition_id == s.edition_id
    )
    p = phases.subquery("phases")
    dated = and_(p.c.work_left, p.c.due.is_not(None))
    # The forecast (today + ceil(left / velocity) days) falls after the due date, or
    # there is none (no velocity, or beyond the horizon): ceil(x) > n is x > n for a
    # whole n.
    span = cast(p.c.left, Float) / case((p.c.velocity > 0, p.c.velocity))
    horizon = bindparam("horizon", forecast_horizon(today), type_=Integer)
    late = or_(p.c.velocity <= 0, span > _DaysUntil(p.c.due, day), span > horizon)
    group = case(
        (and_(dated, p.c.due < day), OVERDUE),
        (and_(dated, p.c.left > 0, late), AT_RISK),
        (p.c.work_left, ON_TRACK),
        else_=FINISHED,
    )
    ranked_group = group.label("rank_group")
    statement = select(
        p.c.edition_id,
        p.c.language,
        p.c.document_id,
        p.c.slug,
        p.c.title,
        p.c.original_id,
        ranked_group,
        type_coerce(p.c.due, Date),
        p.c.ready,
    ).order_by(
        ranked_group,
        p.c.due.is_(None),
        p.c.due,
        _CodePoints(func.lower(_CodePoints(p.c.title))),
        _CodePoints(p.c.language),
        p.c.edition_id,
    )
    # A Core statement (the trash left out above): the ORM's loading of 3 000 plain
    # rows would cost more than the query.
    found = db.session.connection().execute(statement).all()
    return _in_rule_order([Ranked(EditionKey._make(row[:6]), *row[6:]) for row in found])


def _rule_key(ranked: Ranked) -> tuple[Any, ...]:
    key = ranked.key
    return rank_key(ranked.group, ranked.due, key.title, key.language, key.edition_id)


def _in_rule_order(ranked: list[Ranked]) -> list[Ranked]:
    """``ranked`` (in the SQL order) in the rule's order. The SQL order is the rule's
    for titles and languages in ASCII: there, lower-casing is casefolding and the bytes
    compare as the code points do. The few others are taken out and put back where the
    rule's key places them (a binary search: a few keys each, not a sort of them all)."""
    if all(r.key.title.isascii() and r.key.language.isascii() for r in ranked):
        return ranked
    exact: list[Ranked] = []
    others: list[Ranked] = []
    for r in ranked:
        (exact if r.key.title.isascii() and r.key.language.isascii() else others).append(r)
    for r in others:
        bisect.insort(exact, r, key=_rule_key)
    return exact
