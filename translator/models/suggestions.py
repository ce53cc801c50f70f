"""Suggestion: a text proposed for a segment instead of being written to it — a stale
save that lost an optimistic-locking race, or a proposal from someone who may not edit
that language. Kept until someone accepts or rejects it: a stale save is never lost."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from translator.models.users import User


class SuggestionKind(enum.StrEnum):
    CONFLICT = "conflict"  # a save made on an older version of the segment
    PROPOSAL = "proposal"  # offered instead of written


class SuggestionState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Suggestion(db.Model):  # type: ignore[name-defined,misc]
    """A structure change moves a suggestion to the segment that now holds its text
    (``services.carryover``); should a segment ever go without that, the suggestion stays,
    with ``segment_id`` NULL and ``edition_id`` / ``unit_id`` saying where it was."""

    __tablename__ = "suggestions"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("segments.id", ondelete="SET NULL"), index=True
    )
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int] = mapped_column(Integer)  # the version the author edited
    kind: Mapped[SuggestionKind] = mapped_column(str_enum(SuggestionKind, "suggestion_kind"))
    state: Mapped[SuggestionState] = mapped_column(
        str_enum(SuggestionState, "suggestion_state"), default=SuggestionState.OPEN
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(TZDateTime())

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
