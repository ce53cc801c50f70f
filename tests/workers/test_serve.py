"""`translator serve` (embedded default: SQLite, filesystem broker, its own worker)
stops its worker with it: on SIGTERM to the server's pid alone (what systemd and
container runtimes send), on SIGINT, after a bound when the worker does not stop, and
even when the server is SIGKILLed. No process is left behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def alive(pid: int) -> bool:
    """Running (a zombie, or a pid gone from /proc, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


class Serve:
    def __init__(self, instance: Path, *options: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = instance / "serve.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
        env["TRANSLATOR_INSTANCE_PATH"] = str(instance)
        command = [str(Path(sys.executable).with_name("translator")), "serve"]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [*command, "--port", str(self.port), *options],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 90
        while True:
            text = self.log.read_text()
            match = re.search(r"background worker started \(pid (\d+)\)", text)
            if match and "ready." in text and self._answers():
                self.worker = int(match.group(1))
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail("translator serve did not start:\n" + text)
            time.sleep(0.2)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=1):
                return True
        except OSError:
            return False

    def cleanup(self) -> None:
        for pid in (self.proc.pid, self.worker):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type[Serve]]:
    started: list[Serve] = []

    class Tracked(Serve):
        def __init__(self, *options: str) -> None:
            super().__init__(tmp_path, *options)
            started.append(self)

    yield Tracked  # type: ignore[misc]
    for server in started:
        server.cleanup()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_server_stops_its_worker(serve: type[Serve], sig: int) -> None:
    server = serve()
    # The worker has a process group of its own: only `serve` decides when it stops.
    assert os.getpgid(server.worker) == server.worker != os.getpgid(server.proc.pid)
    os.kill(server.proc.pid, sig)
    assert server.proc.wait(timeout=30) == 0
    assert not alive(server.worker)
    assert "background worker stopped" in server.log.read_text()


def test_a_worker_that_does_not_stop_is_killed_after_the_bound(serve: type[Serve]) -> None:
    server = serve("--worker-stop-timeout", "1")
    os.kill(server.worker, signal.SIGSTOP)  # deaf to SIGTERM
    started = time.monotonic()
    os.kill(server.proc.pid, signal.SIGTERM)
    assert server.proc.wait(timeout=30) == 0
    assert time.monotonic() - started < 10
    assert not alive(server.worker)
    assert "did not stop in 1 s: killed" in server.log.read_text()


def test_a_killed_server_takes_its_worker_along(serve: type[Serve]) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    server = serve()
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    assert wait_gone(server.worker, 30)
