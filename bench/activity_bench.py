"""The activity log on a few hundred thousand revisions: keyset pages of the UNION ALL
of its sources (each source asked for one page past the cursor, through the partial
indexes) against the naive query measured in the same run (the whole union sorted,
then OFFSET), and the figures for a month from the kept counters against summing the
revisions.

Data: ``--documents`` documents (an English original of ``--units`` units and an
empty French translation), ``--people`` translators, ``--revisions`` saves spread
over ~70 days (draft, translated, reviewed by turns, written in SQL: the counter
triggers count them), as many realignment revisions (the bulk the log leaves out),
and a few thousand comments, structure changes and export jobs.

    python bench/activity_bench.py [--revisions 300000]      # SQLite
    export TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench_activity
    python bench/activity_bench.py          # PostgreSQL: that database's schema is dropped first
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from _common import bench_app, pg_url, timed

from translator.extensions import db
from translator.models import (
    Document,
    DocumentMember,
    Edition,
    MemberRole,
    PersonDayCount,
    Revision,
    User,
)
from translator.services.activity import (
    ActivityFilter,
    _conditions,
    activity_page,
    decode_cursor,
)
from translator.services.activity_figures import activity_figures
from translator.services.activity_sources import NOT_STRUCTURAL, SOURCES
from translator.services.editions import start_translation
from translator.services.imports import prepare_import, store_import
from translator.services.rights import activity_scope

START = datetime(2026, 9, 1, tzinfo=UTC)
PAGE = 50


def reset(url: str) -> None:
    """An empty public schema in the bench's own PostgreSQL database."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _series(count: int) -> str:
    return f"WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {count - 1}) "


def _at(seconds: str, dialect: str) -> str:
    """START plus ``seconds`` (an SQL expression), as the column stores it."""
    if dialect == "postgresql":
        return f"(TIMESTAMPTZ '{START.isoformat()}' + ({seconds}) * INTERVAL '1 second')"
    return (
        f"(strftime('%Y-%m-%d %H:%M:%S', '{START:%Y-%m-%d %H:%M:%S}', "
        f"'+' || ({seconds}) || ' seconds') || '.000000')"
    )


def _pick(index: str, ids: list[int]) -> str:
    """The id at position ``index`` (an SQL expression) of ``ids``."""
    return "CASE " + index + "".join(f" WHEN {i} THEN {v}" for i, v in enumerate(ids)) + " END"


