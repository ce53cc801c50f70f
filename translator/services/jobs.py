"""Background jobs: the Job row and the one seam that enqueues Celery tasks by name.

Tasks live in ``workers/``; ``translator`` never imports them. Enqueueing goes through
``celery.signature(name).apply_async`` so the embedded eager mode and a real worker take
the same path. The boundary commits the Job row *before* calling ``enqueue_job``."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Job, JobState
from translator.models._types import utcnow

# Job kind -> registered Celery task name. A test asserts every name is registered.
TASKS: dict[str, str] = {
    "import": "translator.import_edition",
    "align": "translator.align_document",
}


def create_job(
    kind: str,
    params: dict[str, Any],
    *,
    document_id: int | None = None,
    user_id: int | None = None,
) -> Job:
    """A pending job of ``kind`` (one of TASKS)."""
    if kind not in TASKS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, document_id=document_id, user_id=user_id)
    db.session.add(job)
    db.session.flush()
    return job


def enqueue_job(job: Job) -> None:
    """Send the job's task to the broker (or run it eagerly). Call after commit."""
    celery = current_app.extensions["celery"]
    celery.signature(TASKS[job.kind], args=[job.id]).apply_async()


def run_job_here(job: Job) -> None:
    """Run the job's task in this process, through Celery like a worker would (the CLI's
    --local). Call after commit."""
    celery = current_app.extensions["celery"]
    celery.loader.import_default_modules()
    celery.tasks[TASKS[job.kind]].apply(args=[job.id])


def get_job(job_id: str) -> Job:
    """The job with this id, or NotFound."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r}", field="job")
    return job


def start_job(job_id: str) -> Job | None:
    """Mark a job running; None if it is unknown or already finished (a duplicate
    delivery of a finished job changes nothing)."""
    job = db.session.get(Job, job_id)
    if job is None or job.done:
        return None
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = job.started_at or utcnow()
    job.progress = 0
    db.session.flush()
    return job


def set_job_progress(job: Job, progress: int, message: str = "") -> None:
    """Record progress (0-100) and a short status message."""
    job.progress = max(0, min(100, progress))
    if message:
        job.message = message
    db.session.flush()


def finish_job(job: Job, result: dict[str, Any], message: str = "") -> None:
    """Mark the job succeeded with its result."""
    job.state = JobState.SUCCEEDED
    job.progress = 100
    job.result = result
    job.message = message
    job.finished_at = utcnow()
    if job.result.get("document_id"):
        job.document_id = job.result["document_id"]
    db.session.flush()


def fail_job(job: Job, message: str, detail: dict[str, Any] | None = None) -> None:
    """Mark the job failed with a message a person can act on."""
    job.state = JobState.FAILED
    job.message = message
    job.result = detail
    job.finished_at = utcnow()
    db.session.flush()


def recent_jobs(limit: int = 20) -> list[Job]:
    """The latest jobs, newest first."""
    return list(db.session.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit)))
