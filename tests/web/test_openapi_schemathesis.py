"""Schemathesis against the API's own OpenAPI document: every operation, called in
process (WSGI) with generated requests — valid ones and, as important, invalid ones —
as an administrator's write-scope API token, on a seeded document.

The path parameters are steered to objects that exist (the seeded document's units,
segments, suggestion and comment) seven times in eight, so that requests reach the
views rather than only the 404 of an unknown id. Checks: no server error (5xx), every
status documented, every answer's content type documented, every answer's JSON valid
against its schema, every refusal of an invalid request a 4xx, and more (``CHECKS``).
The event stream never ends: it is left to
``test_the_event_stream_is_what_the_description_says``. The counts are printed
(operations, requests — "examples" — and checks run).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
import schemathesis
import schemathesis.engine
import schemathesis.hooks
import sqlalchemy as sa
from flask import Flask
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from tests.web.test_rights_matrix import build_world
from translator.extensions import db as _db
from translator.models import User
from translator.services.tokens import create_token

CHECKS = {
    "not_a_server_error": {},
    "status_code_conformance": {},
    "content_type_conformance": {},
    "response_schema_conformance": {},
    "response_headers_conformance": {},
    # Every request the description says is invalid is refused (4xx).
    "negative_data_rejection": {},
    # A method the description does not list: 405 with an Allow header.
    "unsupported_method": {},
    # A write without its If-Match: 428 Precondition Required (RFC 6585).
    "missing_required_header": {"expected-statuses": [428]},
}
# Not run: positive_data_acceptance. A request can fit the description and still be
# refused with a documented 400 for what a schema cannot say: a language the document
# does not have, an offset past the end of the cell, a NUL character in a text.
MAX_EXAMPLES = 25
COUNTS: Counter[str] = Counter()
BY_OPERATION: defaultdict[str, Counter[int]] = defaultdict(Counter)
# What a path parameter may be steered to: the ids that exist when the request is made
# (the write operations merge, split and insert rows as the run goes).
LIVE_IDS = {
    "unit_id": "SELECT id FROM units ORDER BY id",
    "segment_id": "SELECT id FROM segments ORDER BY id",
    "suggestion_id": "SELECT id FROM suggestions ORDER BY id",
    "comment_id": "SELECT id FROM comments ORDER BY id",
}
STEER: dict[str, Any] = {}


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261210,  # the same cases on every run: a failure is reproducible
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                "enabled": False,
                **{name: {"enabled": True, **extra} for name, extra in CHECKS.items()},
            },
            "auth": {"openapi": {"token": {"bearer": token}}},
            "warnings": False,
        }
    )


def _live(query: str, **params: Any) -> list[Any]:
    with STEER["engine"].connect() as connection:
        return list(connection.scalars(sa.text(query), params))


def _steer(context: Any, case: Any, kwargs: Any) -> None:
    """Most generated ids become ids that exist when the request is made (the rest
    stay, to reach the 404s): path ids, the revision to revert to, the segment of a
    presence; half the ``If-Match`` versions become the segment's current one."""
    path = case.path_parameters or {}
    for name, value in list(path.items()):
        if name == "slug" and isinstance(value, str) and len(value) % 8 != 7:
            path[name] = STEER["slug"]
        elif name in LIVE_IDS and _steerable(value):
            pool = _live(LIVE_IDS[name])
            if pool:
                path[name] = pool[int(value) % len(pool)]
    segment_id = path.get("segment_id")
    body = case.body if isinstance(case.body, dict) else {}
    if _steerable(body.get("revision")) and isinstance(segment_id, int):
        query = "SELECT id FROM revisions WHERE segment_id = :s ORDER BY id"
        pool = _live(query, s=segment_id)
        if pool:
            body["revision"] = pool[body["revision"] % len(pool)]
    if _steerable(body.get("segment")):
        body["segment"] = _live(LIVE_IDS["segment_id"])[0]
    version = (case.headers or {}).get("If-Match")
    if isinstance(version, str) and version.strip('"').isdigit() and int(version.strip('"')) % 2:
        if isinstance(path.get("suggestion_id"), int):
            found = _live(
                "SELECT s.version FROM segments s JOIN suggestions g ON g.segment_id = s.id "
                "WHERE g.id = :i",
                i=path["suggestion_id"],
            )
        elif isinstance(segment_id, int):
            found = _live("SELECT version FROM segments WHERE id = :i", i=segment_id)
        else:
            found = []
        if found:
            case.headers["If-Match"] = f'"{found[0]}"'


