"""The one way a task runs a job: mark it running, report progress, commit the work
once, or record the failure. Tasks stay thin: they say what the work is."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from translator.errors import TranslatorError
from translator.extensions import db
from translator.models import Job
from translator.services.jobs import fail_job, finish_job, set_job_progress, start_job

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]


def _fail(job_id: str, message: str, detail: dict[str, Any] | None = None) -> None:
    """Throw away the half-done work, then record the failure on the job row."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    if job is not None:
        fail_job(job, message, detail)
        db.session.commit()


def run_job(job_id: str, work: Callable[[Job, Progress], dict[str, Any]]) -> bool:
    """Run ``work(job, progress)`` for a pending job; its result becomes the job's.

    Progress is committed as it comes (only the job row is dirty while the work reads
    and computes); the work itself is committed once at the end. A finished job, or a
    duplicate delivery of one, is left alone. Returns whether the work succeeded."""
    job = start_job(job_id)
    if job is None:
        return False
    db.session.commit()
    running: Job = job

    def progress(percent: int, message: str) -> None:
        set_job_progress(running, percent, message)
        db.session.commit()

    try:
        result = work(running, progress)
        finish_job(running, result, message="done")
        db.session.commit()
    except TranslatorError as exc:
        _fail(job_id, str(exc), exc.to_dict())
        return False
    except Exception:
        log.exception("job %s (%s) crashed", job_id, running.kind)
        _fail(job_id, "internal error; nothing was changed")
        raise
    return True
