"""Revision: append-only history, one row per saved change of a segment."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import TZDateTime, str_enum, utcnow
from translator.models.segments import SegmentStatus

if TYPE_CHECKING:
    from translator.models.segments import Segment
    from translator.models.users import User


class RevisionReason(enum.StrEnum):
    IMPORT = "import"
    EDIT = "edit"
    ALIGNMENT = "alignment"
    MERGE = "merge"
    SPLIT = "split"
    MOVE = "move"
    REVERT = "revert"
    REPLACE = "replace"


class Revision(db.Model):  # type: ignore[name-defined,misc]
    """Append-only: one row per saved change of a segment."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[SegmentStatus] = mapped_column(str_enum(SegmentStatus, "revision_status"))
    reason: Mapped[RevisionReason] = mapped_column(str_enum(RevisionReason, "revision_reason"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)

    segment: Mapped[Segment] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
