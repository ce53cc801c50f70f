"""Comments through the API: one thread per unit, the badge count, the filter."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.helpers import Api
from translator.models import Comment


def test_comments_thread_badge_and_filter(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=2, limit=1).get_json()["units"][0]
    path = f"/units/{row['id']}/comments"
    assert admin_api.send("POST", path, {"body": "  "}).status_code == 400
    made = admin_api.send("POST", path, {"body": "Check the <b>quote</b>", "language": "fr"})
    assert made.status_code == 201
    comment = made.get_json()["comment"]
    window = admin_api.get("/documents/essay/units", comments=1).get_json()
    assert [(u["id"], u["comments"]) for u in window["units"]] == [(row["id"], 1)]
    thread = admin_api.get(path).get_json()["comments"]
    assert thread[0]["body"] == "Check the <b>quote</b>" and thread[0]["language"] == "fr"
    admin_api.send("POST", f"/comments/{comment['id']}/resolve", {"resolved": True})
    assert admin_api.get("/documents/essay/units", comments=1).get_json()["total"] == 0
    assert db.session.scalar(sa.select(Comment.resolved)) is True
