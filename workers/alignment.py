"""Alignment tasks."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Document, Job
from translator.services.alignment import align_document
from workers.runner import TASK_OPTIONS, Progress, run_job


@shared_task(name="translator.align_document", **TASK_OPTIONS)
def align(job_id: str) -> None:
    """Align a document's editions into units; the Job row tracks it."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        params: dict[str, Any] = job.params
        document = db.session.get(Document, job.document_id)
        if document is None:
            raise NotFound("the document of this job no longer exists", field="document")
        summary = align_document(
            document,
            pivot=params.get("pivot"),
            languages=params.get("languages"),
            force=bool(params.get("force")),
            author_id=job.user_id,
            job_id=job.id,
            progress=progress,
        )
        return {**summary.to_dict(), "document_id": document.id}

    run_job(job_id, work)  # the new layout's structure event goes out with its commit
