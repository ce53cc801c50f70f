"""The simulated editors of bench/save_bench.py: keep-alive HTTP clients with their own
cookies that sign in through the login form and autosave through the editor's API (or
the bare endpoint), recording each save's latency."""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "benchmark-pass"
WORDS = ("the", "translator", "types", "a", "sentence", "while", "autosave", "keeps", "drafts")


class Browser:
    """One keep-alive HTTP connection with a cookie jar."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = cookies if cookies is not None else {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


@dataclass
class Editor:
    index: int
    api: Browser
    csrf: str = ""
    drafts: int = 0
    own: list[int] = field(default_factory=list)
    shared: list[int] = field(default_factory=list)
    bare: Browser | None = None


def sign_in(editor: Editor, email: str = "editor@example.org", password: str = PASSWORD) -> None:
    status, html = editor.api.request("GET", "/login")
    match = CSRF_RE.search(html.decode())
    assert status == 200 and match, status
    editor.csrf = match.group(1)
    form = f"email={email}&password={password}&csrf_token={editor.csrf}".replace("@", "%40")
    content = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _ = editor.api.request("POST", "/login", form, content)
    assert status == 302, f"login answered {status}"


def load_window(editor: Editor, slug: str, query: str) -> list[dict[str, Any]]:
    status, data = editor.api.request("GET", f"/api/v1/documents/{slug}/units?{query}")
    assert status == 200, (status, data[:200])
    units: list[dict[str, Any]] = json.loads(data)["units"]
    return units


@dataclass
class Phase:
    """What the editors saw on one endpoint in one variant, over all its rounds."""

    kind: str
    variant: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    saves: Counter[int] = field(default_factory=Counter)


def run_round(
    phase: Phase,
    editors: list[Editor],
    versions: dict[int, int],
    round_: int,
    args: argparse.Namespace,
) -> None:
    """Every editor autosaves its segments (a few drafts per cell, then the next cell)
    for one round; latencies count from the end of the warm-up (first round only)."""
    warmup = args.warmup if round_ == 0 else 0.0
    start = time.perf_counter()
    warm_until, end = start + warmup, start + warmup + args.seconds / args.rounds

    def editor_loop(editor: Editor) -> None:
        rng = random.Random(f"{phase.variant}-{round_}-{editor.index}")  # same for both apps
        browser = editor.api if phase.kind == "api" else editor.bare
        assert browser is not None
        segments = editor.own if phase.variant == "own" else editor.shared
        current, left = rng.randrange(len(segments)), rng.randint(2, 6)
        while time.perf_counter() + args.think[0] < end:
            time.sleep(rng.uniform(*args.think))
            if left == 0:
                current, left = (current + 1) % len(segments), rng.randint(2, 6)
            left -= 1
            editor.drafts += 1  # every text differs: no save is a no-op
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            body = json.dumps({"text": f"Draft {editor.drafts} by {editor.index}: {words}."})
            segment = segments[current]
            path = f"/api/v1/segments/{segment}" if phase.kind == "api" else f"/bare/{segment}"
            sent = time.perf_counter()
            headers = {
                "Content-Type": "application/json",
                "If-Match": f'"{versions[segment]}"',
                "X-CSRFToken": editor.csrf,
                "X-Bench-Phase": phase.variant if sent >= warm_until else "warm-up",
            }
            try:
                status, data = browser.request("PUT", path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                phase.errors.append(f"editor {editor.index}: {exc!r}")
                browser.conn.close()
                continue
            took = time.perf_counter() - sent
            phase.statuses[status] += 1
            if status == 200:
                versions[segment] = json.loads(data)["segment"]["version"]
                phase.saves[segment] += 1
            else:
                phase.errors.append(f"editor {editor.index}: {status} {data[:200]!r}")
            if sent >= warm_until:
                phase.latencies.append(took)

    threads = [threading.Thread(target=editor_loop, args=(e,)) for e in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
