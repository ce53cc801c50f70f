"""Tests against a real server process: its process group started and stopped, and a
browser without a browser (urllib and a cookie jar) that signs in through the real form
with its CSRF token and calls the API with the CSRF header."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import math
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from tests.helpers import CSRF_RE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(argv: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``argv`` in a process group of its own (so that stopping it stops its children
    too), its output in ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_serving(
    url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    """Return once ``url`` answers at all; fail with the log if the process exits or
    nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # an answer, even 4xx/5xx: the server is up
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer (exit code {proc.poll()}):\n{log.read_text()}")


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a zombie waiting for init does not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if int(group) == pgid and state != "Z":
            return True
    return False


def stop_group(proc: subprocess.Popen[bytes], timeout: float = 20) -> float:
    """SIGTERM to the process group; the seconds until every process of it is gone, or
    ``math.inf`` when some were left after ``timeout`` seconds (then killed)."""
    started = time.monotonic()
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    while time.monotonic() < started + timeout:
        if proc.poll() is not None and not group_alive(proc.pid):
            return time.monotonic() - started
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return math.inf


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a test looks at the 302 itself


class WebSession:
    """One signed-in browser on ``base_url``: cookies kept, redirects not followed."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        self.base_url = base_url
        self.headers = headers or {}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> urllib.request.Request:
        data, sent = None, {**self.headers, **(headers or {})}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        return urllib.request.Request(self.base_url + path, data, sent, method=method)

    def open(self, method: str, path: str, timeout: float = 15, **kw: Any) -> Reply:
        try:
            with self.opener.open(self.request(method, path, **kw), timeout=timeout) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, error.headers, error.read())

    def get(self, path: str, **headers: str) -> Reply:
        return self.open("GET", path, headers=headers)

    def stream(self, path: str, timeout: float = 15) -> Any:
        """The open response to a GET, to read line by line (an event stream)."""
        return self.opener.open(self.request("GET", path), timeout=timeout)

    def csrf_token(self, path: str) -> str:
        match = CSRF_RE.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, email: str, password: str) -> None:
        """Through the real sign-in form; keeps a CSRF token for ``send``."""
        form = {"email": email, "password": password, "csrf_token": self.csrf_token("/login")}
        reply = self.open("POST", "/login", form=form)
        assert reply.status == 302, reply.text
        self.token = self.csrf_token("/")

    def send(self, method: str, path: str, body: Any, version: int | None = None) -> Reply:
        """A JSON API call with the CSRF header (and If-Match for a ``version``)."""
        headers = {"X-CSRFToken": self.token}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return self.open(method, path, body=body, headers=headers)
