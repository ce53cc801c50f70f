"""``translator serve`` (the web app with its embedded worker) and ``worker``."""

from __future__ import annotations

import os
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import BaseWSGIServer, make_server

from translator.app import freeze_loaded_objects
from translator.embedded import (
    WORKER_STOP_TIMEOUT,
    start_worker,
    stop_worker,
    worker_argv,
)


@click.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker_command(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to `celery worker`)."""
    os.execv(sys.executable, worker_argv(list(celery_args)))  # noqa: S606


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start the embedded background worker.")
@click.option(
    "--worker-stop-timeout",
    default=WORKER_STOP_TIMEOUT,
    show_default=True,
    type=float,
    help="Seconds the embedded worker may take to stop before it is killed.",
)
@with_appcontext
def serve_command(host: str, port: int, no_worker: bool, worker_stop_timeout: float) -> None:
    """Serve the web app, with an embedded background worker.

    SIGTERM (what systemd and container runtimes send) or SIGINT stops the server, then
    the worker (SIGTERM, SIGKILL after --worker-stop-timeout): nothing is left behind."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade()
    freeze_loaded_objects()
    # app.run() refuses to run inside a flask CLI command; build werkzeug's server here.
    server = make_server(host, port, app, threaded=True)
    # SIGTERM and SIGINT end the loop from another thread: a KeyboardInterrupt raised
    # where the main thread happens to be could land in a finalizer, which swallows it,
    # and the signal would be lost.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: _shut_down_soon(server))
    worker = None
    try:
        if not no_worker:
            worker = start_worker()
            click.echo(f"background worker started (pid {worker.pid})")
        click.echo(f"serving on http://{host}:{server.port}", err=True)
        server.serve_forever()
    finally:
        # A second signal while the worker stops must not cut the stop short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if worker is not None:
            stop_worker(worker, worker_stop_timeout)
            click.echo("background worker stopped", err=True)


def _shut_down_soon(server: BaseWSGIServer) -> None:
    """Stop ``server``'s loop: ``shutdown`` waits for the loop, so not from its thread."""
    threading.Thread(target=server.shutdown, daemon=True).start()
