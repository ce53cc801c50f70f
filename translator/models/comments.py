"""Comment: one message in a unit's thread. The thread belongs to the unit, so it is
seen from every language's cell; ``language`` only records where it was written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, utcnow

if TYPE_CHECKING:
    from translator.models.users import User


class Comment(db.Model):  # type: ignore[name-defined,misc]
    """A unit removed by a merge or a realignment leaves its comments with
    ``unit_id`` NULL (moved to the surviving unit where the service knows it)."""

    __tablename__ = "comments"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(35))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    # Indexed: the activity log reads it newest first (services.activity).
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, index=True)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
