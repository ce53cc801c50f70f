"""The OpenAPI 3.1 description at /api/v1/openapi.json: valid, generated from every API
route (a route without a declaration cannot be left out), saying what each operation
takes and answers; the same declarations read requests (400 naming the field, never
422). Then the bugs schemathesis found, each kept from coming back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from openapi_spec_validator import OpenAPIV31SpecValidator

from tests.helpers import Api
from translator import create_app
from translator.models import Document, Segment
from translator.services.rights import Right
from translator.web.api.openapi import build_openapi
from translator.web.rights import requires

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def described(app: Flask, db: Any) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/openapi.json")  # nobody signed in: public
    assert response.status_code == 200 and response.mimetype == "application/json"
    document: dict[str, Any] = response.get_json()
    return document


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_the_description_is_valid_openapi_3_1(described: dict[str, Any]) -> None:
    assert described["openapi"] == "3.1.0"
    errors = list(OpenAPIV31SpecValidator(described).iter_errors())
    assert not errors, [str(e)[:300] for e in errors[:5]]


def test_every_api_route_is_described_and_nothing_else(
    app: Flask, described: dict[str, Any]
) -> None:
    routes = {
        (rule.endpoint.removeprefix("api."), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    found = {(op["operationId"], method) for (_p, method), op in _operations(described).items()}
    assert found == routes
    assert len(routes) == 56
    ids = [op["operationId"] for op in _operations(described).values()]
    assert len(ids) == len(set(ids))  # operationIds are unique


def test_a_route_without_a_declaration_cannot_be_left_out(tmp_path: Any) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    app.add_url_rule("/api/v1/forgotten", "forgotten", requires(Right.ANYONE)(lambda: "x"))
    with pytest.raises(RuntimeError, match="forgotten declares no @operation"):
        build_openapi(app)


def test_each_operation_says_what_it_takes_and_every_answer(described: dict[str, Any]) -> None:
    operations = _operations(described)
    for (path, method), op in operations.items():
        responses = op["responses"]
        assert {"400", "401"} <= set(responses), (path, method)
        if method != "get":
            assert "403" in responses, (path, method)  # a read token, at least
        if "{" in path:
            assert "404" in responses, (path, method)
        if "requestBody" in op:
            assert "413" in responses
        for status, response in responses.items():
            assert response["description"] and response["content"], (path, method, status)
    save = operations[("/api/v1/segments/{segment_id}", "put")]
    assert save["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SaveBody"
    }
    if_match = [p for p in save["parameters"] if p["in"] == "header"]
    assert [p["name"] for p in if_match] == ["If-Match"] and if_match[0]["required"]
    assert "428" in save["responses"]
    conflict = save["responses"]["409"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/SaveConflict"} in conflict["anyOf"]
    units = operations[("/api/v1/documents/{slug}/units", "get")]
    query = {p["name"]: p for p in units["parameters"] if p["in"] == "query"}
    assert query["limit"]["schema"]["maximum"] == 500 and not query["limit"]["required"]
    assert query["status"]["schema"] == {"$ref": "#/components/schemas/SegmentStatus"}
    assert "503" in operations[("/api/v1/documents/{slug}/presence", "put")]["responses"]
    assert operations[("/api/v1/openapi.json", "get")]["security"] == []
    assert save["security"] == [{"session": []}, {"token": []}]
    schemes = described["components"]["securitySchemes"]
    assert schemes["token"] == {**schemes["token"], "type": "http", "scheme": "bearer"}
    segment = described["components"]["schemas"]["SegmentInfo"]
    assert {"id", "unit", "language", "text", "html", "status", "version"} <= set(
        segment["required"]
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "said"),
    [
        ("PUT", "/segments/{fr}", {"text": 5}, "text", "'text' must be a string"),
        ("PUT", "/segments/{fr}", {}, "text", "'text' is missing"),
        ("PUT", "/segments/{fr}", {"text": "x", "confirm": "yes"}, "confirm", "true or false"),
        ("PUT", "/segments/{fr}", {"text": "x", "status": "done"}, "status", "'draft'"),
        ("PUT", "/documents/essay/columns", {"columns": []}, "columns", "at least 1"),
        ("PUT", "/documents/essay/columns", {"columns": [1]}, "columns", "'columns[0]'"),
        ("POST", "/units/{unit}/split", {"language": "fr", "offset": "5"}, "offset", "whole"),
        ("POST", "/units/{unit}/split", {"language": "fr", "offset": True}, "offset", "whole"),
        ("POST", "/units/{unit}/move", {"language": "fr", "to": "up"}, "to", "'previous'"),
        ("POST", "/segments/{fr}/revert", {"revision": 2**31}, "revision", "out of range"),
        ("PUT", "/documents/essay/presence", {"segment": "19"}, "segment", "whole"),
        ("POST", "/units/{unit}/comments", [1, 2], None, "a JSON object"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    admin_api: Api, method: str, path: str, body: Any, field: str | None, said: str
) -> None:
    row = admin_api.get("/documents/essay/units", offset=1, limit=1).get_json()["units"][0]
    cell = row["segments"]["fr"]
    url = path.format(fr=cell["id"], unit=row["id"])
    response = admin_api.send(method, url, body, version=cell["version"])
    assert response.status_code == 400, response.get_json()
    answer = response.get_json()
    assert answer["field"] == field and said in answer["error"], answer


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"outdated": "maybe"}, "outdated"),
        ({"status": "done"}, "status"),
        ({"q": "x" * 1001}, "q"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_them(
    admin_api: Api, query: dict[str, str], field: str
) -> None:
    response = admin_api.get("/documents/essay/units", **query)
    assert response.status_code == 400 and response.get_json()["field"] == field


def test_the_editor_s_own_query_strings_still_work(admin_api: Api) -> None:
    """Empty parameters count as absent; flags are 1 (or true/yes/on)."""
    window = admin_api.get(
        "/documents/essay/units", offset="0", limit="100", status="", q="", outdated="1"
    )
    assert window.status_code == 200 and window.get_json()["total"] == 0
    flagged = admin_api.get("/documents/essay/units", comments="true", low="0")
    assert flagged.status_code == 200


# --- found by schemathesis (tests/web/test_openapi_schemathesis.py) -------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_id_beyond_32_bits_is_a_404(admin_api: Api, method: str) -> None:
    """Was a 500 on PostgreSQL (its INTEGER keys refuse to compare with a larger number)
    and, for a path that also has a rule for another method, a 405."""
    for path in ("/segments/3000000000/suggestions", "/units/2147483648/comments"):
        response = (
            admin_api.get(path) if method == "GET" else admin_api.send("POST", path, {"text": "x"})
        )
        assert response.status_code == 404, (method, path, response.status_code)
        assert "ids are at most 2147483647" in response.get_json()["error"]


def test_an_if_match_beyond_32_bits_is_a_400(admin_api: Api, document: Document, db: Any) -> None:
    """Was a 500 on PostgreSQL: the version reached an INTEGER comparison."""
    segment_id = db.session.scalar(sa.select(Segment.id).limit(1))
    response = admin_api.send("PUT", f"/segments/{segment_id}", {"text": "x"}, version=99999999999)
    assert response.status_code == 400 and response.get_json()["field"] == "If-Match"


def test_a_405_says_which_methods_are_allowed(admin_api: Api) -> None:
    """The JSON error page dropped werkzeug's Allow header (RFC 9110 requires it)."""
    response = admin_api.client.delete("/api/v1/documents/essay/columns")
    assert response.status_code == 405
    assert "PUT" in response.headers["Allow"]


def test_merging_rows_again_after_ids_were_reused(admin_api: Api) -> None:
    """On SQLite a new segment may get the id of one a merge removed; merging its row in
    turn failed on the old forward of that id (a 500)."""
    rows = admin_api.get("/documents/essay/units").get_json()["units"]
    merged = admin_api.send("POST", f"/units/{rows[-2]['id']}/merge")
    assert merged.status_code == 200  # the last row's segments (the highest ids) are gone
    inserted = admin_api.send("POST", f"/units/{rows[0]['id']}/insert")
    assert inserted.status_code == 200  # its segments may reuse those ids (SQLite)
    again = admin_api.send("POST", f"/units/{rows[0]['id']}/merge")  # removes them in turn
    assert again.status_code == 200, again.get_json()
