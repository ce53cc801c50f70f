"""The worst regular expressions we know against a real server: how long the request
takes, and what a second client (a loop of small GETs) sees meanwhile.

Each server is `translator serve --no-worker` (werkzeug, threaded) on a realistic
document: the three paragraph-aligned essays of ../shared/corpus, ``--copies`` times
(about 10 000 units at 4), plus a 35-character sentence, a scream of a's and one 100 KB
segment full of tags, stored as a document imported before any length limit would be.
Requests: the editor's filter (``GET /api/v1/documents/<slug>/units?q=…&regex=1``) and
the search-and-replace preview (``POST /documents/<slug>/replace``), one per pattern,
while the second client loops over ``GET /api/v1/documents/<slug>``.

Baseline, in the same run on the same database: the same server from the code before
this work (``--before``, a git revision checked out in a temporary worktree), whose
filter ran Python's ``re`` on SQLite and whose preview ran it everywhere. A request of
the baseline still running after ``--cap`` seconds is counted as ``--cap`` (a lower
bound) and its server is killed and started again.

    python bench/regex_bench.py                       # SQLite (the embedded default)
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/translator_bench_regex \\
        python bench/regex_bench.py                   # PostgreSQL (the database is emptied)
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _common import ROOT, bench_app, essays_text, pg_url

from translator.extensions import db
from translator.models import Segment
from translator.services.imports import prepare_import, store_import
from translator.services.users import create_user

BEFORE = "5924149"  # main before users' patterns ran on RE2 with a time budget
PASSWORD = "benchmark-pass"
SENTENCE = "Nobody expects the Spanish armadas!"
SCREAM = "A" + "a" * 24 + "h!"
LONG = "<b>ab</b> " * 10_000
# The worst for RE2 we found: its DFA gives up and falls back to the NFA (~1 s on 100 KB).
RE2_WORST = r"(?:.{0,100}a){10}b!"
FILTERS = [r"^(\w+\s?)*$", r"(a+)+$", r"(.*a){20}", r"(\w|\d|[a-z])*!$", r"(x+x+)+y", RE2_WORST]
PG_FILTERS = [r"^(.+)+(.+)+\1$", r"^(.*)(.*)(.*)\3\2\1$"]  # PostgreSQL backtracks on backreferences
PREVIEWS = [
    (r"^(\w+\s?)*$", "y"),
    (r"(.*a){20}", "y"),
    (r"(a|aa)*c", "y"),
    (RE2_WORST, "y"),
    ("b>", ""),
]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def fresh_database(url: str) -> None:
    """Create the database if needed and empty it (the migrations rebuild the schema)."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        known = "SELECT 1 FROM pg_database WHERE datname = :name"
        if not conn.scalar(sa.text(known), {"name": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, copies: int) -> str:
    """The document and its administrator; returns the slug."""
    app = bench_app(url)
    text = "\n\n".join([essays_text()] * copies) + f"\n\n{SENTENCE} {SCREAM}\n\nLong.\n"
    with app.app_context():
        create_user("bench@example.org", PASSWORD, is_admin=True)
        prepared = prepare_import(text.encode(), "essays.en.txt", "en", "text")
        slug = store_import(prepared, title="Essays").document
        db.session.execute(sa.update(Segment).where(Segment.text == "Long.").values(text=LONG))
        units = db.session.scalar(sa.select(sa.func.count(Segment.id)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    print(f"document: {units} units, {len(text) / 1e6:.2f} MB + one 100 KB segment")
    return str(slug)


class Server:
    """`translator serve --no-worker` in its own process group, from ``code`` (a source
    tree put first on the path) or this tree."""

    def __init__(self, url: str, code: Path | None, instance: Path) -> None:
        self.url, self.code = url, code
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
        self.env |= {"TRANSLATOR_DATABASE_URL": url, "TRANSLATOR_SECRET_KEY": "bench"}
        self.env["TRANSLATOR_INSTANCE_PATH"] = str(instance)
        if code is not None:
            self.env["PYTHONPATH"] = str(code)
        self.proc: subprocess.Popen[bytes] | None = None
        instance.mkdir(parents=True, exist_ok=True)
        self.log = instance / "serve.log"

    def start(self) -> None:
        command = "from translator.cli import main; main()"
        argv = [sys.executable, "-c", command, "serve", "--no-worker", "--port", str(self.port)]
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                argv,
                cwd=self.code or ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/login", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the server did not start:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.url.startswith("postgresql"):  # its queries may run on without it
            engine = sa.create_engine(self.url)
            with engine.connect() as conn:
                conn.execute(
                    sa.text(
                        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            engine.dispose()


class Client:
    """A signed-in browser (cookies of its own); every call waits at most ``cap`` s."""

    def __init__(self, server: Server, cap: float) -> None:
        self.server, self.cap = server, cap
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar)
        token = self.token("/login")
        self.send(
            "/login", {"email": "bench@example.org", "password": PASSWORD, "csrf_token": token}
        )

    def send(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.server.base + path, body, timeout=self.cap) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                status, text = exc.code, exc.read().decode()
        except (TimeoutError, urllib.error.URLError):
            status, text = 0, "timed out"
        return status, text, min(time.perf_counter() - start, self.cap)

    def token(self, path: str) -> str:
        match = CSRF.search(self.send(path)[1])
        assert match, path
        return match.group(1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def meanwhile(bad: Client, other: Client, path: str, data: dict[str, str] | None) -> dict[str, Any]:
    """The bad request, and the other client's answer times while it runs."""
    outcome: dict[str, Any] = {}

    def send() -> None:
        outcome["status"], outcome["body"], outcome["time"] = bad.send(path, data)

    thread = threading.Thread(target=send)
    thread.start()
    seen: list[float] = []
    while thread.is_alive() or not seen:
        seen.append(other.send(DOCUMENT)[2])
    thread.join()
    outcome["seen"] = seen
    return outcome


DOCUMENT = ""  # the second client's GET, set once the slug is known


def requests(slug: str, postgres: bool) -> list[tuple[str, str, dict[str, str] | None]]:
    """(label, path, form) of every bad request; a form means a POST of the preview."""
    out: list[tuple[str, str, dict[str, str] | None]] = []
    for pattern in FILTERS + (PG_FILTERS if postgres else []):
        query = urllib.parse.urlencode({"q": pattern, "regex": "1", "limit": "100"})
        out.append((f"filter {pattern}", f"/api/v1/documents/{slug}/units?{query}", None))
    for find, regex in PREVIEWS:
        form = {"action": "preview", "language": "en", "find": find, "replace": "x"}
        label = f"preview {find}" + ("" if regex else " (plain)")
        out.append(
            (label, f"/documents/{slug}/replace", form | ({"regex": regex} if regex else {}))
        )
    return out


def run(server: Server, slug: str, cap: float, postgres: bool) -> dict[str, dict[str, Any]]:
    """Every bad request against ``server`` (restarted after one that hit the cap)."""
    server.start()
    results: dict[str, dict[str, Any]] = {}
    idle = Client(server, cap)
    results["(no bad request)"] = {
        "time": 0.0,
        "status": 200,
        "seen": [idle.send(DOCUMENT)[2] for _ in range(30)],
    }
    for label, path, form in requests(slug, postgres):
        bad, other = Client(server, cap), Client(server, cap)
        data = form | {"csrf_token": bad.token(path)} if form is not None else None
        outcome = meanwhile(bad, other, path, data)
        results[label] = outcome
        print(
            f"  {label:32} {outcome['status']:3} {outcome['time']:6.2f} s"
            f"  others max {max(outcome['seen']):6.2f} s",
            flush=True,
        )
        if outcome["status"] == 0:
            server.stop()
            server.start()
    server.stop()
    return results


def report(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> None:
    others = "others p50 / p99 / max"
    print(f"\n| request | before: time | {others} | after: time | {others} | time ratio |")
    print("|---|---|---|---|---|---|")
    for label, new in after.items():
        old = before[label]

        def cell(r: dict[str, Any]) -> tuple[str, str]:
            seen = r["seen"]
            capped = "≥ " if r["status"] == 0 else ""
            others = (
                " / ".join(f"{percentile(seen, q) * 1000:.0f}" for q in (0.5, 0.99))
                + f" / {max(seen) * 1000:.0f} ms"
            )
            return f"{capped}{r['time']:.2f} s ({r['status']})", others

        ratio = f"{old['time'] / new['time']:.0f}×" if new["time"] else "—"
        print(f"| `{label}` | {' | '.join(cell(old))} | {' | '.join(cell(new))} | {ratio} |")
    bad = {k: v for k, v in after.items() if k != "(no bad request)"}
    worst = max(bad, key=lambda k: bad[k]["time"])
    seen = [t for v in bad.values() for t in v["seen"]]
    print(
        f"\nafter: longest request {bad[worst]['time']:.2f} s ({worst});"
        f" others meanwhile p50 {statistics.median(seen) * 1000:.0f} ms,"
        f" p99 {percentile(seen, 0.99) * 1000:.0f} ms, max {max(seen) * 1000:.0f} ms"
    )
    old = {k: v for k, v in before.items() if k != "(no bad request)"}
    seen = [t for v in old.values() for t in v["seen"]]
    worst = max(old, key=lambda k: old[k]["time"])
    print(
        f"before: longest request {old[worst]['time']:.2f} s ({worst});"
        f" others meanwhile max {max(seen):.2f} s"
    )


def main() -> None:
    global DOCUMENT
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--copies", type=int, default=4, help="copies of the essays (4: ~10 000 units)"
    )
    parser.add_argument("--cap", type=float, default=20.0, help="seconds a request may take")
    parser.add_argument("--before", default=BEFORE, help="git revision of the baseline")
    parser.add_argument("--no-before", action="store_true", help="only this tree's server")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="translator-regex-bench-"))
    url = pg_url() or f"sqlite:///{work / 'bench.sqlite3'}"
    postgres = url.startswith("postgresql")
    if postgres:
        fresh_database(url)
    slug = build(url, args.copies)
    DOCUMENT = f"/api/v1/documents/{slug}"
    print(f"database: {'PostgreSQL' if postgres else 'SQLite'}; cap {args.cap:g} s")
    print("after (this tree):")
    after = run(Server(url, None, work / "after"), slug, args.cap, postgres)
    before = after
    if not args.no_before:
        tree = work / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.before],
            check=True,
        )
        try:
            print(f"before ({args.before}):")
            before = run(Server(url, tree, work / "before-instance"), slug, args.cap, postgres)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
            )
    report(before, after)


if __name__ == "__main__":
    main()
