"""End to end: a DOCX, an ODT, an HTML page and an EPUB imported through the import
service become units with their roles, list numbers and footnote labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.formats.office_files import convert, sample_docx
from tests.formats.test_epub_import import BOOK, epub
from tests.formats.test_odt_import import odt
from translator.errors import InputError
from translator.models import Document
from translator.services.units import unit_rows

PAGE = """<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>Page</title></head>
<body><nav>Menu</nav><main><h1>Été</h1><p>Un texte<sup><a href="#n1">1</a></sup>. Et
une suite.</p><ol start="7"><li>Sept.</li></ol><aside id="n1" epub:type="footnote">
<p>La note.</p></aside></main></body></html>"""


def _rows(db: Any, language: str) -> list[tuple[str, int | None, str | None, str]]:
    document = db.session.scalars(sa.select(Document)).one()
    return [(r.role, r.level, r.label, r.cells[language].text) for r in unit_rows(document)]


def test_a_docx_becomes_units_with_roles_numbers_and_notes(db: Any, import_text: Any) -> None:
    summary = import_text(sample_docx(), "en", filename="book.docx")
    assert summary.to_dict()["footnotes"] == 4
    rows = _rows(db, "en")
    assert rows[0] == ("heading", 1, None, "A Collective's Book")
    assert ("list_item", 1, "3.", "Third item") in rows
    assert ("footnote", None, "i", "An endnote.") in rows
    document = db.session.scalars(sa.select(Document)).one()
    assert document.title == "A Collective's Book"
    assert document.editions[0].source_format == "docx"


def test_an_odt_imports(db: Any, import_text: Any) -> None:
    import_text(odt(), "en", filename="notes.odt")
    rows = _rows(db, "en")
    assert ("list_item", 1, "(9)", "Nine") in rows
    assert rows[-1] == ("footnote", None, "i", "The endnote.")


def test_a_latin1_html_page_imports_split_into_sentences(db: Any, import_text: Any) -> None:
    import_text(PAGE.encode("cp1252"), "fr", filename="page.html")
    assert _rows(db, "fr") == [
        ("heading", 1, None, "Été"),
        ("paragraph", None, None, "Un texte[1]."),
        ("paragraph", None, None, "Et une suite."),
        ("list_item", 1, "7.", "Sept."),
        ("footnote", None, "1", "La note."),
    ]
    assert db.session.scalars(sa.select(Document)).one().title == "Été"


def test_an_epub_imports(db: Any, import_text: Any) -> None:
    import_text(epub(BOOK, ["nav", "c1", "c2", "notes!"]), "en", filename="book.epub")
    rows = _rows(db, "en")
    assert rows[0] == ("heading", 1, None, "Chapter One")
    assert rows[-1] == ("footnote", None, "1", "An endnote in its own file.")
    assert db.session.scalars(sa.select(Document)).one().title == "The Book"


def test_a_pandoc_odt_imports_as_a_second_edition(
    db: Any, import_text: Any, tmp_path: Path
) -> None:
    first = import_text("# Title\n\nOne. Two.\n", "en", filename="a.md")
    source = tmp_path / "fr.md"
    source.write_text("# Titre\n\nUn. Deux.\n", encoding="utf-8")
    summary = import_text(
        convert("pandoc", source, "odt", tmp_path), "fr", filename="fr.odt", document=first.document
    )
    assert summary.segments == 3


def test_a_wrong_file_changes_nothing(db: Any, import_text: Any) -> None:
    with pytest.raises(InputError, match="not a DOCX file"):
        import_text(b"plain text", "en", filename="book.docx")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
