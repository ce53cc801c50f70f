"""The Members page: administrators give and take per-language rights."""

from __future__ import annotations

import re
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
    assert "Nobody has an account with this e-mail" in unknown.get_data(as_text=True)
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


def test_suggestions_find_active_users_by_name_or_e_mail(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    from translator.services.users import deactivate_user

    admin, _api = sign_in(client, create_user, "admin@example.org", is_admin=True)
    create_user("cleo@example.org", display_name="Cléo Martin")
    create_user("martine@example.org")
    gone = create_user("martin.gone@example.org")
    deactivate_user(gone, by=admin)
    db.session.commit()
    found = client.get("/documents/essay/members/suggest?q=MARTIN").get_json()
    assert found == {
        "users": [
            {"name": "", "email": "martine@example.org"},
            {"name": "Cléo Martin", "email": "cleo@example.org"},
        ]
    }
    for _ in range(12):
        create_user(f"many{_:02d}@example.org")
    assert len(client.get("/documents/essay/members/suggest?q=many").get_json()["users"]) == 10
    assert client.get("/documents/essay/members/suggest?q=m").get_json() == {"users": []}
    too_long = client.get("/documents/essay/members/suggest?q=" + "x" * 300)
    assert too_long.status_code == 400 and too_long.get_json()["field"] == "q"
    page = client.get("/documents/essay/members").get_data(as_text=True)
    assert 'data-suggest="/documents/essay/members/suggest"' in page
    assert 'list="member-suggestions"' in page


def test_a_member_is_added_by_name(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    create_user("cleo@example.org", display_name="Cléo Martin")
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    token = csrf_token(client, "/documents/essay/members")
    assert add_member(client, token, "cléo martin", "translator").status_code == 302
    member = db.session.scalar(sa.select(DocumentMember))
    assert member.user.email == "cleo@example.org"


def test_someone_without_an_account_is_invited_and_added_in_one_step(
    client: FlaskClient, app: Any, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    token = csrf_token(client, "/documents/essay/members")
    offered = add_member(client, token, "dora@example.org", "translator")
    assert offered.status_code == 400
    assert 'name="invite" value="1"' in offered.get_data(as_text=True)
    data = {"email": "dora@example.org", "language": "fr", "role": "translator"}
    done = client.post(
        "/documents/essay/members", data={**data, "invite": "1", "csrf_token": token}
    )
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "is invited and is now a member" in html
    link = re.search(r'value="http://localhost(/invitation/[\w-]{43})"', html)
    assert link
    member = db.session.scalar(sa.select(DocumentMember))
    assert (member.user.email, member.language, member.role) == (
        "dora@example.org",
        "fr",
        "translator",
    )
    assert app.test_client().get(link.group(1)).status_code == 200
    not_an_address = add_member(client, token, "Dora", "translator")
    assert "No user has this name or e-mail" in not_an_address.get_data(as_text=True)


def test_coordinators_and_readers_hold_the_whole_document(
    client: FlaskClient, create_user: Any, document: Document, db: Any, app: Any
) -> None:
    """A coordinator of the document manages it (members included); a reader sees it,
    and neither needs an edition; a translator's role still needs one."""
    create_user("dora@example.org", "correct horse")
    create_user("remy@example.org", "correct horse")
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    token = csrf_token(client, "/documents/essay/members")

    def post(email: str, role: str, language: str) -> Any:
        data = {"email": email, "language": language, "role": role, "csrf_token": token}
        return client.post("/documents/essay/members", data=data)

    assert post("dora@example.org", "coordinator", "").status_code == 302
    assert post("remy@example.org", "reader", "fr").status_code == 302  # edition ignored
    refused = post("remy@example.org", "translator", "")
    assert refused.status_code == 400
    assert "Choose the edition" in refused.get_data(as_text=True)
    rows = db.session.execute(
        sa.select(DocumentMember.language, DocumentMember.role).order_by(DocumentMember.id)
    ).all()
    assert rows == [("", "coordinator"), ("", "reader")]
    page = client.get("/documents/essay/members").get_data(as_text=True)
    assert "Coordinator" in page and "Reader" in page and "The whole document" in page

    dora = app.test_client()
    token_d = csrf_token(dora, "/login")
    dora.post(
        "/login",
        data={"email": "dora@example.org", "password": "correct horse", "csrf_token": token_d},
    )
    token_d = csrf_token(dora, "/")
    added = dora.post(
        "/documents/essay/members",
        data={
            "email": "admin@example.org",
            "language": "fr",
            "role": "reviewer",
            "csrf_token": token_d,
        },
    )
    assert added.status_code == 302  # the document's coordinator manages its members
    assert dora.get("/documents/essay/settings").status_code == 200
    assert dora.get("/import").status_code == 403  # new documents: global coordinators


def test_a_document_coordinator_adds_an_existing_edition(
    app: Any, client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    """A coordinator of one document (not a global one) is offered *Add an existing
    edition* and may use it; the import job belongs to the document."""
    from translator.models import Job, MemberRole
    from translator.services.members import set_member

    user, _api = sign_in(client, create_user, "dora@example.org")
    set_member(document, user, "", MemberRole.COORDINATOR)
    db.session.commit()
    page = client.get("/documents/essay").get_data(as_text=True)
    assert "/documents/essay/add-edition" in page and 'href="/import' not in page
    form = client.get("/documents/essay/add-edition").get_data(as_text=True)
    assert "Add an existing edition" in form and 'name="title"' not in form
    token = csrf_token(client, "/documents/essay/add-edition")
    sent = client.post(
        "/documents/essay/add-edition",
        data={"text": "Um texto curto.", "language": "pt", "format": "auto", "csrf_token": token},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    job = db.session.scalar(sa.select(Job))
    assert job.document_id == document.id and job.params["document"] == "essay"
    # A document someone else coordinates stays out of reach.
    assert client.get("/import").status_code == 403
