"""Malformed input never gives a 500: every route of the rights matrix, called as an
administrator with each of its fields (form, JSON, query and URL) replaced by hostile
values — NUL characters, lone surrogates, integers beyond 64 bits, Unicode digits,
invalid UTF-8, oversized and deeply nested bodies. Each answer must be below 500 and
come back quickly; the counts are printed (docs/reliability.md quotes them)."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

import pytest
from flask import Flask

from tests.web.test_rights_matrix import EXPECTATIONS, Browser, World, build_world

HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "٣",
    "１２",
    "3000000000",  # past PostgreSQL's INTEGER
    "9" * 30,
    "-" + "9" * 30,
    "",
    " " * 3,
    "x" * 30_000,
]
HOSTILE_JSON = [
    *HOSTILE_TEXT,
    "\ud800",
    3_000_000_000,
    10**20,
    -(10**20),
    2**63,
    1.5,
    True,
    None,
    [],
    {},
]
HOSTILE_IDS = ["99999999999999999999", "3000000000", "0", "-1"]
TOTALS: Counter[str] = Counter()


def _outcome(status: int) -> str:
    if status >= 500:
        return "500s"
    return "refused cleanly" if status >= 400 else "accepted"


def _send(browser: Browser, method: str, url: str, **kwargs: Any) -> int:
    started = time.monotonic()
    response = browser.client.open(url, method=method, buffered=False, **kwargs)
    status = response.status_code
    response.close()
    elapsed = time.monotonic() - started
    TOTALS["tried"] += 1
    TOTALS[_outcome(status)] += 1
    if elapsed > 10:
        TOTALS["hangs"] += 1
    assert elapsed < 10, f"{method} {url} took {elapsed:.1f} s"
    return status


def _variants(world: World, method: str, call: Any) -> list[dict[str, Any]]:
    """Keyword arguments for client.open: each field of the call replaced in turn."""
    headers = {"X-CSRFToken": "token", "If-Match": '"1"'}
    out: list[dict[str, Any]] = []
    if call.form is not None:
        form = call.form(world)
        for name in [*form, "extra"]:
            for value in HOSTILE_TEXT:
                out.append({"data": {**form, name: value}})
        out.append(
            {
                "data": b"email=%FF%FE&password=x",
                "content_type": "application/x-www-form-urlencoded",
            }
        )
    elif method not in ("GET", "HEAD"):
        body = call.body(world) if call.body is not None else {}
        for name in [*body, "text", "offset"]:
            for value in HOSTILE_JSON:
                out.append({"json": {**body, name: value}, "headers": headers})
        for raw in (b'{"text": "\xff"}', b"[" * 50_000, b'{"a":' * 5_000, b"not json"):
            out.append({"data": raw, "content_type": "application/json", "headers": headers})
        for match in ('"99999999999999999999"', '"²"', '"-1"', "W/", "\x00"):
            out.append({"json": body, "headers": {**headers, "If-Match": match}})
    else:
        for name in ("offset", "limit", "after", "direction", "page", "q", "language"):
            for value in HOSTILE_TEXT:
                out.append({"query_string": {name: value, "regex": "1"}})
        out.append({"query_string": "q=%FF%FE"})
    return out


def _urls(world: World, call: Any) -> list[str]:
    """The call's URL, and the same with each number or slug in it made hostile."""
    url = call.url(world)
    urls = [url]
    parts = url.split("/")
    for index, part in enumerate(parts):
        if part.isdigit() or part == world.slug:
            for hostile in [*HOSTILE_IDS, "a%00b"] if part.isdigit() else ["a%00b", "%FF"]:
                urls.append("/".join([*parts[:index], hostile, *parts[index + 1 :]]))
    return urls


@pytest.mark.parametrize(
    ("endpoint", "method"),
    sorted(
        k for k in EXPECTATIONS if k[0] not in ("static", "api.events", "api.notification_events")
    ),
    ids=lambda v: str(v).replace(".", "-"),
)
def test_hostile_input_never_gives_a_500(app: Flask, db: Any, endpoint: str, method: str) -> None:
    world = build_world()
    admin = Browser(app, "admin")
    call = EXPECTATIONS[(endpoint, method)].call
    for url in _urls(world, call):
        status = _send(admin, method, url, headers={"X-CSRFToken": admin.token})
        assert status < 500, f"{method} {url}: {status}"
    for kwargs in _variants(world, method, call):
        if "data" in kwargs and isinstance(kwargs["data"], dict):
            kwargs["data"] = {"csrf_token": admin.token, **kwargs["data"]}
        if "headers" in kwargs:
            kwargs["headers"] = {**kwargs["headers"], "X-CSRFToken": admin.token}
        url = call.url(world)
        if "?" in url and "query_string" in kwargs:  # merge with the call's own query
            url, _, own = url.partition("?")
            extra = kwargs["query_string"]
            kwargs["query_string"] = (
                f"{own}&{extra}" if isinstance(extra, str) else {**dict(parse_qsl(own)), **extra}
            )
        status = _send(admin, method, url, **kwargs)
        assert status < 500, f"{method} {endpoint} {json.dumps(str(kwargs))[:300]}: {status}"


def test_report_the_counts() -> None:
    """Runs last in this module: the figures for docs/reliability.md."""
    print(dict(TOTALS))
    if TOTALS["tried"]:
        assert TOTALS["500s"] == 0 and TOTALS["hangs"] == 0
