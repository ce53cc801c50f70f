"""The bell (server-rendered count, then live through the person's event stream), the
notifications page, the API and the settings on the account page: each person's own."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask

from tests.helpers import Api, csrf_token, sign_in
from translator.models import Document, MemberRole, Notification, NotificationKind
from translator.services.members import set_member
from translator.services.notifications import get_settings, list_notifications, notify


def _bell(html: str) -> int:
    match = re.search(r"data-unread>(\d+)<", html)
    assert match, "no bell on the page"
    return int(match.group(1))


def _two_people(app: Flask, create_user: Any, document: Document) -> tuple[Api, Api, Any]:
    """A coordinator's browser and Ana's (a French translator's), each signed in."""
    coordinator, cleo = sign_in(app.test_client(), create_user, "cleo@example.org")
    coordinator.is_coordinator = True
    ana, api = sign_in(app.test_client(), create_user, "ana@example.org", display_name="Ana")
    set_member(document, ana, "fr", MemberRole.TRANSLATOR)
    from translator.extensions import db

    db.session.commit()
    return cleo, api, ana


def test_the_bell_counts_and_hears_a_new_notification_live(
    app: Flask, db: Any, create_user: Any, document: Document
) -> None:
    cleo, ana_api, _ana = _two_people(app, create_user, document)
    assert _bell(ana_api.client.get("/").get_data(as_text=True)) == 0
    stream = ana_api.client.get("/api/v1/notifications/events", buffered=False)
    assert stream.status_code == 200 and stream.mimetype == "text/event-stream"
    chunks = iter(stream.response)
    assert next(chunks) == b": connected\n\n"
    made = cleo.send(
        "POST", "/documents/essay/assignments", {"language": "fr", "to": "ana@example.org"}
    )
    assert made.status_code == 201, made.get_json()
    chunk = next(chunks).decode()
    assert chunk.startswith("event: notification\ndata: ")
    data = json.loads(chunk.split("data: ", 1)[1])
    assert data["unread"] == 1
    assert data["notification"]["kind"] == "assigned"
    assert data["notification"]["path"].startswith("/documents/essay/edit?assignment=")
    # Read on another page: the bell hears the new count.
    read = ana_api.send("POST", "/notifications/read", {"ids": None})
    assert read.status_code == 200 and read.get_json() == {"unread": 0}
    assert json.loads(next(chunks).decode().split("data: ", 1)[1]) == {
        "unread": 0,
        "notification": None,
    }
    stream.close()
    assert _bell(ana_api.client.get("/").get_data(as_text=True)) == 0


def test_the_page_lists_and_marks_read_one_or_all(
    app: Flask, db: Any, create_user: Any, document: Document
) -> None:
    _cleo, ana_api, ana = _two_people(app, create_user, document)
    ids = [
        notify(ana.id, NotificationKind.RELEASE, subject=f"v{n}", payload={"title": "Essay"})
        for n in (1, 2, 3)
    ]
    db.session.commit()
    client = ana_api.client
    page = client.get("/notifications").get_data(as_text=True)
    assert _bell(page) == 3 and page.count('class="notification unread"') == 3
    token = csrf_token(client, "/notifications")
    client.post("/notifications/read", data={"csrf_token": token, "id": str(ids[0])})
    assert _bell(client.get("/notifications").get_data(as_text=True)) == 2
    client.post("/notifications/read", data={"csrf_token": token})
    page = client.get("/notifications").get_data(as_text=True)
    assert _bell(page) == 0 and 'class="notification unread"' not in page


def test_nobody_reads_or_marks_anothers_notifications(
    app: Flask, db: Any, create_user: Any, document: Document
) -> None:
    cleo, _ana_api, ana = _two_people(app, create_user, document)
    mine = notify(ana.id, NotificationKind.RELEASE, subject="v1", payload={"title": "Essay"})
    db.session.commit()
    assert cleo.get("/notifications").get_json() == {"unread": 0, "notifications": []}
    refused = cleo.send("POST", "/notifications/read", {"ids": [mine]})
    assert refused.status_code == 404
    db.session.expire_all()
    notification = db.session.get(Notification, mine)
    assert notification is not None and notification.read_at is None


def test_the_api_lists_newest_first_and_pages(
    app: Flask, db: Any, create_user: Any, document: Document
) -> None:
    _cleo, ana_api, ana = _two_people(app, create_user, document)
    for n in range(5):
        notify(ana.id, NotificationKind.RELEASE, subject=f"v{n}", payload={"version": str(n)})
    db.session.commit()
    first = ana_api.get("/notifications", limit=2).get_json()
    assert first["unread"] == 5
    texts = [n["text"] for n in first["notifications"]]
    assert texts == ["Someone published version 4 of “”.", "Someone published version 3 of “”."]
    older = ana_api.get("/notifications", limit=2, before=first["notifications"][-1]["id"])
    assert [n["text"] for n in older.get_json()["notifications"]] == [
        "Someone published version 2 of “”.",
        "Someone published version 1 of “”.",
    ]
    assert ana_api.get("/notifications", limit=0).status_code == 400


def test_the_account_page_saves_the_settings(
    app: Flask, db: Any, create_user: Any, document: Document
) -> None:
    _cleo, ana_api, ana = _two_people(app, create_user, document)
    client = ana_api.client
    page = client.get("/account").get_data(as_text=True)
    assert 'id="channel-mention"' in page and 'id="digest_hour"' in page
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/notifications",
        data={
            "csrf_token": token,
            "channel-mention": "digest",
            "channel-release": "off",
            "digest_hour": "18",
        },
    )
    assert response.status_code == 302
    settings = get_settings(ana.id)
    assert settings.channels[NotificationKind.MENTION].value == "digest"
    assert settings.channels[NotificationKind.RELEASE].value == "off"
    assert settings.channels[NotificationKind.ASSIGNED].value == "email"  # unchanged
    assert settings.digest_hour == 18
    bad = client.post(
        "/account/notifications",
        data={"csrf_token": token, "channel-mention": "pigeon", "digest_hour": "18"},
    )
    assert bad.status_code == 400
    assert get_settings(ana.id).channels[NotificationKind.MENTION].value == "digest"
    assert notify(ana.id, NotificationKind.RELEASE, subject="v9") is None  # turned off
    assert list_notifications(ana.id) == []


def test_the_bell_hears_of_notifications_made_where_the_hub_does_not_reach(
    app: Flask, db: Any, create_user: Any, document: Document, monkeypatch: Any
) -> None:
    """The embedded mode: the worker process (due dates, digests) has its own in-process
    hub; the stream notices the new count at its next keep-alive."""
    _cleo, ana_api, ana = _two_people(app, create_user, document)
    monkeypatch.setitem(app.config, "LIVE_KEEPALIVE", 0.2)
    stream = ana_api.client.get("/api/v1/notifications/events", buffered=False)
    chunks = iter(stream.response)
    assert next(chunks) == b": connected\n\n"
    assert next(chunks) == b": keep-alive\n\n"
    db.session.add(  # as another process would, its event never reaching this one
        Notification(
            user_id=ana.id, kind=NotificationKind.OVERDUE, dedup_key="elsewhere", mail="none"
        )
    )
    db.session.commit()
    assert next(chunks) == (b'event: notification\ndata: {"unread": 1, "notification": null}\n\n')
    assert next(chunks) == b": keep-alive\n\n"
    stream.close()
