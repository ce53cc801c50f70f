"""Document list with 1 000 documents: progress figures read from the kept counters
(``edition_counts``) against the former scan of every segment, and the whole page.

Each document has 3 editions of ``--units`` units (default 100: 300 000 segments);
one is imported, the others are copied row by row in SQL (the triggers count them).

    python bench/progress_bench.py [--documents 1000] [--units 100]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench \\
        python bench/progress_bench.py
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import sqlalchemy as sa
from _common import bench_app, pg_url, timed

from translator.extensions import db
from translator.models import Document, Edition, Segment
from translator.services.counters import counter_mismatches
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.progress import edition_progress
from translator.services.users import create_user

STEP = 1_000_000  # id offset between copies (ids stay 32-bit for 1 000 copies)


def scan_progress(document_ids: list[int]) -> list[Any]:
    """What ``edition_progress`` did before the counters: group every segment."""
    return list(
        db.session.execute(
            sa.select(
                Segment.edition_id,
                Segment.status,
                sa.func.count(Segment.id),
                sa.func.coalesce(sa.func.sum(Segment.words), 0),
                sa.func.sum(sa.func.cast(~Segment.aligned, sa.Integer)),
            )
            .join(Edition, Edition.id == Segment.edition_id)
            .where(Edition.document_id.in_(document_ids))
            .group_by(Segment.edition_id, Segment.status)
        )
    )


def _copy(table: sa.Table, copy: int, where: Any, **changed: Any) -> None:
    shifted = {"id", "document_id", "edition_id", "unit_id"}
    columns = [
        changed[c.name] if c.name in changed else (c + copy * STEP if c.name in shifted else c)
        for c in table.c
    ]
    db.session.execute(
        sa.insert(table).from_select([c.name for c in table.c], sa.select(*columns).where(where))
    )


def build(documents: int, units: int) -> str:
    slug = None
    for lang in ("en", "fr", "pt"):
        text = "\n\n".join(
            f"Sentence {i} of the {lang} edition, long enough to look like prose."
            for i in range(units)
        )
        prepared = prepare_import(text.encode(), f"bench.{lang}.txt", lang, "text")
        summary = store_import(
            prepared, title="Bench", document=get_document(slug) if slug else None
        )
        slug = summary.document
    db.session.commit()
    first = get_document(slug)
    tables = db.metadata.tables
    for copy in range(1, documents):
        documents_t, editions_t = tables["documents"], tables["editions"]
        _copy(
            documents_t,
            copy,
            documents_t.c.id == first.id,
            slug=sa.literal(f"{slug}-{copy}"),
            original_edition_id=sa.null(),
        )
        _copy(editions_t, copy, editions_t.c.document_id == first.id)
        _copy(tables["units"], copy, tables["units"].c.document_id == first.id)
        segments = tables["segments"]
        _copy(segments, copy, segments.c.edition_id.in_([e.id for e in first.editions]))
        db.session.execute(
            sa.update(documents_t)
            .where(documents_t.c.id == first.id + copy * STEP)
            .values(original_edition_id=first.original_edition_id + copy * STEP)
        )
        if copy % 100 == 0:
            db.session.commit()
    db.session.commit()
    return str(slug)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    app = bench_app(pg_url())
    with app.app_context():
        create_user("bench@example.org", "benchmark-pass", is_admin=True)
        started = time.perf_counter()
        build(args.documents, args.units)
        built = time.perf_counter() - started
        ids = list(db.session.scalars(sa.select(Document.id)))
        segments = db.session.scalar(sa.select(sa.func.count(Segment.id)))
        assert counter_mismatches() == [], "the counters disagree with a recount"
        counters, figures = timed(lambda: edition_progress(ids), args.repeat)
        scan, rows = timed(lambda: scan_progress(ids), args.repeat)
        assert len(figures) == len({r[0] for r in rows}) == 3 * args.documents
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": "benchmark-pass"})
    assert client.get("/").status_code == 200
    page, _ = timed(lambda: client.get("/"), args.repeat)
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(f"backend: {backend}; {len(ids)} documents, {segments} segments (built in {built:.0f} s)")
    print(f"progress from counters: {counters * 1000:.1f} ms (median of {args.repeat})")
    print(f"progress by scanning segments (before): {scan * 1000:.1f} ms")
    print(f"ratio: {scan / counters:.1f}x faster")
    print(f"document list page GET /: {page * 1000:.1f} ms")


if __name__ == "__main__":
    main()
