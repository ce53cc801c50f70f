"""Personal API tokens on the wire: ``Authorization: Bearer`` on /api/v1/ (no browser,
no CSRF token), scopes checked by the rights hook, a 401 saying why a token does not
work, nothing of it outside the API; and the account page that creates, lists and
revokes them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import truncate_all
from tests.helpers import csrf_token, sign_in
from tests.web.test_rights_matrix import (
    EXPECTATIONS,
    ROLES,
    Call,
    World,
    build_world,
    fingerprint,
)
from translator.extensions import db as _db
from translator.models import ApiToken, Document, MemberRole, User, UserSession
from translator.models._types import utcnow
from translator.services.members import set_member
from translator.services.tokens import create_token

API_ROUTES = sorted(key for key in EXPECTATIONS if key[0].startswith("api."))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(email: str, scope: str, **kw: Any) -> str:
    user = _db.session.scalar(sa.select(User).where(User.email == email))
    _row, token = create_token(user, f"{scope} script", scope, **kw)
    _db.session.commit()
    return token


def _used_token(app: Flask, email: str, scope: str) -> str:
    """A token used once already: its ``last_used_at`` is written, and will not be again
    for minutes (so that comparing every row before and after a request is fair)."""
    token = _token(email, scope)
    assert app.test_client().get("/api/v1/openapi.json", headers=_bearer(token)).status_code == 200
    return token


def _call(client: FlaskClient, method: str, call: Call, world: World, token: str) -> Any:
    headers = _bearer(token)
    if call.version:
        headers["If-Match"] = '"1"'
    if method in ("GET", "HEAD"):
        return client.open(call.url(world), method=method, headers=headers, buffered=False)
    body = call.body(world) if call.body is not None else {}
    return client.open(call.url(world), method=method, json=body, headers=headers)


def test_a_token_reads_and_writes_as_its_user_without_a_browser(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    create_user("ana@example.org", is_admin=True)
    token = _token("ana@example.org", "write")
    client = app.test_client()  # no cookie, no CSRF token: a script
    info = client.get("/api/v1/documents/essay", headers=_bearer(token))
    assert info.status_code == 200 and info.get_json()["me"]["name"] == "ana@example.org"
    cell = client.get("/api/v1/documents/essay/units", headers=_bearer(token)).get_json()
    segment = cell["units"][1]["segments"]["fr"]
    saved = client.put(
        f"/api/v1/segments/{segment['id']}",
        json={"text": "Le chat dort bien.", "confirm": True},
        headers={**_bearer(token), "If-Match": f'"{segment["version"]}"'},
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["segment"]["text"] == "Le chat dort bien."
    assert "Set-Cookie" not in saved.headers  # no session is opened for a token
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


@pytest.mark.parametrize(("endpoint", "method"), API_ROUTES, ids=lambda v: str(v))
def test_a_read_token_may_only_read(app: Flask, db: Any, endpoint: str, method: str) -> None:
    world = build_world()
    token = _used_token(app, "admin@example.org", "read")
    before = fingerprint()
    response = _call(app.test_client(), method, EXPECTATIONS[(endpoint, method)].call, world, token)
    status = response.status_code
    response.close()
    if method in ("GET", "HEAD"):
        assert status == 200, (endpoint, status)
        return
    assert status == 403, (endpoint, status)
    assert "scope 'read'" in response.get_json()["error"]
    assert fingerprint() == before, f"{endpoint}: a refused write changed the data"


@pytest.mark.parametrize(("endpoint", "method"), API_ROUTES, ids=lambda v: str(v))
def test_a_write_token_has_its_user_s_rights_and_no_more(
    app: Flask, db: Any, endpoint: str, method: str
) -> None:
    """The rights matrix again, with a write token instead of a browser session."""
    expect = EXPECTATIONS[(endpoint, method)]
    world = build_world()
    for role in ROLES[1:]:
        token = _used_token(app, f"{role}@example.org", "write")
        before = fingerprint() if method != "GET" else ""
        response = _call(app.test_client(), method, expect.call, world, token)
        status = response.status_code
        response.close()
        where = f"{method} {endpoint} as {role}: {status}"
        assert status < 500, where
        if role in expect.allowed:
            assert status not in (401, 403), where
            if method != "GET":
                _db.session.remove()
                truncate_all(_db.engine)
                world = build_world()
        else:
            assert status == 403, where
            if method != "GET":
                assert fingerprint() == before, where


def test_a_token_that_does_not_work_is_a_401_saying_why(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    ana = create_user("ana@example.org")
    soon = utcnow() + timedelta(days=1)
    expired_row, expired = create_token(ana, "expired", "read", expires_at=soon)
    revoked_row, revoked = create_token(ana, "revoked", "read")
    expired_row.expires_at = utcnow() - timedelta(minutes=1)
    revoked_row.revoked_at = utcnow()
    db.session.commit()
    client = app.test_client()
    for token, said in [
        (expired, "expired"),
        (revoked, "revoked"),
        ("tr_00000000_" + "a" * 43, "unknown"),
        ("hunter2", "not an API token"),
    ]:
        for path in ("/api/v1/documents/essay", "/api/v1/openapi.json"):  # public too
            response = client.get(path, headers=_bearer(token))
            assert response.status_code == 401, (token, path)
            assert said in response.get_json()["error"]
            assert response.get_json()["field"] == "Authorization"
            assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert client.get("/api/v1/documents/essay").headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_account_s_tokens_stop_working(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    ana = create_user("ana@example.org")
    set_member(document, ana, "", MemberRole.READER)
    db.session.commit()
    token = _token("ana@example.org", "write")
    client = app.test_client()
    assert client.get("/api/v1/documents/essay", headers=_bearer(token)).status_code == 200
    ana.active = False
    db.session.commit()
    refused = client.get("/api/v1/documents/essay", headers=_bearer(token))
    assert refused.status_code == 401 and "deactivated" in refused.get_json()["error"]


def test_with_a_token_the_cookie_does_not_count(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    """A request with a bearer token is the token's alone: a browser session beside it
    neither rescues a bad token nor lends its rights, and CSRF is asked of cookies only."""
    _admin, api = sign_in(client, create_user, "admin@example.org", is_admin=True)
    bea = create_user("bea@example.org")
    set_member(document, bea, "", MemberRole.READER)  # she sees the document, changes no row
    db.session.commit()
    beas = _token("bea@example.org", "write")
    unit = api.get("/documents/essay/units").get_json()["units"][0]["id"]
    bad = client.get("/api/v1/documents/essay", headers=_bearer("tr_00000000_" + "b" * 43))
    assert bad.status_code == 401  # the session cookie is there, and ignored
    as_bea = client.post(f"/api/v1/units/{unit}/merge", json={}, headers=_bearer(beas))
    assert as_bea.status_code == 403  # Bea may not change rows; the admin's cookie is ignored
    # Another scheme is not a token: the request is the cookie's, and needs its CSRF token.
    basic = client.post(
        f"/api/v1/units/{unit}/comments",
        json={"body": "Hm."},
        headers={"Authorization": "Basic YWRtaW46eA=="},
    )
    assert basic.status_code == 400 and "CSRF" in basic.get_json()["error"]


def test_tokens_are_for_the_api_only(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    create_user("ana@example.org", is_admin=True)
    token = _token("ana@example.org", "write")
    client = app.test_client()
    page = client.get("/", headers=_bearer(token))
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    form = client.post("/account/tokens", data={"name": "x"}, headers=_bearer(token))
    assert form.status_code in (302, 400)  # refused: no session (and no CSRF token)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1


def test_the_account_page_creates_lists_and_revokes_tokens(
    app: Flask, client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    ana, _ = sign_in(client, create_user, "ana@example.org")
    set_member(document, ana, "", MemberRole.READER)
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "You have no API tokens." in page
    response = client.post(
        "/account/tokens",
        data={
            "name": "nightly export",
            "scope": "read",
            "expires": "30",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r'<code id="new-token">([^<]+)</code>', html)
    assert token, html
    secret = token.group(1)
    row = db.session.scalar(sa.select(ApiToken))
    assert row.name == "nightly export" and row.expires_at is not None
    assert (row.expires_at - utcnow().replace(tzinfo=row.expires_at.tzinfo)).days in (29, 30)
    assert row.prefix in html
    # It works, for reading only, and is never shown again.
    script = app.test_client()
    assert script.get("/api/v1/documents/essay", headers=_bearer(secret)).status_code == 200
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and row.prefix in again and "nightly export" in again
    # Revoke it.
    revoked = client.post(
        f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert revoked.status_code == 302
    assert script.get("/api/v1/documents/essay", headers=_bearer(secret)).status_code == 401
    assert "revoked" in client.get("/account").get_data(as_text=True)


def test_the_account_page_refuses_a_bad_token_form_and_others_tokens(
    app: Flask, client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "ana@example.org")
    bea = create_user("bea@example.org")
    set_member(document, bea, "", MemberRole.READER)  # she sees the document, changes no row
    db.session.commit()
    beas = _token("bea@example.org", "read")
    token = csrf_token(client, "/account")
    nameless = client.post(
        "/account/tokens", data={"name": "", "scope": "read", "expires": "30", "csrf_token": token}
    )
    assert nameless.status_code == 400 and "This field is required." in nameless.get_data(
        as_text=True
    )
    bad_scope = client.post(
        "/account/tokens",
        data={"name": "x", "scope": "admin", "expires": "30", "csrf_token": token},
    )
    assert bad_scope.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1  # Bea's only
    bea_row = db.session.scalar(sa.select(ApiToken))
    stolen = client.post(f"/account/tokens/{bea_row.id}/revoke", data={"csrf_token": token})
    assert stolen.status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, bea_row.id).revoked_at is None
    assert app.test_client().get("/api/v1/openapi.json", headers=_bearer(beas)).status_code == 200
