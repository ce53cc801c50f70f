"""Notifications: made by the services that cause them, in their unit of work; shown on
the bell, pushed live and e-mailed once the change commits.

``notify`` inserts one notification unless its ``dedup_key`` (kind, subject, person)
exists already: INSERT ... ON CONFLICT DO NOTHING, so that two schedulers, a task
delivered twice or a retried request make it once, whatever the interleaving. It is
never made for the person who caused it, nor for a kind the person turned off.

Side effects follow the commit, like the live events (``services.events``): just before
the commit the new notifications are worded (in each recipient's interface language)
and the unread counts read; after it, each person's open pages get a
``notification`` event (``services.live``, channel ``<namespace>:user:<id>``) and the
e-mails are queued for the ``translator.send_mail`` task. A rolled-back change sends
nothing. The causes call ``notify``: the changes' in ``services.notification_causes``
(assigned, mentioned, text replaced, release published), the time-driven ones in
``services.notification_tick``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import (
    Channel,
    MailState,
    Notification,
    NotificationKind,
    NotificationSettings,
    User,
)
from translator.models._types import utcnow
from translator.services.live import publish_user
from translator.services.mail import Mail, mail_configured, queue_mail
from translator.services.notification_text import notification_json, notification_mail

log = logging.getLogger(__name__)

DEFAULT_CHANNELS: dict[NotificationKind, Channel] = {
    NotificationKind.ASSIGNED: Channel.EMAIL,
    NotificationKind.DUE_SOON: Channel.EMAIL,
    NotificationKind.OVERDUE: Channel.EMAIL,
    NotificationKind.MENTION: Channel.EMAIL,
    NotificationKind.REPLACED: Channel.DIGEST,
    NotificationKind.RELEASE: Channel.APP,
}
DEFAULT_DIGEST_HOUR = 7  # UTC
_NEW = "translator.notifications.new"  # ids made in this transaction
_TOUCHED = "translator.notifications.touched"  # users whose unread count changed
_READY = "translator.notifications.ready"  # (events, mails) to send after the commit


@dataclass(frozen=True)
class Settings:
    """A person's notification settings, defaults filled in."""

    channels: dict[NotificationKind, Channel]
    digest_hour: int


def get_settings(user_id: int) -> Settings:
    """The person's channel for every kind, and the UTC hour of their daily digest."""
    row = db.session.get(NotificationSettings, user_id)
    chosen = dict(row.channels or {}) if row is not None else {}
    channels = {}
    for kind, default in DEFAULT_CHANNELS.items():
        try:
            channels[kind] = Channel(chosen.get(kind.value, default.value))
        except ValueError:
            channels[kind] = default
    hour = row.digest_hour if row is not None else DEFAULT_DIGEST_HOUR
    return Settings(channels, hour)


def save_settings(user: User, channels: dict[str, str], digest_hour: int) -> Settings:
    """Store the person's channel per kind (kinds left out keep theirs) and digest hour."""
    if not 0 <= digest_hour <= 23:
        raise InputError("the digest hour is from 0 to 23", field="digest_hour")
    current = {k.value: v.value for k, v in get_settings(user.id).channels.items()}
    for kind, channel in channels.items():
        if kind not in current:
            raise InputError(f"unknown notification kind {kind!r}", field="channels")
        if channel not in {c.value for c in Channel}:
            raise InputError(f"unknown channel {channel!r}", field="channels")
        current[kind] = channel
    row = db.session.get(NotificationSettings, user.id)
    if row is None:
        row = NotificationSettings(user_id=user.id)
        db.session.add(row)
    row.channels, row.digest_hour = current, digest_hour
    db.session.flush()
    return get_settings(user.id)


