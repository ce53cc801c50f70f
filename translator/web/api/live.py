"""Presence (soft locks) and the live event stream (docs/api.md)."""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, jsonify
from flask_login import current_user

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Segment
from translator.services import live
from translator.services.documents import get_document
from translator.services.rights import Right
from translator.services.units import layout_token
from translator.web.api import shapes
from translator.web.api.inputs import PresenceBody
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires
from translator.web.streams import event_stream_response, outside_request

UNAVAILABLE = {503: "The live hub (Redis) cannot be reached; saving still works."}


@bp.put("/documents/<slug>/presence")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Say which cell the user is in (null: none)",
    tag="live",
    body=PresenceBody,
    answer=shapes.PresenceSet,
    errors=UNAVAILABLE,
)
def presence(slug: str, body: PresenceBody) -> Any:
    """A presence expires after ``ttl`` seconds unless renewed; the answer is who is
    where now."""
    document = get_document(slug)
    segment_id = body.segment
    if segment_id is not None:
        segment = db.session.get(Segment, segment_id)
        if segment is None or segment.unit.document_id != document.id:
            raise NotFound(f"no segment {segment_id} in this document", field="segment")
    people = live.set_presence(document.id, current_user.id, current_user.name, segment_id)
    presence = cast("list[shapes.PresenceEntry]", people)
    answer: shapes.PresenceSet = {"presence": presence, "ttl": live.get_hub().ttl}
    return jsonify(answer)


@bp.get("/documents/<slug>/presence")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Who is in which cell of the document now",
    tag="live",
    answer=shapes.PresenceList,
    errors=UNAVAILABLE,
)
def who(slug: str) -> Any:
    """Expired presences are left out."""
    people = live.list_presence(get_document(slug).id)
    answer: shapes.PresenceList = {"presence": cast("list[shapes.PresenceEntry]", people)}
    return jsonify(answer)


@bp.get("/documents/<slug>/events")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "The document's live changes, as server-sent events",
    tag="live",
    media_type="text/event-stream",
    errors=UNAVAILABLE,
)
def events(slug: str) -> Any:
    """Server-sent events of the document, until the client goes away: ``segment``,
    ``presence``, ``comments`` and ``structure`` events (docs/api.md), a ``:
    keep-alive`` comment every ``TRANSLATOR_LIVE_KEEPALIVE`` seconds."""
    document_id = get_document(slug).id
    stream = live.event_stream(
        document_id,
        timeout=float(current_app.config["LIVE_KEEPALIVE"]),
        watch=outside_request(lambda: layout_token(document_id)),
    )
    return event_stream_response(stream)
