"""The trash on the web and in the API: delete buttons on the settings page, a deleted
edition leaves the pages and the API, a deleted document is a 404 everywhere but the
trash, restore brings it back, purging needs its box ticked."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import csrf_token, sign_in
from translator.models import INCLUDE_DELETED, Document, Edition, Segment


def _editions(db: Any) -> dict[str, bool]:
    """language → in the trash, read past the trash filter."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Edition.language, Edition.deleted_at).execution_options(**{INCLUDE_DELETED: True})
    )
    return {language: deleted is not None for language, deleted in rows}


def test_an_edition_deleted_restored_and_purged_from_the_settings_page(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    settings = client.get("/documents/essay/settings").get_data(as_text=True)
    assert "Delete this document" in settings and "No edition of this document is in" in settings
    token = csrf_token(client, "/documents/essay/settings")
    # Without the CSRF token nothing happens.
    client.post("/documents/essay/editions/fr/delete", data={})
    assert _editions(db) == {"en": False, "fr": False}

    response = client.post("/documents/essay/editions/fr/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert _editions(db) == {"en": False, "fr": True}
    page = client.get("/documents/essay/settings").get_data(as_text=True)
    assert "Deleted editions" in page and "admin@example.org" in page
    assert "/documents/essay/editions/fr/restore" in page
    assert 'lang="fr"' not in client.get("/documents/essay").get_data(as_text=True)
    info = client.get("/api/v1/documents/essay").get_json()
    assert [e["code"] for e in info["languages"]] == ["en"]
    # The last edition left cannot go: the document can.
    client.post("/documents/essay/editions/en/delete", data={"csrf_token": token})
    assert _editions(db) == {"en": False, "fr": True}
    assert "delete the document instead" in client.get("/documents/essay/settings").get_data(
        as_text=True
    )

    client.post("/documents/essay/editions/fr/restore", data={"csrf_token": token})
    assert _editions(db) == {"en": False, "fr": False}
    client.post("/documents/essay/editions/fr/delete", data={"csrf_token": token})
    # Purging asks: without the box ticked, nothing is purged.
    client.post("/documents/essay/editions/fr/purge", data={"csrf_token": token})
    assert _editions(db) == {"en": False, "fr": True}
    client.post("/documents/essay/editions/fr/purge", data={"csrf_token": token, "confirm": "y"})
    assert _editions(db) == {"en": False}
    assert db.session.scalar(sa.select(sa.func.count(Segment.id))) == db.session.scalar(
        sa.select(sa.func.count(Segment.id)).join(Edition).where(Edition.language == "en")
    )


def test_a_deleted_document_is_a_404_except_in_the_trash(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    token = csrf_token(client, "/documents/essay/settings")
    response = client.post("/documents/essay/delete", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    index = client.get("/").get_data(as_text=True)
    assert "is in the trash" in index and "/documents/essay" not in index
    for path in ("/documents/essay", "/documents/essay/edit", "/documents/essay/settings"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/documents/essay").status_code == 404
    trash = client.get("/trash").get_data(as_text=True)
    assert "Document “Essay”" in trash and "/trash/documents/essay/restore" in trash

    client.post("/trash/documents/essay/purge", data={"csrf_token": token})  # not ticked
    response = client.post("/trash/documents/essay/restore", data={"csrf_token": token})
    assert response.headers["Location"] == "/documents/essay"
    assert client.get("/documents/essay").status_code == 200
    assert "The trash is empty." in client.get("/trash").get_data(as_text=True)

    client.post("/documents/essay/delete", data={"csrf_token": token})
    client.post("/trash/documents/essay/purge", data={"csrf_token": token, "confirm": "y"})
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Document.id)).execution_options(**{INCLUDE_DELETED: True})
        )
        == 0
    )


def test_the_api_deletes_editions_and_documents(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    _user, api = sign_in(client, create_user, "admin@example.org", is_admin=True)
    answer = api.send("DELETE", "/documents/essay/editions/fr")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["document"], body["edition"]) == ("essay", "fr")
    assert body["purge_at"] > body["deleted_at"]
    again = api.send("DELETE", "/documents/essay/editions/fr")
    assert again.status_code == 404 and again.get_json()["field"] == "edition"
    last = api.send("DELETE", "/documents/essay/editions/en")
    assert last.status_code == 400 and "only one" in last.get_json()["error"]
    assert api.send("DELETE", "/documents/essay").get_json()["edition"] is None
    assert api.send("DELETE", "/documents/essay").status_code == 404
    assert api.get("/documents/essay").status_code == 404


def test_people_who_do_not_manage_the_document_are_not_offered_it(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "cleo@example.org")
    token = csrf_token(client, "/")
    assert "/trash" not in client.get("/").get_data(as_text=True)
    assert client.get("/trash").status_code == 403
    assert client.post("/documents/essay/delete", data={"csrf_token": token}).status_code == 403
    assert _editions(db) == {"en": False, "fr": False}
