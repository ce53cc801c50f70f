"""The two backends of the live hub (``services.live``): ``MemoryHub``, one process's
queues and presence dict for the embedded server, and ``RedisHub``, pub/sub and presence
hashes in Redis shared by every web and worker process of a deployment. Both offer
``Hub``'s methods; ``live.make_hub`` picks one from ``LIVE_URL``.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from typing import Any, cast

import redis

DEFAULT_NAMESPACE = "translator"
Event = tuple[str, dict[str, Any]]
# What a channel is about: a document (its id), or another audience by name.
Topic = int | str

log = logging.getLogger(__name__)


def _topic_key(topic: Topic) -> str:
    """A document's topic is ``doc:<id>``; a named one (``COORDINATION``) is its name."""
    return topic if isinstance(topic, str) else f"doc:{topic}"


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
