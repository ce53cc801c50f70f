"""Segment: a unit's text in one edition."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from translator.models.editions import Edition
    from translator.models.history import Revision
    from translator.models.units import Unit


class SegmentStatus(enum.StrEnum):
    EMPTY = "empty"
    DRAFT = "draft"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"


class Segment(db.Model):  # type: ignore[name-defined,misc]
    """Unit × edition. ``version`` is the optimistic-locking counter (bumped by every
    flush that changes the row); ``sibling_hashes`` maps each sibling language to the
    content hash of the sibling text this segment was last checked against."""

    __tablename__ = "segments"
    __table_args__ = (
        UniqueConstraint("unit_id", "edition_id"),
        # An edition's cells, read from the index alone (``services.assignment_figures``).
        Index("ix_segments_edition_cells", "edition_id", "unit_id", "status", "words"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SegmentStatus] = mapped_column(
        str_enum(SegmentStatus, "segment_status"), default=SegmentStatus.EMPTY
    )
    aligned: Mapped[bool] = mapped_column(Boolean, default=True)
    outdated: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(32), default="")
    sibling_hashes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    words: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(back_populates="segments")
    edition: Mapped[Edition] = relationship()
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="segment",
        cascade="save-update, merge",  # revisions outlive the segment (SET NULL)
        passive_deletes=True,
        order_by="Revision.id",
        lazy="write_only",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it

    @property
    def language(self) -> str:
        """Its edition's language."""
        return self.edition.language
