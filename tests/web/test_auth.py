"""Signing in and out: throttled guessing, no account enumeration by timing, sessions
that end on the server, and the security headers of every response."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_token
from translator.models import LoginAttempt, UserSession
from translator.services.sessions import ACCOUNT_LIMIT, ADDRESS_LIMIT

PASSWORD = "correct horse"


def _login(
    client: FlaskClient, email: str, password: str, *, remember: bool = False, address: str = ""
) -> Any:
    token = csrf_token(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/login", data=data, environ_base=environ)


def test_guessing_one_account_is_throttled_with_a_clear_message(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    create_user("ana@example.org", PASSWORD)
    create_user("bea@example.org", PASSWORD)
    for _ in range(ACCOUNT_LIMIT):
        assert _login(client, "ana@example.org", "guess").status_code == 200
    refused = _login(client, "ana@example.org", PASSWORD)  # even the right password
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert "Wait 15 minutes" in refused.get_data(as_text=True)
    assert _login(client, "bea@example.org", PASSWORD).status_code == 302  # others may
    # Once the window has passed, the account may try again.
    db.session.execute(
        sa.update(LoginAttempt).values(created_at=LoginAttempt.created_at - timedelta(minutes=16))
    )
    db.session.commit()
    assert _login(client, "ana@example.org", PASSWORD).status_code == 302


def test_guessing_from_one_address_is_throttled(app: Flask, create_user: Any, db: Any) -> None:
    create_user("ana@example.org", PASSWORD)
    client = app.test_client()
    for n in range(ADDRESS_LIMIT):
        response = _login(client, f"nobody{n}@example.org", "guess", address="10.0.0.7")
        assert response.status_code == 200
    assert _login(client, "ana@example.org", PASSWORD, address="10.0.0.7").status_code == 429
    assert _login(client, "ana@example.org", PASSWORD, address="10.0.0.8").status_code == 302


def test_a_known_and_an_unknown_address_take_the_same_time(
    app: Flask, create_user: Any, db: Any
) -> None:
    """Before: a known e-mail answered in 137 ms, an unknown one in 14 ms."""
    create_user("ana@example.org", PASSWORD)
    client = app.test_client()

    def timed(email: str) -> float:
        token = csrf_token(client, "/login")
        started = time.perf_counter()
        client.post("/login", data={"email": email, "password": "guess", "csrf_token": token})
        return time.perf_counter() - started

    known, unknown = [], []
    for n in range(3):
        known.append(timed("ana@example.org"))
        unknown.append(timed(f"nobody{n}@example.org"))
        db.session.execute(sa.delete(LoginAttempt))  # stay under the throttle
        db.session.commit()
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (known, unknown)


def test_signing_out_ends_the_session_and_the_remember_cookie(
    app: Flask, create_user: Any, db: Any
) -> None:
    create_user("ana@example.org", PASSWORD)
    client = app.test_client()
    assert _login(client, "ana@example.org", PASSWORD, remember=True).status_code == 302
    stolen = {c.key: c.value for c in client._cookies.values()}
    assert {"session", "remember_token"} <= set(stolen)
    assert client.get("/").status_code == 200
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0
    replay = app.test_client()
    for name, value in stolen.items():
        replay.set_cookie(name, value)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    only_remember = app.test_client()
    only_remember.set_cookie("remember_token", stolen["remember_token"])
    assert only_remember.get("/").status_code == 302


def test_changing_the_password_ends_the_other_sessions(
    app: Flask, create_user: Any, db: Any
) -> None:
    create_user("ana@example.org", PASSWORD)
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        assert _login(client, "ana@example.org", PASSWORD).status_code == 302
    token = csrf_token(here, "/account")
    wrong = here.post(
        "/account/password",
        data={"csrf_token": token, "current": "nope", "password": "n" * 10, "confirm": "n" * 10},
    )
    assert wrong.status_code == 400 and "current password is wrong" in wrong.get_data(as_text=True)
    changed = here.post(
        "/account/password",
        data={"csrf_token": token, "current": PASSWORD, "password": "n" * 10, "confirm": "n" * 10},
    )
    assert changed.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    fresh = app.test_client()
    assert _login(fresh, "ana@example.org", PASSWORD).status_code == 200  # old one refused
    assert _login(fresh, "ana@example.org", "n" * 10).status_code == 302


def test_every_response_carries_the_security_headers(
    app: Flask, client: FlaskClient, create_user: Any
) -> None:
    create_user("ana@example.org", PASSWORD)
    responses = [
        client.get("/login"),
        client.get("/static/css/app.css"),
        client.get("/api/v1/documents/x"),  # 401 JSON
        client.get("/no/such/page"),
    ]
    _login(client, "ana@example.org", PASSWORD)
    responses.append(client.get("/documents/nothing"))  # 404 page, signed in
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        response.close()


def test_cookies_are_secure_when_served_over_https(
    tmp_path: Any, database_url: str, db: Any
) -> None:
    from tests.conftest import dispose_engines, make_app

    app = make_app(tmp_path, database_url, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    try:
        response = app.test_client().get("/setup", base_url="https://example.org")  # a form
    finally:
        dispose_engines(app)
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
