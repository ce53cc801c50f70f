"""The filters of the editor's unit list: a segment's status, outdated segments, units
with open comments or a low alignment confidence, a text search (plain or regular
expression) in one column or any, and the range of units of an assignment (read at
query time, so the range follows merges and insertions).

``parse_unit_filter`` reads the query parameters of ``GET /api/v1/documents/<slug>/units``
(docs/api.md) and checks them completely, including a regular expression against the
database's own regex engine; ``filter_units`` then adds the matching WHERE clauses to a
select over ``Unit``. Every per-language condition is an EXISTS subquery, so a unit with
several matching segments is still one row.

The text search reads the *stored* text of a segment (markup and entities included).
A regular expression runs on the database's side, with the engine of each database:
PostgreSQL's own (its ARE flavour: ``\\y`` is a word boundary there, ``\\b`` a
backspace); on SQLite, a function of ours that runs RE2 through ``translator.text.patterns``
(Python's syntax, linear time, no lookaround or backreferences). Either way the queries
of one request run within the ``SEARCH_TIMEOUT`` setting (``services.deadlines``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    event,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer

from translator.errors import InputError
from translator.extensions import db
from translator.models import Assignment, Comment, Edition, Segment, SegmentStatus, Unit
from translator.services.deadlines import deadline_passed
from translator.text.patterns import OutOfTime, compile_pattern, contains

MAX_QUERY = 1000  # characters of a text search
LIKE_ESCAPE = "\\"
SQLITE_REGEXP = "translator_regexp"  # (pattern, case, text): our SQLite function
_TRUE = frozenset({"1", "true", "on", "yes"})


@dataclass(frozen=True)
class UnitFilter:
    """What the unit list is restricted to; the default filter keeps every unit."""

    status: SegmentStatus | None = None
    status_language: str | None = None  # None = any column; also where ``outdated`` looks
    outdated: bool = False
    unaligned: bool = False  # segments not aligned yet (paired by position only)
    comments: bool = False  # units with open (unresolved) comments
    low_confidence: float | None = None  # units whose alignment confidence is below this
    query: str = ""
    regex: bool = False
    case: bool = False
    query_language: str | None = None  # None = any column
    assignment: int | None = None  # only the units of this assignment's range

    def is_empty(self) -> bool:
        """Whether the filter keeps every unit."""
        return (
            self.status is None
            and not self.outdated
            and not self.unaligned
            and not self.comments
            and self.low_confidence is None
            and not self.query
            and self.assignment is None
        )


def _flag(args: Mapping[str, str], name: str) -> bool:
    return str(args.get(name, "")).strip().lower() in _TRUE


def _language(args: Mapping[str, str], name: str, languages: list[str]) -> str | None:
    value = str(args.get(name, "") or "").strip()
    if not value:
        return None
    if value not in languages:
        raise InputError(f"the document has no edition in {value!r}", field=name)
    return value


def _assignment(args: Mapping[str, str]) -> int | None:
    value = str(args.get("assignment", "") or "").strip()
    if not value:
        return None
    if not value.isdigit() or db.session.get(Assignment, int(value)) is None:
        raise InputError(f"no assignment {value!r}", field="assignment")
    return int(value)


def parse_unit_filter(
    args: Mapping[str, str], *, languages: list[str], low_confidence: float
) -> UnitFilter:
    """The filter described by the query parameters ``status``, ``status_language``,
    ``outdated``, ``unaligned``, ``comments``, ``low``, ``q``, ``regex``, ``case``,
    ``q_language`` and ``assignment`` (docs/api.md); ``languages`` are the document's
    editions, ``low_confidence`` the threshold ``low=1`` means.

    Raises InputError naming the field for an unknown status or language, or a regular
    expression that Python or the database rejects (field ``q``): once this returns, the
    filter's query cannot fail on its regex. The database check runs in a savepoint, so
    a rejected pattern leaves the caller's transaction usable."""
    status = None
    raw_status = str(args.get("status", "") or "").strip()
    if raw_status:
        try:
            status = SegmentStatus(raw_status)
        except ValueError:
            names = ", ".join(s.value for s in SegmentStatus)
            raise InputError(
                f"unknown status {raw_status!r} (one of {names})", field="status"
            ) from None
    query = str(args.get("q", "") or "")
    if len(query) > MAX_QUERY:
        raise InputError(f"the search is longer than {MAX_QUERY} characters", field="q")
    unit_filter = UnitFilter(
        status=status,
        status_language=_language(args, "status_language", languages),
        outdated=_flag(args, "outdated"),
        unaligned=_flag(args, "unaligned"),
        comments=_flag(args, "comments"),
        low_confidence=low_confidence if _flag(args, "low") else None,
        query=query,
        regex=_flag(args, "regex"),
        case=_flag(args, "case"),
        query_language=_language(args, "q_language", languages),
        assignment=_assignment(args),
    )
    if unit_filter.regex and query:
        check_database_regex(query, case=unit_filter.case)
    return unit_filter


