"""Exports through the API: start one (a job), follow the job, list a document's files,
download one."""

from __future__ import annotations

from typing import Any

from flask import jsonify, send_file, url_for
from flask_login import current_user

from translator.extensions import db
from translator.models import ExportArtifact
from translator.services.documents import get_document
from translator.services.exports import (
    artifact_path,
    check_export,
    get_artifact,
    list_artifacts,
    request_export,
)
from translator.services.jobs import enqueue_job, get_job, reap_stale_jobs
from translator.services.rights import Right
from translator.services.users import get_user_names
from translator.web.api import shapes
from translator.web.api.inputs import ExportBody
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires


def _info(artifact: ExportArtifact, slug: str, names: dict[int, str]) -> shapes.ExportInfo:
    return {
        "id": artifact.id,
        "format": artifact.format,
        "languages": list(artifact.languages),
        "filename": artifact.filename,
        "size": artifact.size,
        "sha256": artifact.checksum,
        "unfinished_units": artifact.notice,
        "created_at": artifact.created_at.isoformat(),
        "created_by": names.get(artifact.created_by) if artifact.created_by else None,
        "file_url": url_for("api.export_file", slug=slug, artifact_id=artifact.id),
    }


@bp.post("/documents/<slug>/exports")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Export the document (a job)",
    tag="exports",
    body=ExportBody,
    status=202,
    answer=shapes.ExportStarted,
)
def start_export(slug: str, body: ExportBody) -> Any:
    """Checks the request (format, editions, source) and queues the export job; poll
    ``status_url`` until it is done: its result names the artifact."""
    document = get_document(slug)
    request = check_export(
        document,
        body.format,
        list(body.languages),
        source=body.source,
        typography=body.typography,
    )
    job = request_export(document, request, user_id=current_user.id)
    db.session.commit()
    job_id = job.id
    enqueue_job(job)
    answer: shapes.ExportStarted = {
        "job": job_id,
        "status_url": url_for("api.job", job_id=job_id),
    }
    return jsonify(answer), 202


@bp.get("/documents/<slug>/exports")
@requires(Right.VIEW_DOCUMENT)
@operation("The document's exported files, newest first", tag="exports", answer=shapes.Exports)
def exports(slug: str) -> Any:
    """Each file with its size, SHA-256 and how many units it lists as unfinished."""
    document = get_document(slug)
    artifacts = list_artifacts(document)
    names = get_user_names({a.created_by for a in artifacts if a.created_by})
    answer: shapes.Exports = {"exports": [_info(a, slug, names) for a in artifacts]}
    return jsonify(answer)


@bp.get("/documents/<slug>/exports/<artifact_id>")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Download an exported file",
    tag="exports",
    media_type="application/octet-stream",
)
def export_file(slug: str, artifact_id: str) -> Any:
    """The file as an attachment (404 if it is gone: export again)."""
    artifact = get_artifact(get_document(slug), artifact_id)
    return send_file(
        artifact_path(artifact),
        mimetype=artifact.media_type,
        as_attachment=True,
        download_name=artifact.filename,
        etag=artifact.checksum,
        max_age=0,
    )


@bp.get("/jobs/<job_id>")
@requires(Right.VIEW_JOB)
@operation("A background job's state", tag="jobs", answer=shapes.JobInfo)
def job(job_id: str) -> Any:
    """Poll until ``done``; an export's ``result.artifact`` is the file's id (see
    ``/documents/{slug}/exports``). A job whose worker died ends failed, never running
    for ever."""
    reap_stale_jobs()
    found = get_job(job_id)
    answer: shapes.JobInfo = {
        "id": found.id,
        "kind": found.kind,
        "state": str(found.state),
        "progress": found.progress,
        "message": found.message,
        "done": found.done,
        "result": found.result,
    }
    return jsonify(answer)
