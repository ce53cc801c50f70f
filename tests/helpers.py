"""Small helpers shared by tests."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path`` (a real page, as a browser would get it)."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Api:
    """A signed-in browser: JSON calls with the CSRF header, as the editor's scripts make them."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = csrf_token(client, "/")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, query_string=params)

    def send(self, method: str, path: str, body: Any = None, version: int | None = None) -> Any:
        headers = {"X-CSRFToken": self.token}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return self.client.open(
            "/api/v1" + path, method=method, json=body if body is not None else {}, headers=headers
        )


def sign_in(client: FlaskClient, create_user: Any, email: str, **kw: Any) -> tuple[Any, Api]:
    user = create_user(email, "correct horse", **kw)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": "correct horse", "csrf_token": token}
    )
    assert response.status_code == 302
    return user, Api(client)
