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
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

import redis
from flask import current_app
from sqlalchemy.engine import make_url

from translator.errors import Unavailable

DEFAULT_NAMESPACE = "translator"
KEEPALIVE = ": keep-alive\n\n"
# Sent at once: the server sends the headers with the first chunk, so without it the
# client's `open` (and the editor's retry on reconnect) waits for the first event.
OPENING = ": connected\n\n"
Event = tuple[str, dict[str, Any]]
# What a channel is about: a document (its id), or another audience by name.
Topic = int | str
# The coordinators' channel: a ``progress`` event ``{"document": id}`` after each
# committed change of a document's cells (``services.events``), for the dashboard.
COORDINATION = "coordination"


def _topic_key(topic: Topic) -> str:
    """A document's topic is ``doc:<id>``; a named one (``COORDINATION``) is its name."""
    return topic if isinstance(topic, str) else f"doc:{topic}"


log = logging.getLogger(__name__)
_create_lock = threading.Lock()


def format_sse(event: str, data: dict[str, Any], *, event_id: str | None = None) -> str:
    """One server-sent event: ``event:`` name and a one-line JSON ``data:``."""
    if any(c in (event + (event_id or "")) for c in "\r\n"):
        raise ValueError("event names and ids are single lines")
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class Subscription:
    """Subscribed to one document from construction until ``close()``. Iterating yields
    ``(event, data)`` as events arrive, and ``None`` after ``timeout`` seconds without
    one (a keep-alive). ``close()`` works even if iteration never started (unlike a
    generator's), so a response that is never streamed does not leak the subscription."""

    def __init__(self, timeout: float) -> None:
        self.timeout, self.closed = timeout, False

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Event | None:
        if self.closed:
            raise StopIteration
        return self._wait(self.timeout)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._unsubscribe()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, timeout: float) -> Event | None:
        raise NotImplementedError

    def _unsubscribe(self) -> None:
        raise NotImplementedError


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


class Hub:
    """What both backends offer; see the module functions for the meaning."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl

    def publish(self, document_id: Topic, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def subscribe(self, document_id: Topic, timeout: float) -> Subscription:
        raise NotImplementedError

    def publish_user(self, user_id: int, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def subscribe_user(self, user_id: int, timeout: float) -> Subscription:
        raise NotImplementedError

    def store_presence(self, document_id: int, user_id: int, entry: dict[str, Any]) -> None:
        raise NotImplementedError

    def load_presence(self, document_id: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (a process's hub lives as long as the process)."""


def _message(event: str, data: dict[str, Any]) -> str:
    return json.dumps({"event": event, "data": data})


def _event(message: str) -> Event:
    decoded = json.loads(message)
    return decoded["event"], decoded["data"]


class MemoryHub(Hub):
    """One process: a queue per subscriber, a presence dict; one lock guards both."""

    def __init__(self, ttl: float) -> None:
        super().__init__(ttl)
        self._lock = threading.Lock()
        self._queues: dict[str, set[queue.Queue[str]]] = {}  # by topic: doc:<id>, user:<id>
        self._presence: dict[int, dict[int, dict[str, Any]]] = {}

    def _publish(self, topic: str, event: str, data: dict[str, Any]) -> None:
        message = _message(event, data)  # a JSON copy, as through Redis
        with self._lock:
            queues = list(self._queues.get(topic, ()))
        for q in queues:
            q.put(message)

    def publish(self, document_id: Topic, event: str, data: dict[str, Any]) -> None:
        self._publish(_topic_key(document_id), event, data)

    def subscribe(self, document_id: Topic, timeout: float) -> Subscription:
        return _MemorySubscription(self, _topic_key(document_id), timeout)

    def publish_user(self, user_id: int, event: str, data: dict[str, Any]) -> None:
        self._publish(f"user:{user_id}", event, data)

    def subscribe_user(self, user_id: int, timeout: float) -> Subscription:
        return _MemorySubscription(self, f"user:{user_id}", timeout)

    def store_presence(self, document_id: int, user_id: int, entry: dict[str, Any]) -> None:
        with self._lock:
            self._presence.setdefault(document_id, {})[user_id] = entry

    def load_presence(self, document_id: int) -> list[dict[str, Any]]:
        now = time.time()
        with self._lock:
            entries = self._presence.get(document_id, {})
            for user_id in [u for u, e in entries.items() if e["expires"] <= now]:
                del entries[user_id]
            if not entries:
                self._presence.pop(document_id, None)
            return [json.loads(json.dumps(e)) for _, e in sorted(entries.items())]


