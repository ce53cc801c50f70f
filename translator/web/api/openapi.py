"""The OpenAPI 3.1 document of the JSON API, generated from the code, served at
``GET /api/v1/openapi.json``: the contract (docs/api.md is the guide).

``build_openapi`` walks the app's URL map: every rule under ``/api/v1/`` must belong to
a view that declared its operation (``web.api.spec.operation``; a route without one is
an error, so a new endpoint cannot be left out). From the rule come the path and its
parameters (``<int:id>`` is a 32-bit integer ≥ 0, any other part a string without
``/``); from the declared right (``web.rights.requires``), the security and the refusals
the rights hook can give; from the declaration, the query parameters, ``If-Match``, the
request body and every answer with its schema. Schemas come from the pydantic models and
TypedDicts of ``inputs`` and ``shapes``, whose JSON Schema (2020-12) is exactly the
schema dialect of OpenAPI 3.1.

Statuses every operation may answer, besides the ones it declares: 400 (a malformed
request: ``web.security`` checks every request before any view; also a browser write
without its CSRF token), 401 (nobody signed in, or a bearer token that does not work),
403 for writes (a read-scope token) and for rights that can be refused, 404 when the
path names an object, 413 with a JSON body, 428 with ``If-Match``.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Flask, current_app, jsonify
from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from werkzeug.routing import Rule

from translator.services.rights import READ_METHODS, Right
from translator.web.api import shapes
from translator.web.api.spec import JSON, Operation, declared_operation, operation
from translator.web.api.views import bp
from translator.web.bearer import API_PREFIX
from translator.web.rights import declared_right, requires
from translator.web.security import MAX_ID, MAX_JSON_BYTES

OPENAPI_VERSION = "3.1.0"
REF = "#/components/schemas/{model}"
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
# Rights that a signed-in user always has: only a token's scope can refuse them.
_ALWAYS_GRANTED = {Right.ANYONE, Right.SIGNED_IN, Right.VIEW_DOCUMENT}
TAGS = [
    ("documents", "A document, its columns and windows of its rows"),
    ("segments", "Reading, saving and reverting one language's text of a row"),
    ("suggestions", "Texts proposed instead of written, and conflicts kept"),
    ("comments", "One thread per row"),
    ("rows", "Fixing the alignment: merge, split, move, insert, undo"),
    ("live", "Presence and the live event stream"),
    ("projects", "Collections of documents with their languages and a team"),
    ("meta", "This description"),
]
GENERIC = {
    "400": "The request is malformed or a value does not fit (``field`` names it); also a "
    "write with a browser session that lacks its CSRF token.",
    "401": "Nobody is signed in, or the bearer token does not work (unknown, revoked, "
    "expired, or its account deactivated).",
    "403": "The user may not do this, or the API token has the scope read.",
    "404": "The path names something that does not exist.",
    "413": f"The JSON body is over {MAX_JSON_BYTES} bytes.",
    "428": "A segment write without If-Match.",
    "503": "A statement ran past the statement timeout, or the database is unreachable: "
    "nothing was saved.",
}


class _Generator(GenerateJsonSchema):
    """pydantic's generator without a title on every property (noise in a spec)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _api_version() -> str:
    try:
        return version("translator")
    except PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
        return "0"


def _path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    """The OpenAPI path of a URL rule (``<int:id>`` → ``{id}``) and its parameters."""
    parameters = []
    for match in _ARGUMENT.finditer(rule.rule):
        if match["converter"] == "int":
            schema: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
        else:
            schema = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
        parameters.append({"name": match["name"], "in": "path", "required": True, "schema": schema})
    return _ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule.rule), parameters


