"""Who a request comes from: a browser session (cookie) or a personal API token.

``Authorization: Bearer <token>`` is read on ``/api/v1/`` only; elsewhere the header
is ignored (the pages and forms are for browsers: a token cannot sign a script into
them). A request to the API that carries a bearer token is authenticated by that token
alone: its cookies are not looked at, a token that does not work is a 401 saying why
(unknown, revoked, expired, account deactivated) even on a public endpoint, and the
request needs no CSRF token. CSRF protects cookie authentication — a browser sends
cookies along with a request another site makes it send — while no other site can make
a browser send an ``Authorization`` header it chose (that would need a CORS preflight
this service never grants). Every other request with a method that writes is checked
for the CSRF token exactly as before.

This is the one place that turns a token into the request's user, before any view and
before the rights hook (``web.rights.check_route_right``), which also applies the
token's scope. Not flask-login's ``request_loader``: flask-login asks it only after the
session cookie and the remember-me cookie, and not at all when a remember-me cookie is
present, so a request with both a cookie and a token would run as the cookie's user —
and then it would need CSRF protection after all.
"""

from __future__ import annotations

from flask import current_app, g, request

from translator.extensions import csrf, login_manager
from translator.models import ApiToken
from translator.services.tokens import authenticate_token

API_PREFIX = "/api/v1/"
SCHEME = "bearer"


def presented_token() -> str | None:
    """The token an API request carries in ``Authorization: Bearer``, else None (no
    such header, another scheme, or a path outside the API)."""
    if not request.path.startswith(API_PREFIX):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != SCHEME:
        return None
    return value.strip()


def request_token() -> ApiToken | None:
    """The API token that authenticated this request, if one did."""
    token: ApiToken | None = g.get("api_token")
    return token


def authenticate_request() -> None:
    """``before_request``: an API request with a bearer token runs as the token's user
    (SignInRequired, a 401, if the token does not work)."""
    token = presented_token()
    if token is None:
        return
    row = authenticate_token(token)
    g.api_token = row
    # flask-login's own way to set the request's user without touching the session
    # (Flask-Security does the same for its tokens): no cookie is read or written.
    login_manager._update_request_context_with_user(row.user)


def protect_cookie_requests() -> None:
    """``before_request``: the CSRF check of flask-wtf, for every request not
    authenticated by an API token (``WTF_CSRF_CHECK_DEFAULT`` is off so that this hook,
    which knows about tokens, is the one that runs it)."""
    if not current_app.config["WTF_CSRF_ENABLED"] or request_token() is not None:
        return
    csrf.protect(apply_exemptions=True)
