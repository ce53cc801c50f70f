"""Every request has an upper bound on its work: statements stop after the statement
timeout (503, nothing saved), and lists answer at most ``LIST_LIMIT`` items."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import dispose_engines, make_app
from tests.helpers import Api
from translator.extensions import db as _db
from translator.models import Document, Segment, User
from translator.services.editing import save_segment
from translator.services.rights import Right
from translator.web.api.views import LIST_LIMIT
from translator.web.rights import requires


def test_a_statement_past_the_timeout_is_stopped_and_answers_503(
    tmp_path: Any, database_url: str, db: Any
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("statement_timeout is PostgreSQL's (SQLite bounds its regex searches)")
    app = make_app(tmp_path, database_url, STATEMENT_TIMEOUT=0.3)

    @requires(Right.ANYONE)
    def slow() -> str:
        _db.session.execute(sa.text("SELECT pg_sleep(5)"))
        return "done"

    app.add_url_rule("/slow", "slow", slow)
    try:
        response = app.test_client().get("/slow", headers={"Accept": "application/json"})
        assert response.status_code == 503
        assert "took too long" in response.get_json()["error"]
        with app.app_context():  # the connection is usable afterwards
            assert _db.session.scalar(sa.text("SELECT 1")) == 1
            assert _db.session.scalar(sa.text("SHOW statement_timeout")) == "300ms"
    finally:
        dispose_engines(app)


def test_history_answers_the_newest_revisions_and_says_there_are_more(
    admin_api: Api, db: Any, document: Document
) -> None:
    admin = db.session.scalar(sa.select(User))
    segment = db.session.scalar(sa.select(Segment).where(Segment.text != "").limit(1))
    for n in range(LIST_LIMIT + 3):
        save_segment(segment.id, f"Version {n}.", base_version=segment.version, user=admin)
        db.session.commit()
        db.session.refresh(segment)
    body = admin_api.get(f"/segments/{segment.id}/history").get_json()
    assert len(body["revisions"]) == LIST_LIMIT and body["more"] is True
    assert body["revisions"][0]["text"] == f"Version {LIST_LIMIT + 2}."
    # The oldest one shown still has its diff with the one before it.
    assert body["revisions"][-1]["ops"] != [["+", body["revisions"][-1]["text"]]]
