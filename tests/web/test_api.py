"""The editor's JSON API through the real app: sign-in, CSRF, rights, If-Match, the 409
flow, windows and filters, history, comments, suggestions, structure fixes."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import csrf_token
from translator.models import (
    Comment,
    Document,
    MemberRole,
    Revision,
    Segment,
    Suggestion,
    Unit,
    User,
)
from translator.services.members import set_member
from translator.services.siblings import baseline_siblings

EN = "# Title\n\nThe cat sleeps. The dog barks.\n\n> A quote.\n\nLast line.\n"
FR = "# Titre\n\nLe chat dort. Le chien aboie.\n\n> Une citation.\n\nDernière ligne.\n"


class Api:
    """A signed-in browser: JSON calls with the CSRF header, as the editor's scripts make them."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = csrf_token(client, "/")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, query_string=params)

    def send(self, method: str, path: str, body: Any = None, version: int | None = None) -> Any:
        headers = {"X-CSRFToken": self.token}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return self.client.open(
            "/api/v1" + path, method=method, json=body if body is not None else {}, headers=headers
        )


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", filename="essay.md", title="Essay")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
    db.session.commit()
    return db.session.scalar(sa.select(Document))


def sign_in(client: FlaskClient, create_user: Any, email: str, **kw: Any) -> tuple[User, Api]:
    user = create_user(email, "correct horse", **kw)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": "correct horse", "csrf_token": token}
    )
    assert response.status_code == 302
    return user, Api(client)


@pytest.fixture
def admin_api(client: FlaskClient, create_user: Any, document: Document) -> Api:
    return sign_in(client, create_user, "admin@example.org", is_admin=True)[1]


def test_the_api_needs_a_session_and_csrf(client: FlaskClient, document: Document) -> None:
    response = client.get("/api/v1/documents/essay")
    assert response.status_code == 401 and response.is_json


def test_writes_need_the_csrf_header(admin_api: Api) -> None:
    row = admin_api.get("/documents/essay/units").get_json()["units"][1]
    cell = row["segments"]["fr"]
    response = admin_api.client.put(
        f"/api/v1/segments/{cell['id']}",
        json={"text": "x"},
        headers={"If-Match": str(cell["version"])},
    )
    assert response.status_code == 400 and "CSRF" in response.get_json()["error"]


def test_document_and_unit_window(admin_api: Api) -> None:
    info = admin_api.get("/documents/essay").get_json()
    assert [lang["code"] for lang in info["languages"]] == ["en", "fr"]
    assert all(lang["editable"] and lang["reviewer"] for lang in info["languages"])
    assert info["columns"] == ["en", "fr"] and info["total"] == 5
    window = admin_api.get("/documents/essay/units", offset=1, limit=2).get_json()
    assert window["total"] == 5
    assert [u["index"] for u in window["units"]] == [1, 2]
    first = window["units"][0]
    assert first["role"] == "paragraph"
    assert first["segments"]["fr"]["text"] == "Le chat dort."
    assert set(first["segments"]["fr"]) >= {"id", "html", "status", "version", "outdated"}
    heading = admin_api.get("/documents/essay/units", limit=1).get_json()["units"][0]
    assert (heading["role"], heading["level"]) == ("heading", 1)
    bad = admin_api.get("/documents/essay/units", limit=100000)
    assert bad.status_code == 400 and bad.get_json()["field"] == "limit"


def test_columns_are_remembered_per_user(admin_api: Api) -> None:
    response = admin_api.send("PUT", "/documents/essay/columns", {"columns": ["fr", "en"]})
    assert response.status_code == 200
    assert admin_api.get("/documents/essay").get_json()["columns"] == ["fr", "en"]
    bad = admin_api.send("PUT", "/documents/essay/columns", {"columns": ["de"]})
    assert bad.status_code == 400 and bad.get_json()["field"] == "columns"


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