def build(documents: int, units: int, people: int, revisions: int) -> None:
    dialect = db.engine.dialect.name
    if dialect == "postgresql":  # the bulk inserts take longer than a request may
        db.session.execute(sa.text("SET statement_timeout = 0"))
    text = "\n\n".join(
        f"Sentence {i} of the original, long enough to be prose." for i in range(units)
    )
    for d in range(documents):
        prepared = prepare_import(text.encode(), f"doc{d}.txt", "en", "text")
        summary = store_import(prepared, title=f"Document {d}", slug=f"doc-{d}")
        start_translation(
            db.session.scalar(sa.select(Document).where(Document.slug == summary.document)), "fr"
        )
    users = [
        User(email=f"p{i}@example.org", display_name=f"Person {i}", password_hash="-")
        for i in range(people)
    ]
    users.append(
        User(email="admin@example.org", display_name="Admin", is_admin=True, password_hash="-")
    )
    db.session.add_all(users)
    db.session.flush()
    fr = list(
        db.session.scalars(
            sa.select(Edition.id).where(Edition.language == "fr").order_by(Edition.id)
        )
    )
    docs = list(db.session.scalars(sa.select(Document.id).order_by(Document.id)))
    for i, user in enumerate(users[:-1]):  # each translates in three documents
        for k in range(3):
            document_id = docs[(i + k) % len(docs)]
            db.session.add(
                DocumentMember(
                    document_id=document_id,
                    user_id=user.id,
                    language="fr",
                    role=MemberRole.TRANSLATOR,
                )
            )
    db.session.commit()
    first_user = users[0].id
    statuses = "CASE n % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'translated' ELSE 'reviewed' END"
    insert = (
        "INSERT INTO revisions (edition_id, unit_id, version, text, status, reason, author_id,"
        " created_at, words) "
    )
    # Saves: person n % people, edition chosen among theirs, every 20 s.
    db.session.execute(
        sa.text(
            _series(revisions)
            + insert
            + f"SELECT {_pick(f'((n % {people}) + (n / {people}) % 3) % {len(fr)}', fr)}, NULL, 1,"
            f" 'Texte ' || n, {statuses}, 'edit', {first_user} + n % {people},"
            f" {_at('n * 20', dialect)}, 2 + n % 7 FROM s"
        )
    )
    db.session.commit()
    # Realignments: as many structural revisions, interleaved in time.
    db.session.execute(
        sa.text(
            _series(revisions)
            + insert
            + f"SELECT {_pick(f'n % {len(fr)}', fr)}, NULL, 1, 'Texte ' || n, 'translated',"
            f" 'alignment', {first_user}, {_at('n * 20 + 7', dialect)}, 2 FROM s"
        )
    )
    db.session.execute(
        sa.text(
            _series(revisions // 100)
            + "INSERT INTO comments (document_id, body, author_id, resolved, created_at) "
            f"SELECT {_pick(f'n % {len(docs)}', docs)}, 'A note ' || n,"
            f" {first_user} + n % {people}, false, {_at('n * 2000 + 3', dialect)} FROM s"
        )
    )
    db.session.commit()


def naive_page(flt: ActivityFilter, viewer: Any, offset: int) -> list[Any]:
    """The baseline: every matching row of every source, sorted, then OFFSET."""
    branches = []
    for source in SOURCES:
        conditions = _conditions(source, flt, activity_scope(viewer))
        if conditions is None:
            continue
        columns = [
            source.at.label("at"),
            sa.literal_column(str(source.rank), sa.Integer).label("source"),
            sa.cast(source.id, sa.String).label("id"),
            source.person.label("person_id"),
            source.document.label("document_id"),
        ]
        branches.append(source.frame(sa.select(*columns)).where(*conditions))
    table = sa.union_all(*branches).subquery()
    query = (
        sa.select(table)
        .order_by(table.c.at.desc(), table.c.source.desc(), table.c.id.desc())
        .offset(offset)
        .limit(PAGE)
    )
    return list(db.session.execute(query))


def naive_figures(start: date, end: date) -> list[Any]:
    """The baseline of the figures: sum the words of the revisions themselves."""
    since = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return list(
        db.session.execute(
            sa.select(
                Revision.author_id,
                Edition.document_id,
                Edition.language,
                sa.func.sum(sa.case((Revision.status == "translated", Revision.words), else_=0)),
                sa.func.sum(sa.case((Revision.status == "reviewed", Revision.words), else_=0)),
                sa.func.count(sa.distinct(Revision.unit_id)),
            )
            .join(Edition, Edition.id == Revision.edition_id)
            .where(NOT_STRUCTURAL, Revision.created_at >= since, Revision.created_at < until)
            .group_by(Revision.author_id, Edition.document_id, Edition.language)
        )
    )


def server_ms(fn: Any) -> float | None:
    """PostgreSQL only: the execution time (EXPLAIN ANALYZE) of the longest statement
    ``fn`` runs, the database's own share of the work (None elsewhere)."""
    if db.engine.dialect.name != "postgresql":
        return None
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *rest: Any) -> None:
        captured.append((statement, params))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    statement, params = max(captured, key=lambda c: len(c[0]))
    plan = db.session.connection().exec_driver_sql("EXPLAIN ANALYZE " + statement, params)
    for (line,) in plan:
        if line.startswith("Execution Time"):
            return float(line.split(":")[1].split()[0])
    return None


