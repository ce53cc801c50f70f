"""Import tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task

from translator.errors import InputError
from translator.extensions import db
from translator.models import Job, User
from translator.services.documents import get_document
from translator.services.imports import prepare_import, read_upload, store_import
from translator.services.projects import get_project
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
        project = get_project(params["project"]) if params.get("project") else None
        summary = store_import(
            prepared,
            document=document,
            project=project,
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


PROBLEMS_SHOWN = 200  # the job page lists at most this many refused units


@shared_task(name="translator.import_translations", **TASK_OPTIONS)
def import_translations(job_id: str) -> None:
    """Bring a translated XLIFF, PO or TMX file back into its document as the job's
    user; the job's result is the per-unit report."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        from translator.services.interchange import import_interchange

        params: dict[str, Any] = job.params
        data = read_upload(Path(params["path"]), params["filename"])
        user = db.session.get(User, job.user_id) if job.user_id else None
        if user is None:
            raise InputError("the person who uploaded this file no longer exists", field="user")
        document = get_document(params["document"]) if params.get("document") else None
        progress(10, "reading the file")
        report = import_interchange(data, params["filename"], user=user, document=document)
        problems = [
            f"unit {u.unit_id} ({u.language}): {u.message}"
            for u in report.units
            if u.outcome == "error"
        ]
        return {
            "counts": report.to_dict(),
            "problems": [*report.warnings, *problems][:PROBLEMS_SHOWN],
            "document_id": document.id if document else None,
        }

    if run_job(job_id, work) in (Outcome.SUCCEEDED, Outcome.REFUSED):
        job = db.session.get(Job, job_id)
        if job is not None:
            remove_upload(job.params.get("path"))
