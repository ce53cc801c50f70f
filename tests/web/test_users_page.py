"""The users page: administrators invite (the link shown when no e-mail can be sent,
e-mailed through a real SMTP server when one is configured), change roles, deactivate
and reactivate; nobody deactivates themselves or the last administrator."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.conftest import Mailbox
from tests.helpers import csrf_token, sign_in
from translator.models import OneTimeLink, User, UserSession

LINK_RE = re.compile(r'value="(http://localhost/invitation/[A-Za-z0-9_-]{43})"')


@pytest.fixture
def admin(client: FlaskClient, create_user: Any) -> Any:
    return sign_in(client, create_user, "admin@example.org", is_admin=True)[0]


def _invite(client: FlaskClient, email: str, **extra: str) -> Any:
    token = csrf_token(client, "/admin/users")
    data = {"email": email, "role": "member", "locale": "", "csrf_token": token, **extra}
    return client.post("/admin/users/invite", data=data)


def test_without_smtp_the_invitation_link_is_shown_to_hand_over(
    client: FlaskClient, admin: Any, db: Any, app: Any
) -> None:
    response = _invite(client, "Lea@example.org", display_name="Léa", locale="fr")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "no SMTP server is configured" in html
    assert 'value="Léa"' not in html  # the invite form is empty again
    link = LINK_RE.search(html)
    assert link, html
    lea = db.session.scalar(sa.select(User).where(User.email == "lea@example.org"))
    assert (lea.display_name, lea.locale, lea.is_admin) == ("Léa", "fr", False)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "invited, until" in page and link.group(1) not in page  # shown once only

    other = app.test_client()  # Léa's browser
    form = other.get(link.group(1).removeprefix("http://localhost"))
    assert form.status_code == 200 and "lea@example.org" in form.get_data(as_text=True)


def test_the_link_uses_the_configured_base_url(
    client: FlaskClient, admin: Any, monkeypatch: pytest.MonkeyPatch, app: Any
) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", "https://translate.example.org/")
    html = _invite(client, "lea@example.org").get_data(as_text=True)
    assert re.search(r'value="https://translate\.example\.org/invitation/[\w-]{43}"', html)


def test_with_smtp_the_invitation_is_e_mailed_not_shown(
    client: FlaskClient,
    admin: Any,
    app: Any,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    response = _invite(client, "lea@example.org")
    assert response.status_code == 302
    message = mailbox.wait_for("lea@example.org", timeout=5)
    link = re.search(r"http://localhost/invitation/[\w-]{43}", message.get_content())
    assert link
    assert "was e-mailed to lea@example.org" in client.get("/admin/users").get_data(as_text=True)
    other = app.test_client()
    assert other.get(link.group(0).removeprefix("http://localhost")).status_code == 200


def test_bad_or_taken_addresses_are_refused_by_field(
    client: FlaskClient, admin: Any, db: Any
) -> None:
    taken = _invite(client, "ADMIN@example.org")
    assert taken.status_code == 409
    assert "already has this e-mail" in taken.get_data(as_text=True)
    bad = _invite(client, "lea@", role="emperor")
    assert bad.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_resend_replaces_the_invitation_link(client: FlaskClient, admin: Any, db: Any) -> None:
    first = LINK_RE.search(_invite(client, "lea@example.org").get_data(as_text=True))
    lea = db.session.scalar(sa.select(User).where(User.email == "lea@example.org"))
    token = csrf_token(client, "/admin/users")
    again = client.post(f"/admin/users/{lea.id}/resend", data={"csrf_token": token})
    second = LINK_RE.search(again.get_data(as_text=True))
    assert first and second and first.group(1) != second.group(1)
    gone = client.get(first.group(1).removeprefix("http://localhost"))
    assert gone.status_code == 410 and "replaced by a newer one" in gone.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OneTimeLink.id))) == 2


def test_deactivate_ends_sessions_and_reactivate_lets_them_back(
    client: FlaskClient, admin: Any, app: Any, create_user: Any, db: Any
) -> None:
    bruno_browser = app.test_client()
    bruno, _api = sign_in(bruno_browser, create_user, "bruno@example.org")
    assert bruno_browser.get("/").status_code == 200
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{bruno.id}/deactivate", data={"csrf_token": token})
    assert bruno_browser.get("/").status_code == 302  # signed out at once
    assert (
        db.session.scalar(
            sa.select(sa.func.count(UserSession.id)).where(UserSession.user_id == bruno.id)
        )
        == 0
    )
    assert "deactivated" in client.get("/admin/users").get_data(as_text=True)
    client.post(f"/admin/users/{bruno.id}/reactivate", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, bruno.id).active


def test_no_self_deactivation_and_the_last_administrator_stays(
    client: FlaskClient, admin: Any, db: Any
) -> None:
    token = csrf_token(client, "/admin/users")
    refused = client.post(
        f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "cannot deactivate your own account" in refused.get_data(as_text=True)
    demoted = client.post(
        f"/admin/users/{admin.id}/role",
        data={"csrf_token": token, "role": "member"},
        follow_redirects=True,
    )
    assert "last administrator" in demoted.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active and db.session.get(User, admin.id).is_admin


def test_change_role(client: FlaskClient, admin: Any, create_user: Any, db: Any) -> None:
    bruno = create_user("bruno@example.org")
    token = csrf_token(client, "/admin/users")

    def change(role: str) -> tuple[bool, bool]:
        client.post(f"/admin/users/{bruno.id}/role", data={"csrf_token": token, "role": role})
        db.session.expire_all()
        user = db.session.get(User, bruno.id)
        return user.is_admin, user.is_coordinator

    assert change("administrator") == (True, False)
    assert change("coordinator") == (False, True)
    assert 'value="coordinator" selected' in client.get("/admin/users").get_data(as_text=True)
    assert change("x") == (False, True)  # refused: nothing changed
    assert change("member") == (False, False)


def test_forms_without_csrf_change_nothing(client: FlaskClient, admin: Any, db: Any) -> None:
    response = client.post("/admin/users/invite", data={"email": "lea@example.org"})
    assert response.status_code in (400, 403)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_the_users_page_is_in_the_menu_of_administrators_only(
    client: FlaskClient, admin: Any, app: Any, create_user: Any
) -> None:
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, create_user, "bruno@example.org")
    assert 'href="/admin/users"' not in other.get("/").get_data(as_text=True)
    assert other.get("/admin/users").status_code == 403
