"""Export tasks."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from translator.models import Job
from translator.services.exports import run_export
from workers.runner import TASK_OPTIONS, Progress, run_job


@shared_task(name="translator.export_document", **TASK_OPTIONS)
def export_document(job_id: str) -> None:
    """Write (or reuse) the file an export job asks for; the Job row tracks it and its
    result names the artifact."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        artifact = run_export(job, progress)
        return {
            "artifact": artifact.id,
            "format": artifact.format,
            "languages": artifact.languages,
            "filename": artifact.filename,
            "size": artifact.size,
            "checksum": artifact.checksum,
            "notice": artifact.notice,
            "document_id": artifact.document_id,
        }

    run_job(job_id, work)
