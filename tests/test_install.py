"""``pip install`` of the wheel, in a fresh virtual environment, serves the service.

The sdist is built first and the wheel from it (``python -m build``), so the sdist is
proven to hold what a wheel needs. Every command then runs from outside the checkout,
with the venv's own ``translator``: nothing can come from the repository's folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import polib
import pytest

from tests.conftest import ROOT
from tests.served import WebSession, free_port, start, stop_group, wait_until_serving

pytestmark = pytest.mark.slow

EMAIL, PASSWORD = "ana@example.org", "a long password"
TEXT = "The first sentence. The second one.\n\nA new paragraph.\n"


def msgstr(language: str, msgid: str) -> str:
    po = polib.pofile(str(ROOT / "locales" / language / "LC_MESSAGES" / "messages.po"))
    entry = po.find(msgid)
    assert entry is not None and entry.msgstr
    return str(entry.msgstr)


def run(argv: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{argv}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from the sdist installed (dependencies from the
    package index); its bin/ folder."""
    base = tmp_path_factory.mktemp("install")
    dist, venv = base / "dist", base / "venv"
    started = time.monotonic()
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], ROOT, dict(os.environ))
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    assert not [n for n in names if n.endswith(".mo")]  # built from the .po, never shipped
    built = time.monotonic()
    # No pip of its own (it would take seconds to set up): this pip installs into it.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, dict(os.environ))
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    run([*pip, "--quiet", "--no-compile", str(wheel)], base, clean_env())
    print(f"\nbuild {built - started:.1f} s, venv + install {time.monotonic() - built:.1f} s")
    return venv / "bin"


def clean_env(**settings: str) -> dict[str, str]:
    """The environment less what could point back at the checkout or at another venv."""
    drop = ("TRANSLATOR_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return env | {f"TRANSLATOR_{name}": value for name, value in settings.items()}


def test_the_installed_wheel_serves_and_runs_jobs(installed: Path, tmp_path: Path) -> None:
    env = clean_env(INSTANCE_PATH=str(tmp_path / "instance"))
    where = run(
        [str(installed / "python"), "-c", "import translator; print(translator.__file__)"],
        tmp_path,
        env,
    )
    assert Path(where.strip()).is_relative_to(installed.parent), where  # not the checkout

    translator = str(installed / "translator")
    run([translator, "init"], tmp_path, env)
    run(
        [translator, "create-user", EMAIL, "--password-stdin", "--admin"],
        tmp_path,
        env,
        stdin=PASSWORD + "\n",
    )
    (tmp_path / "some.txt").write_text(TEXT)
    summary = json.loads(
        run([translator, "import", "some.txt", "--lang", "en", "--json"], tmp_path, env)
    )
    assert (summary["language"], summary["segments"], summary["paragraphs"]) == ("en", 3, 2)

    port, log = free_port(), tmp_path / "serve.log"
    proc = start([translator, "serve", "--port", str(port)], cwd=tmp_path, env=env, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url + "/login", proc, log)
        # The sign-in page in each language: Accept-Language, or the `locale` cookie.
        for headers, word in [
            ({"Accept-Language": "en"}, "Sign in"),
            ({"Accept-Language": "fr-FR,fr;q=0.9"}, msgstr("fr", "Sign in")),
            ({"Cookie": "locale=pt"}, msgstr("pt", "Sign in")),
        ]:
            page = WebSession(url, headers).get("/login")
            assert page.status == 200, page.text
            assert word in page.text and 'name="password"' in page.text, headers
        css = WebSession(url).get("/static/css/app.css")
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        assert css.body == (ROOT / "static" / "css" / "app.css").read_bytes()

        # An import through the web runs as a job in the embedded worker.
        session = WebSession(url)
        session.sign_in(EMAIL, PASSWORD)
        form = {
            "text": TEXT,
            "language": "fr",
            "document": "",
            "title": "Pasted",
            "format": "auto",
            "csrf_token": session.csrf_token("/import"),
        }
        posted = session.open("POST", "/import", form=form)
        assert posted.status == 302, posted.text
        job = posted.headers["Location"].rsplit("/", 1)[-1]
        deadline, state = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            state = session.get(f"/jobs/{job}.json").json()
            if state["state"] in ("succeeded", "failed"):
                break
            time.sleep(0.3)
        assert state.get("state") == "succeeded", (state, log.read_text())
        assert session.get(state["url"]).status == 200
    finally:
        took = stop_group(proc)
    # The server and its embedded worker both went away on SIGTERM, none was killed.
    assert took < 15, log.read_text()
