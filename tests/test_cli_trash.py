"""`translator delete` and `translator trash [restore|purge]`: clear messages, exit
codes, JSON; a purge asks first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from translator.cli import cli
from translator.errors import NotFound
from translator.services.documents import get_document


@pytest.fixture
def run(app: Any, db: Any) -> Any:
    def invoke(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(
            cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input
        )

    return invoke


@pytest.fixture
def essay(import_text: Any) -> str:
    slug: str = import_text("One. Two.", "en", title="An essay").document
    import_text("Un. Deux.", "fr", document=slug)
    return slug


def test_delete_list_restore(run: Any, db: Any, essay: str) -> None:
    result = run("delete", essay, "--edition", "fr")
    assert result.exit_code == 0, result.output
    assert "moved the fr edition of an-essay to the trash (purged after 30 days)" in result.output
    assert get_document(essay).languages == ["en"]
    result = run("delete", essay)
    assert result.exit_code == 0, result.output
    with pytest.raises(NotFound):
        get_document(essay)
    listed = json.loads(run("trash", "--json").output)
    assert [(i["kind"], i["document"], i["language"]) for i in listed] == [
        ("document", essay, None),
        ("edition", essay, "fr"),
    ]
    assert "an-essay --edition fr" in run("trash").output
    # The edition of a document in the trash waits for the document.
    result = run("trash", "restore", essay, "--edition", "fr")
    assert result.exit_code == 1
    assert "is in the trash itself: restore it first" in result.output
    assert run("trash", "restore", essay).exit_code == 0
    result = run("trash", "restore", essay, "--edition", "fr", "--json")
    assert json.loads(result.output) == {"document": essay, "edition": "fr", "restored": True}
    db.session.expire_all()
    assert get_document(essay).languages == ["en", "fr"]
    assert run("trash").output.strip() == "the trash is empty"


def test_errors_exit_1_and_say_why(run: Any, essay: str) -> None:
    for args, needle in [
        (("delete", "nope"), "no document with slug 'nope'"),
        (("delete", essay, "--edition", "de"), "has no de edition"),
        (("delete", essay, "--edition", "en"), "original"),
        (("trash", "restore", essay), "no document 'an-essay' in the trash"),
        (("trash", "purge", essay, "--yes"), "no document 'an-essay' in the trash"),
    ]:
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert needle in result.output, (args, result.output)
    result = run("trash", "purge")
    assert result.exit_code == 2
    assert "name a document in the trash (SLUG), or pass --expired" in result.output


def test_purge_asks_then_deletes_for_good(run: Any, db: Any, essay: str) -> None:
    run("delete", essay, "--edition", "fr")
    result = run("trash", "purge", essay, "--edition", "fr", input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert "fr" in run("trash").output  # still there
    result = run("trash", "purge", essay, "--edition", "fr", input="y\n")
    assert result.exit_code == 0, result.output
    assert "purged 0 document(s) and 1 edition(s)" in result.output
    assert run("trash").output.strip() == "the trash is empty"
    run("delete", essay)
    result = run("trash", "purge", "--expired", "--json")
    assert json.loads(result.output) == {"purged": {"documents": 0, "editions": 0}}
    result = run("trash", "purge", essay, "--yes", "--json")
    assert json.loads(result.output) == {"purged": {"documents": 1, "editions": 1}}
    assert run("trash", "restore", essay).exit_code == 1
