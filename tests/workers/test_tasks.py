"""Tasks: registered under the names the seam uses, and run by a real worker process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import SHARED, truncate_all
from translator.extensions import db as _db
from translator.models import Document, Job, JobState
from translator.services.jobs import (
    MAIL_TASK,
    NOTIFICATION_TICK_TASK,
    TASKS,
    create_job,
    enqueue_job,
)

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"


def test_every_task_name_used_by_the_seam_is_registered(app: Any) -> None:
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    assert {*TASKS.values(), MAIL_TASK, NOTIFICATION_TICK_TASK} <= set(celery.tasks)


def test_eager_import_job_is_idempotent(app: Any, db: Any, tmp_path: Path) -> None:
    upload = tmp_path / "essay.txt"
    upload.write_bytes(ESSAY.read_bytes())
    job = create_job("import", {"path": str(upload), "filename": "essay.txt", "language": "en"})
    db.session.commit()
    enqueue_job(job)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == JobState.SUCCEEDED
    assert job.result["headings"] == 5
    # A duplicate delivery of a finished job changes nothing.
    enqueue_job(job)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 1


def _wait_for(app: Any, job_id: str, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    seen_states = set()
    while time.monotonic() < deadline:
        with app.app_context():
            job = _db.session.get(Job, job_id)
            seen_states.add(job.state)
            if job.done:
                _db.session.expunge(job)
                job.seen_states = seen_states  # type: ignore[attr-defined]
                return job
        time.sleep(0.05)
    pytest.fail(f"job {job_id} not done after {timeout} s (states seen: {seen_states})")


@pytest.fixture
def run_import_on_worker(worker_app: Any, worker: Any) -> Iterator[Callable[[str, bytes], Job]]:
    """Upload ``data`` as ``filename``, enqueue an import job for the real worker, wait
    for it to finish; the tables are emptied afterwards (the worker commits)."""

    def run(filename: str, data: bytes) -> Job:
        upload = Path(worker_app.config["UPLOAD_FOLDER"])
        upload.mkdir(parents=True, exist_ok=True)
        path = upload / filename
        path.write_bytes(data)
        with worker_app.app_context():
            job = create_job("import", {"path": str(path), "filename": filename, "language": "en"})
            _db.session.commit()
            job_id = job.id
            enqueue_job(job)
        return _wait_for(worker_app, job_id)

    yield run
    with worker_app.app_context():
        truncate_all(_db.engine)


@pytest.mark.worker
def test_real_worker_imports_a_file(worker_app: Any, run_import_on_worker: Any) -> None:
    job = run_import_on_worker("essay.txt", ESSAY.read_bytes())
    assert job.state == JobState.SUCCEEDED, job.message
    assert job.result["headings"] == 5
    assert job.attempts == 1
    assert JobState.RUNNING in job.seen_states or JobState.PENDING in job.seen_states
    with worker_app.app_context():
        document = _db.session.get(Document, job.document_id)
        assert document is not None and document.languages == ["en"]
    assert not (Path(worker_app.config["UPLOAD_FOLDER"]) / "essay.txt").exists()


@pytest.mark.worker
def test_real_worker_reports_a_bad_file(worker_app: Any, run_import_on_worker: Any) -> None:
    job = run_import_on_worker("notes.txt", b"")
    assert job.state == JobState.FAILED
    assert "notes.txt" in job.message and "empty" in job.message
    with worker_app.app_context():
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


@pytest.mark.worker
def test_real_worker_aligns_a_document(worker_app: Any, worker: Any, redis_url: str) -> None:
    """...and tells the document's open editors (live events over the worker's Redis)
    to reload their rows once the new layout is committed."""
    from translator.services.documents import get_document
    from translator.services.imports import prepare_import, store_import
    from translator.services.live import live_namespace, make_hub
    from translator.services.units import unit_rows

    try:
        with worker_app.app_context():
            en = prepare_import(b"One sentence here. Another one there.", "a.txt", "en")
            summary = store_import(en, title="Pair")
            fr = prepare_import(b"Une phrase ici. Une autre par l\xc3\xa0.", "b.txt", "fr")
            store_import(fr, document=get_document(summary.document))
            document = get_document(summary.document)
            job = create_job("align", {"pivot": "en"}, document_id=document.id)
            _db.session.commit()
            job_id, document_id = job.id, document.id
            hub = make_hub(redis_url, 30, live_namespace(worker_app.config))
            editors = hub.subscribe(document_id, timeout=30)
            enqueue_job(job)
        with editors:
            event = next(editors)
        job = _wait_for(worker_app, job_id)
        assert job.state == JobState.SUCCEEDED, job.message
        assert job.result["units"] == 2 and job.result["beads"]["en-fr"] == {"1-1": 2}
        assert event == ("structure", {"unit": None, "index": 0})
        with worker_app.app_context():
            rows = unit_rows(get_document("pair"))
            assert [r.cells["fr"].text for r in rows] == ["Une phrase ici.", "Une autre par là."]
            assert all(r.cells["fr"].aligned for r in rows)
    finally:
        with worker_app.app_context():
            truncate_all(_db.engine)
