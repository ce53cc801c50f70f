"""Document page with 10 000 units: server time of the first page (goal ≤ 100 ms).

Baseline, measured in the same run: a bare route of the same app that returns a
constant string (the framework's own cost per request).

    python bench/page_bench.py [--units 10000] [--languages 3]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench \\
        python bench/page_bench.py
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import bench_app, pg_url, timed

from translator.extensions import db
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.users import create_user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--languages", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    app = bench_app(pg_url())

    @app.route("/bench-baseline")
    def baseline() -> str:
        return "ok"

    with app.app_context():
        create_user("bench@example.org", "benchmark-pass")
        langs = ["en", "fr", "pt", "de", "es"][: args.languages]
        slug = None
        for lang in langs:
            text = "\n\n".join(
                f"Sentence {i} of the {lang} edition, long enough to look like prose."
                for i in range(args.units)
            )
            prepared = prepare_import(text.encode(), f"bench.{lang}.txt", lang, "text")
            document = get_document(slug) if slug else None
            summary = store_import(prepared, title="Bench", document=document)
            slug = summary.document
        db.session.commit()

    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": "benchmark-pass"})
    url = f"/documents/{slug}"
    assert client.get(url).status_code == 200
    first_page, _ = timed(lambda: client.get(url), args.repeat)
    last_page, _ = timed(lambda: client.get(f"{url}?page={args.units // 100}"), args.repeat)
    base, _ = timed(lambda: client.get("/bench-baseline"), args.repeat)
    samples = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - t0)
    p95 = sorted(samples)[int(0.95 * len(samples)) - 1]
    backend = "postgresql" if pg_url() else "sqlite"
    print(f"document page, {args.units} units x {args.languages} editions on {backend}")
    print(f"  first page  median {first_page * 1000:7.1f} ms   (goal <= 100 ms)")
    print(f"  first page  p95    {p95 * 1000:7.1f} ms")
    print(f"  last page   median {last_page * 1000:7.1f} ms")
    print(f"  baseline    median {base * 1000:7.1f} ms   (bare route of the same app)")
    print(f"  ratio first page / baseline: {first_page / base:.1f}x")
    print(f"  mean of samples {statistics.mean(samples) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
