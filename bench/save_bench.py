"""Segment saves under load: editors autosaving at once through the editor's API
(``PUT /api/v1/segments/<id>``, docs/api.md) on PostgreSQL. Goal: p99 ≤ 2× the baseline
and ≤ 50 ms.

Baseline, measured in the same run by the same clients on the same kind of server: a
bare Flask endpoint doing one ``UPDATE segments … WHERE id AND version`` and a commit
(same database, same pool settings). Each app is served by ``--workers`` pre-forked
werkzeug threaded servers (subprocesses sharing one listening socket, keep-alive, like
gunicorn's gthread workers), so the load generator does not share their GIL. The two
endpoints take turns in ``--rounds`` slices, so that noise from a shared machine falls
on both alike.

Variants: ``own`` (each editor in its own rows of one edition) and ``shared`` (groups of
5 editors in the same 5 units, each on its own segments, so every unit is written by 3 of
them at once, one per edition, and the unit lock serializes them). Every editor signs in
through the login form, loads its windows through the API, then autosaves drafts with a
random think time and ``If-Match`` from the previous answer. The default think time,
1-3 s, is the editor's own cadence: it autosaves 800 ms after the last keystroke, and at
least every 5 s while someone types without a pause (``static/js/editor/core.js``).
Printed: client-side latencies; server-side wall time, CPU, round trips and statements
per save. Checked at the end: no 5xx, no 409, and every segment's version = initial +
saves, its revisions = initial + API saves.

    python bench/save_bench.py [--editors 50] [--seconds 20] [--think 1 3] [--profile]
    python bench/save_bench.py --think 0.05 0.2 --seconds 12     # stress: ~16x that cadence
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/other \\
        python bench/save_bench.py      # default database: translator_bench_save (emptied)
"""

from __future__ import annotations

import argparse
import math
import os
import pstats
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa
from _common import bench_app, timed
from _save_clients import PASSWORD, Browser, Editor, Phase, load_window, run_round, sign_in
from _save_servers import KINDS, Servers, serve

from translator.extensions import db
from translator.models import Revision, Segment
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.users import create_user

LANGUAGES = ("en", "fr", "pt")
GROUP = 5
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1/translator_bench_save"
VARIANTS = {
    "own": "each editor in its own rows of one edition",
    "shared": "groups of 5 editors in 5 units, each unit written by 3 at once",
}

# --- Set-up, checks, report --------------------------------------------------------------


def fresh_database(url: str) -> None:
    """Create the database if needed and empty it (the migrations rebuild the schema)."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def build_document(url: str, units: int) -> tuple[str, Callable[[], Any]]:
    """The document (``units`` × 3 editions) and an administrator; returns the slug and
    a function reading every segment's (version, revision count)."""
    app = bench_app(url)
    with app.app_context():
        create_user("editor@example.org", PASSWORD, is_admin=True)
        slug = None
        for lang in LANGUAGES:
            text = "\n\n".join(
                f"Sentence {i} of the {lang} edition, long enough to look like prose."
                for i in range(units)
            )
            prepared = prepare_import(text.encode(), f"bench.{lang}.txt", lang, "text")
            slug = store_import(
                prepared, title="Bench", document=get_document(slug) if slug else None
            ).document
        db.session.commit()

    def state() -> dict[int, tuple[int, int]]:
        with app.app_context():
            revisions = (
                sa.select(sa.func.count())
                .where(Revision.segment_id == Segment.id)
                .scalar_subquery()
            )
            rows = db.session.execute(sa.select(Segment.id, Segment.version, revisions))
            return {id_: (version, count) for id_, version, count in rows}

    assert slug is not None
    return slug, state


