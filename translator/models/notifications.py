"""Notifications: something a person should know (an assignment, a due date, a mention,
their text replaced by a reviewer, a release), and each person's settings of how to be
told (in the app, by e-mail at once, in a daily digest, or not at all).

``dedup_key`` is unique: whatever causes a notification names it (its kind, subject and,
for time-driven ones, the due date), so that two schedulers running by mistake, a task
delivered twice or a retried request insert it once (``services.notifications``).
``mail`` says how it travels by e-mail, decided from the settings when it is made;
``emailed_at`` is set when it was handed to the mail task (at once, or in a digest)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow


class NotificationKind(enum.StrEnum):
    ASSIGNED = "assigned"  # work on an edition was given to you
    DUE_SOON = "due_soon"  # one of your open assignments is due in 2 days
    OVERDUE = "overdue"  # one of your open assignments is past its due date
    MENTION = "mention"  # someone named you (@name or @e-mail) in a comment
    REPLACED = "replaced"  # a reviewer replaced (or rejected) your text
    RELEASE = "release"  # a document you are a member of was published


class Channel(enum.StrEnum):
    """How a person wants to be told of one kind of notification."""

    OFF = "off"
    APP = "app"  # in the app only (the bell)
    EMAIL = "email"  # in the app, and an e-mail at once
    DIGEST = "digest"  # in the app, and in the daily digest e-mail


class MailState(enum.StrEnum):
    NONE = "none"
    NOW = "now"
    DIGEST = "digest"


class Notification(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_mail_emailed_at", "mail", "emailed_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, "notification_kind"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    # What the message says, in data (names, titles, dates), worded when shown or sent.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    mail: Mapped[MailState] = mapped_column(str_enum(MailState, "notification_mail"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(TZDateTime())


class NotificationSettings(db.Model):  # type: ignore[name-defined,misc]
    """A person's choices: ``channels`` maps a kind to a ``Channel`` (a kind left out
    has its default, ``services.notifications.DEFAULT_CHANNELS``); ``digest_hour``: the
    UTC hour from which the daily digest is sent."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    channels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    digest_hour: Mapped[int] = mapped_column(Integer, default=7)
