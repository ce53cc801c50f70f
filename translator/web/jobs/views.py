"""A job's page (live progress bar) and its JSON, polled by the page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, url_for

from translator.extensions import db
from translator.models import Document
from translator.services.jobs import get_job
from translator.services.rights import Right
from translator.web.rights import requires

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def job_payload(job_id: str) -> dict[str, Any]:
    job = get_job(job_id)
    payload: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "state": str(job.state),
        "progress": job.progress,
        "message": job.message,
        "done": job.done,
        "result": job.result,
    }
    if job.document_id is not None and job.state == "succeeded":
        document = db.session.get(Document, job.document_id)
        if document is not None:
            payload["url"] = url_for("documents.show", slug=document.slug)
    return payload


@bp.route("/<job_id>")
@requires(Right.VIEW_JOB)
def show(job_id: str) -> Any:
    return render_template("jobs/show.html", job=get_job(job_id), payload=job_payload(job_id))


@bp.route("/<job_id>.json")
@requires(Right.VIEW_JOB)
def status(job_id: str) -> Any:
    return jsonify(job_payload(job_id))
