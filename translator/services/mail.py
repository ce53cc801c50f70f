"""E-mail: the invitation and password reset messages, queued for the
``translator.send_mail`` task, and how that task sends them (smtplib).

The text is written in the recipient's interface language when the account has one,
else in the language of whoever caused it (the inviter's, or the page's). A message
travels to the worker as plain fields (JSON), never as an object; the task builds the
``EmailMessage`` (``build_message``) and sends it (``send_message``). Only transient
failures are retried (``is_transient``): a refused address or a refused login will not
get better by trying again.

With no ``SMTP_HOST`` configured (the embedded default) nothing is queued and the
caller shows the link to the administrator instead; a broker that cannot take the task
is treated the same way: creating an invitation never fails because of e-mail.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import asdict, dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError

from translator.i18n import _, force_locale, ngettext
from translator.models import User
from translator.services.jobs import MAIL_TASK, enqueue_task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """One message to one recipient, as the task receives it."""

    to: str
    subject: str
    body: str
    language: str = ""  # the language it is written in (its Content-Language), if known


def _duration(lifetime: timedelta) -> str:
    hours = round(lifetime.total_seconds() / 3600)
    if hours >= 48:
        return str(ngettext("%(num)d day", "%(num)d days", hours // 24))
    return str(ngettext("%(num)d hour", "%(num)d hours", max(hours, 1)))


def mail_locale(user: User, fallback: str | None) -> str:
    """The language of a message to ``user``: theirs if they chose one, else ``fallback``
    (the inviter's, the page's), else the instance default."""
    languages = current_app.config["LANGUAGES"]
    if user.locale in languages:
        return str(user.locale)
    if fallback in languages:
        return str(fallback)
    return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


def invitation_mail(
    user: User, url: str, lifetime: timedelta, *, inviter: User, fallback_locale: str | None
) -> Mail:
    """The invitation to ``user``, with the link ``url`` that sets up the account."""
    with force_locale(mail_locale(user, fallback_locale)):
        subject = _("%(name)s invites you to translate", name=inviter.name)
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "%(name)s has made you an account on the translation service. "
                    "Open this link to choose your name and password:",
                    name=inviter.name,
                ),
                url,
                _(
                    "The link works once, for %(duration)s. If it has expired, ask "
                    "%(name)s for a new one.",
                    duration=_duration(lifetime),
                    name=inviter.name,
                ),
            ]
        )
    return Mail(to=user.email, subject=subject, body=body + "\n")


def reset_mail(user: User, url: str, lifetime: timedelta, *, fallback_locale: str | None) -> Mail:
    """The password reset link ``url`` for ``user``."""
    with force_locale(mail_locale(user, fallback_locale)):
        subject = _("Choose a new password")
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "Someone (you, we hope) asked to choose a new password for this "
                    "e-mail address on the translation service. Open this link to do it:"
                ),
                url,
                _(
                    "The link works once, for %(duration)s, and signs you out everywhere "
                    "else. If you did not ask for it, ignore this message: your password "
                    "stays as it is.",
                    duration=_duration(lifetime),
                ),
            ]
        )
    return Mail(to=user.email, subject=subject, body=body + "\n")


def mail_configured() -> bool:
    """Whether e-mail can be sent (an SMTP server is configured)."""
    return bool(current_app.config.get("SMTP_HOST"))


def queue_mail(mail: Mail) -> bool:
    """Queue ``mail`` for the send_mail task (call after commit). False when it was not
    queued: no SMTP server configured, or the broker refused (logged); the caller then
    shows the link itself."""
    if not mail_configured():
        return False
    try:
        enqueue_task(MAIL_TASK, asdict(mail))
    except (BrokerError, OSError) as exc:
        log.warning("an e-mail to %s could not be queued: %s", mail.to, exc)
        return False
    return True


def build_message(fields: dict[str, Any], sender: str) -> EmailMessage:
    """The message ``fields`` (``Mail``'s, as the task receives them) describe."""
    mail = Mail(**{key: str(fields[key]) for key in ("to", "subject", "body")})
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    if fields.get("language"):  # after set_content, which drops every Content-* header
        message["Content-Language"] = str(fields["language"])
    return message


def send_message(fields: dict[str, Any]) -> None:
    """Send the message ``fields`` describe through the configured SMTP server."""
    config = current_app.config
    host = str(config["SMTP_HOST"])
    if not host:
        raise RuntimeError("TRANSLATOR_SMTP_HOST is not set; no e-mail can be sent")
    use_ssl, starttls = bool(config["SMTP_SSL"]), bool(config["SMTP_STARTTLS"])
    port = int(config["SMTP_PORT"]) or (465 if use_ssl else 587 if starttls else 25)
    timeout = float(config["SMTP_TIMEOUT"])
    message = build_message(fields, str(config["MAIL_FROM"]))
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if use_ssl:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if starttls and not use_ssl:
            smtp.starttls(context=context)
        if config["SMTP_USERNAME"]:
            smtp.login(str(config["SMTP_USERNAME"]), str(config["SMTP_PASSWORD"]))
        smtp.send_message(message)


def is_transient(exc: BaseException) -> bool:
    """Whether sending may succeed later: the server was unreachable, hung up, or
    answered a temporary (4xx) error. A refused recipient, sender or login is final."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPException | ssl.SSLError):
        return False  # e.g. STARTTLS unsupported, a certificate refused: configuration
    return isinstance(exc, OSError)  # refused, reset, timed out, name not resolved
