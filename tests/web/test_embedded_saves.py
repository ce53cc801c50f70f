"""The editor's saves on the embedded default (SQLite, what ``make run`` starts). The
save path uses a PostgreSQL-only statement where it can, so the portable path is checked
here, through the API, whatever database the rest of the suite runs on."""

from __future__ import annotations

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
from translator.models import Revision, Segment, Suggestion, Unit
from translator.services.documents import get_document
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
