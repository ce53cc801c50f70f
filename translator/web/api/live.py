"""Presence (soft locks) and the live event stream (docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from flask_login import current_user

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Segment
from translator.services import live
from translator.services.documents import get_document
from translator.services.rights import Right
from translator.services.units import layout_token
from translator.web.api.schemas import field, json_body
from translator.web.api.views import bp
from translator.web.rights import requires


@bp.put("/documents/<slug>/presence")
@requires(Right.VIEW_DOCUMENT)
def presence(slug: str) -> Any:
    document = get_document(slug)
    segment_id = field(json_body(), "segment", int, required=False)
    if segment_id is not None:
        segment = db.session.get(Segment, segment_id)
        if segment is None or segment.unit.document_id != document.id:
            raise NotFound(f"no segment {segment_id} in this document", field="segment")
    people = live.set_presence(document.id, current_user.id, current_user.name, segment_id)
    return jsonify({"presence": people, "ttl": live.get_hub().ttl})


@bp.get("/documents/<slug>/presence")
@requires(Right.VIEW_DOCUMENT)
def who(slug: str) -> Any:
    return jsonify({"presence": live.list_presence(get_document(slug).id)})


@bp.get("/documents/<slug>/events")
@requires(Right.VIEW_DOCUMENT)
def events(slug: str) -> Any:
    """Server-sent events of the document, until the client goes away."""
    document_id = get_document(slug).id
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def rows_token() -> object:  # read outside the request, while streaming
        with app.app_context():
            try:
                return layout_token(document_id)
            finally:
                db.session.remove()

    stream = live.event_stream(
        document_id, timeout=float(app.config["LIVE_KEEPALIVE"]), watch=rows_token
    )
    db.session.close()  # a stream may last hours: give the connection back now
    return Response(
        stream,
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
