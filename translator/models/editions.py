"""Edition: a document in one language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, utcnow

if TYPE_CHECKING:
    from translator.models.documents import Document


class Edition(db.Model):  # type: ignore[name-defined,misc]
    """A document in one language (a BCP 47 tag), with its own title and credits."""

    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("document_id", "language"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(35))
    title: Mapped[str] = mapped_column(String(500), default="")
    credits: Mapped[str] = mapped_column(Text, default="")
    source_filename: Mapped[str] = mapped_column(String(255), default="")
    source_format: Mapped[str] = mapped_column(String(16), default="")
    # The edition's own block structure as imported ([{role, level, label, sentences}]),
    # kept because pairing by position (before alignment) maps its sentences onto the
    # units of another edition: alignment rebuilds its paragraphs from this.
    structure: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, deferred=True)
    # Apply the language's typography at export (French no-break spaces, quotation
    # marks): never stored in the text, so a translator types plain spaces and quotes.
    typography: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    # In the trash since then: hidden from the document, its cells kept (``services.trash``).
    deleted_at: Mapped[datetime | None] = mapped_column(TZDateTime(), index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship(back_populates="editions", foreign_keys=[document_id])
