"""The Members page: administrators give and take per-language rights."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import csrf_token, sign_in
from translator.models import Document


def test_administrators_manage_members(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    create_user("cleo@example.org", "correct horse")
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    page = client.get("/documents/essay/members")
    assert page.status_code == 200
    token = csrf_token(client, "/documents/essay/members")
    unknown = client.post(
        "/documents/essay/members",
        data={
            "email": "nobody@example.org",
            "language": "fr",
            "role": "translator",
            "csrf_token": token,
        },
    )
    assert unknown.status_code == 400 and "No user has this e-mail" in unknown.get_data(
        as_text=True
    )
    added = client.post(
        "/documents/essay/members",
        data={
            "email": "cleo@example.org",
            "language": "fr",
            "role": "reviewer",
            "csrf_token": token,
        },
    )
    assert added.status_code == 302
    from translator.models import DocumentMember

    member = db.session.scalar(sa.select(DocumentMember))
    assert (member.language, member.role) == ("fr", "reviewer")
    assert "cleo@example.org" in client.get("/documents/essay/members").get_data(as_text=True)
    client.post(f"/documents/essay/members/{member.id}/remove", data={"csrf_token": token})
    assert db.session.scalar(sa.select(sa.func.count(DocumentMember.id))) == 0


def test_only_administrators_add_members(
    client: FlaskClient, create_user: Any, document: Document
) -> None:
    sign_in(client, create_user, "cleo@example.org")
    token = csrf_token(client, "/")
    response = client.post(
        "/documents/essay/members",
        data={
            "email": "cleo@example.org",
            "language": "fr",
            "role": "reviewer",
            "csrf_token": token,
        },
    )
    assert response.status_code == 403
