"""What the ``translator`` commands share: how a domain error ends a command, how a
result is printed, how a command waits for its job."""

from __future__ import annotations

import json
import time
from typing import Any, NoReturn

import click

from translator.errors import TranslatorError
from translator.extensions import db
from translator.services.jobs import get_job, reap_stale_jobs


def fail(exc: TranslatorError) -> NoReturn:
    """End the command on a domain error: nothing of it is kept, the message is shown
    (exit status 1)."""
    db.session.rollback()
    raise click.ClickException(str(exc)) from exc


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON, non-ASCII kept."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def wait_for_job(job_id: str, timeout: float = 3600) -> Any:
    """Poll the job until it is done; reaping as it goes, a job whose worker died ends
    failed within the heartbeat timeout instead of being waited for until ``timeout``."""
    deadline = time.monotonic() + timeout
    last = -1
    next_reap = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() >= next_reap:
            reap_stale_jobs()
            next_reap = time.monotonic() + 2
        db.session.expire_all()
        job = get_job(job_id)
        if job.progress != last:
            click.echo(f"{job.state} {job.progress}% {job.message}", err=True)
            last = job.progress
        if job.done:
            return job
        time.sleep(0.25)
    raise click.ClickException(f"job {job_id} did not finish in {timeout:.0f} s")
