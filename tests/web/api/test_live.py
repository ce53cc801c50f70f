"""Presence and the live event stream: expiry, Redis down, rows changed elsewhere."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api, sign_in
from translator.models import Document


def test_presence_is_listed_and_expires(admin_api: Api, app: Any) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    fr = row["segments"]["fr"]
    response = admin_api.send("PUT", "/documents/essay/presence", {"segment": fr["id"]})
    people = response.get_json()["presence"]
    assert [(p["user"]["name"], p["segment"]) for p in people] == [("admin@example.org", fr["id"])]
    bad = admin_api.send("PUT", "/documents/essay/presence", {"segment": 999999})
    assert bad.status_code == 404


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
            assert api.get("/documents/essay/presence").status_code == 503  # was a 500
    finally:
        dispose_engines(app)


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
