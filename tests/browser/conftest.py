"""A live `translator serve` (embedded mode: SQLite + its own worker subprocess on the
filesystem broker) and a headless Chromium from Debian's package."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT

CHROMIUM = os.environ.get("TRANSLATOR_TEST_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`translator serve` exactly as `make run` starts it, on a fresh instance folder
    (one per test module, so each starts from a new install)."""
    instance = tmp_path_factory.mktemp("live-instance")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRANSLATOR_")}
    env["TRANSLATOR_INSTANCE_PATH"] = str(instance)
    exe = Path(sys.executable).with_name("translator")
    log = (instance / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/setup", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    else:
        proc.kill()
    if proc.poll() is not None:
        log.close()
        pytest.fail("translator serve did not start:\n" + (instance / "serve.log").read_text())
    yield url
    os.killpg(proc.pid, 15)  # the server and its embedded worker
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def uncaught_errors(context: Any) -> list[str]:
    """Collect the uncaught script errors of every page of ``context``, and what the
    Content-Security-Policy blocked (a test that ends with some fails: a broken script
    or a refused inline style often shows nothing else)."""
    errors: list[str] = []
    context.on("weberror", lambda web_error: errors.append(str(web_error.error)))

    def blocked(message: Any) -> None:
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    context.on("console", blocked)
    return errors


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="en-US")  # type: ignore[attr-defined]
    errors = uncaught_errors(context)
    page = context.new_page()
    yield page
    context.close()
    assert not errors, f"uncaught script errors: {errors}"
