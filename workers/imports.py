"""Import tasks."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import shared_task

from translator.errors import TranslatorError
from translator.extensions import db
from translator.models import Job
from translator.services.documents import get_document
from translator.services.imports import prepare_import, read_upload, store_import
from translator.services.jobs import fail_job, finish_job, set_job_progress, start_job

log = logging.getLogger(__name__)


def _fail(job_id: str, message: str, detail: dict[str, Any] | None = None) -> None:
    """Throw away the half-done work, then record the failure on the job row."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    if job is not None:
        fail_job(job, message, detail)
        db.session.commit()


@shared_task(name="translator.import_edition", ignore_result=True)
def import_edition(job_id: str) -> None:
    """Parse, segment and store an uploaded file as an edition; the Job row tracks it."""
    job = start_job(job_id)
    if job is None:
        return
    db.session.commit()
    params: dict[str, Any] = job.params
    path = Path(params["path"])
    running: Job = job

    def progress(percent: int, message: str) -> None:
        set_job_progress(running, percent, message)
        db.session.commit()  # only the job row is dirty while segmenting

    try:
        data = read_upload(path, params["filename"])
        prepared = prepare_import(
            data, params["filename"], params["language"], params.get("format", "auto"), progress
        )
        document = get_document(params["document"]) if params.get("document") else None
        summary = store_import(
            prepared,
            document=document,
            title=params.get("title") or None,
            slug=params.get("slug") or None,
            author_id=job.user_id,
            job_id=job.id,
        )
        result = summary.to_dict()
        result["document_id"] = get_document(summary.document).id
        finish_job(job, result, message="imported")
        db.session.commit()
    except TranslatorError as exc:
        _fail(job_id, str(exc), exc.to_dict())
    except Exception:
        log.exception("import job %s crashed", job_id)
        _fail(job_id, "internal error while importing; the file was not imported")
        raise
    else:
        path.unlink(missing_ok=True)