def open_editors(
    args: argparse.Namespace, slug: str, servers: dict[str, Servers]
) -> tuple[list[Editor], dict[int, int]]:
    """Sign every editor in and load its windows; the versions of the loaded segments."""
    editors = [Editor(i, Browser(servers["api"].port)) for i in range(args.editors)]
    versions: dict[int, int] = {}
    width = max(1, min(500, args.units // args.editors))

    def windows(editor: Editor) -> None:
        language = LANGUAGES[editor.index % len(LANGUAGES)]
        query = f"offset={editor.index * width}&limit={width}&languages={language}"
        rows = load_window(editor, slug, query)
        editor.own = [row["segments"][language]["id"] for row in rows]
        group, j = divmod(editor.index, GROUP)
        block = load_window(editor, slug, f"offset={group * GROUP}&limit={GROUP}")
        # editor j of the group writes cell (unit u, edition e) where (u + e) % 5 == j
        editor.shared = [
            block[(j - e) % GROUP]["segments"][code]["id"] for e, code in enumerate(LANGUAGES)
        ]
        for row in rows + block:
            for cell in row["segments"].values():
                versions[cell["id"]] = cell["version"]
        editor.bare = Browser(servers["bare"].port, editor.api.cookies)

    with ThreadPoolExecutor(args.editors) as pool:
        sign_in_s, _ = timed(lambda: list(pool.map(sign_in, editors)))
        windows_s, _ = timed(lambda: list(pool.map(windows, editors)))
    print(f"  sign-in of every editor {sign_in_s:.1f} s (scrypt), window loads {windows_s:.1f} s")
    return editors, versions


def check(
    phases: list[Phase], before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]
) -> list[str]:
    """What went wrong: a status other than 200, a connection error, a segment whose
    version is not initial + saves or whose revisions are not initial + API saves."""
    problems = [
        f"{p.kind} {p.variant}: {dict(p.statuses)} {p.errors[:3]}" for p in phases if p.errors
    ]
    saves = {kind: sum((p.saves for p in phases if p.kind == kind), Counter()) for kind in KINDS}
    for segment, (version, revisions) in after.items():
        expected = before[segment][0] + saves["api"][segment] + saves["bare"][segment]
        if version != expected or revisions != before[segment][1] + saves["api"][segment]:
            problems.append(f"segment {segment}: version {version}, expected {expected}")
    return problems


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def report(phases: dict[str, Phase], server: dict[str, Any], seconds: float) -> bool:
    """Print one variant's figures, client and server side; whether the goal is met."""
    variant = phases["api"].variant
    print(f"variant {variant}: {VARIANTS[variant]}")
    print(f"  {'':<12} {'saves':>6} {'saves/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    figures = {}
    for kind in KINDS:
        lat = sorted(phases[kind].latencies)
        figures[kind] = [pct(lat, q) * 1000 for q in (0.5, 0.95, 0.99, 1.0)]
        cells = " ".join(f"{v:7.1f}" for v in figures[kind])
        print(f"  {KINDS[kind]:<12} {len(lat):6d} {len(lat) / seconds:8.1f} {cells}  ms")
    ratios = [a / b for a, b in zip(figures["api"], figures["bare"], strict=True)]
    print("  ratio API / bare " + " ".join(f"{r:6.1f}×" for r in ratios))
    met = ratios[2] <= 2 and figures["api"][2] <= 50
    print(
        f"  goal p99 ≤ 2× bare and ≤ 50 ms: {'met' if met else 'MISSED'} "
        f"({ratios[2]:.1f}× bare, {figures['api'][2]:.1f} ms)"
    )
    for kind in KINDS:
        rows = server[kind].get(variant, [])
        walls = sorted(r[0] for r in rows)
        cpu, sql, statements, trips = (sum(r[i] for r in rows) / len(rows) for i in (1, 2, 3, 4))
        print(
            f"  server, {KINDS[kind]:<12} wall p50 {pct(walls, 0.5) * 1000:5.1f} p99 "
            f"{pct(walls, 0.99) * 1000:5.1f} ms; per save CPU {cpu * 1000:4.2f} ms, "
            f"{trips:.0f} round trips, {statements:.0f} statements in {sql * 1000:4.2f} ms"
        )
    return met


def print_profile(stats: pstats.Stats) -> None:
    """The API workers' CPU profile: share of CPU by package, then the costliest calls."""
    shares: Counter[str] = Counter()
    for (path, _, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in path:
            shares[path.split("site-packages/")[1].split("/")[0]] += own
        elif "/translator/" in path:
            shares["translator/" + path.split("/translator/")[1]] += own
        else:
            shares["python: " + (path.rsplit("/", 1)[-1] if path != "~" else name)] += own
    total = sum(shares.values())
    print(f"CPU profile of the API workers ({total:.1f} s of CPU, by package):")
    for package, seconds in shares.most_common(15):
        print(f"  {seconds / total * 100:5.1f}%  {package}")
    stats.sort_stats("cumulative").print_stats(r"translator|flask|sqlalchemy/orm/session", 30)


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A private Redis (live events of this run reach no one else's subscribers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = shutil.which("redis-server")
    assert exe is not None
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("the private redis-server did not start")


def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="save-bench-"))
    live = args.live or ("redis" if shutil.which("redis-server") else "memory")
    fresh_database(args.database_url)
    built, (slug, state) = timed(lambda: build_document(args.database_url, args.units))
    before = state()
    offered = args.editors / (sum(args.think) / 2)
    print(
        f"segment saves: {args.editors} editors, think {args.think[0] * 1000:.0f}-"
        f"{args.think[1] * 1000:.0f} ms (at most ~{offered:.0f} saves/s); {args.seconds:g} s "
        f"per endpoint and variant in {args.rounds} alternating rounds (+{args.warmup:g} s "
        f"warm-up); {args.units} units x {len(LANGUAGES)} editions on postgresql, built in "
        f"{built:.1f} s; {args.workers} werkzeug threaded workers per app; live events: {live}"
    )
    redis_proc, live_url = start_redis(folder) if live == "redis" else (None, "memory://")
    servers: dict[str, Servers] = {}
    try:
        for kind in KINDS:
            servers[kind] = Servers(Path(__file__), kind, args, live_url, folder)
        editors, versions = open_editors(args, slug, servers)
        phases = {}
        for variant in args.variants.split(","):
            phases[variant] = {kind: Phase(kind, variant) for kind in KINDS}
            for round_ in range(args.rounds):
                for kind in list(KINDS)[:: 1 if round_ % 2 == 0 else -1]:
                    run_round(phases[variant][kind], editors, versions, round_, args)
        server = {kind: servers[kind].stop() for kind in KINDS}
    finally:
        for running in servers.values():
            running.close()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait()
    met = all([report(by_kind, server, args.seconds) for by_kind in phases.values()])
    problems = check([p for by_kind in phases.values() for p in by_kind.values()], before, state())
    total = sum(p.statuses.total() for by_kind in phases.values() for p in by_kind.values())
    print(
        f"checked {total} saves: all 200 (no 5xx, no 409), versions = initial + saves, "
        f"revisions = initial + API saves: {'no' if problems else 'yes'}; "
        f"goal {'met' if met else 'MISSED'}"
    )
    if args.profile:
        print_profile(servers["api"].profile())
    shutil.rmtree(folder, ignore_errors=True)
    if problems:
        sys.exit("\n".join(problems[:20]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="per endpoint and variant")
    parser.add_argument("--rounds", type=int, default=4, help="alternating bare / API slices")
    parser.add_argument("--warmup", type=float, default=2, help="not measured, first round")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="server processes per app")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds between saves (default: the editor's cadence; stress: 0.05 0.2)",
    )
    parser.add_argument("--variants", default="own,shared", help="own, shared or both")
    parser.add_argument("--live", choices=("redis", "memory"), help="default: redis if installed")
    parser.add_argument(
        "--profile", action="store_true", help="CPU-profile the API workers (slows them)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("TRANSLATOR_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--serve", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--live-url", help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.fd, args.database_url, args.live_url, args.stats, args.profile)
    elif sa.make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("this benchmark needs PostgreSQL")
    elif set(args.variants.split(",")) - set(VARIANTS):
        parser.error("--variants: own, shared or own,shared")
    else:
        run(args)


if __name__ == "__main__":
    main()