def _row(name: str, ours: float, naive: float, ours_fn: Any, naive_fn: Any) -> None:
    ours_db, naive_db = server_ms(ours_fn), server_ms(naive_fn)
    server = f" {ours_db:8.2f}ms {naive_db:8.2f}ms" if ours_db and naive_db else ""
    print(f"{name:34} {ours * 1000:8.1f}ms {naive * 1000:8.1f}ms {naive / ours:6.1f}x{server}")


def deep_cursor(flt: ActivityFilter, viewer: Any, pages: int) -> Any:
    page = activity_page(flt, viewer, limit=PAGE)
    for _ in range(pages - 1):
        assert page.older is not None
        page = activity_page(flt, viewer, after=decode_cursor(page.older), limit=PAGE)
    return decode_cursor(page.older) if page.older else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--revisions", type=int, default=300_000)
    parser.add_argument("--deep", type=int, default=200, help="pages walked for the deep page")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the data built")
    args = parser.parse_args()
    url = pg_url()
    if url and not args.reuse:
        reset(url)
    app = bench_app(url)
    with app.app_context():
        started = time.perf_counter()
        if not args.reuse:
            build(args.documents, args.units, args.people, args.revisions)
        built = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count(Revision.id)))
        admin = db.session.scalar(sa.select(User).where(User.is_admin.is_(True)))
        translator = db.session.scalar(sa.select(User).where(User.email == "p7@example.org"))
        document_id = db.session.scalar(sa.select(Document.id).where(Document.slug == "doc-3"))
        everything = ActivityFilter()
        cases = [
            ("first page, administrator", everything, admin),
            ("first page, one person", ActivityFilter(person_id=translator.id), admin),
            ("first page, one document", ActivityFilter(document_id=document_id), admin),
            ("first page, a translator's own", everything, translator),
            (
                "first page, one week",
                ActivityFilter(since=START + timedelta(days=30), until=START + timedelta(days=37)),
                admin,
            ),
        ]
        backend = db.engine.dialect.name
        print(
            f"backend: {backend}; {total} revisions ({args.revisions} saves), "
            f"{args.documents} documents, {args.people} people (built in {built:.0f} s)"
        )
        print(
            f"{'query':34} {'keyset':>10} {'naive':>10} {'ratio':>7}"
            f" {'db:keyset':>10} {'db:naive':>10}"
        )
        for name, flt, viewer in cases:
            ours_fn = lambda f=flt, v=viewer: activity_page(f, v, limit=PAGE)  # noqa: E731
            naive_fn = lambda f=flt, v=viewer: naive_page(f, v, 0)  # noqa: E731
            ours, page = timed(ours_fn, args.repeat)
            naive, rows = timed(naive_fn, args.repeat)
            assert [str(e.id) for e in page.entries] == [r.id for r in rows], name
            _row(name, ours, naive, ours_fn, naive_fn)
        cursor = deep_cursor(everything, admin, args.deep)
        ours, page = timed(
            lambda: activity_page(everything, admin, after=cursor, limit=PAGE), args.repeat
        )
        naive, rows = timed(lambda: naive_page(everything, admin, args.deep * PAGE), args.repeat)
        assert [str(e.id) for e in page.entries] == [r.id for r in rows], "deep page"
        name = f"page {args.deep + 1} (after {args.deep * PAGE} rows)"
        print(f"{name:40} {ours * 1000:8.1f}ms {naive * 1000:8.1f}ms {naive / ours:6.1f}x")
        start, end = date(2026, 10, 1), date(2026, 10, 31)
        ours, figures = timed(lambda: activity_figures(start, end, everything, None), args.repeat)
        naive, sums = timed(lambda: naive_figures(start, end), args.repeat)
        assert sum(r.words_translated for r in figures) == sum(int(r[3]) for r in sums)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonDayCount)) > 0
        name = "figures for October"
        print(f"{name:34} {ours * 1000:8.1f}ms {naive * 1000:8.1f}ms {naive / ours:6.1f}x")


if __name__ == "__main__":
    main()
