"""Import tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task

from translator.extensions import db
from translator.models import Job
from translator.services.documents import get_document
from translator.services.imports import prepare_import, read_upload, store_import
from translator.services.uploads import remove_upload
from workers.runner import TASK_OPTIONS, Outcome, Progress, run_job


@shared_task(name="translator.import_edition", **TASK_OPTIONS)
def import_edition(job_id: str) -> None:
    """Parse, segment and store an uploaded file as an edition; the Job row tracks it.

    The upload is deleted once the import succeeded or its input was refused; after a
    crash it stays for Retry until ``services.uploads.sweep_uploads`` removes it."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        params: dict[str, Any] = job.params
        data = read_upload(Path(params["path"]), params["filename"])
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
        return result

    if run_job(job_id, work) in (Outcome.SUCCEEDED, Outcome.REFUSED):
        job = db.session.get(Job, job_id)
        if job is not None:
            remove_upload(job.params.get("path"))