class _MemorySubscription(Subscription):
    def __init__(self, hub: MemoryHub, topic: str, timeout: float) -> None:
        super().__init__(timeout)
        self._hub, self._topic = hub, topic
        self._queue: queue.Queue[str] = queue.Queue()
        with hub._lock:
            hub._queues.setdefault(topic, set()).add(self._queue)

    def _wait(self, timeout: float) -> Event | None:
        try:
            return _event(self._queue.get(timeout=timeout))
        except queue.Empty:
            return None

    def _unsubscribe(self) -> None:
        with self._hub._lock:
            queues = self._hub._queues.get(self._topic, set())
            queues.discard(self._queue)
            if not queues:
                self._hub._queues.pop(self._topic, None)


_DROP_UNCHANGED = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
"""


class RedisHub(Hub):
    """Redis: one client (a thread-safe connection pool) per hub, a PubSub per subscriber."""

    def __init__(self, url: str, ttl: float, namespace: str = DEFAULT_NAMESPACE) -> None:
        super().__init__(ttl)
        self.namespace = namespace
        self.client = redis.Redis.from_url(url, decode_responses=True)
        self._drop_unchanged = self.client.register_script(_DROP_UNCHANGED)

    def publish(self, document_id: Topic, event: str, data: dict[str, Any]) -> None:
        try:
            self.client.publish(self.channel(document_id), _message(event, data))
        except redis.RedisError:
            log.warning(
                "live event %r of document %s was not sent", event, document_id, exc_info=True
            )

    def subscribe(self, document_id: Topic, timeout: float) -> Subscription:
        return _RedisSubscription(self.client, self.channel(document_id), timeout)

    def publish_user(self, user_id: int, event: str, data: dict[str, Any]) -> None:
        try:
            self.client.publish(self.user_channel(user_id), _message(event, data))
        except redis.RedisError:
            log.warning("live event %r of user %s was not sent", event, user_id, exc_info=True)

    def subscribe_user(self, user_id: int, timeout: float) -> Subscription:
        return _RedisSubscription(self.client, self.user_channel(user_id), timeout)

    def user_channel(self, user_id: int) -> str:
        """The pub/sub channel of one person's notifications."""
        return f"{self.namespace}:user:{user_id}"

    def channel(self, document_id: Topic) -> str:
        """The pub/sub channel of a document's events, or of a named topic (Redis
        channels ignore the database number: the namespace keeps deployments apart)."""
        return f"{self.namespace}:{_topic_key(document_id)}"

    def presence_key(self, document_id: int) -> str:
        """The hash of who is on a document."""
        return f"{self.namespace}:presence:{document_id}"

    def store_presence(self, document_id: int, user_id: int, entry: dict[str, Any]) -> None:
        key = self.presence_key(document_id)
        with self.client.pipeline() as pipe:  # MULTI: the hash never lives without an expiry
            pipe.hset(key, str(user_id), json.dumps(entry))
            pipe.pexpire(key, max(1, int(self.ttl * 1000)))
            pipe.execute()

    def load_presence(self, document_id: int) -> list[dict[str, Any]]:
        key = self.presence_key(document_id)
        now, live = time.time(), []
        for user_id, value in self.client.hgetall(key).items():
            entry = json.loads(value)
            if entry["expires"] > now:
                live.append((int(user_id), entry))
            else:  # unless renewed meanwhile
                self._drop_unchanged(keys=[key], args=[user_id, value])
        return [entry for _, entry in sorted(live, key=lambda pair: pair[0])]

    def close(self) -> None:
        self.client.close()


class _RedisSubscription(Subscription):
    def __init__(self, client: redis.Redis, channel: str, timeout: float) -> None:
        super().__init__(timeout)
        # Through Any: redis-py annotates pubsub() only from 8.2 on; either way this passes.
        self._pubsub: redis.client.PubSub = cast(Any, client).pubsub()
        self._pubsub.subscribe(channel)
        # Wait for Redis to confirm, so that a publish made after this returns is seen.
        deadline = time.monotonic() + 5
        while (reply := self._pubsub.get_message(timeout=1.0)) is None or reply[
            "type"
        ] != "subscribe":
            if time.monotonic() > deadline:
                self._pubsub.close()
                raise redis.TimeoutError(f"no confirmation of the subscription to {channel}")

    def _wait(self, timeout: float) -> Event | None:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            message = self._pubsub.get_message(timeout=remaining)
            if message is not None and message["type"] == "message":
                return _event(message["data"])
        return None

    def _unsubscribe(self) -> None:
        self._pubsub.close()  # closing the connection drops its subscriptions


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
