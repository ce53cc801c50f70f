"""The embedded default (SQLite, what ``make run`` starts), where its SQL differs from
PostgreSQL's (on which the rest of the suite runs): saves (the revision written by two
statements, a database write lock instead of row locks) and regular-expression search."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import dispose_engines, make_app
from tests.helpers import csrf_token
from translator.extensions import db
from translator.models import Document, Revision, Segment, Suggestion, Unit, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.imports import prepare_import, store_import
from translator.services.siblings import baseline_siblings
from translator.services.users import create_user


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'embedded.sqlite3'}", LIVE_URL="memory://")
    with app.app_context():
        upgrade()
        create_user("ana@example.org", "correct horse", is_admin=True)
        slug = store_import(prepare_import(b"The cat sleeps.\n", "a.txt", "en", "text")).document
        french = prepare_import(b"Le chat dort.\n", "b.txt", "fr", "text")
        store_import(french, document=get_document(slug))
        get_document(slug).original_edition_id = None  # peers: either edition flags the other
        baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
        db.session.commit()
    yield app
    dispose_engines(app)


def test_saves_conflicts_and_history_on_sqlite(embedded: Flask) -> None:
    assert embedded.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    client = embedded.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "ana@example.org", "password": "correct horse", "csrf_token": token},
    )
    headers = {"X-CSRFToken": csrf_token(client, "/login")}
    with embedded.app_context():
        fr = db.session.scalar(sa.select(Segment).where(Segment.text == "Le chat dort."))
        en = db.session.scalar(sa.select(Segment).where(Segment.text == "The cat sleeps."))
        assert fr is not None and en is not None
        fr_id, en_id, seen = fr.id, en.id, fr.version

    def put(text: str, version: int, **body: Any) -> tuple[int, Any]:
        response = client.put(
            f"/api/v1/segments/{fr_id}",
            json={"text": text, **body},
            headers={**headers, "If-Match": f'"{version}"'},
        )
        return response.status_code, response.get_json()

    status, saved = put("Le chat ronfle.", seen)
    assert status == 200, saved
    assert saved["segment"]["version"] == seen + 1
    assert saved["siblings"] == [{"id": en_id, "language": "en", "outdated": True}]
    status, stale = put("Le chat (B).", seen)
    assert status == 409 and stale["yours"] == "Le chat (B)."
    status, confirmed = put("Le chat ronfle.", seen + 1, confirm=True)
    assert status == 200 and confirmed["segment"]["status"] == "reviewed"
    with embedded.app_context():
        texts = db.session.scalars(
            sa.select(Revision.text).where(Revision.segment_id == fr_id).order_by(Revision.id)
        ).all()
        assert texts == ["Le chat dort.", "Le chat ronfle.", "Le chat ronfle."]
        assert db.session.scalar(sa.select(Suggestion.text)) == "Le chat (B)."
        assert db.session.scalar(sa.select(Segment.version).where(Segment.id == fr_id)) == seen + 2


def test_saves_of_one_segment_wait_for_each_other_on_sqlite(embedded: Flask) -> None:
    """SQLite has no row locks: while one save is in progress, another of the same
    segment from the same version waits, then keeps its text as a suggestion (instead of
    reading the old version and failing on the write)."""
    with embedded.app_context():
        fr = db.session.scalar(sa.select(Segment).where(Segment.text == "Le chat dort."))
        user = db.session.scalar(sa.select(User))
        assert fr is not None and user is not None
        fr_id, seen, user_id = fr.id, fr.version, user.id
    outcome: dict[str, Any] = {}

    def second() -> None:
        with embedded.app_context():
            try:
                result = save_segment(
                    fr_id, "Le chat (B).", base_version=seen, user=db.session.get(User, user_id)
                )
                db.session.commit()
                outcome["saved"] = result.saved
            except Exception as exc:
                outcome["error"] = repr(exc)

    with embedded.app_context():
        save_segment(
            fr_id, "Le chat ronfle.", base_version=seen, user=db.session.get(User, user_id)
        )
        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), outcome  # it waits for the first save's transaction
        db.session.commit()
    waiting.join(20)
    assert outcome == {"saved": False}
    with embedded.app_context():
        assert db.session.scalar(sa.select(Segment.text).where(Segment.id == fr_id)) == (
            "Le chat ronfle."
        )
        assert db.session.scalar(sa.select(Suggestion.text)) == "Le chat (B)."


def test_regex_search_ignores_case_unless_asked_on_sqlite(embedded: Flask) -> None:
    client = embedded.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "ana@example.org", "password": "correct horse", "csrf_token": token},
    )
    slug = "/api/v1/documents/" + embedded_slug(embedded) + "/units"

    def found(**query: str) -> Any:
        response = client.get(slug, query_string={"regex": "1", **query})
        return response.status_code, response.get_json()

    status, body = found(q="^(the|le) c")
    assert status == 200 and body["total"] == 1  # "The cat sleeps." / "Le chat dort."
    assert found(q="^(the|le) c", case="1")[1]["total"] == 0
    assert found(q="^The c", case="1")[1]["total"] == 1
    assert found(q="(?s)c.t")[1]["total"] == 1  # RE2 takes inline flags anywhere
    status, body = found(q="(?=cat)")  # what RE2 cannot do: refused, not a 500
    assert status == 400 and body["field"] == "q"
    assert "lookahead" in body["error"] and "not supported" in body["error"]


def embedded_slug(app: Flask) -> str:
    with app.app_context():
        slug: str = db.session.scalar(sa.select(Document.slug))
        return slug
