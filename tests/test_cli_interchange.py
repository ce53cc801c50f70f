"""`translator import` with XLIFF, PO and TMX files: back into a document (--document or
the one the file names) or into a new one, with the counts as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polib
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.conftest import SHARED
from translator.cli import cli
from translator.formats.exports import ExportOptions, export_format
from translator.models import Document, Revision, Segment
from translator.services.documents import get_document
from translator.services.interchange import build_interchange


@pytest.fixture
def run(app: Any, db: Any) -> Any:
    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))

    return invoke


@pytest.fixture
def pair(run: Any, tmp_path: Path, create_user: Any) -> str:
    create_user("admin@example.org", is_admin=True)
    en = tmp_path / "pair.en.txt"
    en.write_text("One cat.\n\nTwo dogs.\n\nThree birds.\n", encoding="utf-8")
    fr = tmp_path / "pair.fr.txt"
    fr.write_text("Un chat.\n\nDeux chiens.\n\nTrois oiseaux.\n", encoding="utf-8")
    assert run("import", str(en), "--lang", "en", "--title", "Pair").exit_code == 0
    assert run("import", str(fr), "--lang", "fr", "--document", "pair").exit_code == 0
    return "pair"


def exported_po(db: Any, slug: str) -> str:
    document = get_document(slug)
    file = build_interchange(document, ["en", "fr"], source="en", target="fr")
    return export_format("po").write(file, ExportOptions("en", "fr")).decode()


def test_import_po_into_a_document_prints_the_counts(
    run: Any, db: Any, pair: str, tmp_path: Path
) -> None:
    catalog = polib.pofile(exported_po(db, pair))
    catalog[1].msgstr = "Deux chiens noirs."
    path = tmp_path / "pair.fr.po"
    path.write_text(str(catalog), encoding="utf-8")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Revision))

    result = run("import", str(path), "--document", pair, "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "document": "pair",
        "unchanged": 5,
        "updated": 1,
        "suggestions": 0,
        "created": 0,
        "errors": 0,
    }
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == before + 1
    texts = set(db.session.scalars(sa.select(Segment.text)))
    assert "Deux chiens noirs." in texts


def test_the_file_names_its_document(run: Any, db: Any, pair: str, tmp_path: Path) -> None:
    path = tmp_path / "pair.po"
    path.write_text(exported_po(db, pair), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "into pair: 0 updated, 0 suggestions, 6 unchanged" in result.output


def test_a_file_from_elsewhere_makes_a_new_document(run: Any, db: Any, create_user: Any) -> None:
    create_user("admin@example.org", is_admin=True)
    path = SHARED / "corpus" / "interchange" / "xliff-symfony-validator" / "validators.fr.xlf"
    if not path.exists():
        pytest.skip(f"{path} not available")
    result = run("import", str(path), "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["created"] == 116 and counts["errors"] == 0
    document = db.session.scalar(sa.select(Document).where(Document.slug == counts["document"]))
    assert document.title == "Validators" and document.languages == ["en", "fr"]


def test_saved_as_the_user_given(
    run: Any, db: Any, pair: str, tmp_path: Path, create_user: Any
) -> None:
    create_user("second@example.org", is_admin=True)
    catalog = polib.pofile(exported_po(db, pair))
    catalog[0].msgstr = "Un chat gris."
    path = tmp_path / "pair.po"
    path.write_text(str(catalog), encoding="utf-8")
    assert run("import", str(path), "--as", "second@example.org").exit_code == 0
    latest = db.session.scalar(sa.select(Revision).order_by(Revision.id.desc()))
    assert latest.author.email == "second@example.org"


@pytest.mark.parametrize(
    ("name", "data", "args", "needle"),
    [
        ("doc.xlf", b"%PDF-1.4\n", [], "doc.xlf: the file is a PDF document, not an XLIFF file"),
        ("doc.po", b'msgid "a\nmsgstr ""\n', [], "doc.po:1: not a valid PO line"),
        ("doc.tmx", b"", [], "doc.tmx: the file is empty"),
        (
            "doc.po",
            b'msgid "a"\nmsgstr "b"\n',
            ["--as", "nobody@example.org"],
            "nobody@example.org",
        ),
        ("doc.po", b'msgid "a"\nmsgstr "b"\n', ["--document", "missing"], "missing"),
    ],
)
def test_errors_name_the_file(
    run: Any, tmp_path: Path, create_user: Any, name: str, data: bytes, args: list[str], needle: str
) -> None:
    create_user("admin@example.org", is_admin=True)
    path = tmp_path / name
    path.write_bytes(data)
    result = run("import", str(path), *args)
    assert result.exit_code == 1
    assert needle in result.output
    assert "Traceback" not in result.output


def test_without_an_administrator_it_asks_for_one(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "doc.po"
    path.write_bytes(b'msgid "a"\nmsgstr "b"\n')
    result = run("import", str(path))
    assert result.exit_code == 1 and "--as EMAIL" in result.output


def test_a_text_file_still_needs_its_language(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hello.", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1 and "--lang is required" in result.output
