"""Background jobs: the Job row, the one seam that enqueues Celery tasks by name, and
the reaper that fails the jobs whose worker died (docs/jobs.md tells the whole story).

Tasks live in ``workers/``; ``translator`` never imports them. Enqueueing goes through
``celery.signature(name).apply_async`` so the embedded eager mode and a real worker take
the same path. The boundary commits the Job row *before* calling ``enqueue_job``; if the
broker cannot take the task, the job is failed at once (never left pending).

A worker ``claim_job``s a pending job (running, one attempt more), renews its heartbeat
(``beat_job``, on a connection of its own) and commits the work together with
``finish_job``. Every write after the claim is fenced by (running, same attempt): once
the reaper has failed a job, a late write of its old worker changes nothing. Failures
are written by ``record_failure`` on a fresh connection, never the session that failed."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import Connection, CursorResult, and_, func, or_, select, update
from sqlalchemy.exc import DBAPIError

from translator.errors import Conflict, InputError, NotFound, Unavailable
from translator.extensions import db
from translator.models import Job, JobState
from translator.models._types import utcnow

log = logging.getLogger(__name__)

# Job kind -> registered Celery task name. A test asserts every name is registered.
TASKS: dict[str, str] = {
    "import": "translator.import_edition",
    "align": "translator.align_document",
    "export": "translator.export_document",
    "translations": "translator.import_translations",
}

# Tasks that leave no Job row, enqueued by name through the same seam (``enqueue_task``).
MAIL_TASK = "translator.send_mail"
NOTIFICATION_TICK_TASK = "translator.notification_tick"  # run by Celery beat, by name

# Jobs that read an uploaded file (``params["path"]``), kept for Retry until swept.
UPLOAD_KINDS = frozenset({"import", "translations"})

# Why a job failed, in ``job.result["reason"]`` (the job page words each one).
REFUSED = "refused"  # the service refused the input (message names the problem)
INTERNAL = "internal"  # an unexpected error (a bug, the database): logged
WORKER_LOST = "worker_lost"  # the reaper found its heartbeat stale
NOT_PICKED_UP = "not_picked_up"  # pending longer than JOB_PENDING_TIMEOUT
QUEUE_UNREACHABLE = "queue_unreachable"  # the broker refused the task

WORKER_LOST_MESSAGE = (
    "the worker running this job stopped (killed or crashed); nothing was changed — retry"
)
QUEUE_UNREACHABLE_MESSAGE = "the job queue is unreachable"
FAILURE_WRITE_DELAYS = (0.5, 1.0, 2.0)  # retries of a failure write while the db is away


class JobLost(Exception):
    """The job is no longer this worker's: the reaper failed it (its heartbeat was stale)."""


def create_job(
    kind: str,
    params: dict[str, Any],
    *,
    document_id: int | None = None,
    user_id: int | None = None,
    retry_of: str | None = None,
) -> Job:
    """A pending job of ``kind`` (one of TASKS)."""
    if kind not in TASKS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, document_id=document_id, user_id=user_id, retry_of=retry_of)
    db.session.add(job)
    db.session.flush()
    return job


def enqueue_job(job: Job) -> None:
    """Send the job's task to the broker (or run it eagerly). Call after commit.

    The publish is bounded (``BROKER_TIMEOUT``, two quick retries). If it fails the job
    is marked failed ("the job queue is unreachable", committed on its own connection)
    and Unavailable is raised: a job is either queued or failed, never pending for ever."""
    job_id = job.id
    celery = current_app.extensions["celery"]
    try:
        celery.signature(TASKS[job.kind], args=[job_id]).apply_async()
    except (BrokerError, OSError) as exc:
        log.warning("job %s: the broker refused the task: %s", job_id, exc)
        record_failure(job_id, QUEUE_UNREACHABLE_MESSAGE, reason=QUEUE_UNREACHABLE)
        raise Unavailable(QUEUE_UNREACHABLE_MESSAGE) from exc


def enqueue_task(name: str, *args: Any) -> None:
    """Send a task that is not a job (e-mail) to the broker, or run it eagerly, with
    JSON arguments. Call after commit. The broker's errors reach the caller."""
    celery = current_app.extensions["celery"]
    celery.signature(name, args=list(args)).apply_async()


