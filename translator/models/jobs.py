"""Job: a background task's row. The UI shows it; the task leaves its state in it.

A job goes pending -> running -> succeeded | failed. While it runs, its worker renews
``heartbeat_at`` every few seconds; a running job whose heartbeat is too old has lost its
worker and is failed by the reaper (``services.jobs.reap_stale_jobs``). ``attempts``
counts the claims and doubles as a fencing token: a worker only writes to a job it still
holds (same state, same attempt), so a reaped job is never resurrected."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from translator.extensions import db
from translator.models._types import TZDateTime, str_enum, utcnow


class JobState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(
        str_enum(JobState, "job_state"), default=JobState.PENDING, index=True
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Indexed: the activity log reads it newest first (services.activity).
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    # Renewed by the worker while the job runs; "host:pid" of that worker.
    heartbeat_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    worker: Mapped[str] = mapped_column(String(255), default="")
    # The failed job this one retries (at most one retry per failed job).
    retry_of: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), unique=True
    )

    @property
    def done(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
