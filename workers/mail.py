"""The e-mail task: send one message (its fields, as ``services.mail.Mail``), retried
with exponential backoff while the SMTP server is unreachable or answers a temporary
error; a permanent refusal is logged and dropped (retrying would not help)."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from translator.services.mail import is_transient, send_message

log = logging.getLogger(__name__)
MAX_RETRIES = 8  # 2 s, 4 s, ... about 17 minutes in all, then the message is dropped
BACKOFF_MAX = 600


@shared_task(name="translator.send_mail", bind=True, ignore_result=True, max_retries=MAX_RETRIES)
def send_mail(self: Task, fields: dict[str, Any]) -> None:
    """Send the message to ``fields["to"]``."""
    try:
        send_message(fields)
    except Exception as exc:
        if not is_transient(exc):
            log.error("e-mail to %s refused, not retried: %s", fields.get("to"), exc)
            return
        delay = min(BACKOFF_MAX, 2 ** (self.request.retries + 1))
        log.warning("e-mail to %s not sent (%s); retry in %s s", fields.get("to"), exc, delay)
        raise self.retry(exc=exc, countdown=delay) from exc
    log.info("e-mail sent to %s", fields.get("to"))
