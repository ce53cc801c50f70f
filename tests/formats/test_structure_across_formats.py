"""One text written by pandoc as DOCX, ODT, EPUB and HTML imports as the same blocks;
detection tells the four apart by content, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.office_files import convert, sample_docx, zip_bytes
from translator.formats import detect_format, parse

SOURCE = """---
title: The Same Book
---

# Chapter one

A paragraph with a note[^1] and *emphasis*, **strength** and a [link](https://example.org/x).

> A quoted paragraph.

3. Three
4. Four
    a. Sub-a
    b. Sub-b
5. Five

- Bullet one
- Bullet two

Another paragraph with a second note.[^2]

[^1]: The first note.
[^2]: The second note, *emphatic*.

    Its second paragraph.
"""
EXPECTED = [
    ("heading", 1, None, "Chapter one"),
    (
        "paragraph",
        None,
        None,
        "A paragraph with a note[1] and <em>emphasis</em>, <strong>strength</strong> and a "
        '<a href="https://example.org/x">link</a>.',
    ),
    ("quote", None, None, "A quoted paragraph."),
    ("list_item", 1, "3.", "Three"),
    ("list_item", 1, "4.", "Four"),
    ("list_item", 2, "a.", "Sub-a"),
    ("list_item", 2, "b.", "Sub-b"),
    ("list_item", 1, "5.", "Five"),
    ("list_item", 1, None, "Bullet one"),
    ("list_item", 1, None, "Bullet two"),
    ("paragraph", None, None, "Another paragraph with a second note.[2]"),
    ("footnote", None, "1", "The first note."),
    ("footnote", None, "2", "The second note, <em>emphatic</em>."),
    ("footnote", None, "2", "Its second paragraph."),
]


@pytest.mark.parametrize("target", ["docx", "odt", "epub", "html"])
def test_pandoc_output_in_every_format_gives_the_same_blocks(target: str, tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text(SOURCE, encoding="utf-8")
    data = convert("pandoc", source, target, tmp_path)
    result = parse(data, "upload")  # no telling name: detected by content
    assert result.format == target
    blocks = [(b.role.value, b.level, b.label, b.text) for b in result.blocks]
    if target != "html":  # the HTML page's title block sits in its page header, left out
        assert blocks[0] == ("heading", 1, None, "The Same Book")
        blocks = blocks[1:]
        assert result.title == "The Same Book"
    assert blocks == EXPECTED


def test_archives_are_told_apart_by_their_parts() -> None:
    assert detect_format(sample_docx(), "x") == "docx"
    odt = zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
        stored_first="mimetype",
    )
    assert detect_format(odt, "x.zip") == "odt"
    epub = zip_bytes({"mimetype": "application/epub+zip"}, stored_first="mimetype")
    assert detect_format(epub, "book") == "epub"
