"""Assignments through the API and the pages: coordinators assign, split, reassign and
close; assignees find their work in My work and open the editor on it; bad input is a
400 naming the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import Api, csrf_token, sign_in
from tests.services.test_assignments import MANIFESTO
from translator.models import (
    Assignment,
    AssignmentAction,
    AssignmentEvent,
    AssignmentState,
    Document,
    MemberRole,
    Unit,
)
from translator.services.editions import start_translation
from translator.services.members import membership_role, set_member


@pytest.fixture
def manifesto(db: Any, import_text: Any, create_user: Any) -> Document:
    import_text(MANIFESTO, "en", filename="manifesto.md")
    document: Document = db.session.scalar(sa.select(Document))
    start_translation(document, "fr")
    for name in ("ana", "ben"):
        create_user(f"{name}@example.org", display_name=name.capitalize())
    db.session.commit()
    return document


@pytest.fixture
def boss(client: FlaskClient, create_user: Any, manifesto: Document, db: Any) -> Api:
    user, api = sign_in(client, create_user, "boss@example.org")
    set_member(manifesto, user, "", MemberRole.COORDINATOR)
    db.session.commit()
    return api


def test_a_coordinator_assigns_changes_and_closes_through_the_api(
    db: Any, boss: Api, manifesto: Document
) -> None:
    slug = manifesto.slug
    made = boss.send(
        "POST",
        f"/documents/{slug}/assignments",
        {
            "language": "fr",
            "to": "ana@example.org",
            "kind": "review",
            "units": "2-4",
            "due": "2027-01-15",
            "note": "the opening",
        },
    )
    assert made.status_code == 201, made.get_json()
    data = made.get_json()
    assert data["units"] == "2-4" and data["kind"] == "review" and data["due"] == "2027-01-15"
    assert data["words"] > 0 and data["words_left"] == data["words"]
    assert data["editor"] == f"/documents/{slug}/edit?assignment={data['id']}"
    ana = db.session.scalar(sa.select(Assignment)).user
    assert membership_role(ana, manifesto.id, "fr") is MemberRole.REVIEWER

    changed = boss.send(
        "PATCH", f"/documents/{slug}/assignments/{data['id']}", {"to": "Ben", "due": None}
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["email"] == "ben@example.org"
    assert changed.get_json()["due"] is None
    closed = boss.send("POST", f"/documents/{slug}/assignments/{data['id']}/close")
    assert closed.get_json()["state"] == "closed"
    assert boss.get(f"/documents/{slug}/assignments").get_json() == {"assignments": []}
    listed = boss.get(f"/documents/{slug}/assignments", state="closed").get_json()
    assert [a["id"] for a in listed["assignments"]] == [data["id"]]
    query = sa.select(AssignmentEvent.action).order_by(AssignmentEvent.id)
    actions = list(db.session.scalars(query))
    assert actions == [
        AssignmentAction.CREATED,
        AssignmentAction.REASSIGNED,
        AssignmentAction.DUE_CHANGED,
        AssignmentAction.CLOSED,
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "fr", "to": "nobody@example.org"}, "to"),
        ({"language": "de", "to": "ana@example.org"}, "language"),
        ({"language": "fr", "to": "ana@example.org", "units": "9-3"}, "units"),
        ({"language": "fr", "to": "ana@example.org", "units": "1-900"}, "units"),
        ({"language": "fr", "to": "ana@example.org", "due": "next week"}, "due"),
        ({"language": "fr", "to": "ana@example.org", "kind": "proofread"}, "kind"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    boss: Api, manifesto: Document, body: dict[str, Any], field: str
) -> None:
    answer = boss.send("POST", f"/documents/{manifesto.slug}/assignments", body)
    assert answer.status_code == 400
    assert answer.get_json()["field"] == field


def test_split_then_each_finds_it_in_my_work_and_the_editor_filter_keeps_their_range(
    db: Any, app: Any, boss: Api, manifesto: Document, create_user: Any
) -> None:
    slug = manifesto.slug
    split = boss.send(
        "POST",
        f"/documents/{slug}/assignments/split",
        {"language": "fr", "among": ["ana@example.org", "ben@example.org"], "due": "2020-01-01"},
    )
    assert split.status_code == 201, split.get_json()
    first, second = split.get_json()["assignments"]
    assert first["units"].startswith("1-") and second["units"].endswith(
        f"-{db.session.scalar(sa.select(sa.func.count(Unit.id)))}"
    )
    # Ana signs in: her work, overdue (due in 2020), with its editor link.
    ana = app.test_client()
    token = csrf_token(ana, "/login")
    ana.post(
        "/login",
        data={"email": "ana@example.org", "password": "correct horse", "csrf_token": token},
    )
    mine = ana.get("/api/v1/my-work").get_json()["assignments"]
    assert [a["id"] for a in mine] == [first["id"]] and mine[0]["overdue"] is True
    page = ana.get("/my-work").get_data(as_text=True)
    assert "overdue" in page and first["editor"].replace("&", "&amp;") in page
    assert 'href="/my-work"' in page  # in the top navigation
    # The editor opens on her range; the unit list, filtered by the assignment, is it.
    editor = ana.get(first["editor"])
    assert editor.status_code == 200
    assert f'name="assignment" value="{first["id"]}" checked' in editor.get_data(as_text=True)
    last = int(first["units"].split("-")[1])
    units = ana.get(f"/api/v1/documents/{slug}/units?assignment={first['id']}").get_json()
    assert units["total"] == last
    assert units["units"][0]["id"] == first["first_unit"]
    assert units["units"][-1]["id"] == first["last_unit"]
    rest = ana.get(f"/api/v1/documents/{slug}/units?assignment={second['id']}").get_json()
    assert rest["units"][0]["index"] == last  # positions still count the whole document
    bad = ana.get(f"/api/v1/documents/{slug}/units?assignment=99999")
    assert bad.status_code == 400 and bad.get_json()["field"] == "assignment"


def test_the_page_assigns_and_splits_and_shows_the_activity(
    db: Any, client: FlaskClient, boss: Api, manifesto: Document
) -> None:
    url = f"/documents/{manifesto.slug}/assignments"
    token = csrf_token(client, url)
    due = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "assign",
            "assign-language": "fr",
            "assign-kind": "translate",
            "assign-to": "Ana",
            "assign-units": "1-3",
            "assign-due": due,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    refused = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "split",
            "split-language": "fr",
            "split-kind": "review",
            "split-among": "ana@example.org, nobody@example.org",
        },
    )
    assert refused.status_code == 400
    assert "No active user is named nobody@example.org" in refused.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "split",
            "split-language": "fr",
            "split-kind": "review",
            "split-among": "ana@example.org, ben@example.org",
        },
    )
    assert response.status_code == 302
    assignments = list(db.session.scalars(sa.select(Assignment).order_by(Assignment.id)))
    assert len(assignments) == 3 and assignments[0].due == date.fromisoformat(due)
    change = client.post(
        f"{url}/{assignments[1].id}",
        data={"csrf_token": token, "to": "Ben", "due": "2027-03-01"},
    )
    assert change.status_code == 302
    db.session.expire_all()
    assert assignments[1].user.email == "ben@example.org"
    assert assignments[1].due == date(2027, 3, 1)
    close = client.post(f"{url}/{assignments[0].id}", data={"csrf_token": token, "action": "close"})
    assert close.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assignment, assignments[0].id).state is AssignmentState.CLOSED
    page = client.get(url).get_data(as_text=True)
    assert "assigned to ana@example.org" in page and "closed" in page
    assert "reassigned: ana@example.org → ben@example.org" in page
    assert page.count("data-assignment=") == 2  # the two open ones


def test_a_reader_sees_the_assignments_but_no_forms(
    db: Any, app: Any, boss: Api, manifesto: Document, create_user: Any
) -> None:
    boss.send(
        "POST",
        f"/documents/{manifesto.slug}/assignments",
        {"language": "fr", "to": "ana@example.org"},
    )
    reader = create_user("reader@example.org")
    set_member(manifesto, reader, "", MemberRole.READER)
    db.session.commit()
    client = app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "reader@example.org", "password": "correct horse", "csrf_token": token},
    )
    page = client.get(f"/documents/{manifesto.slug}/assignments").get_data(as_text=True)
    assert "Ana" in page and 'id="assign-form"' not in page
    refused = Api(client).send(
        "POST",
        f"/documents/{manifesto.slug}/assignments",
        {"language": "fr", "to": "reader@example.org"},
    )
    assert refused.status_code == 403


def test_the_editor_opens_at_the_first_unit_still_to_do(
    db: Any, boss: Api, manifesto: Document
) -> None:
    import json
    import re

    from translator.models import Segment
    from translator.services.editing import save_segment

    made = boss.send(
        "POST",
        f"/documents/{manifesto.slug}/assignments",
        {"language": "fr", "to": "ana@example.org", "units": "3-6"},
    ).get_json()
    units = list(db.session.scalars(sa.select(Unit).order_by(Unit.order_key)))
    fr = manifesto.edition("fr")
    assert fr is not None
    ana = db.session.scalar(sa.select(Assignment)).user
    for unit in units[2:4]:  # the first two of the range are done
        segment = db.session.scalar(
            sa.select(Segment).where(Segment.unit_id == unit.id, Segment.edition_id == fr.id)
        )
        save_segment(segment, "Fait.", base_version=segment.version, user=ana, confirm=True)
    db.session.commit()
    page = boss.client.get(made["editor"]).get_data(as_text=True)
    config = json.loads(re.search(r'id="editor-config">(.*?)</script>', page).group(1))
    assert config["assignment"] == {
        "id": made["id"],
        "language": "fr",
        "kind": "translate",
        "first": 3,
        "last": 6,
        "position": 2,
        "unit": units[4].id,
    }
    missing = boss.client.get(f"/documents/{manifesto.slug}/edit?assignment=abc")
    assert missing.status_code == 400


def test_my_work_takes_as_many_queries_for_many_assignments_as_for_one(
    db: Any, app: Any, boss: Api, manifesto: Document
) -> None:
    from translator.extensions import db as _db

    ana = app.test_client()
    token = csrf_token(ana, "/login")
    ana.post(
        "/login",
        data={"email": "ana@example.org", "password": "correct horse", "csrf_token": token},
    )
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        sa.event.listen(_db.engine, "before_cursor_execute", count)
        try:
            assert ana.get("/api/v1/my-work").status_code == 200
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", count)
        return len(statements)

    boss.send(
        "POST",
        f"/documents/{manifesto.slug}/assignments",
        {"language": "fr", "to": "ana@example.org", "units": "1-2"},
    )
    one = queries()
    for units in ("3-5", "6-9", "10-14", "1-14"):
        boss.send(
            "POST",
            f"/documents/{manifesto.slug}/assignments",
            {"language": "fr", "to": "ana@example.org", "units": units, "kind": "review"},
        )
    assert len(ana.get("/api/v1/my-work").get_json()["assignments"]) == 5
    assert queries() == one
    # Taken off the document: its assignments leave My work with it.
    from translator.models import DocumentMember, User
    from translator.services.members import remove_member

    member = db.session.scalar(
        sa.select(DocumentMember.id)
        .join(User, User.id == DocumentMember.user_id)
        .where(User.email == "ana@example.org")
    )
    remove_member(manifesto, member)
    db.session.commit()
    assert ana.get("/api/v1/my-work").get_json() == {"assignments": []}
