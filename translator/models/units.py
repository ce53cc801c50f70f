"""Unit: one aligned row of a document, one cell (segment) per edition."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, ordered_string, str_enum, utcnow

if TYPE_CHECKING:
    from translator.models.documents import Document
    from translator.models.segments import Segment


class UnitRole(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    FOOTNOTE = "footnote"


class Unit(db.Model):  # type: ignore[name-defined,misc]
    """A row of the document. ``order_key`` is a fractional index (insert between two
    units without renumbering); consecutive units with the same ``paragraph_key`` form
    one paragraph (or heading, quote, list item, footnote)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("document_id", "order_key"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    order_key: Mapped[str] = mapped_column(ordered_string(64))
    role: Mapped[UnitRole] = mapped_column(str_enum(UnitRole, "unit_role"))
    level: Mapped[int | None] = mapped_column(SmallInteger)
    label: Mapped[str | None] = mapped_column(String(32))
    paragraph_key: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="units")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", passive_deletes=True
    )
