"""Small helpers shared by tests."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path`` (a real page, as a browser would get it)."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)