def _insert_once(values: dict[str, Any]) -> int | None:
    """INSERT the notification unless its dedup_key exists: its id, or None."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(Notification.id)
    )
    new_id: int | None = db.session.execute(statement).scalar()
    return new_id


def notify(
    user_id: int,
    kind: NotificationKind,
    *,
    subject: str,
    actor_id: int | None = None,
    document_id: int | None = None,
    unit_id: int | None = None,
    assignment_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> int | None:
    """Tell ``user_id`` about ``kind`` of thing (``subject`` names it among its kind:
    the same person, kind and subject is notified once). Nothing for whoever caused it,
    a deactivated account or a kind turned off. Returns the new notification's id, or
    None when none was made."""
    if actor_id is not None and actor_id == user_id:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    channel = get_settings(user_id).channels[kind]
    if channel is Channel.OFF:
        return None
    mail = MailState.NONE
    if channel is not Channel.APP and mail_configured():
        mail = MailState.NOW if channel is Channel.EMAIL else MailState.DIGEST
    now = utcnow()
    new_id = _insert_once(
        {
            "user_id": user_id,
            "kind": kind,
            "actor_id": actor_id,
            "document_id": document_id,
            "unit_id": unit_id,
            "assignment_id": assignment_id,
            "payload": payload or {},
            "dedup_key": f"{kind.value}:{subject}:u{user_id}"[:200],
            "mail": mail,
            "created_at": now,
            "emailed_at": now if mail is MailState.NOW else None,
        }
    )
    if new_id is not None:
        db.session.info.setdefault(_NEW, []).append(new_id)
        db.session.info.setdefault(_TOUCHED, set()).add(user_id)
    return new_id


# --- reading and marking read ---------------------------------------------------


def unread_count(user_id: int) -> int:
    """How many of the person's notifications are unread (the bell's figure)."""
    count = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )
    return int(count or 0)


def list_notifications(
    user_id: int, *, unread_only: bool = False, limit: int = 50, before: int | None = None
) -> list[Notification]:
    """The person's notifications, newest first (``before``: older than that id)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before is not None:
        query = query.where(Notification.id < before)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications ``ids`` read (None: all of them); another's id is
    NotFound. Returns how many changed."""
    where = [Notification.user_id == user.id, Notification.read_at.is_(None)]
    if ids is not None:
        wanted = set(ids)
        owned = set(
            db.session.scalars(
                select(Notification.id).where(
                    Notification.id.in_(wanted), Notification.user_id == user.id
                )
            )
        )
        if missing := wanted - owned:
            raise NotFound(f"no notification {min(missing)}", field="ids")
        where.append(Notification.id.in_(wanted))
    result = db.session.execute(
        update(Notification)
        .where(*where)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    changed = int(getattr(result, "rowcount", 0) or 0)
    if changed:
        db.session.info.setdefault(_TOUCHED, set()).add(user.id)
    return changed


def queue_after_commit(mail: Mail) -> None:
    """Send ``mail`` once the current transaction commits (a digest)."""
    db.session.info.setdefault(_READY, ([], []))[1].append(mail)


# --- after the commit -----------------------------------------------------------


@event.listens_for(Session, "before_commit")
def _prepare(session: Session) -> None:
    """Word the new notifications and read the unread counts while the session can
    still query; what is sent waits for the commit."""
    new_ids: list[int] = session.info.pop(_NEW, [])
    touched: set[int] = session.info.pop(_TOUCHED, set())
    if not new_ids and not touched:
        return
    events, mails = session.info.setdefault(_READY, ([], []))
    counts = dict(
        session.execute(
            select(Notification.user_id, func.count(Notification.id))
            .where(Notification.user_id.in_(touched), Notification.read_at.is_(None))
            .group_by(Notification.user_id)
        ).all()
    )
    made = session.scalars(select(Notification).where(Notification.id.in_(new_ids))).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(touched)))}
    told = set()
    for notification in sorted(made, key=lambda n: n.id):
        user = users[notification.user_id]
        data = notification_json(notification, user)
        events.append((user.id, {"unread": counts.get(user.id, 0), "notification": data}))
        told.add(user.id)
        if notification.mail is MailState.NOW:
            mails.append(notification_mail(notification, user))
    for user_id in sorted(touched - told):
        events.append((user_id, {"unread": counts.get(user_id, 0), "notification": None}))


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    ready: tuple[list[tuple[int, dict[str, Any]]], list[Mail]] | None = session.info.pop(
        _READY, None
    )
    if ready is None:
        return
    events, mails = ready
    for user_id, data in events:
        try:
            publish_user(user_id, "notification", data)
        except Exception:  # the change is committed: a lost event is logged, never raised
            log.warning("notification event to user %s was not sent", user_id, exc_info=True)
    for mail in mails:
        try:
            queue_mail(mail)
        except Exception:
            log.warning("notification e-mail to %s was not queued", mail.to, exc_info=True)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested:
        for key in (_NEW, _TOUCHED, _READY):
            session.info.pop(key, None)
