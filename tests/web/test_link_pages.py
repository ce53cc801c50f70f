"""The pages one-time links open: accepting an invitation, the forgotten password
(same answer for every address, throttled), the reset; expired and used links."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.conftest import Mailbox
from tests.helpers import csrf_token, sign_in
from translator.models import LinkPurpose, OneTimeLink, UserSession
from translator.models._types import utcnow
from translator.services.invitations import invite_user
from translator.services.links import issue_link


@pytest.fixture
def invitation(create_user: Any, db: Any) -> str:
    admin = create_user("admin@example.org", is_admin=True)
    issued = invite_user("lea@example.org", invited_by=admin, display_name="Léa")
    db.session.commit()
    return issued.token


def _accept(client: FlaskClient, token: str, password: str = "a good password") -> Any:
    form = csrf_token(client, f"/invitation/{token}")
    data = {"display_name": "Léa M.", "password": password, "confirm": password, "csrf_token": form}
    return client.post(f"/invitation/{token}", data=data)


def _sign_in(client: FlaskClient, email: str, password: str) -> int:
    token = csrf_token(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def test_an_invitation_sets_the_password_and_signs_in(
    client: FlaskClient, invitation: str, app: Any
) -> None:
    page = client.get(f"/invitation/{invitation}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert 'value="Léa"' in page.get_data(as_text=True)
    short = _accept(client, invitation, "short")
    assert short.status_code == 400
    done = _accept(client, invitation)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Léa M." in home and "Your account is ready" in home
    used = app.test_client().get(f"/invitation/{invitation}")
    assert used.status_code == 410 and "already used" in used.get_data(as_text=True)
    assert _sign_in(app.test_client(), "lea@example.org", "a good password") == 302


def test_expired_and_unknown_invitations_say_what_to_do(
    client: FlaskClient, invitation: str, db: Any
) -> None:
    db.session.execute(sa.update(OneTimeLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    expired = client.get(f"/invitation/{invitation}")
    html = expired.get_data(as_text=True)
    assert expired.status_code == 410 and "This link has expired" in html
    assert "send a new invitation" in html
    assert _accept_fails(client, invitation)
    unknown = client.get("/invitation/" + "a" * 43)
    assert unknown.status_code == 404 and "does not work" in unknown.get_data(as_text=True)
    assert client.get("/invitation/short").status_code == 404


def _accept_fails(client: FlaskClient, token: str) -> bool:
    data = {"password": "a good password", "confirm": "a good password"}
    response = client.post(f"/invitation/{token}", data=data)
    return response.status_code in (400, 410)


def test_the_sign_in_page_offers_a_reset_and_tells_no_command(
    client: FlaskClient, create_user: Any
) -> None:
    create_user("ana@example.org")
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in html
    assert "translator create-user" not in html


def test_without_smtp_the_forgot_page_says_to_ask_an_administrator(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    create_user("ana@example.org")
    html = client.get("/password/forgot").get_data(as_text=True)
    assert "sends no e-mail" in html and "Ask an administrator" in html
    assert db.session.scalar(sa.select(sa.func.count(OneTimeLink.id))) == 0


@pytest.fixture
def smtp(app: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    return mailbox


def _forgot(client: FlaskClient, email: str) -> Any:
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def test_a_forgotten_password_is_reset_from_the_e_mailed_link(
    client: FlaskClient, app: Any, create_user: Any, db: Any, smtp: Mailbox
) -> None:
    other_browser = app.test_client()
    sign_in(other_browser, create_user, "ana@example.org")
    known, unknown = _forgot(client, "ana@example.org"), _forgot(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    answer = known.get_data(as_text=True)
    assert "If an account has this e-mail address" in answer
    assert "If an account has this e-mail address" in unknown.get_data(as_text=True)
    message = smtp.wait_for("ana@example.org", timeout=5)
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"]
    path = re.search(r"http://localhost(/password/reset/[\w-]{43})", message.get_content())
    assert path
    page = client.get(path.group(1))
    assert page.status_code == 200 and "ana@example.org" in page.get_data(as_text=True)
    token = csrf_token(client, path.group(1))
    data = {"password": "a brand new one", "confirm": "a brand new one", "csrf_token": token}
    done = client.post(path.group(1), data=data)
    assert done.status_code == 302
    assert other_browser.get("/").status_code == 302  # the other session ended
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 1  # this one
    assert _sign_in(app.test_client(), "ana@example.org", "a brand new one") == 302
    again = client.get(path.group(1))
    assert again.status_code == 410 and "already used" in again.get_data(as_text=True)


def test_forgot_requests_are_rate_limited(
    client: FlaskClient, create_user: Any, db: Any, smtp: Mailbox
) -> None:
    create_user("ana@example.org")
    statuses = [_forgot(client, "ana@example.org").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(smtp.messages) == 5
    # Sign-in still works: reset requests never lock the account.
    assert _sign_in(client, "ana@example.org", "correct horse") == 302


def test_an_expired_reset_link_says_to_ask_for_a_new_one(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    ana = create_user("ana@example.org")
    issued = issue_link(ana, LinkPurpose.PASSWORD_RESET)
    issued.link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/password/reset/{issued.token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 410 and "Ask for a new link" in html
    assert 'href="/password/forgot"' in html
