"""ExportArtifact: a file an export job made, kept for download until deleted.

The file lives in ``EXPORT_FOLDER`` under ``stored_name``; the row says what it is
(format, editions, options), who made it and when, and its ``size`` and ``checksum``
(SHA-256), so a download can be checked. ``fingerprint`` is the SHA-256 of everything
the writer was given: exporting an unchanged document again finds the same
fingerprint and reuses the file instead of writing it twice."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from translator.extensions import db
from translator.models._types import TZDateTime, utcnow


class ExportArtifact(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "export_artifacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(32))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # offered to the browser
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)  # in EXPORT_FOLDER
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    checksum: Mapped[str] = mapped_column(String(64))
    notice: Mapped[int] = mapped_column(default=0)  # units listed as unfinished in the file
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
