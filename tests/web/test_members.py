"""The Members page: administrators give and take per-language rights."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import csrf_token, sign_in
from translator.models import Document, DocumentMember


def add_member(client: FlaskClient, token: str, email: str, role: str) -> Any:
    """Post the Members form: ``email`` may edit the French edition as ``role``."""
    data = {"email": email, "language": "fr", "role": role, "csrf_token": token}
    return client.post("/documents/essay/members", data=data)


def test_administrators_manage_members(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    create_user("cleo@example.org", "correct horse")
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    page = client.get("/documents/essay/members")
    assert page.status_code == 200
    token = csrf_token(client, "/documents/essay/members")
    unknown = add_member(client, token, "nobody@example.org", "translator")
    assert unknown.status_code == 400
    assert "No user has this e-mail" in unknown.get_data(as_text=True)
    assert add_member(client, token, "cleo@example.org", "reviewer").status_code == 302
    member = db.session.scalar(sa.select(DocumentMember))
    assert (member.language, member.role) == ("fr", "reviewer")
    assert "cleo@example.org" in client.get("/documents/essay/members").get_data(as_text=True)
    client.post(f"/documents/essay/members/{member.id}/remove", data={"csrf_token": token})
    assert db.session.scalar(sa.select(sa.func.count(DocumentMember.id))) == 0


def test_only_administrators_add_members(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "cleo@example.org")
    token = csrf_token(client, "/")
    assert add_member(client, token, "cleo@example.org", "reviewer").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(DocumentMember.id))) == 0