def _steerable(value: Any) -> bool:
    """An id (the coverage phase sends path ids as text) that is not left as it is."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and value % 8 != 7


def _api_schema(app: Flask) -> Any:
    world = build_world()
    admin = _db.session.get(User, world.users["admin"])
    _row, token = create_token(admin, "schemathesis", "write")
    _db.session.commit()
    STEER.update(slug=world.slug, engine=_db.engine)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=_config(token))
    return schema.exclude(operation_id="events").exclude(operation_id="notification_events")


def _describe(label: str, check: Any, interaction: Any) -> str:
    failure = check.failure_info.failure
    request = interaction.request if interaction else None
    response = interaction.response if interaction else None
    sent = f"{request.method} {request.uri} {request.body!r:.300}" if request else "?"
    got = f"{response.status_code} {response.content!r:.300}" if response else "?"
    return f"{label}: {check.name}: {failure.title}\n  sent {sent}\n  got {got}"


# Hypothesis warns when it prints a generated example over 100 kB (a 1 MB body is one
# of the cases worth sending); the warning is about the report, not the API.
@pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)
def test_the_api_does_what_its_description_says(app: Flask, db: Any) -> None:
    schema = _api_schema(app)
    operations: set[str] = set()
    failures: list[str] = []
    errors: list[str] = []
    # A global hook (this one exists in no narrower scope): every phase's cases, just
    # before the request is made. Removed again below.
    schemathesis.hook("before_call")(_steer)
    try:
        run = list(schemathesis.engine.from_schema(schema).execute())
    finally:
        schemathesis.hooks.unregister(_steer)
    for event in run:
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            operations.add(recorder.label)
            COUNTS["examples"] += len(recorder.interactions)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    COUNTS["checks"] += 1
                    if check.failure_info is not None:
                        interaction = recorder.interactions.get(case_id)
                        failures.append(_describe(recorder.label, check, interaction))
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    status = interaction.response.status_code
                    COUNTS[f"{status // 100}xx"] += 1
                    BY_OPERATION[recorder.label][status] += 1
        elif isinstance(event, events.NonFatalError | events.FatalError):
            what = getattr(event, "value", getattr(event, "exception", event))
            errors.append(f"{getattr(event, 'label', '')}: {what!r:.400}")
    COUNTS["operations"] = len(operations)
    described = sum(len(item) for item in schema.raw_schema["paths"].values())
    # Every operation but the two event streams and the document itself (schemathesis
    # leaves out the operation that serves the description it reads;
    # tests/web/api/test_openapi.py).
    assert len(operations) == described - 3, sorted(operations)
    print(dict(COUNTS))
    for label, statuses in sorted(BY_OPERATION.items()):
        print(f"  {label}: {dict(sorted(statuses.items()))}")
    assert not errors, "\n".join(sorted(set(errors)))
    unique = sorted(set(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique[:40])


def test_the_event_stream_is_what_the_description_says(app: Flask, db: Any) -> None:
    """The one operation left out above (its answer never ends): the description says
    text/event-stream, and so does the answer, with a token as with a session."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/documents/{slug}/events"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["text/event-stream"]
    world = build_world()
    admin = _db.session.get(User, world.users["admin"])
    _row, token = create_token(admin, "events", "read")
    _db.session.commit()
    response = app.test_client().get(
        f"/api/v1/documents/{world.slug}/events",
        headers={"Authorization": f"Bearer {token}"},
        buffered=False,
    )
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert next(iter(response.response)) == b": connected\n\n"
    response.close()
    missing = app.test_client().get(
        "/api/v1/documents/nothing-here/events", headers={"Authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 404 and "404" in operation["responses"]
    assert missing.mimetype in operation["responses"]["404"]["content"]
