"""Assignment: work on an edition given to a person, to translate or to review.

The range is stored as the ids of its first and last unit and resolved by their
``order_key`` when read: units inserted inside the range belong to it. A boundary unit
removed by a merge, a split or a realignment is replaced by the unit that holds its
text (``services.carryover``); NULL (a unit gone some other way) means the edition's
start or end. ``AssignmentEvent`` is the assignment's history (the activity log)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from translator.models.documents import Document
    from translator.models.editions import Edition
    from translator.models.users import User


class AssignmentKind(enum.StrEnum):
    TRANSLATE = "translate"
    REVIEW = "review"


class AssignmentState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AssignmentAction(enum.StrEnum):
    CREATED = "created"
    REASSIGNED = "reassigned"
    DUE_CHANGED = "due_changed"
    NOTE_CHANGED = "note_changed"
    CLOSED = "closed"
    REOPENED = "reopened"


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "assignments"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AssignmentKind] = mapped_column(str_enum(AssignmentKind, "assignment_kind"))
    first_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    last_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[AssignmentState] = mapped_column(
        str_enum(AssignmentState, "assignment_state"), default=AssignmentState.OPEN
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    edition: Mapped[Edition] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AssignmentEvent(db.Model):  # type: ignore[name-defined,misc]
    """One change of an assignment: who, when, what (``detail``: the old and new value
    in words, e.g. the previous assignee's e-mail)."""

    __tablename__ = "assignment_events"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[AssignmentAction] = mapped_column(
        str_enum(AssignmentAction, "assignment_action")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(Integer)  # the assignee after the change
    detail: Mapped[str] = mapped_column(String(500), default="")
    # Indexed: the activity log reads it newest first (services.activity).
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, index=True)
