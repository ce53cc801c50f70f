"""Uploads waiting for their import job, and the sweep that removes the ones no import
can use any more.

The web process writes an upload into ``UPLOAD_FOLDER`` and the import job reads it.
The job deletes it when it succeeded, or failed on the input (retrying cannot help).
After a crash or a kill it is kept ``JOB_UPLOAD_RETENTION`` seconds so that Retry can
run the import again; ``sweep_uploads`` (run periodically by every worker) removes it
after that, and any other file of the folder that no live job refers to."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_, select

from translator.extensions import db
from translator.models import Job, JobState
from translator.models._types import utcnow
from translator.services.jobs import UPLOAD_KINDS

log = logging.getLogger(__name__)


def upload_folder() -> Path:
    """Where uploads wait for their import job (shared by web and workers)."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def _paths_in_use(retention: float) -> set[str]:
    """Uploads an import may still read: pending or running ones, and failed ones
    within the retention (Retry reads them again)."""
    failed_since = utcnow() - timedelta(seconds=retention)
    with db.engine.connect() as connection:
        params = connection.scalars(
            select(Job.params).where(
                Job.kind.in_(UPLOAD_KINDS),
                or_(
                    Job.state.in_([JobState.PENDING, JobState.RUNNING]),
                    and_(Job.state == JobState.FAILED, Job.finished_at > failed_since),
                ),
            )
        ).all()
    return {str(Path(p["path"]).resolve()) for p in params if p and p.get("path")}


def sweep_uploads() -> list[Path]:
    """Delete the upload files older than ``JOB_UPLOAD_RETENTION`` that no pending,
    running or recently failed import refers to (a failed import's leftover, a
    succeeded one whose worker died before deleting it, a half-written temporary file);
    returns what was deleted. Reads on a connection of its own."""
    folder = upload_folder()
    if not folder.is_dir():
        return []
    retention = float(current_app.config["JOB_UPLOAD_RETENTION"])
    older_than = time.time() - retention
    in_use = _paths_in_use(retention)
    deleted: list[Path] = []
    for entry in folder.iterdir():
        try:
            if not entry.is_file() or entry.stat().st_mtime > older_than:
                continue
            if str(entry.resolve()) in in_use:
                continue
            entry.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove the old upload %s: %s", entry, exc)
            continue
        deleted.append(entry)
    if deleted:
        log.info("removed %d upload(s) no import needs any more", len(deleted))
    return deleted


def remove_upload(path: str | None) -> None:
    """Delete an import's upload once no retry can need it (missing is fine)."""
    if path:
        Path(path).unlink(missing_ok=True)
