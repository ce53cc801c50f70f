"""Project pages: create and change a project, its team, a document's project in its
settings and at import, "Start the missing translations", and the team's inherited
rights through real requests (a project translator of fr edits the fr edition of every
project document, and of no other document)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.conftest import Mailbox
from tests.helpers import csrf_token, sign_in
from translator.models import MemberRole, OneTimeLink, ProjectMember, Segment, User
from translator.services.documents import get_document
from translator.services.links import pending_invitations
from translator.services.projects import (
    create_project,
    get_project,
    set_document_project,
    set_project_member,
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _two_documents(import_text: Any, db: Any) -> None:
    for title in ("Inside", "Outside"):
        summary = import_text("One sentence. Two sentences.", "en", title=title)
        import_text("Une phrase. Deux phrases.", "fr", document=summary.document)
    db.session.commit()


def test_a_coordinator_creates_edits_and_deletes_a_project(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    sign_in(client, create_user, "boss@example.org", is_coordinator=True)
    token = csrf_token(client, "/projects/new")
    bad = client.post(
        "/projects/new",
        data={"csrf_token": token, "slug": "Bad Slug", "name": "X", "languages": "fr, xx-1-y"},
    )
    assert bad.status_code == 400
    assert "Unknown language code “xx-1-y”" in bad.get_data(as_text=True)
    made = client.post(
        "/projects/new",
        data={
            "csrf_token": token,
            "slug": "series",
            "name": "A series",
            "original": "en",
            "languages": "fr, pt",
        },
    )
    assert made.status_code == 302 and made.headers["Location"] == "/projects/series"
    project = get_project("series")
    assert (project.original_language, project.languages) == ("en", ["fr", "pt"])
    page = _text(client.get("/projects/series").get_data(as_text=True))
    assert "Original language: English." in page and "Translated into: French, Portuguese." in page
    assert "A series" in _text(client.get("/projects/").get_data(as_text=True))

    edited = client.post(
        "/projects/series/edit",
        data={
            "csrf_token": token,
            "slug": "series",
            "name": "Renamed",
            "original": "",
            "languages": "pt",
        },
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert (get_project("series").name, get_project("series").all_languages) == (
        "Renamed",
        ["pt"],
    )
    deleted = client.post("/projects/series/delete", data={"csrf_token": token})
    assert deleted.status_code == 302 and deleted.headers["Location"] == "/projects/"
    assert client.get("/projects/series").status_code == 404


def test_the_team_page_and_a_project_coordinator(
    client: FlaskClient, create_user: Any, import_text: Any, db: Any
) -> None:
    _two_documents(import_text, db)
    cleo = create_user("cleo@example.org", display_name="Cléo")
    create_user("ana@example.org", display_name="Ana")
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    set_project_member(project, cleo, "", MemberRole.COORDINATOR)
    set_document_project(get_document("inside"), project)
    db.session.commit()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "cleo@example.org", "password": "correct horse", "csrf_token": token},
    )
    token = csrf_token(client, "/projects/series/team")
    wrong = client.post(
        "/projects/series/team",
        data={"csrf_token": token, "email": "ana@example.org", "role": "translator"},
    )
    assert wrong.status_code == 400  # a translator needs a language
    added = client.post(
        "/projects/series/team",
        data={"csrf_token": token, "email": "Ana", "role": "reviewer", "language": "fr"},
    )
    assert added.status_code == 302
    member = db.session.scalar(sa.select(ProjectMember).where(ProjectMember.role == "reviewer"))
    assert (member.user.email, member.language) == ("ana@example.org", "fr")
    page = _text(client.get("/projects/series").get_data(as_text=True))
    assert "Ana · Reviewer · French" in page and "Inside" in page and "Outside" not in page
    # A project coordinator manages its team, not the project's settings.
    assert client.get("/projects/series/edit").status_code == 403
    suggested = client.get("/projects/series/team/suggest?q=ana").get_json()
    assert suggested["users"][0]["email"] == "ana@example.org"
    removed = client.post(f"/projects/series/team/{member.id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert db.session.get(ProjectMember, member.id) is None


def _series_coordinated_by(client: FlaskClient, create_user: Any, db: Any) -> Any:
    """A project "series" (en, fr) whose coordinator Cléo is signed in on ``client``."""
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    cleo, _api = sign_in(client, create_user, "cleo@example.org")
    set_project_member(project, cleo, "", MemberRole.COORDINATOR)
    db.session.commit()
    return project


def _invite_to_team(client: FlaskClient, email: str, **extra: str) -> Any:
    token = csrf_token(client, "/projects/series/team")
    data = {"email": email, "role": "reviewer", "language": "fr", "csrf_token": token, **extra}
    return client.post("/projects/series/team", data=data)


def test_a_project_coordinator_invites_a_newcomer_into_the_team(
    client: FlaskClient, app: Any, create_user: Any, db: Any
) -> None:
    """As on a document's members page: an address with no account is offered an
    invitation; confirmed, it makes the account, its one-time link (shown, with no SMTP
    server) and the team role at once."""
    project = _series_coordinated_by(client, create_user, db)
    offered = _invite_to_team(client, "dora@example.org")
    assert offered.status_code == 400
    html = offered.get_data(as_text=True)
    assert "Nobody has an account with this e-mail address yet." in html
    assert 'name="invite" value="1"' in html
    assert db.session.scalar(sa.select(User).where(User.email == "dora@example.org")) is None

    done = _invite_to_team(client, "dora@example.org", invite="1")
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert "dora@example.org is invited and is now a member." in html
    link = re.search(r'value="http://localhost(/invitation/[\w-]{43})"', html)
    assert link
    dora = db.session.scalar(sa.select(User).where(User.email == "dora@example.org"))
    assert dora is not None and dora.id in pending_invitations([dora.id])
    rows = db.session.execute(
        sa.select(ProjectMember.language, ProjectMember.role).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == dora.id
        )
    ).all()
    assert rows == [("fr", "reviewer")]
    assert app.test_client().get(link.group(1)).status_code == 200
    again = _invite_to_team(client, "Dora", invite="1")  # a name, not an address
    assert again.status_code == 400
    assert "No user has this name or e-mail address." in again.get_data(as_text=True)


def test_with_smtp_the_team_invitation_is_e_mailed(
    client: FlaskClient,
    app: Any,
    create_user: Any,
    db: Any,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With an SMTP server the invitation is queued to the e-mail task, as for a
    document's members: the page says so and shows no link; the mail carries it."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    project = _series_coordinated_by(client, create_user, db)
    done = _invite_to_team(client, "eli@example.org", role="coordinator", language="", invite="1")
    assert done.status_code == 302 and done.headers["Location"] == "/projects/series/team"
    message = mailbox.wait_for("eli@example.org", timeout=5)
    link = re.search(r"http://localhost(/invitation/[\w-]{43})", message.get_content())
    assert link
    page = client.get("/projects/series/team").get_data(as_text=True)
    assert "eli@example.org was invited by e-mail and is now Coordinator." in page
    assert "/invitation/" not in page
    eli = db.session.scalar(sa.select(User).where(User.email == "eli@example.org"))
    member = db.session.scalar(sa.select(ProjectMember).where(ProjectMember.user_id == eli.id))
    assert (member.project_id, member.language, member.role) == (project.id, "", "coordinator")
    assert app.test_client().get(link.group(1)).status_code == 200


def test_a_project_translator_may_not_invite_into_the_team(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    tina, _api = sign_in(client, create_user, "tina@example.org")
    set_project_member(project, tina, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    page = client.get("/projects/series/team")
    assert page.status_code == 200 and 'id="add-member"' not in page.get_data(as_text=True)
    users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    refused = _invite_to_team(client, "dora@example.org", invite="1")
    assert refused.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    assert db.session.scalar(sa.select(User).where(User.email == "dora@example.org")) is None
    assert db.session.scalar(sa.select(sa.func.count(OneTimeLink.id))) == 0
    team = db.session.execute(sa.select(ProjectMember.user_id, ProjectMember.role)).all()
    assert team == [(tina.id, "translator")]


def test_project_translator_edits_fr_of_project_documents_only(
    client: FlaskClient, create_user: Any, import_text: Any, db: Any
) -> None:
    _two_documents(import_text, db)
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    set_document_project(get_document("inside"), project)
    db.session.commit()
    ana, api = sign_in(client, create_user, "ana@example.org")
    set_project_member(project, ana, "fr", MemberRole.TRANSLATOR)
    db.session.commit()

    def segment(slug: str, language: str) -> Segment:
        edition = get_document(slug).edition(language)
        assert edition is not None
        return db.session.scalar(
            sa.select(Segment).where(Segment.edition_id == edition.id).order_by(Segment.id)
        )

    inside_fr = segment("inside", "fr")
    saved = api.send("PUT", f"/segments/{inside_fr.id}", {"text": "Une phrase."}, version=1)
    assert saved.status_code == 200, saved.get_json()
    inside_en = segment("inside", "en")
    assert api.send("PUT", f"/segments/{inside_en.id}", {"text": "X"}, version=1).status_code == 403
    outside_fr = segment("outside", "fr")
    refused = api.send("PUT", f"/segments/{outside_fr.id}", {"text": "X"}, version=1)
    assert refused.status_code == 403
    assert client.get("/documents/outside").status_code == 403
    members = _text(client.get("/documents/inside/members").get_data(as_text=True))
    assert "From the project Series" in members and "ana@example.org French Translator" in members
    listed = _text(client.get("/").get_data(as_text=True))
    assert "Inside" in listed and "Outside" not in listed
    assert api.get("/documents/inside").status_code == 200


def test_settings_move_a_document_into_a_project_its_coordinator_manages(
    client: FlaskClient, create_user: Any, import_text: Any, db: Any
) -> None:
    _two_documents(import_text, db)
    create_project("series", "Series")
    create_project("other", "Other")
    cleo = create_user("cleo@example.org")
    set_project_member(get_project("series"), cleo, "", MemberRole.COORDINATOR)
    from translator.services.members import set_member

    set_member(get_document("inside"), cleo, "", MemberRole.COORDINATOR)
    db.session.commit()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "cleo@example.org", "password": "correct horse", "csrf_token": token},
    )
    page = client.get("/documents/inside/settings").get_data(as_text=True)
    assert '<option value="series">Series</option>' in page
    assert 'value="other"' not in page  # not a coordinator of that project
    token = csrf_token(client, "/documents/inside/settings")
    form = {"csrf_token": token, "document-title": "Inside", "document-project_slug": "other"}
    assert client.post("/documents/inside/settings", data=form).status_code == 400
    form["document-project_slug"] = "series"
    assert client.post("/documents/inside/settings", data=form).status_code == 302
    db.session.expire_all()
    assert get_document("inside").project_id == get_project("series").id
    shown = _text(client.get("/documents/inside").get_data(as_text=True))
    assert "Project: Series" in shown
    form["document-project_slug"] = ""
    assert client.post("/documents/inside/settings", data=form).status_code == 302
    db.session.expire_all()
    assert get_document("inside").project_id is None


def test_import_into_a_project_and_start_the_missing_translations(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    sign_in(client, create_user, "boss@example.org", is_coordinator=True)
    create_project("series", "Series", original_language="pt", languages=["en", "fr"])
    db.session.commit()
    form = client.get("/import?project=series").get_data(as_text=True)
    # Each project's original language rides on its option, for the form's script.
    assert '<option data-original="pt" selected value="series">Series</option>' in form
    assert re.search(r'name="language"[^>]*value="pt"', form)
    token = csrf_token(client, "/import")
    imported = client.post(
        "/import",
        data={
            "csrf_token": token,
            "text": "Uma frase. Outra frase.",
            "language": "pt",
            "format": "auto",
            "document": "",
            "project": "series",
            "title": "Um texto",
        },
    )
    assert imported.status_code == 302, imported.get_data(as_text=True)
    document = get_document("um-texto")
    assert document.project_id == get_project("series").id
    page = client.get("/documents/um-texto").get_data(as_text=True)
    assert "Start the missing translations (en, fr)" in page
    started = client.post("/documents/um-texto/start-translations", data={"csrf_token": token})
    assert started.status_code == 302
    db.session.expire_all()
    assert sorted(get_document("um-texto").languages) == ["en", "fr", "pt"]
    page = client.get("/documents/um-texto").get_data(as_text=True)
    assert "Start the missing translations" not in page


def test_project_pages_refuse_strangers(
    client: FlaskClient, create_user: Any, import_text: Any, db: Any
) -> None:
    _two_documents(import_text, db)
    project = create_project("series", "Series")
    set_document_project(get_document("inside"), project)
    db.session.commit()
    sign_in(client, create_user, "eve@example.org")
    assert client.get("/projects/series").status_code == 403
    assert "Series" not in client.get("/projects/").get_data(as_text=True)
    assert client.get("/projects/nope").status_code == 404
