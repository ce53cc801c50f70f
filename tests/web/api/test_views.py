"""The editor's JSON API: sign-in and CSRF, the document and its unit windows, the
remembered columns, and where Ctrl+Enter goes next."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.helpers import Api
from translator.models import Document, Segment


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
