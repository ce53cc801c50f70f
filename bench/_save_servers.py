"""The two servers of bench/save_bench.py: the API (the real app) and the bare UPDATE
baseline, each served by pre-forked werkzeug threaded processes sharing one socket, with
per-save records (wall, thread CPU, time in statements, statements, round trips)."""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.serving import WSGIRequestHandler, make_server

from translator import create_app
from translator.config import load_config

SAVE_RE = re.compile(r"^/(api/v1/segments|bare)/\d+$")
KINDS = {"bare": "bare UPDATE", "api": "API save"}
_local = threading.local()


def bare_app(url: str, instance: Path) -> Flask:
    """The baseline: one versioned UPDATE and a commit, with the API's pool settings."""
    app = Flask("bare")
    options = load_config(str(instance))["SQLALCHEMY_ENGINE_OPTIONS"]
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options)
    store = SQLAlchemy()
    store.init_app(app)
    statement = sa.text(
        "UPDATE segments SET text = :text, version = version + 1"
        " WHERE id = :id AND version = :version RETURNING version"
    )

    @app.put("/bare/<int:segment_id>")
    def save(segment_id: int) -> Any:
        text = request.get_json()["text"]
        base = int(request.headers["If-Match"].strip('"'))
        with store.engine.begin() as conn:
            version = conn.scalar(statement, {"text": text, "id": segment_id, "version": base})
        if version is None:
            return jsonify({"error": "stale version"}), 409
        return jsonify({"segment": {"id": segment_id, "version": version}})

    return app


def _before_sql(*_: Any) -> None:
    _local.sql_start = time.perf_counter()


def _after_sql(*_: Any) -> None:
    _local.sql_time = getattr(_local, "sql_time", 0.0) + time.perf_counter() - _local.sql_start
    _local.statements = getattr(_local, "statements", 0) + 1


def _round_trip(*_: Any) -> None:
    _local.trips = getattr(_local, "trips", 0) + 1


def count_database_work() -> None:
    """Per thread: statements, the time spent in them, and round trips to PostgreSQL
    (statements, BEGIN, COMMIT, ROLLBACK, and the pre-ping of every pool checkout)."""
    sa.event.listen(sa.Engine, "before_cursor_execute", _before_sql)
    sa.event.listen(sa.Engine, "after_cursor_execute", _after_sql)
    for name in ("after_cursor_execute", "begin", "commit", "rollback"):
        sa.event.listen(sa.Engine, name, _round_trip)
    sa.event.listen(sa.pool.Pool, "checkout", _round_trip)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def serve(kind: str, fd: int, url: str, live_url: str, stats: Path, profile: bool) -> None:
    """Serve one app on the inherited socket until SIGTERM; then write per-save records
    (wall, thread CPU, time in statements, statements, round trips) and, with
    ``profile``, a cProfile dump."""
    instance = stats.with_suffix(".instance")
    if kind == "api":
        app = create_app(
            {
                "INSTANCE_PATH": str(instance),
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "save-bench",
                "LIVE_URL": live_url,
            }
        )
    else:
        app = bare_app(url, instance)
    count_database_work()
    records: dict[str, list[tuple[float, float, float, int, int]]] = defaultdict(list)
    profiles: list[cProfile.Profile] = []

    def measured(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] != "PUT" or not SAVE_RE.match(environ["PATH_INFO"]):
            return app(environ, start_response)
        _local.sql_time, _local.statements, _local.trips = 0.0, 0, 0
        profiler = getattr(_local, "profiler", None)
        if profile and profiler is None:
            profiler = _local.profiler = cProfile.Profile(time.thread_time)
            profiles.append(profiler)
        wall, cpu = time.perf_counter(), time.thread_time()
        if profiler:
            profiler.enable()
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
            if profiler:
                profiler.disable()
        phase = environ.get("HTTP_X_BENCH_PHASE", "")
        records[phase].append(
            (
                time.perf_counter() - wall,
                time.thread_time() - cpu,
                _local.sql_time,
                _local.statements,
                _local.trips,
            )
        )
        return [body]

    server = make_server(
        "127.0.0.1", 0, measured, threaded=True, request_handler=QuietHandler, fd=fd
    )

    def stop(*_: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    try:
        server.serve_forever()
    finally:
        stats.write_text(json.dumps({k: list(v) for k, v in records.items()}))
        if profiles:
            merged = pstats.Stats(profiles[0])
            for other in profiles[1:]:
                merged.add(other)
            merged.dump_stats(str(stats.with_suffix(".prof")))


class Servers:
    """``workers`` server subprocesses of one app sharing one listening socket."""

    def __init__(
        self, script: Path, kind: str, args: argparse.Namespace, live_url: str, folder: Path
    ):
        """Start ``args.workers`` processes of ``script --serve kind`` (the bench's own
        entry point, which calls ``serve``)."""
        self.kind, self.folder = kind, folder
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(512)
        listener.setblocking(False)  # a worker that loses the race to accept goes on
        self.port = listener.getsockname()[1]
        self.procs = []
        for i in range(args.workers):
            command = [sys.executable, str(script), "--serve", kind, "--fd", str(listener.fileno())]
            command += ["--database-url", args.database_url, "--live-url", live_url]
            command += ["--stats", str(folder / f"{kind}-{i}.json")]
            command += ["--profile"] if args.profile else []
            self.procs.append(
                subprocess.Popen(
                    command, pass_fds=[listener.fileno()], stdout=subprocess.PIPE, text=True
                )
            )
        for proc in self.procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        listener.close()

    def stop(self) -> dict[str, list[list[float]]]:
        """Stop the workers; their records by phase, merged."""
        self.close()
        merged: dict[str, list[list[float]]] = defaultdict(list)
        for i in range(len(self.procs)):
            stats = json.loads((self.folder / f"{self.kind}-{i}.json").read_text())
            for phase, rows in stats.items():
                merged[phase] += rows
        return merged

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)

    def profile(self) -> pstats.Stats:
        files = [str(self.folder / f"{self.kind}-{i}.prof") for i in range(len(self.procs))]
        return pstats.Stats(*files)
