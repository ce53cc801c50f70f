"""``translator project``: create, add documents, give the team roles, start the
missing translations, delete."""

from __future__ import annotations

import json
from typing import Any

from tests.test_cli import run  # noqa: F401 - the fixture
from translator.models import MemberRole
from translator.services.documents import get_document
from translator.services.members import membership_role
from translator.services.projects import get_project


def test_create_add_member_translate_and_delete(
    run: Any,  # noqa: F811
    db: Any,
    import_text: Any,
    create_user: Any,
) -> None:
    import_text("One sentence. Two sentences.", "en", title="Essay")
    ana = create_user("ana@example.org")
    result = run(
        "project", "create", "series", "--name", "A series", "--original", "en",
        "--languages", "fr,pt", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["original"], data["languages"]) == ("en", ["fr", "pt"])

    result = run("project", "add", "series", "essay")
    assert result.exit_code == 0, result.output
    assert get_document("essay").project_id == get_project("series").id

    result = run("project", "member", "series", "ana@example.org", "fr", "--reviewer")
    assert result.exit_code == 0, result.output
    assert "reviewer fr" in result.output

    result = run("project", "translate", "essay", "--json")
    assert result.exit_code == 0, result.output
    assert [s["language"] for s in json.loads(result.output)] == ["fr", "pt"]
    document = get_document("essay")
    assert membership_role(ana, document.id, "fr") is MemberRole.REVIEWER

    listed = json.loads(run("project", "--json").output)
    assert listed[0]["documents"] == 1
    assert listed[0]["team"] == [{"user": "ana@example.org", "language": "fr", "role": "reviewer"}]

    refused = run("project", "delete", "series")
    assert refused.exit_code == 1 and "still holds 1 document" in refused.output
    assert run("project", "remove", "series", "essay").exit_code == 0
    assert run("project", "delete", "series").exit_code == 0
    assert json.loads(run("project", "--json").output) == []


def test_errors_say_what_is_wrong(run: Any, db: Any) -> None:  # noqa: F811
    result = run("project", "create", "Bad Slug", "--name", "X")
    assert result.exit_code == 1 and "not a valid slug" in result.output
    result = run("project", "create", "ok", "--name", "X", "--languages", "fr,zz-9-nonsense")
    assert result.exit_code == 1 and "zz-9-nonsense" in result.output
    result = run("project", "add", "missing", "essay")
    assert result.exit_code == 1 and "no project with slug 'missing'" in result.output
    assert run("project", "create", "ok", "--name", "X", "--languages", "fr").exit_code == 0
    result = run("project", "member", "ok", "nobody@example.org", "fr")
    assert result.exit_code == 1 and "no user" in result.output
    result = run("project", "edit", "ok", "--languages", "fr,pt", "--original", "en")
    assert result.exit_code == 0 and "[en,fr,pt]" in result.output
