"""The activity log: who did what, when, read from the rows that already record it.

There is no second history. Each source (``services.activity_sources``) is a SELECT over
a table that records one kind of doing, giving the same columns: when, who, document,
language, kind, action, a short text, the unit. The log is their UNION ALL, filtered
(document, language, person, date range, kinds) and cut into pages by keyset on (at,
source, id): each source is asked only for the rows past the cursor, newest first, at
most a page of them, through an index; no OFFSET, no query per row. What a person sees
is ``services.rights.activity_scope``; the figures are ``services.activity_figures``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import Document, User
from translator.services.activity_sources import (
    SOURCES,
    Source,
    as_text,
    kinds,
    not_deleted,
    sqlite,
)
from translator.services.documents import get_document
from translator.services.rights import Right, Target, activity_scope, has_right
from translator.services.users import find_user

PAGE = 50  # rows per page by default
MAX_PAGE = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- filters and cursors ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """What the log is narrowed to: ``since`` inclusive, ``until`` exclusive (UTC);
    empty ``kinds``: every kind."""

    document_id: int | None = None
    language: str | None = None
    person_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    kinds: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Cursor:
    """A row's place in the log: (at, source rank, id)."""

    at: datetime
    rank: int
    key: int | str

    def encode(self) -> str:
        """``<microseconds since 1970>.<rank>.<id>``: plain in a URL."""
        return f"{(_utc(self.at) - _EPOCH) // timedelta(microseconds=1)}.{self.rank}.{self.key}"


def decode_cursor(text: str, *, field_name: str = "after") -> Cursor:
    """The cursor ``Cursor.encode`` wrote (InputError naming ``field_name`` otherwise)."""
    parts = text.strip().split(".", 2)
    ranks = {s.rank: s for s in SOURCES}
    try:
        micros, rank = int(parts[0]), int(parts[1])
        source = ranks[rank]
        key: int | str = parts[2] if source.text_id else int(parts[2])
        at = _EPOCH + timedelta(microseconds=micros)
    except (ValueError, IndexError, KeyError, OverflowError):
        raise InputError(f"{text!r} is not a page cursor", field=field_name) from None
    if isinstance(key, str) and not key:
        raise InputError(f"{text!r} is not a page cursor", field=field_name)
    return Cursor(at, rank, key)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_day(value: str | None, field_name: str) -> date | None:
    """A day from ``YYYY-MM-DD`` (empty: none); InputError naming ``field_name``."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", field=field_name) from None


def day_start(day: date) -> datetime:
    """Midnight UTC starting ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def find_person_any(text: str) -> User | None:
    """The user ``text`` names: an id, an e-mail, or a name only one user has;
    deactivated accounts included (their past work is still theirs)."""
    text = text.strip()
    if text.isdigit():
        return db.session.get(User, int(text)) if len(text) < 10 else None
    user = find_user(text)
    if user is not None:
        return user
    named = list(
        db.session.scalars(
            select(User).where(func.lower(User.display_name) == text.lower()).limit(2)
        )
    )
    return named[0] if len(named) == 1 else None


def parse_filter(args: Mapping[str, str | None], viewer: Any | None) -> ActivityFilter:
    """The filter named by ``args`` (``document`` slug, ``language``, ``person`` e-mail
    or name, ``from`` and ``to`` days included, ``kind`` comma-separated): InputError
    naming the field for anything unknown (a document ``viewer`` may not see is
    unknown too; ``viewer`` None: the command line, which sees everything)."""

    def arg(name: str) -> str:
        return (args.get(name) or "").strip()

    document_id = None
    if arg("document"):
        try:
            document = get_document(arg("document"))
        except NotFound:
            document = None
        if document is None or (
            viewer is not None
            and not has_right(viewer, Right.VIEW_DOCUMENT, Target(document_id=document.id))
        ):
            raise InputError(f"no document {arg('document')!r}", field="document")
        document_id = document.id
    language = arg("language") or None
    if language is not None and (len(language) > 35 or not language.replace("-", "").isalnum()):
        raise InputError(f"{language!r} is not a language code", field="language")
    person_id = None
    if arg("person"):
        person = find_person_any(arg("person"))
        if person is None:
            raise InputError(f"no user {arg('person')!r}", field="person")
        person_id = person.id
    start, end = parse_day(arg("from"), "from"), parse_day(arg("to"), "to")
    if start is not None and end is not None and end < start:
        raise InputError("the end of the range is before its start", field="to")
    chosen = frozenset(k.strip() for k in arg("kind").split(",") if k.strip())
    unknown = sorted(chosen - set(kinds()))
    if unknown:
        raise InputError(f"unknown kind {unknown[0]!r} (kinds: {', '.join(kinds())})", field="kind")
    return ActivityFilter(
        document_id=document_id,
        language=language,
        person_id=person_id,
        since=day_start(start) if start else None,
        until=day_start(end + timedelta(days=1)) if end else None,
        kinds=chosen,
    )


# --- the log -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    """One row of the log (``source``: the name of the table it comes from; ``id``:
    its row there)."""

    at: datetime
    source: str
    id: int | str
    kind: str
    action: str
    text: str
    person_id: int | None
    person: str
    document_id: int
    document: str  # its slug
    title: str
    language: str | None
    unit_id: int | None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, next(s.rank for s in SOURCES if s.name == self.source), self.id)


@dataclass(slots=True)
class ActivityPage:
    """A page of the log, newest first; ``older`` / ``newer``: the cursors of the
    next page each way (None at either end)."""

    entries: list[ActivityEntry] = field(default_factory=list)
    older: str | None = None
    newer: str | None = None


def _ordered(source: Source, newer: bool) -> tuple[Any, Any]:
    if newer:
        return source.at.asc(), source.id.asc()
    return source.at.desc(), source.id.desc()


def _beyond(source: Source, cursor: Cursor, newer: bool) -> Any:
    """The rows of ``source`` past ``cursor`` in the log's order (at, rank, id): a
    condition on ``at`` and ``id`` alone, since the rank is the source's own."""
    at = source.at
    if source.rank == cursor.rank:
        if newer:
            return (at > cursor.at) | ((at == cursor.at) & (source.id > cursor.key))
        return (at < cursor.at) | ((at == cursor.at) & (source.id < cursor.key))
    if newer:
        return at >= cursor.at if source.rank > cursor.rank else at > cursor.at
    return at <= cursor.at if source.rank < cursor.rank else at < cursor.at


