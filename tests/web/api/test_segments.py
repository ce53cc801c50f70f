"""Segment writes through the API: If-Match, the 409 flow that keeps both texts,
membership, typed markup, history and revert."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import Api, sign_in
from translator.models import (
    Document,
    MemberRole,
    Revision,
    Suggestion,
)
from translator.services.members import set_member


def test_save_needs_if_match_then_confirms_and_flags_siblings(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr, en = row["segments"]["fr"], row["segments"]["en"]
    path = f"/segments/{fr['id']}"
    assert admin_api.send("PUT", path, {"text": "Le chat ronfle."}).status_code == 428
    saved = admin_api.send("PUT", path, {"text": "Le chat ronfle."}, version=fr["version"])
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["segment"]["status"] == "draft"
    assert body["siblings"] == [{"id": en["id"], "language": "en", "outdated": True}]
    confirmed = admin_api.send(
        "PUT",
        path,
        {"text": "Le chat ronfle.", "confirm": True},
        version=body["segment"]["version"],
    ).get_json()
    assert confirmed["segment"]["status"] == "reviewed"  # an administrator reviews
    english = admin_api.get(f"/segments/{en['id']}").get_json()
    assert english["outdated"] is True
    (change,) = english["changes"]
    assert change["language"] == "fr"
    assert ["-", "dort"] in change["ops"] and ["+", "ronfle"] in change["ops"]
    filtered = admin_api.get("/documents/essay/units", outdated=1).get_json()
    assert [u["id"] for u in filtered["units"]] == [row["id"]]


def test_a_stale_save_answers_409_with_both_texts_and_keeps_mine(
    client: FlaskClient, create_user: Any, document: Document, app: Any, db: Any
) -> None:
    _, ana = sign_in(client, create_user, "ana@example.org", is_admin=True)
    row = ana.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    first = ana.send("PUT", f"/segments/{fr['id']}", {"text": "Version A."}, version=fr["version"])
    assert first.status_code == 200
    with app.test_client() as other:
        _, bea = sign_in(other, create_user, "bea@example.org", is_admin=True)
        stale = bea.send(
            "PUT", f"/segments/{fr['id']}", {"text": "Version B."}, version=fr["version"]
        )
        assert stale.status_code == 409
        body = stale.get_json()
        assert body["segment"]["text"] == "Version A." and body["yours"] == "Version B."
        assert body["by"]["name"] == "ana@example.org"
        suggestion_id = body["suggestion"]["id"]
        listed = bea.get(f"/segments/{fr['id']}/suggestions").get_json()["suggestions"]
        assert [(s["id"], s["text"], s["kind"], s["state"]) for s in listed] == [
            (suggestion_id, "Version B.", "conflict", "open")
        ]
        # Bea picks hers: accepting needs the current version.
        accepted = bea.send(
            "POST",
            f"/suggestions/{suggestion_id}/accept",
            version=body["segment"]["version"],
        )
        assert accepted.status_code == 200
        assert accepted.get_json()["segment"]["text"] == "Version B."
    texts = db.session.scalars(
        sa.select(Revision.text).where(Revision.segment_id == fr["id"]).order_by(Revision.id)
    ).all()
    assert texts[-2:] == ["Version A.", "Version B."]
    assert db.session.scalar(sa.select(Suggestion.state)) == "accepted"


def test_members_only_write_their_languages(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    user, api = sign_in(client, create_user, "cleo@example.org")
    set_member(document, user, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    info = api.get("/documents/essay").get_json()
    assert {lang["code"]: lang["editable"] for lang in info["languages"]} == {
        "en": False,
        "fr": True,
    }
    row = api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    en, fr = row["segments"]["en"], row["segments"]["fr"]
    denied = api.send("PUT", f"/segments/{en['id']}", {"text": "No."}, version=en["version"])
    assert denied.status_code == 403
    done = api.send(
        "PUT", f"/segments/{fr['id']}", {"text": "Oui.", "confirm": True}, version=fr["version"]
    )
    assert done.status_code == 200 and done.get_json()["segment"]["status"] == "translated"
    merge = api.send("POST", f"/units/{row['id']}/merge")
    assert merge.status_code == 403  # a merge rewrites English too


def test_typed_markup_is_stored_escaped_and_shown_as_text(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    typed = 'Le <em>chat</em> <script>alert(1)</script> "><img src=x onerror=alert(1)>'
    saved = admin_api.send("PUT", f"/segments/{fr['id']}", {"text": typed}, version=fr["version"])
    segment = saved.get_json()["segment"]
    assert segment["text"] == typed  # the textarea gets back exactly what was typed
    assert "<script" not in segment["html"] and "<img" not in segment["html"]
    assert "<em>chat</em>" in segment["html"] and "&lt;script&gt;" in segment["html"]


def test_history_and_revert(admin_api: Api) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    path = f"/segments/{fr['id']}"
    v2 = admin_api.send("PUT", path, {"text": "Deuxième."}, version=fr["version"]).get_json()
    history = admin_api.get(path + "/history").get_json()["revisions"]
    assert [r["text"] for r in history] == ["Deuxième.", "Le chat dort."]
    assert history[0]["author"]["name"] == "admin@example.org"
    assert ["+", "Deuxième"] in history[0]["ops"] and ["-", "Le chat dort"] in history[0]["ops"]
    reverted = admin_api.send(
        "POST", path + "/revert", {"revision": history[1]["id"]}, version=v2["segment"]["version"]
    )
    assert reverted.status_code == 200
    assert reverted.get_json()["segment"]["text"] == "Le chat dort."
    again = admin_api.get(path + "/history").get_json()["revisions"]
    assert again[0]["reason"] == "revert" and len(again) == 3


def test_history_of_a_segment_without_revisions_is_empty(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    admin_api.send("POST", f"/units/{row['id']}/insert")
    rows = admin_api.get("/documents/essay/units", offset=2, limit=1).get_json()["units"]
    empty = rows[0]["segments"]["fr"]
    assert empty["text"] == ""
    response = admin_api.get(f"/segments/{empty['id']}/history")
    assert response.status_code == 200 and response.get_json() == {"revisions": [], "more": False}


def test_a_minor_save_flags_no_sibling(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    saved = admin_api.send(
        "PUT",
        f"/segments/{fr['id']}",
        {"text": fr["text"].replace(".", " !"), "minor": True, "confirm": True},
        version=fr["version"],
    )
    assert saved.status_code == 200, saved.get_json()
    assert all(not s["outdated"] for s in saved.get_json()["siblings"])
    english = admin_api.get(f"/segments/{row['segments']['en']['id']}").get_json()
    assert english["outdated"] is False
    history = admin_api.get(f"/segments/{fr['id']}/history").get_json()["revisions"]
    assert history[0]["reason"] == "minor"
