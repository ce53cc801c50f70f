"""Server-side times of the pages a team uses every day, on the scale of issue 12 (a
database filled by ``bench/scale_data.py``: 1 000 documents, 3 editions, 3 million
segments): "My work" (goal ≤ 100 ms p95), the dashboard (goal ≤ 150 ms p95, measured
once the route exists), the document list, a document page, the editor's first window
of units, the progress JSON.

    python bench/scale_bench.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/translator_bench_scale \\
        [--baseline-url postgresql+psycopg://postgres@127.0.0.1/translator_bench_scale10]

Each request goes through the whole WSGI stack (routing, session, rights, queries,
template) with Flask's test client, signed in: ``--warmup`` requests, then ``--repeat``
timed ones; p50 and p95 of those, and the CPU time per request of this process plus
the database's backends (read from /proc): on a machine shared with other work the
wall times grow with its load, the CPU time much less. Baselines in the same run: a
bare route of the same app returning a constant and, with ``--baseline-url``, the same
requests on a small database made by the same generator (``scale_data.py
--documents 10``). ``--only WORD`` measures only the requests whose name has WORD.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from _common import bench_app
from flask import Flask
from scale_data import PASSWORD
from sqlalchemy import event, text

from translator.app import freeze_loaded_objects
from translator.extensions import db
from translator.services.rights import Right
from translator.web.rights import requires

GOALS = {"my work": 100.0, "dashboard": 150.0}


@dataclass(slots=True)
class Figure:
    p50: float  # ms
    p95: float
    queries: int
    cpu: float = 0.0  # ms of CPU per request: this process and the database's backends
    note: str = ""


TICK = os.sysconf("SC_CLK_TCK")


def _backends_cpu(url: str) -> float:
    """Seconds of CPU used so far by the PostgreSQL backends serving ``url``'s database
    (read from /proc: the server runs on this machine; 0 when it cannot be read)."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def _time(get: Callable[[], Any], warmup: int, repeat: int, url: str) -> tuple[float, float, float]:
    """p50 and p95 wall time (ms) and the mean CPU time (ms: this process and the
    database's backends, which other work on a shared machine does not inflate much)."""
    for _ in range(warmup):
        get()
    samples = []
    backends, process = _backends_cpu(url), time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        get()
        samples.append((time.perf_counter() - start) * 1000)
    cpu = time.process_time() - process + _backends_cpu(url) - backends
    return (
        statistics.median(samples),
        statistics.quantiles(samples, n=20)[18],
        cpu * 1000 / repeat,
    )


def _pick(app: Flask) -> dict[str, Any]:
    """The people and the document measured: the translator whose open assignments are
    closest to 20, a document of theirs with an open assignment, the global coordinator."""
    with app.app_context():
        user_id, email, assignments = db.session.execute(
            text(
                "SELECT u.id, u.email, count(a.id) AS n FROM users u"
                " JOIN assignments a ON a.user_id = u.id AND a.state = 'open'"
                " GROUP BY u.id, u.email ORDER BY abs(count(a.id) - 20), u.id LIMIT 1"
            )
        ).one()
        slug, units = db.session.execute(
            text(
                "SELECT d.slug, count(u.id) FROM assignments a"
                " JOIN documents d ON d.id = a.document_id JOIN units u ON u.document_id = d.id"
                " WHERE a.user_id = :user AND a.state = 'open'"
                " GROUP BY d.id ORDER BY abs(count(u.id) - 1000), d.id LIMIT 1"
            ),
            {"user": user_id},
        ).one()
        coordinator = db.session.scalar(
            text("SELECT email FROM users WHERE is_coordinator AND NOT is_admin ORDER BY id")
        )
        documents = db.session.scalar(text("SELECT count(*) FROM documents"))
        segments = db.session.scalar(
            text("SELECT sum(segments) FROM edition_counts")  # the counters: no scan
        )
        db.session.remove()
    return {
        "translator": email,
        "assignments": assignments,
        "slug": slug,
        "units": units,
        "coordinator": coordinator,
        "documents": documents,
        "segments": segments,
    }