def run_job_here(job: Job) -> None:
    """Run the job's task in this process, through Celery like a worker would (the CLI's
    --local). Call after commit."""
    celery = current_app.extensions["celery"]
    celery.loader.import_default_modules()
    celery.tasks[TASKS[job.kind]].apply(args=[job.id])


def get_job(job_id: str) -> Job:
    """The job with this id as the database has it now (workers change it), or NotFound."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound(f"no job {job_id!r}", field="job")
    return job


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def claim_job(job_id: str, worker: str) -> Job | None:
    """Mark a pending job running for ``worker`` ("host:pid"), one attempt more; None if
    it is unknown or not pending. Only a pending job runs: a duplicate or late delivery
    of a job that is running, finished or was failed by the reaper changes nothing."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.PENDING)
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            started_at=func.coalesce(Job.started_at, now),
            heartbeat_at=now,
            worker=worker[:255],
            progress=0,
        )
        .execution_options(synchronize_session=False)
    )
    if _rowcount(claimed) != 1:
        return None
    return db.session.get(Job, job_id, populate_existing=True)


def _held(job_id: str, attempt: int) -> Any:
    """The fence of every write a worker makes to its job after the claim."""
    return and_(Job.id == job_id, Job.state == JobState.RUNNING, Job.attempts == attempt)


def beat_job(
    connection: Connection, job_id: str, attempt: int, progress: tuple[int, str] | None = None
) -> bool:
    """Renew a running job's heartbeat (and record its progress, 0-100, and a short
    status message) on the worker's own ``connection``, committed at once. False when
    the job is no longer this attempt's (the reaper failed it)."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = max(0, min(100, progress[0]))
        if progress[1]:
            values["message"] = progress[1]
    result = connection.execute(update(Job).where(_held(job_id, attempt)).values(**values))
    connection.commit()
    return _rowcount(result) == 1


def finish_job(job: Job, result: dict[str, Any], message: str = "") -> None:
    """Mark the job succeeded with its result, in the session (and so the transaction)
    of its work: both are committed together or not at all. Raises JobLost, to roll the
    work back, when the job is no longer this attempt's."""
    values: dict[str, Any] = {
        "state": JobState.SUCCEEDED,
        "progress": 100,
        "result": result,
        "message": message,
        "finished_at": utcnow(),
        "heartbeat_at": utcnow(),
    }
    if result.get("document_id"):
        values["document_id"] = result["document_id"]
    done = db.session.execute(
        update(Job)
        .where(_held(job.id, job.attempts))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(done) != 1:
        raise JobLost(f"job {job.id} was failed by the reaper while it ran")


def _storable(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: a failure caused by one must still be written."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    return value


def record_failure(
    job_id: str,
    message: str,
    *,
    reason: str,
    detail: dict[str, Any] | None = None,
    attempt: int | None = None,
) -> bool:
    """Mark a job failed with a message a person can act on, on a connection of its own
    and committed at once: it must not depend on a session that just failed. A pending
    job, or (with ``attempt``) that attempt's running job, is failed; a finished one is
    left alone. Retried while the database is briefly away; logged if it never comes
    back (the reaper fails the job later). Returns whether the job was failed here."""
    values = {
        "state": JobState.FAILED,
        "message": _storable(message),
        "result": _storable({"error": message, **(detail or {}), "reason": reason}),
        "finished_at": utcnow(),
    }
    where = (
        _held(job_id, attempt)
        if attempt is not None
        else and_(Job.id == job_id, Job.state.in_([JobState.PENDING, JobState.RUNNING]))
    )
    for delay in (*FAILURE_WRITE_DELAYS, None):
        try:
            with db.engine.connect() as connection:
                failed = connection.execute(update(Job).where(where).values(**values))
                connection.commit()
                return _rowcount(failed) == 1
        except DBAPIError as exc:
            if delay is None:
                log.error("job %s: could not record its failure (%s): %s", job_id, message, exc)
                return False
            time.sleep(delay)
    return False  # pragma: no cover - the loop always returns


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def reap_stale_jobs() -> list[str]:
    """Fail the jobs no worker is working on; returns their ids.

    A running job whose heartbeat is older than ``JOB_HEARTBEAT_TIMEOUT`` lost its
    worker (killed, crashed, its machine gone): it is failed with WORKER_LOST_MESSAGE,
    not re-queued (a job that killed its worker would kill the next one) -- nothing of
    its work was committed, so the person can retry. A job pending for longer than
    ``JOB_PENDING_TIMEOUT`` was never picked up: failed too. Cheap (one indexed query)
    and safe to call anywhere, any number of processes at once: each job is failed by
    one conditional UPDATE on a connection of its own, committed at once. Call it before
    the caller's session writes (SQLite has one writer). Best effort: a database error
    is logged and the next call tries again."""
    config = current_app.config
    now = utcnow()
    silent_since = now - timedelta(seconds=config["JOB_HEARTBEAT_TIMEOUT"])
    queued_before = now - timedelta(seconds=config["JOB_PENDING_TIMEOUT"])
    last_sign = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    lost = and_(Job.state == JobState.RUNNING, last_sign < silent_since)
    forgotten = and_(Job.state == JobState.PENDING, Job.created_at < queued_before)
    minutes = round(config["JOB_PENDING_TIMEOUT"] / 60)
    reaped: list[str] = []
    try:
        with db.engine.connect() as connection:
            stale = connection.execute(
                select(Job.id, Job.state, Job.attempts).where(or_(lost, forgotten))
            ).all()
            for job_id, state, attempts in stale:
                if state == JobState.RUNNING:
                    fence, reason, message = lost, WORKER_LOST, WORKER_LOST_MESSAGE
                else:
                    fence, reason = forgotten, NOT_PICKED_UP
                    message = (
                        f"no worker picked this job up within {minutes} minutes; "
                        "nothing was changed — retry once a worker is running"
                    )
                failed = connection.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.attempts == attempts, fence)
                    .values(
                        state=JobState.FAILED,
                        message=message,
                        result={"error": message, "reason": reason},
                        finished_at=now,
                    )
                )
                connection.commit()
                if _rowcount(failed) == 1:
                    log.warning("job %s: %s", job_id, message)
                    reaped.append(job_id)
    except DBAPIError as exc:
        log.warning("reaping stale jobs failed, will try again: %s", exc)
    return reaped


