"""The e-mail task: a real local SMTP server (aiosmtpd) receives what it sends, run in
this process (eager) and by a real worker; only transient failures are retried."""

from __future__ import annotations

import smtplib
import socket
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Mailbox
from translator.models import User
from translator.services.jobs import MAIL_TASK, enqueue_task
from translator.services.mail import (
    Mail,
    invitation_mail,
    is_transient,
    queue_mail,
    reset_mail,
    send_message,
)


@pytest.fixture
def smtp_app(app: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The test app, configured to send e-mail to the local SMTP server."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "translator@example.org")
    return app


def test_the_task_sends_an_invitation_to_a_real_smtp_server(
    smtp_app: Any, db: Any, mailbox: Mailbox
) -> None:
    inviter = User(email="admin@example.org", display_name="Ana Admin")
    lea = User(email="lea@example.org")
    url = "https://translate.example.org/invitation/abc"
    mail = invitation_mail(lea, url, timedelta(days=7), inviter=inviter, fallback_locale="en")
    assert queue_mail(mail) is True  # eager: sent before this returns
    message = mailbox.wait_for("lea@example.org", timeout=5)
    assert message["From"] == "translator@example.org"
    assert message["Subject"] == "Ana Admin invites you to translate"
    body = message.get_content()
    assert url in body and "7 days" in body
    assert message["Message-ID"] and message["Date"]


def test_the_reset_message_says_how_long_its_link_works(smtp_app: Any, db: Any) -> None:
    user = User(email="ana@example.org", locale="pt")
    mail = reset_mail(user, "http://h/password/reset/x", timedelta(hours=1), fallback_locale="en")
    assert mail.to == "ana@example.org"
    assert "http://h/password/reset/x" in mail.body and "1" in mail.body


def test_without_an_smtp_server_nothing_is_queued(app: Any, db: Any, mailbox: Mailbox) -> None:
    assert not app.config["SMTP_HOST"]
    assert queue_mail(Mail("lea@example.org", "Hi", "Hello")) is False
    assert mailbox.messages == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_server_is_transient_a_refusal_is_not(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", _closed_port())
    with app.app_context(), pytest.raises(OSError) as refused:
        send_message({"to": "a@example.org", "subject": "s", "body": "b"})
    assert is_transient(refused.value)
    assert is_transient(smtplib.SMTPServerDisconnected("gone"))
    assert is_transient(smtplib.SMTPResponseException(421, b"try later"))
    assert not is_transient(smtplib.SMTPResponseException(550, b"no such user"))
    assert not is_transient(smtplib.SMTPAuthenticationError(535, b"bad login"))
    assert not is_transient(smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no")}))
    assert is_transient(smtplib.SMTPRecipientsRefused({"a@x.org": (451, b"later")}))
    assert not is_transient(smtplib.SMTPNotSupportedError("no STARTTLS"))
    assert not is_transient(ValueError("a bug"))


def test_an_eager_send_to_an_unreachable_server_is_retried_then_given_up(
    app: Any, db: Any, monkeypatch: pytest.MonkeyPatch, mailbox: Mailbox
) -> None:
    """Nothing escapes to the caller (the request that queued it never fails)."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", _closed_port())
    assert queue_mail(Mail("lea@example.org", "Hi", "Hello")) is True
    assert mailbox.messages == []


@pytest.mark.worker
def test_a_real_worker_sends_the_mail(worker_app: Any, worker: Any, mailbox: Mailbox) -> None:
    fields = {"to": "bruno@example.org", "subject": "Choose a new password", "body": "Link\n"}
    with worker_app.app_context():
        enqueue_task(MAIL_TASK, fields)
    message = mailbox.wait_for("bruno@example.org")
    assert message["Subject"] == "Choose a new password"
    assert message["From"] == "translator@example.org"
    assert message.get_content().splitlines() == ["Link"]


def test_a_message_speaks_the_recipients_language_else_the_senders(app: Any) -> None:
    from translator.services.mail import mail_locale

    with app.app_context():
        assert mail_locale(User(email="a@example.org", locale="pt"), "fr") == "pt"
        assert mail_locale(User(email="a@example.org"), "fr") == "fr"
        assert mail_locale(User(email="a@example.org", locale="xx"), "yy") == "en"
