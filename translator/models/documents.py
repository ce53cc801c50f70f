"""Document: one work (an essay, an interview, a book)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, utcnow

if TYPE_CHECKING:
    from translator.models.editions import Edition
    from translator.models.projects import Project
    from translator.models.units import Unit


class Document(db.Model):  # type: ignore[name-defined,misc]
    """One work: an essay, an interview, a book. Its languages are its editions; one of
    them may be the original the others are translated from."""

    __tablename__ = "documents"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    author: Mapped[str] = mapped_column(String(500), default="")
    credits: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    publication_date: Mapped[date | None] = mapped_column(Date)
    # Whether an edition is ready only once reviewed (True) or already once every
    # segment is translated (False: confirmed is enough), for the release gate.
    review_required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The edition the others are translated from (set at import to the first edition);
    # None: all editions are peers. use_alter: editions point back at documents.
    original_edition_id: Mapped[int | None] = mapped_column(
        Integer,
        ForeignKey("editions.id", ondelete="SET NULL", use_alter=True),
    )
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, onupdate=utcnow)
    # In the trash since then (``services.trash``): hidden everywhere but the trash,
    # purged after TRASH_DAYS; its slug stays taken so a restore keeps its links.
    deleted_at: Mapped[datetime | None] = mapped_column(TZDateTime(), index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The project it belongs to (at most one), whose team it inherits (``models.projects``).
    # No ON DELETE: SQLite adds the column by ALTER TABLE, whose reference keeps no
    # action; ``services.projects.delete_project`` detaches the trashed documents itself.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)

    # The editions in use; ``all_editions`` also holds those in the trash.
    editions: Mapped[list[Edition]] = relationship(
        back_populates="document",
        primaryjoin="and_(Document.id == Edition.document_id, Edition.deleted_at.is_(None))",
        foreign_keys="Edition.document_id",
        cascade="all, delete-orphan",
        order_by="Edition.id",
    )
    all_editions: Mapped[list[Edition]] = relationship(
        primaryjoin="Document.id == Edition.document_id",
        foreign_keys="Edition.document_id",
        order_by="Edition.id",
        viewonly=True,
    )
    project: Mapped[Project | None] = relationship()
    units: Mapped[list[Unit]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="Unit.order_key",
        lazy="write_only",
    )

    @property
    def original(self) -> Edition | None:
        """The original edition, if the document declares one."""
        return next((e for e in self.editions if e.id == self.original_edition_id), None)

    def edition(self, language: str) -> Edition | None:
        return next((e for e in self.editions if e.language == language), None)

    @property
    def deleted_editions(self) -> list[Edition]:
        """Its editions in the trash."""
        return [e for e in self.all_editions if e.deleted_at is not None]

    @property
    def languages(self) -> list[str]:
        return [e.language for e in self.editions]
