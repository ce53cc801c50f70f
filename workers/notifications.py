"""The time-driven notifications task: due dates and daily digests
(``services.notification_tick``), run every few minutes by Celery beat in production
(``workers.celery_app``'s ``beat_schedule``) and by every worker's housekeeping thread.
Idempotent: two runs at once, or one delivered twice, send each thing once."""

from __future__ import annotations

import logging

from celery import shared_task

from translator.extensions import db
from translator.models._types import utcnow
from translator.services.notification_tick import TickResult, send_due_notifications

log = logging.getLogger(__name__)


def notification_tick_now() -> TickResult:
    """Run the time-driven notifications now and commit (a boundary, like a task)."""
    try:
        result = send_due_notifications(utcnow())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if result.due_soon or result.overdue or result.digests:
        log.info(
            "notifications: %d due soon, %d overdue, %d digest(s)",
            result.due_soon,
            result.overdue,
            result.digests,
        )
    return result


@shared_task(name="translator.notification_tick", ignore_result=True)
def notification_tick() -> None:
    """Notify due and overdue work, send the digests whose hour has come."""
    notification_tick_now()
