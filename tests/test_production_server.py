"""The production server of README.md: gunicorn with translator/gunicorn_conf.py, on
PostgreSQL and Redis. The editor's event streams stay open past the worker timeout and
carry a save made on another connection; two open streams do not hold up a third
request; SIGTERM stops it within the graceful timeout, streams open or not."""

from __future__ import annotations

import gc
import json
import os
import queue
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from tests.served import WebSession, free_port, start, stop_group, wait_until_serving
from translator import gunicorn_conf
from translator.models import Segment

pytestmark = pytest.mark.slow

EMAIL, PASSWORD = "ana@example.org", "correct horse"
TIMEOUT, GRACEFUL = 4, 4  # worker timeout and graceful timeout, short for the test
KEEPALIVE = 0.5  # seconds between the streams' keep-alives
END = None  # what a stream's reader queues when the connection ends


@pytest.fixture
def document(db: Any, create_user: Any, import_text: Any) -> tuple[str, int, int]:
    """An administrator and a one-edition document: its slug, a segment's id and version."""
    create_user(EMAIL, PASSWORD, is_admin=True)
    slug = import_text("The cat sleeps. The dog barks.\n", "en", title="Cats").document
    segment = db.session.scalar(sa.select(Segment).where(Segment.text == "The cat sleeps."))
    return slug, segment.id, segment.version


@pytest.fixture
def gunicorn(
    tmp_path: Path, database_url: str, redis_url: str, document: Any
) -> Iterator[tuple[str, Any, Path]]:
    """The documented command, on one worker (so the streams share its threads)."""
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env |= {
        "TRANSLATOR_DATABASE_URL": database_url,
        "TRANSLATOR_BROKER_URL": redis_url,
        "TRANSLATOR_REDIS_URL": redis_url,
        "TRANSLATOR_SECRET_KEY": "test",
        "TRANSLATOR_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRANSLATOR_LIVE_KEEPALIVE": str(KEEPALIVE),
        "TRANSLATOR_BIND": f"127.0.0.1:{port}",
        "TRANSLATOR_WEB_WORKERS": "1",
    }
    argv = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "python:translator.gunicorn_conf",
        "translator:create_app()",
        f"--timeout={TIMEOUT}",
        f"--graceful-timeout={GRACEFUL}",
    ]
    proc = start(argv, cwd=ROOT, env=env, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url + "/login", proc, log)
        yield url, proc, log
    finally:
        stop_group(proc, timeout=GRACEFUL + 10)


def read_stream(response: Any, lines: queue.Queue[str | None]) -> None:
    """Queue the stream's lines until it ends (the server closed it, or cut it)."""
    try:
        while line := response.readline():
            lines.put(line.decode("utf-8").rstrip("\n"))
    except OSError:
        pass
    finally:
        lines.put(END)
        response.close()


def open_stream(session: WebSession, slug: str) -> queue.Queue[str | None]:
    response = session.stream(f"/api/v1/documents/{slug}/events")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=read_stream, args=(response, lines), daemon=True).start()
    assert lines.get(timeout=5) == ": connected"
    return lines


def next_event(lines: queue.Queue[str | None], name: str, within: float) -> tuple[Any, int]:
    """The data of the next ``name`` event within ``within`` seconds, and the number of
    keep-alives seen before it."""
    deadline, keepalives, event = time.monotonic() + within, 0, ""
    while (left := deadline - time.monotonic()) > 0:
        line = lines.get(timeout=left)
        assert line is not END, f"the stream ended before a {name!r} event"
        if line == ": keep-alive":
            keepalives += 1
        elif line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event == name:
            return json.loads(line.removeprefix("data: ")), keepalives
    raise AssertionError(f"no {name!r} event within {within} s")


def test_the_config_runs_threads() -> None:
    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.threads >= 8  # each open editor page holds one


def test_streams_outlive_the_worker_timeout_and_carry_saves(
    gunicorn: tuple[str, Any, Path], document: tuple[str, int, int]
) -> None:
    url, proc, log = gunicorn
    slug, segment_id, version = document
    session = WebSession(url)
    session.sign_in(EMAIL, PASSWORD)
    first, second = open_stream(session, slug), open_stream(session, slug)

    # Two streams hold two threads; a third request is answered at once all the same.
    started = time.monotonic()
    reply = session.get(f"/api/v1/segments/{segment_id}")
    assert reply.status == 200 and reply.json()["text"] == "The cat sleeps."
    assert time.monotonic() - started < TIMEOUT

    time.sleep(TIMEOUT + 1.5)  # longer than a silent worker may live
    saved = session.send(
        "PUT", f"/api/v1/segments/{segment_id}", {"text": "The cat naps."}, version
    )
    assert saved.status == 200, saved.text
    for lines in (first, second):
        data, keepalives = next_event(lines, "segment", within=5)
        assert data["segment"]["id"] == segment_id
        assert data["segment"]["text"] == "The cat naps."
        assert keepalives * KEEPALIVE >= TIMEOUT  # open all along, past the worker timeout

    # One worker all along: no "WORKER TIMEOUT", no second boot.
    output = log.read_text()
    assert "Using worker: gthread" in output
    assert "WORKER TIMEOUT" not in output and output.count("Booting worker") == 1

    # SIGTERM with both streams open: they are cut and gunicorn is gone within the
    # graceful timeout (plus the arbiter's one-second tick).
    took = stop_group(proc, timeout=GRACEFUL + 10)
    assert took < GRACEFUL + 2, f"gunicorn took {took:.1f} s to stop"
    assert proc.returncode == 0, log.read_text()
    for lines in (first, second):
        while (line := lines.get(timeout=5)) is not END:
            assert not line.startswith("event: ")


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_worker_freezes_its_loaded_app_after_collecting_the_garbage() -> None:
    """gunicorn's workers (``post_worker_init``) keep the loaded app out of the full
    collections, which cost the dashboard 75 ms one request in five; garbage already
    there is collected first, not kept for ever."""
    gc.unfreeze()
    garbage = _Cycle()
    gone = weakref.ref(garbage)
    kept = _Cycle()
    del garbage
    try:
        gunicorn_conf.post_worker_init(object())
        assert gone() is None
        assert gc.get_freeze_count() > 10_000  # the modules, the app's classes...
        assert not gc.is_tracked(kept) or kept not in gc.get_objects(generation=2)
    finally:
        gc.unfreeze()
