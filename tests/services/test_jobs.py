"""The job service: the reaper, the fenced writes of a worker, failures on a fresh
connection, Retry, a broker that cannot be reached, and the sweep of old uploads."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import dispose_engines, make_app
from translator.errors import Conflict, InputError, Unavailable
from translator.extensions import db as _db
from translator.models import Job, JobState
from translator.models._types import utcnow
from translator.services.jobs import (
    NOT_PICKED_UP,
    QUEUE_UNREACHABLE,
    WORKER_LOST,
    WORKER_LOST_MESSAGE,
    JobLost,
    active_job,
    beat_job,
    can_retry,
    claim_job,
    create_job,
    enqueue_job,
    finish_job,
    reap_stale_jobs,
    record_failure,
    retry_job,
)
from translator.services.uploads import sweep_uploads


def _job(db: Any, state: JobState = JobState.PENDING, **fields: Any) -> Job:
    job = Job(kind=fields.pop("kind", "align"), params=fields.pop("params", {}), state=state)
    for name, value in fields.items():
        setattr(job, name, value)
    db.session.add(job)
    db.session.commit()
    return job


def _fresh(db: Any, job_id: str) -> Job:
    return db.session.get(Job, job_id, populate_existing=True)


def ago(seconds: float) -> Any:
    return utcnow() - timedelta(seconds=seconds)


def test_reaper_fails_running_jobs_whose_heartbeat_stopped(db: Any) -> None:
    dead = _job(db, JobState.RUNNING, heartbeat_at=ago(61), attempts=1, started_at=ago(300))
    alive = _job(db, JobState.RUNNING, heartbeat_at=ago(5), attempts=1, started_at=ago(300))
    legacy = _job(db, JobState.RUNNING, started_at=ago(120))  # no heartbeat column yet
    queued = _job(db, JobState.PENDING, created_at=ago(120))
    forgotten = _job(db, JobState.PENDING, created_at=ago(3601))
    done = _job(db, JobState.SUCCEEDED, heartbeat_at=ago(600))
    assert sorted(reap_stale_jobs()) == sorted([dead.id, legacy.id, forgotten.id])
    dead = _fresh(db, dead.id)
    assert dead.state == JobState.FAILED and dead.message == WORKER_LOST_MESSAGE
    assert dead.result == {"error": WORKER_LOST_MESSAGE, "reason": WORKER_LOST}
    assert dead.finished_at is not None
    assert _fresh(db, forgotten.id).result["reason"] == NOT_PICKED_UP
    assert "no worker picked this job up within 60 minutes" in _fresh(db, forgotten.id).message
    for job in (alive, queued):
        assert _fresh(db, job.id).state in (JobState.RUNNING, JobState.PENDING)
    assert _fresh(db, done.id).state == JobState.SUCCEEDED
    assert reap_stale_jobs() == []  # once


def test_reaper_bound_is_a_setting(app: Flask, db: Any, monkeypatch: Any) -> None:
    job = _job(db, JobState.RUNNING, heartbeat_at=ago(3), attempts=1)
    assert reap_stale_jobs() == []
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_TIMEOUT", 2)
    assert reap_stale_jobs() == [job.id]


def test_only_a_pending_job_is_claimed(db: Any) -> None:
    job = _job(db)
    claimed = claim_job(job.id, "host:1")
    assert claimed is not None and claimed.state == JobState.RUNNING
    assert claimed.attempts == 1 and claimed.worker == "host:1" and claimed.heartbeat_at
    db.session.commit()
    # A duplicate delivery while it runs, or after it ended, changes nothing.
    assert claim_job(job.id, "host:2") is None
    assert _fresh(db, job.id).worker == "host:1"
    assert claim_job("no-such-job", "host:2") is None


def test_a_reaped_job_stays_failed_whatever_its_old_worker_writes(db: Any) -> None:
    job = _job(db)
    running = claim_job(job.id, "host:1")
    db.session.commit()
    attempt = running.attempts
    _db.session.execute(
        sa.update(Job).where(Job.id == job.id).values(heartbeat_at=ago(120))
    )  # its worker went silent
    db.session.commit()
    assert reap_stale_jobs() == [job.id]
    with _db.engine.connect() as connection:
        assert beat_job(connection, job.id, attempt, (50, "aligning")) is False
    with pytest.raises(JobLost):
        finish_job(_fresh(db, job.id), {"units": 3})
    db.session.rollback()
    assert record_failure(job.id, "late", reason="internal", attempt=attempt) is False
    job = _fresh(db, job.id)
    assert job.state == JobState.FAILED and job.message == WORKER_LOST_MESSAGE
    assert job.progress == 0


def test_heartbeat_and_progress_are_written_on_their_own_connection(db: Any) -> None:
    job = _job(db)
    claim_job(job.id, "host:1")
    db.session.commit()
    before = _fresh(db, job.id).heartbeat_at
    time.sleep(0.01)
    with _db.engine.connect() as connection:
        assert beat_job(connection, job.id, 1, (150, "segmenting")) is True
    job = _fresh(db, job.id)
    assert job.progress == 100 and job.message == "segmenting"
    assert job.heartbeat_at > before


def test_failure_is_recorded_without_the_callers_session(db: Any) -> None:
    job = _job(db)
    _db.session.execute(sa.select(Job)).all()  # the caller's session holds a transaction
    assert record_failure(job.id, "bad \x00 byte", reason="refused", detail={"field": "title"})
    _db.session.rollback()
    job = _fresh(db, job.id)
    assert job.state == JobState.FAILED and job.message == "bad \ufffd byte"
    assert job.result == {"error": "bad \ufffd byte", "field": "title", "reason": "refused"}


@pytest.fixture
def unreachable_broker(tmp_path: Path, database_url: str, app: Flask) -> Any:
    """An app whose broker is a closed port (nothing listens on port 1)."""
    broken = make_app(
        tmp_path,
        database_url,
        CELERY={"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0"},
    )
    yield broken
    dispose_engines(broken)


def test_unreachable_broker_fails_the_job_quickly(unreachable_broker: Flask, db: Any) -> None:
    with unreachable_broker.app_context():
        job = create_job("align", {"pivot": "en"})
        _db.session.commit()
        job_id = job.id
        started = time.monotonic()
        with pytest.raises(Unavailable, match="the job queue is unreachable"):
            enqueue_job(job)
        assert time.monotonic() - started < 5
        _db.session.remove()
    job = _fresh(db, job_id)
    assert job.state == JobState.FAILED and job.message == "the job queue is unreachable"
    assert job.result["reason"] == QUEUE_UNREACHABLE


def test_active_job_ignores_dead_ones(db: Any, import_text: Any) -> None:
    from translator.models import Document

    import_text("One.\n", "en", title="Doc")
    document_id = db.session.scalar(sa.select(Document.id))
    dead = _job(db, JobState.RUNNING, document_id=document_id, heartbeat_at=ago(120))
    assert active_job(document_id, "align") is None
    assert _fresh(db, dead.id).state == JobState.FAILED
    waiting = _job(db, JobState.PENDING, document_id=document_id)
    assert active_job(document_id, "align").id == waiting.id
    assert active_job(document_id, "import") is None


def test_retry_repeats_a_failed_job_once(db: Any, import_text: Any, tmp_path: Path) -> None:
    from translator.models import Document

    import_text("One.\n", "en", title="Doc")
    document_id = db.session.scalar(sa.select(Document.id))
    failed = _job(db, JobState.FAILED, document_id=document_id, params={"pivot": "en"})
    assert can_retry(failed)
    retry = retry_job(failed, user_id=None)
    db.session.commit()
    assert (retry.kind, retry.params, retry.document_id) == ("align", {"pivot": "en"}, document_id)
    assert retry.state == JobState.PENDING and retry.retry_of == failed.id
    assert not can_retry(failed)
    with pytest.raises(Conflict, match="already retried"):
        retry_job(failed, user_id=None)
    with pytest.raises(Conflict, match="only a failed job"):
        retry_job(retry, user_id=None)
    # An import needs its upload still there.
    upload = tmp_path / "essay.txt"
    upload.write_text("One.")
    lost = _job(db, JobState.FAILED, kind="import", params={"path": str(upload)})
    assert can_retry(lost)
    upload.unlink()
    assert not can_retry(lost)
    with pytest.raises(InputError, match="the uploaded file is gone"):
        retry_job(lost, user_id=None)


def test_retry_of_an_alignment_waits_for_the_running_one(db: Any, import_text: Any) -> None:
    from translator.models import Document

    import_text("One.\n", "en", title="Doc")
    document_id = db.session.scalar(sa.select(Document.id))
    failed = _job(db, JobState.FAILED, document_id=document_id)
    _job(db, JobState.RUNNING, document_id=document_id, heartbeat_at=utcnow())
    with pytest.raises(Conflict, match="already being aligned"):
        retry_job(failed, user_id=None)


def test_sweep_removes_only_uploads_no_import_needs(app: Flask, db: Any) -> None:
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    day = app.config["JOB_UPLOAD_RETENTION"]
    old = time.time() - day - 60
    files = {name: folder / name for name in ("orphan", "queued", "retryable", "expired", "new")}
    for path in files.values():
        path.write_text("x")
        os.utime(path, (old, old))
    os.utime(files["new"], None)
    _job(db, kind="import", params={"path": str(files["queued"])})
    _job(
        db,
        JobState.FAILED,
        kind="import",
        params={"path": str(files["retryable"])},
        finished_at=ago(60),
    )
    _job(
        db,
        JobState.FAILED,
        kind="import",
        params={"path": str(files["expired"])},
        finished_at=ago(day + 60),
    )
    deleted = sweep_uploads()
    assert sorted(p.name for p in deleted) == ["expired", "orphan"]
    assert sorted(p.name for p in folder.iterdir() if p.name in files) == [
        "new",
        "queued",
        "retryable",
    ]
    for path in folder.iterdir():
        path.unlink()
