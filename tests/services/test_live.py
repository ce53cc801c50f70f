"""The live hub on both backends: in-process (``memory://``) and a real Redis (db 13)."""

from __future__ import annotations

import itertools
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask, Response

from tests.conftest import make_app, reachable_redis
from translator.services import live
from translator.services.rights import Right
from translator.web.rights import requires

LIVE_REDIS_URL = os.environ.get("TRANSLATOR_TEST_LIVE_REDIS_URL", "redis://127.0.0.1:6379/13")
# Channels are server-wide (not per Redis db): random ids keep other test runs out.
_ids = itertools.count(random.randrange(10**9, 2 * 10**9))


@pytest.fixture
def doc_id() -> Callable[[], int]:
    return lambda: next(_ids)


@pytest.fixture(scope="session")
def live_redis_url() -> str:
    return reachable_redis(LIVE_REDIS_URL)


@pytest.fixture(params=["memory", "redis"])
def make_hub(request: pytest.FixtureRequest) -> Iterator[Callable[..., live.Hub]]:
    url = "memory://" if request.param == "memory" else request.getfixturevalue("live_redis_url")
    hubs: list[live.Hub] = []

    def factory(ttl: float = 30.0) -> live.Hub:
        hubs.append(live.make_hub(url, ttl))
        return hubs[-1]

    yield factory
    for hub in hubs:
        hub.close()


def numsub(document_id: int) -> int:
    client = redis.Redis.from_url(LIVE_REDIS_URL)
    try:
        return int(client.pubsub_numsub(f"translator:doc:{document_id}")[0][1])
    finally:
        client.close()


