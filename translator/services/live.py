"""The live hub of the editor: who is in which cell (presence) and server-sent events.

Two backends behind one interface, chosen from ``LIVE_URL``: ``redis://...`` (pub/sub on
``<namespace>:doc:<id>`` for a document's pages and ``<namespace>:user:<id>`` for one
person's notifications on every page they have open; presence in the hash
``<namespace>:presence:<id>``), shared by every web and worker process; ``memory://``,
one process's hub for the embedded server (threads only). The hub lives in
``app.extensions["live"]``, created on first use.

Events are best effort: the services record them in the unit of work and they are
published after the commit (``services.events``); a failed publish is logged, never
raised, since the change itself is already saved. Channels and keys are namespaced by
deployment (``LIVE_NAMESPACE``): several services may share one Redis.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis
from flask import current_app
from sqlalchemy.engine import make_url

from translator.errors import Unavailable
from translator.services.live_hubs import (
    DEFAULT_NAMESPACE,
    Event,
    Hub,
    MemoryHub,
    RedisHub,
    Subscription,
    Topic,
)

__all__ = [
    "COORDINATION",
    "DEFAULT_NAMESPACE",
    "EventStream",
    "Hub",
    "MemoryHub",
    "RedisHub",
    "Subscription",
    "Topic",
    "event_stream",
    "format_sse",
    "get_hub",
    "list_presence",
    "live_namespace",
    "make_hub",
    "publish",
    "publish_user",
    "set_presence",
    "subscribe",
    "user_event_stream",
]

KEEPALIVE = ": keep-alive\n\n"
# Sent at once: the server sends the headers with the first chunk, so without it the
# client's `open` (and the editor's retry on reconnect) waits for the first event.
OPENING = ": connected\n\n"
# The coordinators' channel: a ``progress`` event ``{"document": id}`` after each
# committed change of a document's cells (``services.events``), for the dashboard.
COORDINATION = "coordination"

_create_lock = threading.Lock()


def format_sse(event: str, data: dict[str, Any], *, event_id: str | None = None) -> str:
    """One server-sent event: ``event:`` name and a one-line JSON ``data:``."""
    if any(c in (event + (event_id or "")) for c in "\r\n"):
        raise ValueError("event names and ids are single lines")
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class EventStream:
    """A subscription as ``text/event-stream`` chunks, for a streaming ``Response``:
    werkzeug calls ``close()`` when the response ends or the client is gone.

    ``watch`` (optional) returns a token of the document's rows; it is read when the
    stream opens, after each relayed ``structure`` event and at each keep-alive, and a
    token that changed unannounced becomes a ``structure`` event. It catches changes of
    rows made where the hub does not reach (a worker process in the embedded mode, an
    import job adding an edition). ``announce`` (optional) watches something else: a
    token that changed becomes the event ``announce`` returns for it, and relaying an
    event of that name reads the token again."""

    def __init__(
        self,
        subscription: Subscription,
        watch: Callable[[], object] | None = None,
        announce: Callable[[object], Event] | None = None,
    ) -> None:
        self.subscription = subscription
        self.watch = watch
        self.announce = announce or (lambda _token: ("structure", {"unit": None, "index": 0}))
        self._announced = self.announce(None)[0]
        self._seen = watch() if watch is not None else None
        self._opened = False

    def __iter__(self) -> EventStream:
        return self

    def __next__(self) -> str:
        if not self._opened:
            self._opened = True
            return OPENING
        item = next(self.subscription)
        if self.watch is None:
            return KEEPALIVE if item is None else format_sse(*item)
        if item is not None:
            if item[0] == self._announced:
                self._seen = self.watch()
            return format_sse(*item)
        token = self.watch()
        if token == self._seen:
            return KEEPALIVE
        self._seen = token
        return format_sse(*self.announce(token))

    def close(self) -> None:
        self.subscription.close()


def live_namespace(config: Mapping[str, Any]) -> str:
    """The deployment's prefix for channels and keys: ``LIVE_NAMESPACE`` if set, else
    derived from the database URL, which every process of one deployment shares and two
    deployments never do."""
    if config.get("LIVE_NAMESPACE"):
        return str(config["LIVE_NAMESPACE"])
    database = make_url(str(config["SQLALCHEMY_DATABASE_URI"]))
    identity = database.render_as_string(hide_password=True).encode()
    return f"{DEFAULT_NAMESPACE}:{hashlib.sha256(identity).hexdigest()[:16]}"


def make_hub(url: str, ttl: float, namespace: str = DEFAULT_NAMESPACE) -> Hub:
    """The hub for a ``LIVE_URL``: ``memory://`` or a ``redis://`` / ``rediss://`` URL."""
    if url.startswith("memory://"):
        return MemoryHub(ttl)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHub(url, ttl, namespace)
    raise ValueError(f"unsupported LIVE_URL {url!r}")


