"""The `translator` command: in-process through click, and once for real as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.conftest import ROOT, SHARED
from translator.cli import cli

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"


@pytest.fixture
def run(app: Any, db: Any) -> Any:
    def invoke(*args: str, input: str | None = None) -> Any:
        result = CliRunner().invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input
        )
        return result

    return invoke


def test_every_subcommand_has_help(run: Any) -> None:
    for command in [
        "init",
        "create-user",
        "member",
        "import",
        "documents",
        "show",
        "serve",
        "worker",
        "token",
        "token create",
        "delete",
        "trash",
        "trash restore",
        "trash purge",
        "progress",
    ]:
        result = run(*command.split(), "--help")
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_every_listed_command_loads_and_its_help_line_is_its_own() -> None:
    import importlib

    import click

    from translator.cli import COMMANDS

    for name, (path, short_help) in COMMANDS.items():
        module, attribute = path.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == name
        own = " ".join((command.help or "").split())
        assert own.startswith(short_help.rstrip(".")), (name, short_help, own)
    assert set(COMMANDS) >= {"import", "align", "export", "progress", "assign", "serve"}


def test_help_starts_without_loading_flask_or_the_app() -> None:
    """``translator --help`` lists every command without importing Flask, the app or
    a command's module (what made every command take over a second to start)."""
    probe = (
        "import sys\n"
        "from translator.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='translator')\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in ('flask', 'sqlalchemy', 'translator.app', 'translator.cli_documents')"
        " if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "LOADED []" in out
    assert "align-files" in out and "Start a translation" in out


def test_a_command_that_serves_no_page_loads_no_view(tmp_path: Path) -> None:
    """Only ``serve`` builds the app with its views and API: every other command (an
    import, an export, an account) starts without importing them."""
    probe = (
        "import sys\n"
        "from translator.cli import cli\n"
        "try:\n"
        "    cli(['init'], prog_name='translator')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('APP', 'translator.app' in sys.modules, 'WEB', 'translator.web' in sys.modules)\n"
    )
    env = {**os.environ, "TRANSLATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    env["TRANSLATOR_INSTANCE_PATH"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr
    assert "APP True WEB False" in out.stdout, out.stdout + out.stderr


def test_import_json_then_show_and_documents(run: Any, tmp_path: Path) -> None:
    en = tmp_path / "essay.en.txt"
    en.write_text("# Title\n\nOne sentence. Two sentences.\n", encoding="utf-8")
    result = run(
        "import", str(en), "--lang", "en", "--title", "My essay", "--format", "markdown", "--json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {
        k: summary[k]
        for k in ("document", "language", "units", "segments", "headings", "paragraphs")
    } == {
        "document": "my-essay",
        "language": "en",
        "units": 3,
        "segments": 3,
        "headings": 1,
        "paragraphs": 1,
    }
    fr = tmp_path / "essay.fr.txt"
    fr.write_text("# Titre\n\nUne phrase. Deux phrases.\n", encoding="utf-8")
    result = run("import", str(fr), "--lang", "fr", "--document", "my-essay", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["language"] == "fr"

    result = run("show", "my-essay", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["document"] == "my-essay"
    assert [u["role"] for u in shown["units"]] == ["heading", "paragraph", "paragraph"]
    assert shown["units"][1]["segments"]["en"] == {
        "text": "One sentence.",
        "status": "translated",
        "aligned": True,
    }
    assert shown["units"][1]["segments"]["fr"]["text"] == "Une phrase."
    assert shown["units"][1]["paragraph"] == shown["units"][2]["paragraph"]
    assert isinstance(shown["units"][0]["id"], int)

    result = run("show", "my-essay", "--lang", "fr", "--json")
    assert set(json.loads(result.output)["units"][0]["segments"]) == {"fr"}

    result = run("documents", "--json")
    listed = json.loads(result.output)
    assert listed[0]["document"] == "my-essay"
    assert listed[0]["editions"]["en"]["segments"]["translated"] == 3


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lang", "zz-unknown"], "language"),
        (["--lang", "en", "--document", "missing"], "missing"),
        (["--lang", "en", "--format", "docz"], "docz"),
        (["--lang", "en", "--format", "docx"], "not a DOCX file"),
    ],
)
def test_import_errors_are_clear(run: Any, tmp_path: Path, args: list[str], needle: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hello world.", encoding="utf-8")
    result = run("import", str(path), *args)
    assert result.exit_code != 0
    assert needle in result.output
    assert "Traceback" not in result.output


def test_import_of_an_empty_file_names_it(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run("import", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "empty" in result.output


def test_create_user_reads_password_from_stdin(run: Any, db: Any) -> None:
    from translator.services.sessions import authenticate

    result = run(
        "create-user", "Admin@Example.org", "--password-stdin", "--admin", input="s3cret-pass\n"
    )
    assert result.exit_code == 0, result.output
    user = authenticate("admin@example.org", "s3cret-pass", address="127.0.0.1")
    assert user is not None and user.is_admin
    assert user.password_hash.startswith("scrypt:")
    result = run("create-user", "admin@example.org", "--password-stdin", input="another-pass\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_installed_command_imports_the_sample_essay(
    database_url: str, tmp_path: Path, db: Any
) -> None:
    """The real `translator` executable, as a user runs it, on the real database."""
    env = {
        **os.environ,
        "TRANSLATOR_DATABASE_URL": database_url,
        "TRANSLATOR_INSTANCE_PATH": str(tmp_path),
    }
    exe = Path(sys.executable).with_name("translator")
    subprocess.run([str(exe), "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run(
        [str(exe), "import", str(ESSAY), "--lang", "en", "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(out.stdout)
    assert summary["headings"] == 5
    assert summary["segments"] == summary["units"] > 300


def test_import_of_a_missing_file_names_it(run: Any, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nowhere.txt"), "--lang", "en")
    assert result.exit_code == 1
    assert "nowhere.txt" in result.output and "No such file" in result.output


def test_align_runs_the_job_and_prints_a_summary(run: Any, tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    en.write_text("One sentence here. Another one there. And a third.", encoding="utf-8")
    fr = tmp_path / "fr.txt"
    fr.write_text("Une phrase ici. Une autre par là, et une troisième.", encoding="utf-8")
    assert run("import", str(en), "--lang", "en", "--title", "Pair").exit_code == 0
    assert run("import", str(fr), "--lang", "fr", "--document", "pair").exit_code == 0
    result = run("align", "pair", "--pivot", "en", "--langs", "en,fr", "--local", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert summary["units"] == 2
    assert summary["beads"] == {"en-fr": {"1-1": 1, "2-1": 1}}
    assert 0 <= summary["mean_confidence"] <= 1
    result = run("align", "nope", "--local")
    assert result.exit_code == 1 and "nope" in result.output


def test_align_can_leave_an_edition_out(run: Any, tmp_path: Path) -> None:
    texts = {
        "en": "One sentence here. Another one there. And a third.",
        "fr": "Une phrase ici. Une autre par là. Et une troisième.",
        "pt": "Uma frase aqui. Outra ali. E uma terceira.",
    }
    for lang, text in texts.items():
        path = tmp_path / f"{lang}.txt"
        path.write_text(text, encoding="utf-8")
        extra = ["--title", "Trio"] if lang == "en" else ["--document", "trio"]
        assert run("import", str(path), "--lang", lang, *extra).exit_code == 0
    result = run("align", "trio", "--pivot", "en", "--skip", "pt", "--local")
    assert result.exit_code == 0, result.output
    assert "aligned trio (en, fr; pivot en)" in result.output
    assert "pt: not aligned (left out); its cells stayed beside the same pivot text" in (
        result.output
    )
    result = run("align", "trio", "--skip", "de", "--local")
    assert result.exit_code == 2 and "--skip" in result.output and "de" in result.output


def test_align_files_prints_beads(run: Any, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("One sentence here.\nAnother one there.\nAnd a third.\n", encoding="utf-8")
    tgt = tmp_path / "tgt.txt"
    tgt.write_text("Une phrase ici.\nUne autre par là, et une troisième.\n", encoding="utf-8")
    result = run("align-files", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.output == "[0]:[0]\n[1, 2]:[1]\n"
    result = run("align-files", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "xx")
    assert result.exit_code == 1 and "xx" in result.output


def test_member_gives_and_takes_languages(run: Any, db: Any, import_text: Any) -> None:
    from translator.services.members import can_edit, is_reviewer
    from translator.services.users import find_user

    import_text("One.\n", "en", title="Doc")
    import_text("Un.\n", "fr", document="doc")
    assert run("create-user", "eva@example.org", "--password-stdin", input="long enough\n")
    result = run("member", "doc", "eva@example.org", "en,fr", "--reviewer")
    assert result.exit_code == 0, result.output
    assert "may edit: en, fr of doc" in result.output
    from translator.services.documents import get_document

    user = find_user("eva@example.org")
    document_id = get_document("doc").id
    assert is_reviewer(user, document_id, "fr") and can_edit(user, document_id, "en")
    result = run("member", "doc", "eva@example.org", "en", "--remove")
    assert "may edit: fr of doc" in result.output
    assert not can_edit(user, document_id, "en")
    result = run("member", "doc", "eva@example.org", "de")
    assert result.exit_code == 1 and "no de edition" in result.output
    result = run("member", "doc", "nobody@example.org", "fr")
    assert result.exit_code == 1 and "no user" in result.output
    from translator.services.rights import Right, Target, has_right

    assert not has_right(user, Right.MANAGE_DOCUMENT, Target(document_id))
    result = run("member", "doc", "eva@example.org", "--coordinator")
    assert result.exit_code == 0 and "(coordinator)" in result.output, result.output
    assert has_right(user, Right.MANAGE_DOCUMENT, Target(document_id))
    run("member", "doc", "eva@example.org", "--coordinator", "--remove")
    assert not has_right(user, Right.MANAGE_DOCUMENT, Target(document_id))
    result = run("member", "doc", "eva@example.org")
    assert result.exit_code == 1 and "--coordinator or --reader" in result.output
    created = run(
        "create-user", "co@example.org", "--coordinator", "--password-stdin", input="long enough\n"
    )
    assert "(coordinator)" in created.output
    assert has_right(find_user("co@example.org"), Right.IMPORT_DOCUMENTS)


def test_token_create_list_revoke(run: Any, app: Any, db: Any) -> None:
    assert run("create-user", "ops@example.org", "--password-stdin", input="long enough\n")
    created = run("token", "create", "ops@example.org", "--name", "backup job", "--scope", "read")
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]  # the token alone on its own line
    assert token.startswith("tr_") and "shown" not in token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200
    listed = run("token", "list", "ops@example.org", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["scope"], r["state"]) for r in rows] == [("backup job", "read", "active")]
    assert token not in listed.output and rows[0]["prefix"] in token
    revoked = run("token", "revoke", str(rows[0]["id"]))
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 401
    assert "revoked" in run("token", "list", "ops@example.org").output
    expiring = run(
        "token", "create", "ops@example.org", "--name", "n", "--scope", "write", "--expires-in", "7"
    )
    assert expiring.exit_code == 0
    assert json.loads(run("token", "list", "ops@example.org", "--json").stdout)[0]["expires_at"]
    unknown = run("token", "create", "nobody@example.org", "--name", "x", "--scope", "read")
    assert unknown.exit_code != 0 and "no user with e-mail nobody@example.org" in unknown.output
    bad_scope = run("token", "create", "ops@example.org", "--name", "x", "--scope", "admin")
    assert bad_scope.exit_code != 0
    assert run("token", "revoke", "999999").exit_code != 0