def wait_for(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_format_sse() -> None:
    assert live.format_sse("comments", {"unit": 7, "count": 2}) == (
        'event: comments\ndata: {"unit": 7, "count": 2}\n\n'
    )
    assert live.format_sse("segment", {"text": "a\nb é"}, event_id="42") == (
        'id: 42\nevent: segment\ndata: {"text": "a\\nb é"}\n\n'
    )
    assert live.KEEPALIVE == ": keep-alive\n\n"
    with pytest.raises(ValueError):
        live.format_sse("bad\nevent", {})


def test_make_hub_rejects_unknown_url() -> None:
    with pytest.raises(ValueError):
        live.make_hub("amqp://localhost", 30)


def test_publish_reaches_subscribers_of_that_document_only(
    make_hub: Callable[..., live.Hub], doc_id: Callable[[], int]
) -> None:
    hub, doc, other = make_hub(), doc_id(), doc_id()
    first, second, elsewhere = (
        hub.subscribe(doc, 2.0),
        hub.subscribe(doc, 2.0),
        hub.subscribe(other, 0.3),
    )
    hub.publish(doc, "comments", {"unit": 7, "count": 2})
    hub.publish(doc, "structure", {"units": [1, 2]})
    for subscription in (first, second):
        assert next(subscription) == ("comments", {"unit": 7, "count": 2})
        assert next(subscription) == ("structure", {"units": [1, 2]})
    assert next(elsewhere) is None
    for subscription in (first, second, elsewhere):
        subscription.close()


def test_quiet_subscription_yields_none_after_timeout(
    make_hub: Callable[..., live.Hub], doc_id: Callable[[], int]
) -> None:
    with make_hub().subscribe(doc_id(), 0.3) as subscription:
        started = time.monotonic()
        assert next(subscription) is None
        assert 0.25 <= time.monotonic() - started < 3


def test_closed_subscription_stops(
    make_hub: Callable[..., live.Hub], doc_id: Callable[[], int]
) -> None:
    hub, doc = make_hub(), doc_id()
    subscription = hub.subscribe(doc, 0.2)
    subscription.close()
    hub.publish(doc, "comments", {"unit": 1, "count": 1})
    assert list(subscription) == []
    subscription.close()  # twice is harmless


def test_expired_presence_is_dropped_on_read(
    make_hub: Callable[..., live.Hub], doc_id: Callable[[], int]
) -> None:
    hub, doc = make_hub(ttl=30.0), doc_id()
    gone = {"user": {"id": 2, "name": "Bo"}, "segment": 4, "expires": time.time() - 1}
    here = {"user": {"id": 3, "name": "Cy"}, "segment": None, "expires": time.time() + 30}
    hub.store_presence(doc, 2, gone)
    hub.store_presence(doc, 3, here)
    assert hub.load_presence(doc) == [here]
    if isinstance(hub, live.RedisHub):
        assert hub.client.hkeys(f"translator:presence:{doc}") == ["3"]


def test_set_presence_and_list(
    live_app: Callable[..., Flask], make_url: str, doc_id: Callable[[], int]
) -> None:
    app, doc = live_app(make_url, PRESENCE_TTL=1.0), doc_id()
    with app.app_context(), live.subscribe(doc, timeout=2.0) as events:
        before = time.time()
        live.set_presence(doc, 5, "Ana", 19)
        time.sleep(0.6)
        presence = live.set_presence(doc, 3, "Bo", None)
        assert [(p["user"], p["segment"]) for p in presence] == [
            ({"id": 3, "name": "Bo"}, None),
            ({"id": 5, "name": "Ana"}, 19),
        ]
        assert before + 1.0 <= presence[1]["expires"] <= time.time() + 1.0
        assert next(events) == ("presence", {"presence": presence[1:]})
        assert next(events) == ("presence", {"presence": presence})
        assert live.list_presence(doc) == presence

        time.sleep(0.6)  # Ana's entry (1.0 s) expired, Bo's has 0.4 s left
        assert [p["user"]["id"] for p in live.list_presence(doc)] == [3]
        moved = live.set_presence(doc, 3, "Bo", 20)
        assert [(p["user"]["id"], p["segment"]) for p in moved] == [(3, 20)]
        time.sleep(1.1)
        assert live.list_presence(doc) == []
        assert live.list_presence(doc_id()) == []


@pytest.fixture(params=["memory", "redis"])
def make_url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return "memory://"
    return str(request.getfixturevalue("live_redis_url"))


@pytest.fixture
def live_app(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def factory(url: str, **config: object) -> Flask:
        config.setdefault("LIVE_NAMESPACE", live.DEFAULT_NAMESPACE)
        apps.append(make_app(tmp_path / str(len(apps)), database_url, LIVE_URL=url, **config))
        return apps[-1]

    yield factory
    for app in apps:
        if "live" in app.extensions:
            app.extensions["live"].close()


def test_redis_presence_hash_expires_by_itself(
    live_app: Callable[..., Flask], live_redis_url: str, doc_id: Callable[[], int]
) -> None:
    app, doc = live_app(live_redis_url, PRESENCE_TTL=0.5), doc_id()
    client = redis.Redis.from_url(live_redis_url)
    with app.app_context():
        live.set_presence(doc, 1, "Ana", 4)
    key = f"translator:presence:{doc}"
    assert 0 < client.pttl(key) <= 500
    assert wait_for(lambda: not client.exists(key))
    client.close()


def test_hub_is_one_per_app(live_app: Callable[..., Flask], make_url: str) -> None:
    app = live_app(make_url)
    with app.app_context():
        assert live.get_hub() is live.get_hub()
        assert isinstance(
            live.get_hub(), live.RedisHub if make_url != "memory://" else live.MemoryHub
        )


def test_redis_close_unsubscribes(live_redis_url: str, doc_id: Callable[[], int]) -> None:
    hub, doc = live.RedisHub(live_redis_url, 30), doc_id()
    started, never_started = hub.subscribe(doc, 0.1), hub.subscribe(doc, 0.1)
    assert numsub(doc) == 2
    assert next(started) is None
    started.close()
    never_started.close()
    assert wait_for(lambda: numsub(doc) == 0)
    hub.close()


def test_event_stream_through_a_flask_response(
    live_app: Callable[..., Flask], live_redis_url: str, doc_id: Callable[[], int]
) -> None:
    """The SSE view's shape: subscribed when the view returns, closed by werkzeug."""
    app, doc = live_app(live_redis_url), doc_id()
    app.add_url_rule(
        "/events/<int:document_id>",
        "events",
        requires(Right.ANYONE)(
            lambda document_id: Response(
                live.event_stream(document_id, timeout=0.2), mimetype="text/event-stream"
            )
        ),
    )
    started = time.monotonic()
    response = app.test_client().get(f"/events/{doc}", buffered=False)
    # The headers come at once (with the opening comment), not with the first event.
    assert time.monotonic() - started < 0.15
    assert response.mimetype == "text/event-stream"
    assert numsub(doc) == 1
    with app.app_context():
        live.publish(doc, "comments", {"unit": 7, "count": 2})
    chunks = iter(response.response)
    assert next(chunks) == b": connected\n\n"
    assert next(chunks) == b'event: comments\ndata: {"unit": 7, "count": 2}\n\n'
    assert next(chunks) == b": keep-alive\n\n"
    response.close()
    assert wait_for(lambda: numsub(doc) == 0)


def test_publish_without_redis_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    hub = live.RedisHub("redis://127.0.0.1:1/0", 30)
    with caplog.at_level(logging.WARNING, logger="translator.services.live_hubs"):
        hub.publish(1, "comments", {"unit": 1, "count": 0})
    assert "was not sent" in caplog.text
    hub.close()


def test_threads_publish_while_others_subscribe_and_leave(
    make_hub: Callable[..., live.Hub], doc_id: Callable[[], int]
) -> None:
    hub, doc = make_hub(), doc_id()
    count = 1000 if isinstance(hub, live.MemoryHub) else 200
    errors: list[BaseException] = []
    done = threading.Event()

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # surfaced by the assertion below
                errors.append(exc)

        return run

    def publisher() -> None:
        for n in range(count):
            hub.publish(doc, "segment", {"n": n})

    def churn() -> None:
        while not done.is_set():
            hub.subscribe(doc, 0.01).close()

    with hub.subscribe(doc, 5.0) as subscription:
        threads = [threading.Thread(target=guarded(w)) for w in (publisher, churn, churn)]
        for thread in threads:
            thread.start()
        received = []
        while len(received) < count and (item := next(subscription)) is not None:
            received.append(item)
        done.set()
        for thread in threads:
            thread.join(timeout=10)
    assert errors == []
    assert received == [("segment", {"n": n}) for n in range(count)]


def test_a_stream_announces_row_changes_the_hub_never_carried() -> None:
    """The watch: a change of the rows token seen at a keep-alive becomes a
    ``structure`` event; one announced through the hub is not announced twice."""
    hub = live.MemoryHub(30)
    tokens = iter([1, 1, 2, 3, 3])  # open, keep-alive, keep-alive, relayed event, keep-alive
    stream = live.EventStream(hub.subscribe(5, timeout=0.05), watch=lambda: next(tokens))
    structure = live.format_sse("structure", {"unit": None, "index": 0})
    assert next(stream) == live.OPENING
    assert next(stream) == live.KEEPALIVE  # 1 → 1: nothing changed
    assert next(stream) == structure  # 1 → 2 while nobody said so
    hub.publish(5, "structure", {"unit": 9, "index": 4})
    assert next(stream) == live.format_sse("structure", {"unit": 9, "index": 4})
    assert next(stream) == live.KEEPALIVE  # 3 was announced: no second reload
    stream.close()


def test_deployments_sharing_one_redis_do_not_hear_each_other(
    tmp_path: Path, live_redis_url: str, doc_id: Callable[[], int]
) -> None:
    """Two services on one Redis server (even on different database numbers: pub/sub
    channels ignore them) never receive each other's segment texts or presence."""
    other_db = live_redis_url.rsplit("/", 1)[0] + "/9"
    one = make_app(
        tmp_path / "one", "sqlite:///" + str(tmp_path / "one.db"), LIVE_URL=live_redis_url
    )
    two = make_app(tmp_path / "two", "sqlite:///" + str(tmp_path / "two.db"), LIVE_URL=other_db)
    doc = doc_id()
    with two.app_context():
        listening = live.subscribe(doc, timeout=0.3)
        assert live.live_namespace(two.config) != live.live_namespace(one.config)
    with one.app_context():
        live.publish(doc, "segment", {"text": "a secret"})
        live.set_presence(doc, 1, "Ana", 7)
    with two.app_context():
        assert live.list_presence(doc) == []
    assert next(listening) is None  # nothing arrived from the other deployment
    listening.close()
    for app in (one, two):
        app.extensions["live"].close()