def get_hub() -> Hub:
    """The current app's hub, created on first use from ``LIVE_URL`` and ``PRESENCE_TTL``."""
    extensions = current_app.extensions
    with _create_lock:
        if "live" not in extensions:
            config = current_app.config
            extensions["live"] = make_hub(
                config["LIVE_URL"], float(config["PRESENCE_TTL"]), live_namespace(config)
            )
    hub: Hub = extensions["live"]
    return hub


def publish(document_id: Topic, event: str, data: dict[str, Any]) -> None:
    """Send ``event`` with JSON ``data`` to every subscriber of the document. Call after
    commit; a hub failure is logged, not raised."""
    get_hub().publish(document_id, event, data)


def subscribe(document_id: Topic, *, timeout: float = 15.0) -> Subscription:
    """Subscribe to the document's events now (a publish after this returns is never
    missed); iterate for ``(event, data)``, or ``None`` after ``timeout`` quiet seconds;
    ``close()`` (or ``with``) unsubscribes. Needs the app context only for this call.
    Raises Unavailable when the hub cannot be reached."""
    try:
        return get_hub().subscribe(document_id, timeout)
    except redis.RedisError as exc:
        raise Unavailable(f"live updates are unavailable: {exc}") from exc


def event_stream(
    document_id: int, *, timeout: float = 15.0, watch: Callable[[], object] | None = None
) -> EventStream:
    """``subscribe`` as ready-made SSE text (events and keep-alive comments), to return
    as ``Response(event_stream(id), mimetype="text/event-stream")``; ``watch``: see
    ``EventStream``."""
    return EventStream(subscribe(document_id, timeout=timeout), watch)


def publish_user(user_id: int, event: str, data: dict[str, Any]) -> None:
    """Send ``event`` with JSON ``data`` to every open page of one person (their
    notifications). Call after commit; a hub failure is logged, not raised."""
    get_hub().publish_user(user_id, event, data)


def user_event_stream(
    user_id: int, *, timeout: float = 15.0, unread: Callable[[], int] | None = None
) -> EventStream:
    """One person's events (``notification``) as SSE text, like ``event_stream``.
    ``unread`` (optional) reads their unread count: read at each keep-alive, a count
    that changed unannounced (a worker of the embedded mode, which the in-process hub
    does not reach, made a notification) becomes a ``notification`` event. Raises
    Unavailable when the hub cannot be reached."""

    def announce(count: object) -> Event:
        return "notification", {"unread": count, "notification": None}

    try:
        return EventStream(get_hub().subscribe_user(user_id, timeout), unread, announce)
    except redis.RedisError as exc:
        raise Unavailable(f"live updates are unavailable: {exc}") from exc


def set_presence(
    document_id: int, user_id: int, name: str, segment_id: int | None
) -> list[dict[str, Any]]:
    """Set or renew the user's presence on the document for ``PRESENCE_TTL`` seconds, in
    the segment they edit (``None``: on the page, in no cell, so no soft lock). Publishes
    and returns the document's presence list."""
    hub = get_hub()
    user, expires = {"id": user_id, "name": name}, time.time() + hub.ttl
    entry = {"user": user, "segment": segment_id, "expires": expires}
    try:
        hub.store_presence(document_id, user_id, entry)
        presence = hub.load_presence(document_id)
    except redis.RedisError as exc:
        raise Unavailable(f"presence is unavailable: {exc}") from exc
    hub.publish(document_id, "presence", {"presence": presence})
    return presence


def list_presence(document_id: int) -> list[dict[str, Any]]:
    """Who is on the document now, by user id: ``{"user": {"id", "name"}, "segment":
    id | None, "expires": epoch seconds}``; expired entries are dropped. Raises
    Unavailable when the hub cannot be reached."""
    try:
        return get_hub().load_presence(document_id)
    except redis.RedisError as exc:
        raise Unavailable(f"presence is unavailable: {exc}") from exc
