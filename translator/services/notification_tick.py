"""The time-driven notifications: work due in 2 days, work overdue, and the daily digest
e-mails. ``send_due_notifications`` runs every few minutes, from Celery beat in
production (the ``translator.notification_tick`` task) and from every worker's
housekeeping thread (the embedded ``translator serve`` included).

Running it twice, or in two processes at once, sends each thing once: a due date is
notified once per assignment, person and date (``notify``'s unique dedup key), and a
digest takes its notifications with one conditional UPDATE (``emailed_at`` from NULL
to now), which only one of two concurrent transactions can make. The caller commits;
e-mails and live events follow the commit (``services.notifications``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentState,
    Document,
    MailState,
    Notification,
    NotificationKind,
    NotificationSettings,
    User,
)
from translator.services.notification_text import digest_mail
from translator.services.notifications import (
    DEFAULT_DIGEST_HOUR,
    notify,
    queue_after_commit,
)
from translator.services.segments import take_write_lock

DUE_SOON_DAYS = 2


@dataclass
class TickResult:
    """What one run made: notifications of due dates, and digests taken to send."""

    due_soon: int = 0
    overdue: int = 0
    digests: int = 0


def notify_due_dates(now: datetime) -> tuple[int, int]:
    """Notify the assignees of open assignments due within DUE_SOON_DAYS days, or past
    due (UTC dates): once per assignment, person and due date. Returns (due soon,
    overdue) made now."""
    today = now.astimezone(UTC).date()
    rows = db.session.execute(
        select(Assignment, Document)
        .join(Document, Document.id == Assignment.document_id)
        .where(
            Assignment.state == AssignmentState.OPEN,
            Assignment.due.is_not(None),
            Assignment.due <= today + timedelta(days=DUE_SOON_DAYS),
        )
        .order_by(Assignment.id)
    ).all()
    soon = late = 0
    for assignment, document in rows:
        assert assignment.due is not None
        kind = NotificationKind.OVERDUE if assignment.due < today else NotificationKind.DUE_SOON
        made = notify(
            assignment.user_id,
            kind,
            subject=f"a{assignment.id}:{assignment.due.isoformat()}",
            document_id=document.id,
            assignment_id=assignment.id,
            payload={
                "title": document.title,
                "slug": document.slug,
                "language": assignment.edition.language,
                "due": assignment.due.isoformat(),
                "path": f"/documents/{document.slug}/edit?assignment={assignment.id}",
            },
        )
        if made is not None and kind is NotificationKind.OVERDUE:
            late += 1
        elif made is not None:
            soon += 1
    return soon, late


def take_digests(now: datetime) -> int:
    """Queue (after the commit) the daily digest of every person whose digest hour has
    come today: the notifications meant for a digest, made before today's digest time
    and not e-mailed yet. Returns how many digests were taken."""
    now = now.astimezone(UTC)
    waiting = db.session.execute(
        select(User, NotificationSettings.digest_hour)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(
            User.id.in_(
                select(Notification.user_id).where(
                    Notification.mail == MailState.DIGEST, Notification.emailed_at.is_(None)
                )
            ),
            User.active.is_(True),
        )
        .order_by(User.id)
    ).all()
    taken = 0
    for user, hour in waiting:
        due_at = datetime.combine(
            now.date(), time(DEFAULT_DIGEST_HOUR if hour is None else hour), UTC
        )
        if now < due_at:
            continue
        claimed = db.session.scalars(
            update(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.mail == MailState.DIGEST,
                Notification.emailed_at.is_(None),
                Notification.created_at < due_at,
            )
            .values(emailed_at=now)
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        ).all()
        if not claimed:
            continue
        notifications = db.session.scalars(
            select(Notification).where(Notification.id.in_(claimed)).order_by(Notification.id)
        ).all()
        queue_after_commit(digest_mail(user, notifications))
        taken += 1
    return taken


def send_due_notifications(now: datetime) -> TickResult:
    """One run of the time-driven notifications at ``now`` (the caller commits). On
    SQLite it takes the write lock first: two runs then take turns instead of both
    reading, then failing to write."""
    take_write_lock()
    soon, late = notify_due_dates(now)
    db.session.flush()
    return TickResult(due_soon=soon, overdue=late, digests=take_digests(now))