def test_presence_is_listed_and_expires(admin_api: Api, app: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    response = admin_api.send("PUT", "/documents/essay/presence", {"segment": fr["id"]})
    people = response.get_json()["presence"]
    assert [(p["user"]["name"], p["segment"]) for p in people] == [("admin@example.org", fr["id"])]
    bad = admin_api.send("PUT", "/documents/essay/presence", {"segment": 999999})
    assert bad.status_code == 404


def test_administrators_manage_members(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    create_user("cleo@example.org", "correct horse")
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    page = client.get("/documents/essay/members")
    assert page.status_code == 200
    token = csrf_token(client, "/documents/essay/members")
    unknown = client.post(
        "/documents/essay/members",
        data={
            "email": "nobody@example.org",
            "language": "fr",
            "role": "translator",
            "csrf_token": token,
        },
    )
    assert unknown.status_code == 400 and "No user has this e-mail" in unknown.get_data(
        as_text=True
    )
    added = client.post(
        "/documents/essay/members",
        data={
            "email": "cleo@example.org",
            "language": "fr",
            "role": "reviewer",
            "csrf_token": token,
        },
    )
    assert added.status_code == 302
    from translator.models import DocumentMember

    member = db.session.scalar(sa.select(DocumentMember))
    assert (member.language, member.role) == ("fr", "reviewer")
    assert "cleo@example.org" in client.get("/documents/essay/members").get_data(as_text=True)
    client.post(f"/documents/essay/members/{member.id}/remove", data={"csrf_token": token})
    assert db.session.scalar(sa.select(sa.func.count(DocumentMember.id))) == 0


def test_only_administrators_add_members(
    client: FlaskClient, create_user: Any, document: Document
) -> None:
    sign_in(client, create_user, "cleo@example.org")
    token = csrf_token(client, "/")
    response = client.post(
        "/documents/essay/members",
        data={
            "email": "cleo@example.org",
            "language": "fr",
            "role": "reviewer",
            "csrf_token": token,
        },
    )
    assert response.status_code == 403


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


def test_live_endpoints_say_503_when_redis_is_down(
    tmp_path: Any, database_url: str, create_user: Any, document: Document
) -> None:
    from tests.conftest import dispose_engines, make_app

    app = make_app(tmp_path, database_url, LIVE_URL="redis://127.0.0.1:1/0")
    try:
        with app.test_client() as client:
            _, api = sign_in(client, create_user, "admin@example.org", is_admin=True)
            events = api.get("/documents/essay/events")
            assert events.status_code == 503
            assert "live updates are unavailable" in events.get_json()["error"]
            presence = api.send("PUT", "/documents/essay/presence", {"segment": None})
            assert presence.status_code == 503
    finally:
        dispose_engines(app)


def test_history_of_a_segment_without_revisions_is_empty(admin_api: Api, db: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    admin_api.send("POST", f"/units/{row['id']}/insert")
    rows = admin_api.get("/documents/essay/units", offset=2, limit=1).get_json()["units"]
    empty = rows[0]["segments"]["fr"]
    assert empty["text"] == ""
    response = admin_api.get(f"/segments/{empty['id']}/history")
    assert response.status_code == 200 and response.get_json() == {"revisions": []}


def test_next_unit_needing_work_in_one_request(admin_api: Api, db: Any) -> None:
    """Where Ctrl+Enter goes without loading every window on the way: the next row
    (in the filtered list's numbering) whose cell in that language is empty, a draft
    or outdated."""
    units = admin_api.get("/documents/essay/units", limit=5).get_json()["units"]
    fr = [u["segments"]["fr"]["id"] for u in units]
    table = Segment.__table__
    db.session.execute(table.update().values(status="translated", outdated=False))
    db.session.execute(table.update().where(table.c.id == fr[2]).values(status="draft"))
    db.session.execute(table.update().where(table.c.id == fr[4]).values(outdated=True))
    db.session.commit()

    def next_from(after: int, direction: int = 1, language: str = "fr", **filters: Any) -> Any:
        response = admin_api.get(
            "/documents/essay/units/next",
            after=after,
            direction=direction,
            language=language,
            **filters,
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["position"]

    assert [next_from(-1), next_from(2), next_from(4)] == [2, 4, None]
    assert [next_from(5, -1), next_from(4, -1), next_from(2, -1)] == [4, 2, None]
    assert next_from(0, language="en") is None  # English is all done
    # With a filter, positions are those of the filtered list (rows 2 and 4 → 0 and 1).
    assert next_from(-1, status="draft") == 0
    assert next_from(-1, q="Dernière") == 0  # row 4 alone
    bad = admin_api.get("/documents/essay/units/next", after=0, direction=2, language="fr")
    assert bad.status_code == 400 and bad.get_json()["field"] == "direction"
    unknown = admin_api.get("/documents/essay/units/next", after=0, language="de")
    assert unknown.status_code == 400 and unknown.get_json()["field"] == "language"


def test_the_event_stream_tells_of_rows_changed_elsewhere(
    admin_api: Api, app: Any, db: Any, document: Document, import_text: Any, monkeypatch: Any
) -> None:
    """Rows changed where the live hub does not reach (an import or alignment job in a
    worker, with the embedded hub) reach open editors at the next keep-alive."""
    monkeypatch.setitem(app.config, "LIVE_KEEPALIVE", 0.2)
    response = admin_api.client.get("/api/v1/documents/essay/events", buffered=False)
    chunks = iter(response.response)
    assert next(chunks) == b": connected\n\n"
    assert next(chunks) == b": keep-alive\n\n"  # nothing happened yet
    import_text("Um gato.\n\nUm cão.\n", "pt", document="essay")  # not announced
    assert next(chunks) == b'event: structure\ndata: {"unit": null, "index": 0}\n\n'
    assert next(chunks) == b": keep-alive\n\n"
    response.close()
