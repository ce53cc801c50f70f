"""Releases through the API: publish refused with each edition's blockers until ready
(or overridden with a reason), listed, read, and downloaded the same every time; only
a document's coordinators publish."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from flask import Flask

from translator.models import MemberRole, Segment, SegmentStatus, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.members import set_member
from translator.services.tokens import create_token

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n"


def _client(app: Flask, db: Any, user: User, scope: str = "write") -> Any:
    _row, token = create_token(user, "script", scope)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    class Client:
        def get(self, path: str, **params: Any) -> Any:
            url = path if path.startswith("/api/") else "/api/v1" + path
            return app.test_client().get(url, query_string=params, headers=headers)

        def post(self, path: str, body: Any) -> Any:
            return app.test_client().post("/api/v1" + path, json=body, headers=headers)

    return Client()


def _review_all(db: Any, document: Any, user: Any) -> None:
    for language, texts in (("en", None), ("fr", ["Un essai", "Le chat dort.", "Le chien aboie."])):
        cells = db.session.scalars(
            sa.select(Segment)
            .where(Segment.edition_id == document.edition(language).id)
            .order_by(Segment.unit_id)
        ).all()
        for index, cell in enumerate(cells):
            text = texts[index] if texts else cell.text
            save_segment(
                cell, text, base_version=cell.version, user=user, status=SegmentStatus.REVIEWED
            )
    db.session.commit()


def test_publish_list_read_and_download(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    cleo = create_user("cleo@example.org", is_coordinator=True, display_name="Cleo")
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = get_document("an-essay")
    start_translation(document, "fr")
    db.session.commit()
    api = _client(app, db, cleo)

    refused = api.post("/documents/an-essay/releases", {"languages": ["en", "fr"]})
    assert refused.status_code == 409
    blockers = refused.get_json()["blockers"]
    assert [b["reason"] for b in blockers["fr"]] == ["empty"]
    assert blockers["fr"][0]["filters"] == {"status": "empty", "status_language": "fr"}
    assert blockers["en"][0]["filters"] == {"status": "translated", "status_language": "en"}
    assert api.get("/documents/an-essay/releases").get_json()["releases"] == []

    bad = api.post("/documents/an-essay/releases", {"languages": ["de"]})
    assert bad.status_code == 400 and bad.get_json()["field"] == "languages"

    _review_all(db, document, create_user("rita@example.org", is_admin=True))
    made = api.post("/documents/an-essay/releases", {"languages": ["en", "fr"], "note": "v1"})
    assert made.status_code == 201, made.get_json()
    release = made.get_json()
    assert (release["version"], release["created_by"], release["note"]) == (1, "Cleo", "v1")
    assert release["override_reason"] is None
    assert [e["language"] for e in release["editions"]] == ["en", "fr"]

    overridden = api.post(
        "/documents/an-essay/releases", {"languages": ["fr"], "override_reason": "  why not "}
    )
    assert overridden.status_code == 201 and overridden.get_json()["override_reason"] == "why not"

    listed = api.get("/documents/an-essay/releases").get_json()
    assert [r["version"] for r in listed["releases"]] == [2, 1]
    one = api.get(release["url"])
    assert one.status_code == 200 and one.get_json()["version"] == 1
    assert api.get("/documents/an-essay/releases/9").status_code == 404

    first = api.get(release["export_url"], format="epub", languages="fr")
    assert first.status_code == 200 and first.mimetype == "application/epub+zip"
    assert "an-essay.v1.fr.epub" in first.headers["Content-Disposition"]
    second = api.get(release["export_url"], format="epub", languages="fr")
    assert hashlib.sha256(first.data).digest() == hashlib.sha256(second.data).digest()
    parallel = api.get(release["export_url"], format="parallel-html", languages="en,fr")
    assert parallel.status_code == 200 and b"Le chat dort." in parallel.data
    wrong = api.get(release["export_url"], format="xliff", languages="en,fr")
    assert wrong.status_code == 400 and wrong.get_json()["field"] == "format"


def test_only_coordinators_publish(app: Flask, db: Any, create_user: Any, import_text: Any) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = get_document("an-essay")
    reviewer = create_user("rita@example.org")
    set_member(document, reviewer, "en", MemberRole.REVIEWER)
    db.session.commit()
    api = _client(app, db, reviewer)
    refused = api.post(
        "/documents/an-essay/releases", {"languages": ["en"], "override_reason": "x"}
    )
    assert refused.status_code == 403
    assert api.get("/documents/an-essay/releases").status_code == 200  # a member reads them
    reader = _client(app, db, create_user("cleo@example.org", is_coordinator=True), scope="read")
    assert reader.post("/documents/an-essay/releases", {"languages": ["en"]}).status_code == 403
