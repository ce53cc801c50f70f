"""``translator assign`` and ``translator split``."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from tests.services.test_assignments import MANIFESTO
from tests.test_cli import run  # noqa: F401 - the fixture
from translator.models import Assignment, AssignmentKind, Document
from translator.services.editions import start_translation


def _setup(db: Any, import_text: Any, create_user: Any) -> Document:
    import_text(MANIFESTO, "en", filename="manifesto.md")
    document: Document = db.session.scalar(sa.select(Document))
    start_translation(document, "fr")
    for name in ("a", "b"):
        create_user(f"{name}@x.org")
    db.session.commit()
    return document


def test_assign_a_range_for_review(run: Any, db: Any, import_text: Any, create_user: Any) -> None:  # noqa: F811
    document = _setup(db, import_text, create_user)
    result = run(
        "assign",
        document.slug,
        "--lang",
        "fr",
        "--to",
        "a@x.org",
        "--review",
        "--units",
        "1-3",
        "--due",
        "2027-01-15",
        "--json",
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["user"] == "a@x.org" and row["kind"] == "review" and row["units"] == "1-3"
    assert row["due"] == "2027-01-15" and row["words"] == row["words_left"] > 0
    assignment = db.session.scalar(sa.select(Assignment))
    assert assignment.kind is AssignmentKind.REVIEW


def test_split_among_two(run: Any, db: Any, import_text: Any, create_user: Any) -> None:  # noqa: F811
    document = _setup(db, import_text, create_user)
    result = run("split", document.slug, "--lang", "fr", "--among", "a@x.org,b@x.org")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert "a@x.org: translate fr units 1-" in lines[0] and "b@x.org: translate fr" in lines[1]


def test_errors_name_the_field(run: Any, db: Any, import_text: Any, create_user: Any) -> None:  # noqa: F811
    document = _setup(db, import_text, create_user)
    cases = [
        (["assign", document.slug, "--lang", "fr", "--to", "z@x.org"], "'to'"),
        (["assign", document.slug, "--lang", "fr", "--to", "a@x.org", "--units", "5-1"], "'units'"),
        (["assign", document.slug, "--lang", "fr", "--to", "a@x.org", "--due", "soon"], "'due'"),
        (["split", document.slug, "--lang", "fr", "--among", "a@x.org,a@x.org"], "'among'"),
    ]
    for args, field in cases:
        result = run(*args)
        assert result.exit_code != 0 and field in result.output, (args, result.output)
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0