def measure(
    url: str, warmup: int, repeat: int, only: str = ""
) -> tuple[dict[str, Figure], dict[str, Any]]:
    app = bench_app(url)

    @app.route("/bench-baseline")
    @requires(Right.SIGNED_IN)
    def baseline() -> str:
        return "ok"

    picked = _pick(app)
    # What ``translator serve`` and gunicorn's workers do once their app is built.
    freeze_loaded_objects()
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: _count(statements))
    clients = {}
    for who in ("translator", "coordinator"):
        client = app.test_client()
        answer = client.post("/login", data={"email": picked[who], "password": PASSWORD})
        assert answer.status_code == 302, f"{picked[who]} could not sign in"
        clients[who] = client
    slug = picked["slug"]
    requests = {
        "baseline (bare route)": ("translator", "/bench-baseline"),
        "my work": ("translator", "/my-work"),
        "my work (API)": ("translator", "/api/v1/my-work"),
        "dashboard": ("coordinator", "/dashboard"),
        "document list (translator)": ("translator", "/"),
        "document list (coordinator)": ("coordinator", "/"),
        "document page": ("translator", f"/documents/{slug}"),
        "editor page": ("translator", f"/documents/{slug}/edit"),
        "editor first window (100 units)": (
            "translator",
            f"/api/v1/documents/{slug}/units?offset=0&limit=100",
        ),
        "progress JSON": ("translator", f"/api/v1/documents/{slug}/progress"),
    }
    rules = {r.rule for r in app.url_map.iter_rules()}
    figures = {}
    for name, (who, path) in requests.items():
        if only and only not in name and not name.startswith("baseline"):
            continue
        if path.split("?")[0] not in rules and not any(
            path.startswith(p) for p in ("/documents/", "/api/v1/documents/")
        ):
            figures[name] = Figure(0, 0, 0, note=f"skipped: no route {path} in this build")
            continue
        client = clients[who]
        answer = client.get(path)
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
        statements[0] = 0
        client.get(path)
        queries = statements[0]
        p50, p95, cpu = _time(lambda c=client, p=path: c.get(p), warmup, repeat, url)
        figures[name] = Figure(p50, p95, queries, cpu)
    return figures, picked


def _count(statements: list[int]) -> None:
    statements[0] += 1


def _describe(picked: dict[str, Any]) -> str:
    return (
        f"{picked['documents']} documents, {picked['segments']} segments;"
        f" {picked['translator']} with {picked['assignments']} open assignments;"
        f" document {picked['slug']} ({picked['units']} units)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("TRANSLATOR_BENCH_DATABASE_URL"))
    parser.add_argument("--baseline-url", help="the same requests on a small database")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="only the requests whose name has this")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (a database filled by bench/scale_data.py)")
    figures, picked = measure(args.database_url, args.warmup, args.repeat, args.only)
    small: dict[str, Figure] = {}
    if args.baseline_url:
        small, small_picked = measure(args.baseline_url, args.warmup, args.repeat, args.only)
    print(f"scale: {_describe(picked)}")
    if small:
        print(f"small: {_describe(small_picked)}")
    base = figures["baseline (bare route)"].p50
    header = (
        f"{'request':34} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>7} {'queries':>7} {'÷ bare':>7}"
    )
    if small:
        header += f" {'small p50':>9} {'small CPU':>9} {'÷ small':>7}"
    print(header)
    for name, f in figures.items():
        if f.note:
            print(f"{name:34} {f.note}")
            continue
        line = (
            f"{name:34} {f.p50:8.1f} {f.p95:8.1f} {f.cpu:7.1f} {f.queries:7d} {f.p50 / base:6.0f}x"
        )
        s = small.get(name)
        if s and not s.note:
            line += f" {s.p50:9.1f} {s.cpu:9.1f} {f.p50 / s.p50:6.1f}x"
        goal = GOALS.get(name)
        if goal is not None:
            line += f"   goal p95 ≤ {goal:.0f} ms: {'met' if f.p95 <= goal else 'NOT MET'}"
        print(line)


if __name__ == "__main__":
    main()
