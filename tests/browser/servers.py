"""A `translator serve` that a browser test controls: started on its own instance folder
like the live_server fixture, killed (SIGKILL, the server and its worker at once) and
started again on the same port; set up through the `translator` commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port
from tests.conftest import ROOT

PASSWORD = "a long password"
ANA, BRUNO = "ana@example.org", "bruno@example.org"
# Several `translator` commands in one process (one start-up instead of one each).
CLI = """
import json, sys
from click.testing import CliRunner
from translator.cli import cli
for args, stdin in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, args, input=stdin)
    if result.exit_code:
        sys.exit(f"translator {' '.join(args)}: {result.output} {result.exception}")
"""


class Server:
    """`translator serve --port P` on its own instance folder, started as the live_server
    fixture does, but that a test may kill (SIGKILL: the server and its worker at once)
    and start again on the same port and instance."""

    def __init__(self, instance: Path, **settings: str) -> None:
        self.instance, self.port = instance, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
        self.env["TRANSLATOR_INSTANCE_PATH"] = str(instance)
        self.env.update({f"TRANSLATOR_{name}": value for name, value in settings.items()})
        self.proc: subprocess.Popen[bytes] | None = None
        self.users = False  # Ana and Bruno come with the first document

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("translator")), "serve", "--port"]
        with (self.instance / "serve.log").open("a") as log:
            self.proc = subprocess.Popen(
                [*command, str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("translator serve did not start:\n" + (self.instance / "serve.log").read_text())

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """To the server and its worker at once: SIGTERM, or SIGKILL for a crash."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.stop(signal.SIGKILL)

    def run(self, *commands: list[str]) -> None:
        """`translator <command>` on this instance, for each command in turn."""
        pairs = [(c, PASSWORD + "\n" if c[0] == "create-user" else None) for c in commands]
        argv = [sys.executable, "-c", CLI, json.dumps(pairs)]
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    def add_document(self, slug: str, editions: dict[str, list[str]], fmt: str = "text") -> str:
        """Import the editions (the first makes the document) and align them; Bruno may
        edit every language."""
        commands = []
        if not self.users:
            self.users = True
            commands += [
                ["create-user", ANA, "--password-stdin", "--admin", "--name", "Ana"],
                ["create-user", BRUNO, "--password-stdin", "--name", "Bruno"],
            ]
        title = ["--title", slug.title()] if fmt == "text" else []  # else its first heading
        for n, (language, paragraphs) in enumerate(editions.items()):
            path = self.instance / f"{slug}.{language}.txt"
            path.write_text("\n\n".join(paragraphs) + "\n")
            where = ["--slug", slug, *title] if n == 0 else ["--document", slug]
            commands.append(["import", str(path), "--lang", language, "--format", fmt, *where])
        self.run(*commands, ["align", slug, "--local"], ["member", slug, BRUNO, ",".join(editions)])
        return slug


def serving(instance: Path, **settings: str) -> Iterator[Server]:
    server = Server(instance, **settings)
    server.start()
    yield server
    server.stop()
