"""Server-sent event responses: what every stream of the web layer (a document's events,
a person's notifications, the dashboard's progress) does the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Response, current_app

from translator.extensions import db

T = TypeVar("T")


def outside_request(read: Callable[[], T]) -> Callable[[], T]:
    """``read`` made callable while the stream runs, after its request has ended: in an
    app context of its own, its database session removed afterwards."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> T:
        with app.app_context():
            try:
                return read()
            finally:
                db.session.remove()

    return run


def event_stream_response(stream: Iterable[Any]) -> Response:
    """The response streaming ``stream`` (SSE text); the request's database connection
    is given back first, since a stream may last hours."""
    db.session.close()
    return Response(
        stream,
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
