"""`translator export`: every kind of export from the command line, in this process or
on a real worker, and clear refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.conftest import truncate_all
from translator.cli import cli
from translator.extensions import db as _db
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n"
FR = "# Un essai\n\nLe chat dort. Le chien aboie.\n"
PT = "# Um ensaio\n\nO gato dorme. O cão ladra.\n"


def _store() -> None:
    store_import(prepare_import(EN.encode(), "essay.md", "en"), title="An essay")
    document = get_document("an-essay")
    store_import(prepare_import(FR.encode(), "essai.md", "fr"), document=document)
    store_import(prepare_import(PT.encode(), "ensaio.md", "pt"), document=document)
    _db.session.commit()


@pytest.fixture
def run(app: Any, db: Any) -> Any:
    _store()

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))

    return invoke


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "fr", "--format", "md"], "Le chat dort."),
        (["--lang", "pt", "--format", "txt"], "O gato dorme."),
        (["--langs", "en,fr", "--format", "parallel-html"], "Le chat dort."),
        (["--source", "fr", "--lang", "pt", "--format", "po"], 'msgstr "O gato dorme."'),
        (["--langs", "en,fr,pt", "--format", "tmx"], "O gato dorme."),
    ],
)
def test_export_writes_the_file(run: Any, tmp_path: Path, args: list[str], expected: str) -> None:
    output = tmp_path / "out.file"
    result = run("export", "an-essay", *args, "-o", str(output), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["size"] == output.stat().st_size
    assert expected in output.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr", "--format", "docz"], "unknown export format 'docz'"),
        (["--lang", "de", "--format", "epub"], "no 'de' edition"),
        (["--langs", "en", "--format", "parallel-pdf"], "two or three editions"),
        (["--lang", "fr", "--format", "xliff"], "needs a source and a target"),
    ],
)
def test_export_refuses_clearly(run: Any, tmp_path: Path, args: list[str], message: str) -> None:
    result = run("export", "an-essay", *args, "-o", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "x").exists()


def test_export_to_a_missing_folder_is_refused(run: Any, tmp_path: Path) -> None:
    result = run(
        "export", "an-essay", "--lang", "fr", "--format", "md", "-o", str(tmp_path / "no" / "x")
    )
    assert result.exit_code != 0


@pytest.fixture
def stored(worker_app: Any, worker: Any) -> Iterator[Any]:
    with worker_app.app_context():
        _store()
    yield worker_app
    with worker_app.app_context():
        truncate_all(_db.engine)


@pytest.mark.worker
def test_export_on_a_real_worker(stored: Any, tmp_path: Path) -> None:
    output = tmp_path / "essay.fr.epub"
    result = CliRunner().invoke(
        cli,
        ["export", "an-essay", "--lang", "fr", "--format", "epub", "-o", str(output), "--worker"],
        obj=ScriptInfo(create_app=lambda: stored),
    )
    assert result.exit_code == 0, result.output
    assert (
        output.read_bytes().startswith(b"PK")
        and b"mimetypeapplication/epub+zip" in (output.read_bytes()[:100])
    )


def test_the_installed_command_exports(database_url: str, tmp_path: Path, db: Any) -> None:
    """The real `translator` executable, as a user runs it: the commands that live in
    their own modules (export, token) run in the app's context too."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, SHARED

    env = {
        **os.environ,
        "TRANSLATOR_DATABASE_URL": database_url,
        "TRANSLATOR_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    exe = str(Path(sys.executable).with_name("translator"))

    def translator(*args: str, check: bool = True) -> Any:
        return subprocess.run(
            [exe, *args], cwd=ROOT, env=env, check=check, capture_output=True, text=True
        )

    translator("init")
    essay = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
    slug = json.loads(translator("import", str(essay), "--lang", "en", "--json").stdout)["document"]
    output = tmp_path / "essay.epub"
    done = translator(
        "export", slug, "--lang", "en", "--format", "epub", "-o", str(output), "--json"
    )
    assert json.loads(done.stdout)["size"] == output.stat().st_size > 10_000
    listed = translator("token", "list", "nobody@example.org", check=False)
    assert listed.returncode == 1 and "no user with e-mail" in listed.stderr
    assert "Traceback" not in listed.stderr
