"""How a task runs a job (``workers.runner.run_job``), in this process: a duplicate
delivery changes nothing, the work is committed once with the job's success or not at
all, and any failure -- a database error included, on a broken session -- ends the job
failed with a message a person understands, never stuck running."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import SHARED
from translator.extensions import db as _db
from translator.models import Document, Edition, Job, JobState, StructureChange, Unit
from translator.models._types import utcnow
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.jobs import (
    WORKER_LOST_MESSAGE,
    can_retry,
    create_job,
    reap_stale_jobs,
    retry_job,
    run_job_here,
)
from workers.runner import INTERNAL_MESSAGE, Outcome, run_job

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
EN = "One sentence here. Another one there.\n\nA new paragraph. Its end.\n"
FR = "Une phrase ici. Une autre par là.\n\nUn nouveau paragraphe. Sa fin.\n"


@pytest.fixture
def postgres(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (its errors and row locks)")


def count(model: Any) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def fresh(job_id: str) -> Job:
    return _db.session.get(Job, job_id, populate_existing=True)


def import_job(app: Flask, data: bytes, language: str = "en", **params: Any) -> str:
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    upload = folder / f"{language}-{time.monotonic_ns()}.txt"
    upload.write_bytes(data)
    job = create_job(
        "import",
        {"path": str(upload), "filename": "essay.txt", "language": language, **params},
    )
    _db.session.commit()
    return job.id


def deliver(job_id: str) -> Job:
    """One delivery of the job's task, as a worker would run it."""
    run_job_here(fresh(job_id))
    _db.session.remove()
    return fresh(job_id)


def test_an_import_delivered_twice_imports_once(app: Flask, db: Any) -> None:
    job_id = import_job(app, ESSAY.read_bytes())
    first = deliver(job_id)
    assert first.state == JobState.SUCCEEDED and first.attempts == 1
    units = count(Unit)
    second = deliver(job_id)  # e.g. redelivered: the worker died after commit, before ack
    assert second.state == JobState.SUCCEEDED and second.attempts == 1
    assert second.finished_at == first.finished_at
    assert (count(Document), count(Edition), count(Unit)) == (1, 1, units)
    assert not Path(first.params["path"]).exists()


def test_an_alignment_delivered_twice_aligns_once(app: Flask, db: Any, import_text: Any) -> None:
    slug = import_text(EN, "en", title="Pair").document
    import_text(FR, "fr", document=slug)
    job = create_job("align", {"pivot": "en"}, document_id=get_document(slug).id)
    db.session.commit()
    assert deliver(job.id).state == JobState.SUCCEEDED
    units = count(Unit)
    assert deliver(job.id).attempts == 1
    assert count(Unit) == units == 4
    kinds = db.session.scalars(sa.select(StructureChange.kind)).all()
    assert [str(k) for k in kinds] == ["alignment"]


def test_a_crash_commits_nothing_and_its_retry_imports_once(app: Flask, db: Any) -> None:
    job_id = import_job(app, EN.encode())

    def crashing(job: Job, progress: Any) -> dict[str, Any]:
        prepared = prepare_import(EN.encode(), "essay.txt", "en")
        store_import(prepared, title="Essay")  # flushed, never committed
        progress(50, "half way")
        raise RuntimeError("the machine fell over")

    assert run_job(job_id, crashing) is Outcome.CRASHED
    job = fresh(job_id)
    assert job.state == JobState.FAILED and job.message == INTERNAL_MESSAGE
    assert count(Document) == 0
    assert Path(job.params["path"]).exists() and can_retry(job)  # kept for Retry
    retry = retry_job(job, user_id=None)
    db.session.commit()
    retried = deliver(retry.id)
    assert retried.state == JobState.SUCCEEDED
    assert (count(Document), count(Edition), count(Unit)) == (1, 1, 4)


def test_progress_is_written_while_the_work_stays_uncommitted(app: Flask, db: Any) -> None:
    job_id = import_job(app, EN.encode())
    seen: list[tuple[int, str, int]] = []

    def work(job: Job, progress: Any) -> dict[str, Any]:
        store_import(prepare_import(EN.encode(), "essay.txt", "en"), title="Essay")
        progress(42, "storing")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with _db.engine.connect() as other:  # what the job page would read
                row = other.execute(sa.select(Job.progress, Job.message).where(Job.id == job_id))
                state = row.one()
                documents = other.scalar(sa.select(sa.func.count()).select_from(Document))
            if state.progress == 42:
                seen.append((state.progress, state.message, documents))
                break
            time.sleep(0.05)
        raise RuntimeError("stop here")

    assert run_job(job_id, work) is Outcome.CRASHED
    assert seen == [(42, "storing", 0)]
    assert count(Document) == 0


