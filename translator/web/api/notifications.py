"""The signed-in person's notifications through the API (docs/api.md): the list with
the unread count, marking read, and a live stream of new ones (the bell's)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import current_app, jsonify
from flask_login import current_user
from pydantic import Field
from typing_extensions import TypedDict

from translator.extensions import db
from translator.i18n import get_locale
from translator.services import live
from translator.services.notification_text import notification_json
from translator.services.notifications import list_notifications, mark_read, unread_count
from translator.services.rights import Right
from translator.web.api.inputs import Body, Flag, Id, Query
from translator.web.api.shapes import Timestamp
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires
from translator.web.streams import event_stream_response, outside_request

MAX_LIST = 200


class NotificationInfo(TypedDict):
    """One notification, worded in the person's interface language; ``path``: the page
    it is about, on this site."""

    id: int
    kind: Literal["assigned", "due_soon", "overdue", "mention", "replaced", "release"]
    text: str
    path: str | None
    document: str | None
    created_at: Timestamp
    read: bool


class NotificationList(TypedDict):
    unread: int
    notifications: list[NotificationInfo]


class UnreadCount(TypedDict):
    unread: int


class NotificationsQuery(Query):
    unread: Flag = Field(False, description="only the unread ones")
    before: Id | None = Field(None, description="only those older than this id (paging)")
    limit: Annotated[int, Field(ge=1, le=MAX_LIST)] = 50


class ReadBody(Body):
    ids: list[Id] | None = Field(
        None, max_length=MAX_LIST, description="the notifications to mark read (null: all)"
    )


@bp.get("/notifications")
@requires(Right.SIGNED_IN)
@operation(
    "My notifications, newest first, and how many are unread",
    tag="notifications",
    query=NotificationsQuery,
    answer=NotificationList,
)
def notifications(query: NotificationsQuery) -> Any:
    """Each person sees their own only."""
    found = list_notifications(
        current_user.id, unread_only=query.unread, limit=query.limit, before=query.before
    )
    answer: NotificationList = {
        "unread": unread_count(current_user.id),
        "notifications": [
            notification_json(n, current_user, str(get_locale()))  # type: ignore[misc]
            for n in found
        ],
    }
    return jsonify(answer)


@bp.post("/notifications/read")
@requires(Right.SIGNED_IN)
@operation(
    "Mark my notifications read (some, or all)",
    tag="notifications",
    body=ReadBody,
    answer=UnreadCount,
    errors={404: "An id is not one of the person's notifications."},
)
def read_notifications(body: ReadBody) -> Any:
    """The answer is the unread count left; the person's other pages are told."""
    mark_read(current_user, body.ids)
    answer: UnreadCount = {"unread": unread_count(current_user.id)}
    db.session.commit()
    return jsonify(answer)


@bp.get("/notifications/events")
@requires(Right.SIGNED_IN)
@operation(
    "My new notifications, as server-sent events",
    tag="notifications",
    media_type="text/event-stream",
    errors={503: "The live hub (Redis) cannot be reached."},
)
def notification_events() -> Any:
    """Server-sent events until the client goes away: a ``notification`` event
    ``{"unread", "notification"}`` for each new one (``notification`` null when only
    the unread count changed: read elsewhere, or made where the live hub does not
    reach), a ``: keep-alive`` comment every ``TRANSLATOR_LIVE_KEEPALIVE`` seconds."""
    user_id = current_user.id
    stream = live.user_event_stream(
        user_id,
        timeout=float(current_app.config["LIVE_KEEPALIVE"]),
        unread=outside_request(lambda: unread_count(user_id)),
    )
    return event_stream_response(stream)
