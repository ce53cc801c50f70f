"""Projects through the API, with personal API tokens: the list each person may see,
creating, reading (documents, languages, team), changing and deleting a project
(refused while documents are in it, as on its page), and the team; refusals change
nothing, bad input is a 400 naming the field."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from translator.models import MemberRole, Project, ProjectMember, User
from translator.services.documents import get_document
from translator.services.projects import (
    create_project,
    get_project,
    set_document_project,
    set_project_member,
)
from translator.services.tokens import create_token


class Client:
    """A script calling the API with a personal token (no CSRF token needed)."""

    def __init__(self, app: Flask, db: Any, user: User, scope: str = "write") -> None:
        _row, token = create_token(user, "script", scope)
        db.session.commit()
        self.app = app
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        return self.app.test_client().open(
            "/api/v1" + path,
            method=method,
            json=body,
            query_string=params,
            headers=self.headers,
        )

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)


def _world(db: Any, create_user: Any, import_text: Any) -> dict[str, Any]:
    """A project "series" (en; fr, pt) holding one document, whose team has Tom as its
    coordinator; another project "other" nobody but coordinators sees."""
    people = {
        "boss": create_user("boss@example.org", is_coordinator=True, display_name="Boss"),
        "tom": create_user("tom@example.org", display_name="Tom"),
        "fran": create_user("fran@example.org", display_name="Fran"),
        "out": create_user("out@example.org", display_name="Out"),
    }
    summary = import_text("# An essay\n\nOne sentence. Two sentences.\n", "en", title="An essay")
    series = create_project("series", "Series", original_language="en", languages=["fr", "pt"])
    create_project("other", "Other")
    set_document_project(get_document(summary.document), series)
    set_project_member(series, people["tom"], "", MemberRole.COORDINATOR)
    db.session.commit()
    return people


def _project_row(slug: str) -> tuple[Any, ...] | None:
    from translator.extensions import db

    row = db.session.execute(
        sa.select(Project.name, Project.description, Project.original_language, Project.languages)
        .where(Project.slug == slug)
        .execution_options(populate_existing=True)
    ).first()
    return tuple(row) if row is not None else None


def _team_rows(slug: str) -> list[tuple[str, str, str]]:
    from translator.extensions import db

    return [
        (email, language, str(role))
        for email, language, role in db.session.execute(
            sa.select(User.email, ProjectMember.language, ProjectMember.role)
            .join(User, User.id == ProjectMember.user_id)
            .join(Project, Project.id == ProjectMember.project_id)
            .where(Project.slug == slug)
            .order_by(User.email, ProjectMember.language)
        )
    ]


def test_the_list_holds_what_each_person_may_see(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    seen = Client(app, db, people["boss"]).get("/projects").get_json()["projects"]
    assert [p["slug"] for p in seen] == ["other", "series"]
    series = seen[1]
    assert series == {
        "slug": "series",
        "name": "Series",
        "description": "",
        "original": "en",
        "languages": ["fr", "pt"],
        "documents": 1,
        "url": "/api/v1/projects/series",
    }
    tom = Client(app, db, people["tom"]).get("/projects").get_json()["projects"]
    assert [p["slug"] for p in tom] == ["series"]
    assert Client(app, db, people["out"]).get("/projects").get_json() == {"projects": []}
    assert app.test_client().get("/api/v1/projects").status_code == 401


def test_one_project_with_its_documents_languages_and_team(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    tom = Client(app, db, people["tom"])
    answer = tom.get("/projects/series")
    assert answer.status_code == 200
    found = answer.get_json()
    assert (found["original"], found["languages"], found["documents"]) == ("en", ["fr", "pt"], 1)
    assert found["document_list"] == [
        {
            "slug": "an-essay",
            "title": "An essay",
            "original": "en",
            "languages": ["en"],
            "url": "/api/v1/documents/an-essay",
        }
    ]
    assert (found["page"], found["pages"], found["visible_documents"]) == (1, 1, 1)
    assert [(m["email"], m["role"], m["language"]) for m in found["team"]] == [
        ("tom@example.org", "coordinator", None)
    ]
    assert found["team"][0]["user"]["name"] == "Tom"
    assert found["created_at"].endswith("+00:00")
    assert tom.get("/projects/series", page=2).get_json()["document_list"] == []
    bad = tom.get("/projects/series", page="zero")
    assert bad.status_code == 400 and bad.get_json()["field"] == "page"
    assert tom.get("/projects/series", page=0).get_json()["field"] == "page"
    assert tom.get("/projects/other").status_code == 403
    assert Client(app, db, people["out"]).get("/projects/series").status_code == 403
    missing = Client(app, db, people["boss"]).get("/projects/nope")
    assert missing.status_code == 404 and missing.get_json()["field"] == "project"
    team = tom.get("/projects/series/team").get_json()
    assert team["project"] == "series" and team["members"] == found["team"]


def test_a_coordinator_creates_a_project(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    boss = Client(app, db, people["boss"])
    made = boss.call(
        "POST",
        "/projects",
        {
            "slug": "poems",
            "name": "Poems",
            "description": "Short ones",
            "original": "pt-br",
            "languages": ["en", "fr", "en", "pt-BR"],
        },
    )
    assert made.status_code == 201, made.get_json()
    answer = made.get_json()
    assert (answer["slug"], answer["original"], answer["languages"]) == (
        "poems",
        "pt-BR",
        ["en", "fr"],
    )
    assert (answer["document_list"], answer["team"]) == ([], [])
    assert _project_row("poems") == ("Poems", "Short ones", "pt-BR", ["en", "fr"])

    again = boss.call("POST", "/projects", {"slug": "poems", "name": "Again"})
    assert again.status_code == 409 and again.get_json()["field"] == "slug"
    assert _project_row("poems") == ("Poems", "Short ones", "pt-BR", ["en", "fr"])


def test_creating_refuses_bad_input_naming_the_field(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    boss = Client(app, db, people["boss"])
    cases = [
        ({"name": "No slug"}, "slug", "'slug' is missing"),
        ({"slug": "Bad Slug", "name": "X"}, "slug", "not a valid slug"),
        ({"slug": "x"}, "name", "'name' is missing"),
        ({"slug": "x", "name": ""}, "name", "'name'"),
        ({"slug": "x", "name": "   "}, "name", "needs a name"),
        ({"slug": "x", "name": "X", "original": "xx-1-y"}, "original", "language code"),
        ({"slug": "x", "name": "X", "languages": ["fr", "zz-9"]}, "languages", "'zz-9'"),
        ({"slug": "x", "name": "X", "languages": "fr"}, "languages", "must be a list"),
        ({"slug": "x", "name": 5}, "name", "'name' must be a string"),
    ]
    for body, field, said in cases:
        answer = boss.call("POST", "/projects", body)
        assert answer.status_code == 400, (body, answer.get_json())
        error = answer.get_json()
        assert error["field"] == field and said in error["error"], (body, error)
    assert _project_row("x") is None


def test_only_global_coordinators_create_change_and_delete(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    before = _project_row("series")
    for who in ("tom", "out"):  # the project's own coordinator is not enough
        client = Client(app, db, people[who])
        made = client.call("POST", "/projects", {"slug": "mine", "name": "Mine"})
        assert made.status_code == 403 and "Only a coordinator" in made.get_json()["error"]
        changed = client.call("PATCH", "/projects/series", {"name": "Hijacked"})
        assert changed.status_code == 403
        assert client.call("DELETE", "/projects/other").status_code == 403
    read_only = Client(app, db, people["boss"], scope="read")
    assert read_only.call("PATCH", "/projects/series", {"name": "Hijacked"}).status_code == 403
    assert _project_row("mine") is None
    assert _project_row("series") == before
    assert _project_row("other") is not None


def test_changing_a_project_changes_only_what_is_sent(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    boss = Client(app, db, people["boss"])
    answer = boss.call("PATCH", "/projects/series", {"description": "Essays, yearly"})
    assert answer.status_code == 200, answer.get_json()
    assert _project_row("series") == ("Series", "Essays, yearly", "en", ["fr", "pt"])
    answer = boss.call("PATCH", "/projects/series", {"languages": ["de", "fr"], "name": "Essays"})
    assert answer.get_json()["languages"] == ["de", "fr"]
    assert _project_row("series") == ("Essays", "Essays, yearly", "en", ["de", "fr"])
    answer = boss.call("PATCH", "/projects/series", {"original": None})
    assert answer.get_json()["original"] is None
    assert _project_row("series") == ("Essays", "Essays, yearly", None, ["de", "fr"])
    assert answer.get_json()["slug"] == "series"

    for body, field in (
        ({"languages": ["fr", "not a code"]}, "languages"),
        ({"original": "xx-1-y"}, "original"),
        ({"name": ""}, "name"),
        ({"name": None, "languages": [3]}, "languages"),
    ):
        bad = boss.call("PATCH", "/projects/series", body)
        assert bad.status_code == 400 and bad.get_json()["field"] == field, (body, bad.get_json())
        assert _project_row("series") == ("Essays", "Essays, yearly", None, ["de", "fr"])
    assert boss.call("PATCH", "/projects/nope", {"name": "X"}).status_code == 404


def test_a_project_is_deleted_only_once_empty(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    boss = Client(app, db, people["boss"])
    refused = boss.call("DELETE", "/projects/series")
    assert refused.status_code == 409
    assert refused.get_json()["field"] == "project" and "1 document" in refused.get_json()["error"]
    assert _project_row("series") is not None
    assert _team_rows("series") == [("tom@example.org", "", "coordinator")]

    set_document_project(get_document("an-essay"), None)
    db.session.commit()
    deleted = boss.call("DELETE", "/projects/series")
    assert deleted.status_code == 200
    assert deleted.get_json() == {"project": "series", "deleted": True}
    assert _project_row("series") is None
    assert db.session.scalar(sa.select(sa.func.count(ProjectMember.id))) == 0
    assert boss.call("DELETE", "/projects/series").status_code == 404


def test_the_team_is_set_changed_and_removed_by_its_coordinators(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    tom = Client(app, db, people["tom"])  # the project's coordinator
    added = tom.call(
        "POST",
        "/projects/series/team",
        {"person": "fran@example.org", "role": "translator", "language": "fr"},
    )
    assert added.status_code == 200, added.get_json()
    member = added.get_json()
    assert (member["email"], member["role"], member["language"]) == (
        "fran@example.org",
        "translator",
        "fr",
    )
    changed = tom.call(
        "POST", "/projects/series/team", {"person": "Fran", "role": "reviewer", "language": "fr"}
    )
    assert changed.get_json()["id"] == member["id"] and changed.get_json()["role"] == "reviewer"
    reader = tom.call(
        "POST",
        "/projects/series/team",
        {"person": "out@example.org", "role": "reader", "language": "fr"},
    )
    assert reader.get_json()["language"] is None
    assert _team_rows("series") == [
        ("fran@example.org", "fr", "reviewer"),
        ("out@example.org", "", "reader"),
        ("tom@example.org", "", "coordinator"),
    ]

    removed = tom.call("DELETE", f"/projects/series/team/{member['id']}")
    assert removed.status_code == 200
    assert [m["email"] for m in removed.get_json()["members"]] == [
        "out@example.org",
        "tom@example.org",
    ]
    assert tom.call("DELETE", f"/projects/series/team/{member['id']}").status_code == 404
    other = set_project_member(get_project("other"), people["fran"], "", MemberRole.READER)
    db.session.commit()
    elsewhere = tom.call("DELETE", f"/projects/series/team/{other.id}")
    assert elsewhere.status_code == 404
    assert db.session.get(ProjectMember, other.id) is not None


def test_team_refusals_and_bad_input_change_nothing(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    people = _world(db, create_user, import_text)
    tom = Client(app, db, people["tom"])
    before = _team_rows("series")
    cases = [
        ({"person": "fran@example.org", "role": "translator"}, "language", "needs the language"),
        (
            {"person": "fran@example.org", "role": "translator", "language": "de"},
            "language",
            "no de",
        ),
        ({"person": "fran@example.org", "role": "translator", "language": "??"}, "language", "??"),
        ({"person": "nobody@example.org", "role": "reader"}, "person", "no active user"),
        ({"person": "fran@example.org", "role": "owner"}, "role", "'role'"),
        ({"role": "reader"}, "person", "'person' is missing"),
    ]
    for body, field, said in cases:
        answer = tom.call("POST", "/projects/series/team", body)
        assert answer.status_code == 400, (body, answer.get_json())
        error = answer.get_json()
        assert error["field"] == field and said in error["error"], (body, error)
    assert _team_rows("series") == before

    set_project_member(get_project("series"), people["fran"], "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    before = _team_rows("series")
    fran = Client(app, db, people["fran"])  # in the team, not its coordinator
    assert fran.get("/projects/series/team").status_code == 200
    refused = fran.call(
        "POST", "/projects/series/team", {"person": "fran@example.org", "role": "coordinator"}
    )
    assert (
        refused.status_code == 403 and "coordinator of this project" in refused.get_json()["error"]
    )
    tom_id = next(
        m["id"]
        for m in fran.get("/projects/series/team").get_json()["members"]
        if m["email"] == "tom@example.org"
    )
    assert fran.call("DELETE", f"/projects/series/team/{tom_id}").status_code == 403
    outsider = Client(app, db, people["out"])
    assert outsider.get("/projects/series/team").status_code == 403
    assert _team_rows("series") == before