def test_the_heartbeat_keeps_a_long_job_alive(app: Flask, db: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_INTERVAL", 0.1)
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_TIMEOUT", 0.6)
    job_id = import_job(app, EN.encode())
    beats = []

    def slow(job: Job, progress: Any) -> dict[str, Any]:
        for _ in range(12):
            time.sleep(0.15)
            assert reap_stale_jobs() == []  # another process looking meanwhile
            with _db.engine.connect() as other:
                beats.append(other.scalar(sa.select(Job.heartbeat_at).where(Job.id == job_id)))
        return {"slept": True}

    assert run_job(job_id, slow) is Outcome.SUCCEEDED
    assert len(set(beats)) >= 5  # renewed all along
    assert fresh(job_id).state == JobState.SUCCEEDED


def test_a_job_reaped_while_it_runs_commits_nothing(
    app: Flask, db: Any, postgres: None, monkeypatch: Any
) -> None:
    """Its worker looked dead (the reaper failed the job); when it wakes up and tries to
    commit, the fence rolls its work back: failed means nothing was changed."""
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_INTERVAL", 30)  # no beat during the test
    job_id = import_job(app, EN.encode())

    def work(job: Job, progress: Any) -> dict[str, Any]:
        store_import(prepare_import(EN.encode(), "essay.txt", "en"), title="Essay")
        with _db.engine.connect() as other:
            silent = utcnow() - timedelta(hours=1)
            other.execute(sa.update(Job).where(Job.id == job_id).values(heartbeat_at=silent))
            other.commit()
        assert reap_stale_jobs() == [job_id]
        return {"document_id": None}

    assert run_job(job_id, work) is Outcome.LOST
    job = fresh(job_id)
    assert job.state == JobState.FAILED and job.message == WORKER_LOST_MESSAGE
    assert count(Document) == 0


def test_a_nul_in_a_title_ends_the_job(app: Flask, db: Any, postgres: None) -> None:
    job = deliver(import_job(app, EN.encode(), title="Bad \x00 title"))
    assert job.done
    if job.state == JobState.FAILED:  # refused by the import's checks, or by the database
        assert "control characters" in job.message or (
            "NUL character (U+0000)" in job.message and "essay.txt" in job.message
        )
        assert count(Document) == 0
    else:  # the import strips it
        assert "\x00" not in db.session.scalar(sa.select(Document.title))


def test_a_database_error_fails_the_job_whatever_it_did_to_the_session(
    app: Flask, db: Any, postgres: None
) -> None:
    job_id = import_job(app, EN.encode())

    def writes_a_nul(job: Job, progress: Any) -> dict[str, Any]:
        _db.session.execute(sa.update(Document).values(title="a\x00b"))  # a DataError
        return {}

    assert run_job(job_id, writes_a_nul) is Outcome.REFUSED
    assert "NUL character (U+0000)" in fresh(job_id).message
    job_id = import_job(app, EN.encode())

    def loses_its_connection(job: Job, progress: Any) -> dict[str, Any]:
        _db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return {}

    assert run_job(job_id, loses_its_connection) is Outcome.CRASHED
    job = fresh(job_id)
    assert job.state == JobState.FAILED and job.message == INTERNAL_MESSAGE


@pytest.fixture
def french_edition_in_flight(app: Flask, db: Any, import_text: Any) -> Iterator[str]:
    """Another import of French into the document, flushed but not committed yet: it
    commits once someone else waits on its row lock (or after 10 s)."""
    slug = import_text(EN, "en", title="Pair").document
    flushed = threading.Event()

    def other_import() -> None:
        with app.app_context():
            store_import(prepare_import(FR.encode(), "b.txt", "fr"), document=get_document(slug))
            flushed.set()
            deadline = time.monotonic() + 10
            with _db.engine.connect() as watch:
                while time.monotonic() < deadline:
                    waiting = watch.scalar(
                        sa.text(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        )
                    )
                    if waiting:
                        break
                    time.sleep(0.05)
            _db.session.commit()

    thread = threading.Thread(target=other_import)
    thread.start()
    assert flushed.wait(30)
    yield slug
    thread.join(30)


def test_two_imports_of_one_language_at_once(
    app: Flask, db: Any, postgres: None, french_edition_in_flight: str
) -> None:
    job_id = import_job(app, FR.encode(), "fr", document=french_edition_in_flight)
    job = deliver(job_id)
    assert job.state == JobState.FAILED
    assert "this document already has an edition in fr" in job.message
    assert db.session.scalars(sa.select(Edition.language).order_by(Edition.language)).all() == [
        "en",
        "fr",
    ]
    assert not Path(job.params["path"]).exists()  # refused: retrying cannot help