def active_job(document_id: int, kind: str) -> Job | None:
    """The document's pending or running job of ``kind`` (after reaping stale ones)."""
    reap_stale_jobs()
    return db.session.scalar(
        select(Job)
        .where(
            Job.document_id == document_id,
            Job.kind == kind,
            Job.state.in_([JobState.PENDING, JobState.RUNNING]),
        )
        .order_by(Job.created_at.desc())
        .limit(1)
    )


def retry_of(job: Job) -> Job | None:
    """The job that retries ``job``, if someone retried it."""
    return db.session.scalar(select(Job).where(Job.retry_of == job.id))


def can_retry(job: Job) -> bool:
    """Whether Retry can run ``job`` again: it failed, nobody retried it yet, and its
    input is still there (an import's upload, an alignment's document)."""
    if job.state != JobState.FAILED or retry_of(job) is not None:
        return False
    if job.kind in UPLOAD_KINDS:
        return Path(str(job.params.get("path", ""))).is_file()
    return job.kind in ("align", "export") and job.document_id is not None


def retry_job(job: Job, *, user_id: int | None) -> Job:
    """A new pending job with the failed ``job``'s parameters (the boundary commits, then
    enqueues it). A job is retried once (``retry_of`` is unique): a second click finds
    the first retry. Nothing of a failed job was committed, so running it again cannot
    duplicate anything."""
    if job.state != JobState.FAILED:
        raise Conflict("only a failed job can be retried", field="job")
    if retry_of(job) is not None:
        raise Conflict("this job was already retried", field="job")
    if job.kind in UPLOAD_KINDS and not Path(str(job.params.get("path", ""))).is_file():
        raise InputError("the uploaded file is gone; import it again", field="file")
    if job.kind == "align":
        if job.document_id is None:
            raise NotFound("the document of this job no longer exists", field="document")
        if active_job(job.document_id, "align") is not None:
            raise Conflict("this document is already being aligned", field="document")
    return create_job(
        job.kind,
        dict(job.params),
        document_id=job.document_id if job.kind != "import" else None,
        user_id=user_id,
        retry_of=job.id,
    )


def recent_jobs(limit: int = 20) -> list[Job]:
    """The latest jobs, newest first."""
    return list(db.session.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit)))