Scope = Callable[[Any, Any], Any]


def _conditions(source: Source, flt: ActivityFilter, scope: Scope | None) -> list[Any] | None:
    """The filter as conditions on ``source`` (None: no row of it can match); ``scope``:
    what the viewer may see (``rights.activity_scope``; None: everything)."""
    chosen = {k: c for k, c in source.kinds.items() if not flt.kinds or k in flt.kinds}
    if not chosen or (flt.language is not None and source.language is None):
        return None
    found: list[Any] = [not_deleted(Document)]
    if len(chosen) < len(source.kinds):
        found.append(or_(*chosen.values()))
    if flt.document_id is not None:
        found.append(source.document == flt.document_id)
    if flt.language is not None:
        found.append(source.language == flt.language)
    if flt.person_id is not None:
        found.append(source.person == flt.person_id)
    if flt.since is not None:
        found.append(source.at >= flt.since)
    if flt.until is not None:
        found.append(source.at < flt.until)
    if scope is not None:
        found.append(scope(source.document, source.person))
    return found


@functools.cache
def _selected(name: str, on_sqlite: bool) -> Select[Any]:
    """The source's columns and FROM, built once (per backend: ``not_deleted`` differs);
    each page adds its conditions, order and limit."""
    source = next(s for s in SOURCES if s.name == name)
    none_text = cast(null(), String)
    columns = [
        source.at.label("at"),
        literal_column(str(source.rank), Integer).label("source"),
        (literal_column("0", Integer) if source.text_id else source.id).label("num"),
        (as_text(source.id) if source.text_id else literal_column("''")).label("ref"),
        source.person.label("person_id"),
        source.document.label("document_id"),
        (none_text if source.language is None else source.language).label("language"),
        source.kind_column().label("kind"),
        source.action.label("action"),
        func.coalesce(source.text, "").label("text"),
        (cast(null(), Integer) if source.unit is None else source.unit).label("unit_id"),
    ]
    return source.frame(select(*columns))


def _branch(
    source: Source,
    flt: ActivityFilter,
    scope: Scope | None,
    cursor: Cursor | None,
    newer: bool,
    limit: int,
) -> Select[Any] | None:
    conditions = _conditions(source, flt, scope)
    if conditions is None:
        return None
    if cursor is not None:
        conditions.append(_beyond(source, cursor, newer))
    query = _selected(source.name, sqlite()).where(*conditions)
    return query.order_by(*_ordered(source, newer)).limit(limit)


def activity_page(
    flt: ActivityFilter,
    viewer: Any | None,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int = PAGE,
) -> ActivityPage:
    """A page of the log that ``viewer`` may see (None: everything), newest first:
    the first page, the one older than ``after``, or the one newer than ``before``.
    One query for the rows (each source bounded by the page size), one for the names."""
    limit = max(1, min(limit, MAX_PAGE))
    newer = before is not None
    cursor = before if newer else after
    scope = activity_scope(viewer) if viewer is not None else None
    branches = [
        select(*b.subquery().c)
        for s in SOURCES
        if (b := _branch(s, flt, scope, cursor, newer, limit + 1)) is not None
    ]
    if not branches:
        return ActivityPage()
    rows_of = union_all(*branches).subquery("activity") if len(branches) > 1 else None
    table = rows_of if rows_of is not None else branches[0].subquery("activity")
    keys = (table.c.at, table.c.source, table.c.num, table.c.ref)
    order = [k.asc() if newer else k.desc() for k in keys]
    query = select(table).order_by(*order).limit(limit + 1)
    rows = list(db.session.execute(query.execution_options(include_deleted=True)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    if newer:
        rows.reverse()
    entries = _entries(rows)
    page = ActivityPage(entries=entries)
    if entries:
        first, last = entries[0].cursor.encode(), entries[-1].cursor.encode()
        page.older = last if (more and not newer) or newer else None
        page.newer = first if (more and newer) or (after is not None) else None
    return page


def _entries(rows: list[Any]) -> list[ActivityEntry]:
    """The rows with their people and documents named (two queries for the page)."""
    names = {
        u.id: u.name
        for u in db.session.scalars(
            select(User).where(User.id.in_({r.person_id for r in rows if r.person_id}))
        )
    }
    documents = {
        d.id: (d.slug, d.title)
        for d in db.session.execute(
            select(Document.id, Document.slug, Document.title).where(
                Document.id.in_({r.document_id for r in rows})
            )
        )
    }
    by_rank = {s.rank: s for s in SOURCES}
    entries = []
    for r in rows:
        source = by_rank[r.source]
        slug, title = documents.get(r.document_id, ("", ""))
        entries.append(
            ActivityEntry(
                at=_utc(r.at),
                source=source.name,
                id=r.ref if source.text_id else r.num,
                kind=r.kind,
                action=r.action or "",
                text=r.text or "",
                person_id=r.person_id,
                person=names.get(r.person_id, "") if r.person_id else "",
                document_id=r.document_id,
                document=slug,
                title=title,
                language=r.language,
                unit_id=r.unit_id,
            )
        )
    return entries
