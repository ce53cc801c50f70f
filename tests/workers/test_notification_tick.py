"""The time-driven notifications run by a real Celery beat and a real worker, and by the
housekeeping thread: however many of them tick, each due date is e-mailed once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import ROOT, Mailbox
from translator.models import AssignmentKind, Document, Notification, NotificationKind
from translator.services.assignments import assign
from translator.services.editions import start_translation
from translator.services.jobs import NOTIFICATION_TICK_TASK, enqueue_task
from workers.housekeeping import Housekeeper

EN = "# An essay\n\nThe cat sleeps.\n"


def _overdue_work(db: Any, import_text: Any, create_user: Any, email: str) -> int:
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = db.session.scalar(sa.select(Document))
    start_translation(document, "fr")
    user = create_user(email)
    today = datetime.now(UTC).date()
    assignment = assign(
        document, "fr", user, AssignmentKind.TRANSLATE, due=today - timedelta(days=1)
    )
    db.session.commit()
    return int(assignment.id)


def _overdue_count(db: Any) -> int:
    db.session.expire_all()
    return len(
        db.session.scalars(
            sa.select(Notification).where(Notification.kind == NotificationKind.OVERDUE)
        ).all()
    )


def test_the_housekeeping_thread_sends_the_due_notifications(
    app: Flask,
    db: Any,
    import_text: Any,
    create_user: Any,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The embedded default: no beat; the worker's own timer sends them."""
    _overdue_work(db, import_text, create_user, "ana@example.org")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    monkeypatch.setitem(app.config, "NOTIFICATION_TICK", 0.2)
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_TIMEOUT", 0.8)  # a turn every 0.5 s
    keepers = [Housekeeper(app).start(), Housekeeper(app).start()]  # two, by mistake
    try:
        message = mailbox.wait_for("ana@example.org", timeout=20)
        time.sleep(1.0)  # several more turns of both
    finally:
        for keeper in keepers:
            keeper.stop()
    assert "was due" in message["Subject"]
    assert len(mailbox.messages) == 1 and _overdue_count(db) == 1


@pytest.mark.worker
def test_celery_beat_and_a_real_worker_send_each_once(
    worker_app: Flask,
    worker: Any,
    db: Any,
    import_text: Any,
    create_user: Any,
    mailbox: Mailbox,
    redis_url: str,
    database_url: str,
    tmp_path: Path,
) -> None:
    _overdue_work(db, import_text, create_user, "bruno@example.org")
    with worker_app.app_context():  # a tick by hand too, besides beat's
        enqueue_task(NOTIFICATION_TICK_TASK)
    env = {
        **os.environ,
        "TRANSLATOR_DATABASE_URL": database_url,
        "TRANSLATOR_BROKER_URL": redis_url,
        "TRANSLATOR_INSTANCE_PATH": str(tmp_path),
        "TRANSLATOR_SECRET_KEY": "test",
        "TRANSLATOR_NOTIFICATION_TICK": "1",
    }
    log = tmp_path / "beat.log"
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "beat",
            "--loglevel=INFO",
            f"--schedule={tmp_path / 'beat-schedule'}",
            f"--logfile={log}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sending = f"Sending due task notification-tick ({NOTIFICATION_TICK_TASK})"

    def beats() -> int:
        return log.read_text().count(sending) if log.exists() else 0

    try:
        message = mailbox.wait_for("bruno@example.org", timeout=30)
        deadline = time.monotonic() + 60  # a loaded machine starts beat slowly
        while beats() < 3 and time.monotonic() < deadline and beat.poll() is None:
            time.sleep(0.2)
        time.sleep(2)  # for the worker to run what beat sent
        assert beat.poll() is None, "celery beat stopped"
    finally:
        beat.terminate()
        beat.wait(15)
    assert "was due" in message["Subject"]
    assert beats() >= 3, log.read_text() if log.exists() else "no beat log"
    assert [m["To"] for m in mailbox.messages] == ["bruno@example.org"]
    assert _overdue_count(db) == 1
