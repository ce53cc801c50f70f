"""The embedded background worker of `translator serve`: started in a process group of
its own, stopped with the server (SIGTERM, then SIGKILL after a bound), never orphaned.

On SIGTERM (systemd's or a container runtime's stop) or SIGINT, `serve` ends werkzeug's
loop; its ``finally`` then calls ``stop_worker``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click


def worker_argv(extra: list[str] | None = None) -> list[str]:
    """`celery worker` on this app, with ``extra`` arguments (what `translator worker` runs)."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app",
        "worker",
        "--loglevel=INFO",
        *(extra or []),
    ]


WORKER_STOP_TIMEOUT = 8.0  # under the 10 s a container runtime waits before SIGKILL


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the worker gets SIGTERM if `serve` dies without stopping it (SIGKILL)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_worker() -> subprocess.Popen[bytes]:
    """The embedded worker, in a process group of its own: a Ctrl+C or a signal to
    `serve`'s group reaches `serve` only, which then stops the worker itself."""
    return subprocess.Popen(  # noqa: S603
        worker_argv(["--pool=solo", "--concurrency=1"]),
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(worker: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM to the worker's group (a warm shutdown: the job in hand may finish), then
    SIGKILL after ``timeout`` s; a job it was running is then failed by the reaper."""
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        click.echo(f"background worker did not stop in {timeout:.0f} s: killed", err=True)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