@event.listens_for(Engine, "connect")
def _sqlite_regexp(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite has no regular expressions of its own: give each connection ours (RE2;
    SQLAlchemy's default REGEXP runs Python's ``re``, which can take exponential time
    and holds the GIL, freezing every other request meanwhile)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.create_function(SQLITE_REGEXP, 3, _sqlite_contains, deterministic=True)


def _sqlite_contains(pattern: str, case: int, text: str | None) -> bool | None:
    """The SQLite function: does ``pattern`` match in ``text``. Past the query's budget
    it raises, which stops the statement (SQLite counts a function call as one step of
    its progress handler, however long the match)."""
    if deadline_passed():
        raise OutOfTime
    return contains(pattern, bool(case), text)


def _regex_match(column: Any, pattern: str, *, case: bool) -> ColumnElement[bool]:
    """``column`` matches ``pattern``, case-insensitively unless ``case``."""
    if db.engine.dialect.name == "sqlite":
        return getattr(func, SQLITE_REGEXP)(pattern, case, column) == 1  # type: ignore[no-any-return]
    return column.regexp_match(pattern, flags=None if case else "i")  # type: ignore[no-any-return]


def check_database_regex(pattern: str, *, case: bool) -> None:
    """Raise InputError (field ``q``) if the database's regex engine rejects ``pattern``
    (each has its flavour: PostgreSQL refuses ``(?P<name>...)``, RE2 lookarounds).

    On SQLite the pattern is compiled exactly as the query's function compiles it, so a
    pattern that passes cannot fail in the query. On PostgreSQL one trivial query runs
    in a savepoint: the caller's transaction stays usable."""
    if db.engine.dialect.name == "sqlite":
        compile_pattern(pattern, case=case, field="q", capture=False)
        return
    probe = select(_regex_match(literal(""), pattern, case=case))
    try:
        with db.session.begin_nested():
            db.session.execute(probe)
    except DBAPIError as exc:
        message = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise InputError(f"invalid regular expression: {message}", field="q") from None


class _Position(FunctionElement[int]):
    """Where ``needle`` first occurs in ``haystack`` (1-based; 0 if nowhere), compared
    case-sensitively: ``strpos`` on PostgreSQL, ``instr`` on SQLite (whose LIKE ignores
    ASCII case, so LIKE cannot serve a case-sensitive search there)."""

    name = "strpos"
    type = Integer()
    inherit_cache = True


@compiles(_Position)
def _compile_position(element: _Position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


@compiles(_Position, "sqlite")
def _compile_position_sqlite(element: _Position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


def like_escape(text: str) -> str:
    """``text`` with the LIKE wildcards ``%`` and ``_`` (and the escape character itself)
    escaped by ``LIKE_ESCAPE``."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def _text_condition(f: UnitFilter) -> ColumnElement[bool]:
    if f.regex:
        return _regex_match(Segment.text, f.query, case=f.case)
    if f.case:
        return _Position(Segment.text, f.query) > 0
    return Segment.text.ilike(f"%{like_escape(f.query)}%", escape=LIKE_ESCAPE)


def _segment_exists(language: str | None, *conditions: ColumnElement[bool]) -> Any:
    """EXISTS a segment of the outer query's unit (in ``language``, or any) meeting
    ``conditions``."""
    # An edition in the trash is left out; not through a join with editions, which lets
    # PostgreSQL plan the text condition differently (and a runaway pattern unbounded).
    # (The table, not the entity: the trash's query hook would hide the rows asked for.)
    editions = Edition.__table__
    trashed = select(editions.c.id).where(editions.c.deleted_at.is_not(None))
    sub = select(Segment.id).where(
        Segment.unit_id == Unit.id, Segment.edition_id.not_in(trashed), *conditions
    )
    if language is not None:
        sub = sub.join(Edition, Edition.id == Segment.edition_id).where(
            Edition.language == language
        )
    return sub.exists()


def filter_units(query: Select[Any], document_id: int, f: UnitFilter) -> Select[Any]:
    """``query`` (a select over ``Unit``) restricted to the units of ``document_id`` that
    pass the filter ``f``. Status, outdated and unaligned look at ``status_language`` (any column
    when None), the text search at ``query_language``; conditions on different columns
    are independent (a draft in French and "cat" in English)."""
    query = query.where(Unit.document_id == document_id)
    segment_conditions: list[ColumnElement[bool]] = []
    if f.status is not None:
        segment_conditions.append(Segment.status == f.status)
    if f.outdated:
        segment_conditions.append(Segment.outdated.is_(True))
    if f.unaligned:
        segment_conditions.append(Segment.aligned.is_(False))
    if segment_conditions:
        query = query.where(_segment_exists(f.status_language, *segment_conditions))
    if f.query:
        query = query.where(_segment_exists(f.query_language, _text_condition(f)))
    if f.comments:
        query = query.where(exists().where(Comment.unit_id == Unit.id, Comment.resolved.is_(False)))
    if f.low_confidence is not None:
        query = query.where(Unit.confidence < f.low_confidence)
    if f.assignment is not None:
        query = query.where(_in_assignment(f.assignment))
    return query


def _in_assignment(assignment_id: int) -> Any:
    """EXISTS the assignment, of the outer unit's document, whose range holds the unit
    (a boundary that is NULL is the document's start or end)."""
    first, last = aliased(Unit), aliased(Unit)
    return (
        select(Assignment.id)
        .outerjoin(first, first.id == Assignment.first_unit_id)
        .outerjoin(last, last.id == Assignment.last_unit_id)
        .where(
            Assignment.id == assignment_id,
            Assignment.document_id == Unit.document_id,
            or_(first.id.is_(None), Unit.order_key >= first.order_key),
            or_(last.id.is_(None), Unit.order_key <= last.order_key),
        )
        .correlate(Unit)
        .exists()
    )
