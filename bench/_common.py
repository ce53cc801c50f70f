"""Shared set-up for the benchmarks: an app on a throw-away database."""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade

from translator import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ESSAYS = SHARED / "corpus" / "pd-essays-paragraph-aligned"
TAG_RE = re.compile(r"<(?!delimiter>)[^>]+>")


def bench_app(database_url: str | None = None) -> Flask:
    """An app on ``database_url`` (default: a fresh SQLite file), schema migrated."""
    instance = Path(tempfile.mkdtemp(prefix="translator-bench-"))
    url = database_url or f"sqlite:///{instance / 'bench.sqlite3'}"
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "CELERY": {"task_always_eager": True},
        }
    )
    with app.app_context():
        upgrade()
    return app


def essays_text() -> str:
    """The three paragraph-aligned works, EN and FR, as one plain text (~0.55 MB):
    one paragraph per line in the corpus becomes a blank-line-separated paragraph."""
    parts = []
    for path in sorted(ESSAYS.glob("*_??.txt")):
        raw = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        raw = TAG_RE.sub("", raw).replace("<delimiter>", "\n")
        parts.append("\n\n".join(line.strip() for line in raw.split("\n") if line.strip()))
    return "\n\n".join(parts) + "\n"


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall time of ``fn`` over ``repeat`` runs, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pg_url() -> str | None:
    return os.environ.get("TRANSLATOR_BENCH_DATABASE_URL")
