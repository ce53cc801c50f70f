"""gunicorn settings for production (README.md, "Production"):

    gunicorn -c python:translator.gunicorn_conf 'translator:create_app()'

Sizing: every open editor page holds one request open, its event stream (GET
/api/v1/documents/<slug>/events), and a gthread worker gives each request in progress
a thread of its own. So ``workers × threads`` must exceed the editor pages open at once
plus the ordinary requests in flight (a few per active user); past that, requests wait
in line for a thread. A waiting stream costs little: it sleeps on its Redis
subscription (one Redis connection each) and holds no database connection. Example:
40 people with the editor open, 2 workers × 32 threads = 64, leaves 24 for the rest.
Command-line options (``--bind``, ``--workers``, ``--threads``...) override these.
"""

from __future__ import annotations

import os


def _env(name: str, default: str) -> str:
    return os.environ.get("TRANSLATOR_" + name) or default


bind = [_env("BIND", "127.0.0.1:8000")]
workers = int(_env("WEB_WORKERS", "2"))
# Threads, not processes per request: an event stream ties up a thread, not a worker.
worker_class = "gthread"
threads = int(_env("WEB_THREADS", "32"))
# A gthread worker reports to the arbiter from its own event loop, not from the request
# threads, so a stream open for hours does not make it "silent"; only a stuck loop is
# killed after this many seconds.
timeout = 30
# On SIGTERM, or on a reload (SIGHUP), a worker finishes its requests for this long.
# Event streams never finish by themselves: they are cut then, and the editor reconnects.
graceful_timeout = 15
# gunicorn >= 25.1 opens a control socket at one path per user, which two instances
# would share; signals (TERM, HUP, TTIN/TTOU) do its work.
control_socket_disable = True
accesslog = "-"  # stdout, one line per request
errorlog = "-"
# No preload_app: each worker builds its own app, so no database or Redis connection
# is shared across the fork.


def post_worker_init(worker: object) -> None:
    """Each worker has built its app: keep its objects out of the garbage collector's
    full rounds (``translator.app.freeze_loaded_objects``)."""
    from translator.app import freeze_loaded_objects

    freeze_loaded_objects()
