"""`translator backup` and `translator restore`: in-process, and for real between two
instances (the embedded SQLite one and the tests' database)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from tests.backup_helpers import folders
from tests.conftest import ROOT
from translator.cli import cli


@pytest.fixture
def run(app: Flask, db: Any) -> Iterator[Any]:
    for folder in folders(app).values():
        shutil.rmtree(folder, ignore_errors=True)

    def invoke(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input
        )

    yield invoke
    for folder in folders(app).values():
        shutil.rmtree(folder, ignore_errors=True)


def test_backup_and_restore_explain_themselves(run: Any) -> None:
    for command, option in [("backup", "--include-secret-key"), ("restore", "--replace")]:
        result = run(command, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output and option in result.output
    assert "secret" in run("backup", "--help").output
    assert "translator init" in run("restore", "--help").output


def _documents(run: Any) -> list[str]:
    result = run("documents", "--json")
    assert result.exit_code == 0, result.output
    return [d["document"] for d in json.loads(result.output)]


def test_restore_replaces_a_database_with_data_only_with_replace(run: Any, tmp_path: Path) -> None:
    text = tmp_path / "essay.txt"
    text.write_text("One sentence. Two sentences.\n", encoding="utf-8")
    assert run("import", str(text), "--lang", "en", "--title", "Kept").exit_code == 0
    archive = tmp_path / "service.zip"
    result = run("backup", str(archive), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["tables"]["segments"] == 2 and summary["secret_key"] is False

    result = run("restore", str(archive))
    assert result.exit_code == 1
    assert "already holds data" in result.output and "--replace" in result.output
    assert _documents(run) == ["kept"]

    assert run("import", str(text), "--lang", "en", "--title", "Later").exit_code == 0
    result = run("restore", str(archive), "--replace")
    assert result.exit_code == 0, result.output
    assert "restored" in result.output and "2 segments" not in result.output
    assert _documents(run) == ["kept"]


def test_restore_names_a_damaged_archive(run: Any, tmp_path: Path) -> None:
    archive = tmp_path / "not-a-backup.zip"
    archive.write_bytes(b"PK\x03\x04 garbage")
    result = run("restore", str(archive))
    assert result.exit_code == 1
    assert f"{archive}: not a readable backup archive" in result.output


def test_backup_will_not_store_a_secret_key_that_is_not_in_use(run: Any, tmp_path: Path) -> None:
    # The tests' app is configured with SECRET_KEY="test"; the instance file holds another.
    result = run("backup", str(tmp_path / "a.zip"), "--include-secret-key")
    assert result.exit_code == 1
    assert "does not come from" in result.output
    assert not (tmp_path / "a.zip").exists()


def _translator(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    exe = Path(sys.executable).with_name("translator")
    out = subprocess.run(
        [str(exe), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def test_installed_commands_move_a_service_to_another_database(
    database_url: str, tmp_path: Path, db: Any
) -> None:
    """The embedded SQLite instance, backed up and restored into the tests' database
    (PostgreSQL unless the run is on SQLite) with its upload and its secret key."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    one = {**base, "TRANSLATOR_INSTANCE_PATH": str(tmp_path / "one")}
    two = {
        **base,
        "TRANSLATOR_INSTANCE_PATH": str(tmp_path / "two"),
        "TRANSLATOR_DATABASE_URL": database_url,
    }
    text = tmp_path / "essay.txt"
    text.write_text("# Title\n\nOne sentence. Two sentences.\n", encoding="utf-8")
    _translator(one, "init")
    _translator(one, "create-user", "ana@example.org", "--password-stdin", stdin="a password\n")
    _translator(one, "import", str(text), "--lang", "en")
    (tmp_path / "one" / "uploads").mkdir()
    (tmp_path / "one" / "uploads" / "waiting.txt").write_bytes(b"\x00\xff bytes")
    archive = tmp_path / "one.zip"
    made = json.loads(_translator(one, "backup", str(archive), "--include-secret-key", "--json"))
    assert made["database"] == "sqlite" and made["secret_key"] is True

    restored = json.loads(_translator(two, "restore", str(archive), "--json"))
    assert restored["tables"] == made["tables"]
    assert restored["files"] == {"exports": 0, "uploads": 1}
    shown = json.loads(_translator(two, "documents", "--json"))
    assert [d["document"] for d in shown] == ["essay"]
    assert (tmp_path / "two" / "uploads" / "waiting.txt").read_bytes() == b"\x00\xff bytes"
    key = (tmp_path / "two" / "secret_key").read_text()
    assert key == (tmp_path / "one" / "secret_key").read_text()
