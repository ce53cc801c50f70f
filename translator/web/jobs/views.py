"""A job's page (live progress bar, why it failed, Retry) and its JSON, polled by the
page. Reading a job reaps stale ones first, so a job whose worker died shows as failed
within the heartbeat timeout even when no worker is left to reap it."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from translator.errors import Conflict, InputError, NotFound, Unavailable
from translator.extensions import db
from translator.i18n import _, _l
from translator.models import Document, Job, JobState
from translator.models._types import utcnow
from translator.services import jobs as job_service
from translator.services.jobs import (
    INTERNAL,
    NOT_PICKED_UP,
    QUEUE_UNREACHABLE,
    UPLOAD_KINDS,
    WORKER_LOST,
    aware,
    can_retry,
    enqueue_job,
    get_job,
    reap_stale_jobs,
    retry_job,
)
from translator.services.rights import Right, has_right, job_target
from translator.services.uploads import remove_upload
from translator.web.rights import requires

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

# Failures the job page words itself (the others carry the service's message).
REASONS = {
    WORKER_LOST: _l(
        "The worker running this job stopped (killed or crashed). Nothing was changed; "
        "you can retry."
    ),
    NOT_PICKED_UP: _l(
        "No worker picked this job up in time. Nothing was changed; retry once a worker is running."
    ),
    QUEUE_UNREACHABLE: _l("The job queue is unreachable. Nothing was started."),
    INTERNAL: _l("Something went wrong on our side. Nothing was changed; you can retry."),
}


def enqueue(job: Job, *, upload: str | None = None) -> str:
    """Enqueue a committed job and return its id; if the broker cannot take it (the job
    is then failed, and ``upload`` removed) answer 503 saying so."""
    job_id = job.id
    try:
        enqueue_job(job)
    except Unavailable:
        remove_upload(upload)
        abort(503, _("The job queue is unreachable: nothing was started. Try again in a moment."))
    return job_id


def _may_retry(job: Job) -> bool:
    return has_right(current_user, Right.RETRY_JOB, job_target(job.id)) and can_retry(job)


def job_payload(job: Job) -> dict[str, Any]:
    reason = (job.result or {}).get("reason") if job.state == JobState.FAILED else None
    waiting = (utcnow() - aware(job.created_at)).total_seconds()
    payload: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "state": str(job.state),
        "progress": job.progress,
        "message": str(REASONS[reason]) if reason in REASONS else job.message,
        "reason": reason,
        "done": job.done,
        "result": job.result,
        "stalled": job.state == JobState.PENDING
        and waiting > current_app.config["JOB_HEARTBEAT_TIMEOUT"],
        "can_retry": job.state == JobState.FAILED and _may_retry(job),
    }
    retry = job_service.retry_of(job)
    if retry is not None:
        payload["retried_url"] = url_for("jobs.show", job_id=retry.id)
    if job.document_id is not None and job.state == JobState.SUCCEEDED:
        document = db.session.get(Document, job.document_id)
        if document is not None:
            payload["url"] = url_for("documents.show", slug=document.slug)
            artifact = (job.result or {}).get("artifact") if job.kind == "export" else None
            if artifact:
                payload["url"] = url_for(
                    "documents.download", slug=document.slug, artifact_id=artifact
                )
                payload["exports_url"] = url_for("documents.export", slug=document.slug)
    return payload


def _read(job_id: str) -> Job:
    reap_stale_jobs()
    return get_job(job_id)


@bp.route("/<job_id>")
@requires(Right.VIEW_JOB)
def show(job_id: str) -> Any:
    job = _read(job_id)
    return render_template("jobs/show.html", job=job, payload=job_payload(job))


@bp.route("/<job_id>.json")
@requires(Right.VIEW_JOB)
def status(job_id: str) -> Any:
    return jsonify(job_payload(_read(job_id)))


@bp.route("/<job_id>/retry", methods=["POST"])
@requires(Right.RETRY_JOB)
def retry(job_id: str) -> Any:
    """Run a failed job again as a new job with the same parameters, then show it."""
    job = _read(job_id)
    earlier = job_service.retry_of(job)
    if earlier is not None:
        return redirect(url_for("jobs.show", job_id=earlier.id))
    try:
        new = retry_job(job, user_id=current_user.id)
    except (InputError, Conflict, NotFound) as exc:
        db.session.rollback()
        flash(_("Not retried: %(reason)s", reason=exc.message), "error")
        return redirect(url_for("jobs.show", job_id=job_id))
    db.session.commit()
    upload = new.params.get("path") if new.kind in UPLOAD_KINDS else None
    return redirect(url_for("jobs.show", job_id=enqueue(new, upload=upload)))
