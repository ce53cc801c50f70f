"""Alignment fixes through the API and the document page: comments kept on a
merge, split at the cursor, and the right to edit every edition."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import Api, csrf_token, sign_in
from translator.models import Document, MemberRole, Unit
from translator.services.members import set_member


def test_merge_keeps_comments_and_split_at_the_cursor(admin_api: Api, db: Any) -> None:
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    second = rows[2]
    admin_api.send("POST", f"/units/{second['id']}/comments", {"body": "keep me"})
    merged = admin_api.send("POST", f"/units/{rows[1]['id']}/merge")
    assert merged.status_code == 200
    index = merged.get_json()["index"]
    after = admin_api.get("/documents/essay/units").get_json()["units"]
    assert after[index]["segments"]["fr"]["text"] == "Le chat dort. Le chien aboie."
    assert after[index]["comments"] == 1
    cut = len("Le chat dort.")
    split = admin_api.send(
        "POST",
        f"/units/{after[index]['id']}/split",
        {"language": "fr", "offset": cut, "others": "after"},
    )
    assert split.status_code == 200, split.get_json()
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    assert rows[index]["segments"]["fr"]["text"] == "Le chat dort."
    assert rows[index]["segments"]["en"]["text"] == ""
    assert rows[index + 1]["segments"]["en"]["text"] == "The cat sleeps. The dog barks."
    undone = admin_api.send("POST", "/documents/essay/undo")
    assert undone.status_code == 200
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    assert rows[index]["segments"]["fr"]["text"] == "Le chat dort. Le chien aboie."


def test_the_document_page_fixes_need_every_edition_too(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    user, _ = sign_in(client, create_user, "cleo@example.org")
    set_member(document, user, "fr", MemberRole.REVIEWER)
    db.session.commit()
    unit_id = db.session.scalars(sa.select(Unit.id).order_by(Unit.order_key)).first()
    token = csrf_token(client, "/")
    response = client.post(f"/documents/essay/units/{unit_id}/merge", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 5


def test_split_choosing_per_language_and_bad_choices_named(admin_api: Api, db: Any) -> None:
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    merged = admin_api.send("POST", f"/units/{rows[1]['id']}/merge").get_json()
    index, unit = merged["index"], merged["unit"]
    cut = len("Le chat dort.")
    for placements, field in [
        ({"en": "middle"}, "placements.en"),
        ({"en": 0}, "placements.en"),
        ({"en": 999}, "placements.en"),
        ({"de": "first"}, "placements.de"),
        ({"fr": "first"}, "placements.fr"),
    ]:
        body = {"language": "fr", "offset": cut, "placements": placements}
        refused = admin_api.send("POST", f"/units/{unit}/split", body)
        assert refused.status_code == 400, (placements, refused.get_json())
        assert field in str(refused.get_json()), (placements, refused.get_json())
    kept = admin_api.send(
        "POST",
        f"/units/{unit}/split",
        {"language": "fr", "offset": cut, "others": "after", "placements": {"en": "first"}},
    )
    assert kept.status_code == 200, kept.get_json()
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    assert rows[index]["segments"]["en"]["text"] == "The cat sleeps. The dog barks."
    assert rows[index + 1]["segments"]["en"]["text"] == ""
    assert rows[index + 1]["segments"]["fr"]["text"] == "Le chien aboie."
    assert admin_api.send("POST", "/documents/essay/undo").status_code == 200
    english_cut = len("The cat sleeps. ")
    both = admin_api.send(
        "POST",
        f"/units/{unit}/split",
        {"language": "fr", "offset": cut, "placements": {"en": english_cut}},
    )
    assert both.status_code == 200, both.get_json()
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    assert [rows[index + i]["segments"]["en"]["text"] for i in (0, 1)] == [
        "The cat sleeps.",
        "The dog barks.",
    ]
    assert rows[index + 1]["segments"]["fr"]["text"] == "Le chien aboie."
