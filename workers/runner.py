"""The one way a task runs a job: claim it, beat while working, commit the work and the
job's success together, or record the failure on a fresh connection. Tasks stay thin:
they say what the work is.

Why a rerun changes nothing (docs/jobs.md): the work and ``finish_job`` are committed in
one transaction, fenced by the attempt that claimed the job. A worker killed before that
commit leaves nothing behind (the database rolls the transaction back) and the job is
failed by the reaper; killed after it, before the broker's ack, the redelivered message
finds the job succeeded and is ignored. Only a pending job is ever claimed."""

from __future__ import annotations

import enum
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from translator.errors import Conflict, InputError, TranslatorError
from translator.extensions import db
from translator.models import Job
from translator.services.jobs import (
    INTERNAL,
    REFUSED,
    WORKER_LOST,
    WORKER_LOST_MESSAGE,
    JobLost,
    claim_job,
    finish_job,
    record_failure,
)
from workers.heartbeat import Heartbeat

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]

# Every task: the Job row is the result; a database that is away when the job is
# claimed (nothing done yet) is retried with backoff, everything later is recorded.
TASK_OPTIONS: dict[str, Any] = {
    "ignore_result": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 6,
}
INTERNAL_MESSAGE = "internal error; nothing was changed"


class Outcome(enum.Enum):
    SKIPPED = "skipped"  # not pending: a duplicate or late delivery, nothing done
    SUCCEEDED = "succeeded"
    REFUSED = "refused"  # the input was refused: running it again as is cannot help
    CRASHED = "crashed"  # an unexpected error (logged): a retry may work
    LOST = "lost"  # the reaper failed the job while it ran: its work was rolled back


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _discard_session() -> None:
    """Throw the task's session away, whatever state its failure left it in."""
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        log.debug("rollback of a failed job's session failed", exc_info=True)
    db.session.remove()


def explain(exc: BaseException, params: dict[str, Any]) -> TranslatorError | None:
    """A database error that the input caused, as the refusal a person understands
    (the services check first; these are the races and bytes their checks miss)."""
    text = str(getattr(exc, "orig", exc))
    if isinstance(exc, IntegrityError):
        diag = getattr(getattr(exc, "orig", None), "diag", None)
        constraint = getattr(diag, "constraint_name", None) or text
        if "uq_editions_document_id_language" in constraint or (
            "editions.document_id, editions.language" in constraint
        ):
            language = params.get("language") or "this language"
            return Conflict(f"this document already has an edition in {language}", field="language")
    if isinstance(exc, DataError | ValueError) and "NUL" in text:
        return InputError(
            "the text contains a NUL character (U+0000), which cannot be stored",
            file=params.get("filename"),
        )
    return None


def run_job(job_id: str, work: Callable[[Job, Progress], dict[str, Any]]) -> Outcome:
    """Run ``work(job, progress)`` for a pending job; its result becomes the job's.

    ``progress(percent, message)`` goes to the heartbeat thread, which writes it on its
    own connection: the work stays one transaction, committed once with the job's
    success. Any failure throws that session away and is written on a fresh connection
    (a refusal with the service's message, anything else as an internal error, logged)."""
    job = claim_job(job_id, worker_name())
    if job is None:
        db.session.rollback()
        log.info("job %s is not pending: delivery ignored", job_id)
        return Outcome.SKIPPED
    db.session.commit()
    attempt, kind = job.attempts, job.kind
    params = dict(job.params or {})
    interval = float(current_app.config["JOB_HEARTBEAT_INTERVAL"])
    heartbeat = Heartbeat(db.engine, job_id, attempt, interval).start()
    try:
        result = work(job, heartbeat.progress)
        finish_job(job, result, message="done")
        db.session.commit()
        return Outcome.SUCCEEDED
    except JobLost:
        _discard_session()
        log.warning("job %s (%s) was reaped while it ran; its work is rolled back", job_id, kind)
        return Outcome.LOST
    except Exception as exc:
        _discard_session()
        refusal = exc if isinstance(exc, TranslatorError) else explain(exc, params)
        if refusal is None:
            log.exception("job %s (%s) crashed", job_id, kind)
            record_failure(job_id, INTERNAL_MESSAGE, reason=INTERNAL, attempt=attempt)
            return Outcome.CRASHED
        detail = refusal.to_dict()
        record_failure(job_id, str(refusal), reason=REFUSED, detail=detail, attempt=attempt)
        return Outcome.REFUSED
    except BaseException:
        # The worker is being stopped the hard way (a second SIGTERM, SIGQUIT): say so
        # now rather than when the reaper notices.
        _discard_session()
        record_failure(job_id, WORKER_LOST_MESSAGE, reason=WORKER_LOST, attempt=attempt)
        raise
    finally:
        heartbeat.stop()
