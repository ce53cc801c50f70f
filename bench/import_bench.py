"""Import + segmentation throughput on the paragraph-aligned essays (EN + FR of the three
works, repeated to reach about 1 MB): goal ≤ 3 s and peak memory ≤ 300 MB.

Baseline, measured in the same run on the same text: a naive regular-expression
sentence split (``(?<=[.!?])\\s+``) — the cheapest thing that could be called splitting.

    python bench/import_bench.py [--copies 2]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench \\
        python bench/import_bench.py
"""

from __future__ import annotations

import argparse
import re
import resource
import sys

from _common import bench_app, essays_text, pg_url, timed

from translator.extensions import db
from translator.services.imports import prepare_import, store_import

NAIVE = re.compile(r"(?<=[.!?])\s+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=2, help="repeat the corpus N times")
    args = parser.parse_args()

    text = essays_text() * args.copies
    data = text.encode("utf-8")
    app = bench_app(pg_url())
    with app.app_context():
        baseline, naive = timed(
            lambda: [s for p in text.split("\n\n") for s in NAIVE.split(p) if s.strip()],
            3,
        )
        prepare_s, prepared = timed(lambda: prepare_import(data, "essays.txt", "en", "text"))
        store_s, summary = timed(lambda: store_import(prepared, title="Essays"))
        db.session.commit()
    total = prepare_s + store_s
    sentences = summary.segments
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend = "postgresql" if pg_url() else "sqlite"
    print(
        f"import of {len(data) / 1e6:.2f} MB on {backend}: "
        f"{sentences} sentences ({len(naive)} by the naive split)"
    )
    print(f"  parse + segment {prepare_s:6.2f} s")
    print(f"  store           {store_s:6.2f} s")
    print(
        f"  total           {total:6.2f} s   (goal <= 3 s)   {sentences / total:,.0f} sentences/s"
    )
    print(f"  peak RSS        {peak_mb:6.0f} MB  (goal <= 300 MB, whole process)")
    print(f"  baseline        {baseline:6.3f} s   (naive regex split of the same text)")
    print(f"  ratio total / baseline {total / baseline:.0f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