def _present(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without its ``null`` alternative: a parameter that is
    not there is absent, never null."""
    schema = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    options = schema.pop("anyOf", None)
    if options is None:
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    return {**schema, **kept[0]} if len(kept) == 1 else {**schema, "anyOf": kept}


def _query_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    out = []
    for name, field_schema in schema["properties"].items():
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in field_schema:
            parameter["description"] = field_schema["description"]
        parameter["schema"] = _present(field_schema)
        out.append(parameter)
    return out


def _content(media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {media_type: {"schema": schema}}


class _Schemas:
    """Collects the types of every operation, then asks pydantic for all their schemas
    at once (shared definitions become ``components/schemas``)."""

    def __init__(self) -> None:
        self.inputs: list[tuple[int, Any, TypeAdapter[Any]]] = []
        self.seen: set[tuple[int, Any]] = set()
        self.generated: dict[tuple[int, Any], Any] = {}
        self.definitions: dict[str, Any] = {}
        self.query_models: set[str] = set()  # spread into parameters, not components

    def add(self, kind: Any, mode: str) -> tuple[int, Any]:
        key = (id(kind), mode)
        if key not in self.seen:
            self.seen.add(key)
            self.inputs.append((id(kind), mode, TypeAdapter(kind)))
        return key

    def build(self) -> None:
        generated, definitions = TypeAdapter.json_schemas(
            self.inputs, ref_template=REF, schema_generator=_Generator
        )
        self.generated = dict(generated)
        self.definitions = dict(definitions.get("$defs", {}))

    def __getitem__(self, key: tuple[int, Any]) -> Any:
        return self.generated[key]


def _security(right: Right | None) -> list[dict[str, list[str]]]:
    if right is Right.ANYONE:
        return []  # a bearer token is still checked if one is sent (401 if it fails)
    return [{"session": []}, {"token": []}]


def _operation(
    rule: Rule, method: str, declared: Operation, right: Right | None, schemas: _Schemas
) -> dict[str, Any]:
    _path_name, parameters = _path(rule)
    if declared.query is not None:
        key = schemas.add(declared.query, "validation")
        parameters += [{"query": key}]  # resolved once the schemas are built
    if declared.if_match:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": 'The version edited, as "<version>" (quotes optional).',
                "schema": {"type": "string", "pattern": '^\\s*(W/)?"?[0-9]{1,10}"?\\s*$'},
            }
        )
    answer: Any = {"type": "string"} if declared.media_type != JSON else {"type": "object"}
    if declared.answer is not None:
        answer = schemas.add(declared.answer, "serialization")
    error = schemas.add(shapes.Error, "serialization")
    responses: dict[str, Any] = {
        str(declared.status): {"description": declared.summary, "answer": answer}
    }
    statuses = {"400", "401", "503"}
    if method not in READ_METHODS or right not in _ALWAYS_GRANTED:
        statuses.add("403")
    if rule.arguments:
        statuses.add("404")
    if declared.body is not None:
        statuses.add("413")
    if declared.if_match:
        statuses.add("428")
    for generic in sorted(statuses):
        responses[generic] = {"description": GENERIC[generic], "answer": error}
    for status, said in declared.errors.items():
        if isinstance(said, str):
            responses[str(status)] = {"description": said, "answer": error}
        else:
            description, kind = said
            responses[str(status)] = {
                "description": description,
                "answer": schemas.add(kind, "serialization"),
            }
    result: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": declared.summary,
        "tags": [declared.tag],
        "security": _security(right),
        "parameters": parameters,
        "responses": responses,
    }
    if declared.description:
        result["description"] = declared.description
    if declared.body is not None:
        result["requestBody"] = {
            "required": declared.body_required,
            "body": schemas.add(declared.body, "validation"),
        }
    return result


def _resolve(op: dict[str, Any], media_type: str, schemas: _Schemas) -> None:
    """Put the generated schemas where ``_operation`` left their keys."""
    parameters = []
    for parameter in op["parameters"]:
        if "query" in parameter:
            name = schemas[parameter["query"]]["$ref"].rsplit("/", 1)[1]
            parameters += _query_parameters(schemas.definitions[name])
            schemas.query_models.add(name)
        else:
            parameters.append(parameter)
    op["parameters"] = parameters
    for status, response in op["responses"].items():
        answer = response.pop("answer")
        schema = schemas[answer] if isinstance(answer, tuple) else answer
        is_success = status.startswith("2")
        response["content"] = _content(media_type if is_success else JSON, schema)
    if "requestBody" in op:
        body = op["requestBody"].pop("body")
        op["requestBody"]["content"] = _content(JSON, schemas[body])


def build_openapi(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route under ``/api/v1/`` (RuntimeError if one
    declares no operation)."""
    schemas = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    media: dict[int, str] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX):
            continue
        declared = declared_operation(app.view_functions[rule.endpoint])
        if declared is None:
            raise RuntimeError(f"API route {rule.endpoint} declares no @operation")
        path, _parameters = _path(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            right = declared_right(app, rule.endpoint, method)
            op = _operation(rule, method, declared, right, schemas)
            media[id(op)] = declared.media_type
            paths.setdefault(path, {})[method.lower()] = op
    schemas.build()
    for item in paths.values():
        for op in item.values():
            _resolve(op, media[id(op)], schemas)
    for name in schemas.query_models:
        del schemas.definitions[name]
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "translator JSON API",
            "version": _api_version(),
            "description": "The API the editor uses, for scripts too: sign in with a "
            "browser session (writes then need the X-CSRFToken header) or send a personal "
            "API token as `Authorization: Bearer <token>` (create one on your account "
            "page). docs/api.md is the guide.",
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.definitions.items())),
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": app.config.get("SESSION_COOKIE_NAME", "session"),
                    "description": "The browser's sign-in session. Every write also needs "
                    "the page's CSRF token in the X-CSRFToken header.",
                },
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (scope read: GET only; write: "
                    "every method). No CSRF token needed.",
                },
            },
        },
    }


@bp.get("/openapi.json")
@requires(Right.ANYONE)
@operation("This description of the API (OpenAPI 3.1)", tag="meta")
def openapi() -> Any:
    """Generated from the code at start-up; public, like docs/api.md."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    document = app.extensions.get("translator.openapi")
    if document is None:
        document = app.extensions["translator.openapi"] = build_openapi(app)
    return jsonify(document)
