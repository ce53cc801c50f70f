"""Numbered lists keep their numbers in every export: a document with numbered lists
(decimal, letters, Roman numerals, nested, a list restarting at 3, labels no list can
count) is imported from HTML, DOCX, ODT and EPUB files, exported in every format, and
each file is read back (its HTML or XHTML tree, its Word numbering through the DOCX
import, the PDF's text, Markdown through the Markdown import) to see the numbers a
reader sees."""

from __future__ import annotations

import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
from lxml import etree

from tests.formats.office_files import convert, require_tool
from tests.formats.publications import info
from translator.formats import parse
from translator.formats.base import BlockRole
from translator.formats.docx_export import write_docx, write_parallel_docx
from translator.formats.epub_export import write_epub
from translator.formats.exports import ExportOptions
from translator.formats.html_export import write_html
from translator.formats.html_parallel import write_parallel_html
from translator.formats.lists import label_numbering, list_tree
from translator.formats.markdown_export import write_markdown
from translator.formats.pdf_export import write_parallel_pdf, write_pdf
from translator.formats.publication import (
    ParallelPublication,
    ParallelRow,
    Passage,
    Publication,
)
from translator.formats.richtext import letters, roman
from translator.formats.text_export import write_text

OPTIONS = ExportOptions()
SOURCE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lists</title>
</head><body><h1>Lists</h1>
<p>Steps.</p>
<ol><li>One</li><li>Two<ol type="a"><li>Sub a</li><li>Sub b<ol type="i"><li>Deep i</li>
<li>Deep ii</li></ol></li></ol></li><li>Three</li></ol>
<p>Between.</p>
<ol start="3"><li>Third again</li><li>Fourth</li></ol>
<ul><li>Bullet</li></ul>
<p>Articles.</p>
<ol type="I" start="4"><li>Article four</li><li>Article five</li></ol>
<p>The end.</p>
</body></html>
"""
# (depth, label, text) of every item, as imported and as every export must show them
EXPECTED = [
    (1, "1.", "One"),
    (1, "2.", "Two"),
    (2, "a.", "Sub a"),
    (2, "b.", "Sub b"),
    (3, "i.", "Deep i"),
    (3, "ii.", "Deep ii"),
    (1, "3.", "Three"),
    (1, "3.", "Third again"),
    (1, "4.", "Fourth"),
    (1, None, "Bullet"),
    (1, "IV.", "Article four"),
    (1, "V.", "Article five"),
]
XHTML = "{http://www.w3.org/1999/xhtml}"


def publication(blocks: list[Any], language: str = "en") -> Publication:
    passages = tuple(Passage(b.role, (b.text,), b.level, b.label) for b in blocks)
    return Publication(info(language, "Lists"), passages)


def items_of(blocks: list[Any]) -> list[tuple[int | None, str | None, str]]:
    return [(b.level, b.label, b.text) for b in blocks if b.role is BlockRole.LIST_ITEM]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The same document as an HTML page, and as DOCX, ODT and EPUB written by pandoc."""
    folder = tmp_path_factory.mktemp("lists")
    page = folder / "lists.html"
    page.write_text(SOURCE, encoding="utf-8")
    made = {"html": SOURCE.encode()}
    for target, writer in (("docx", None), ("odt", None), ("epub", "epub3")):
        made[target] = convert("pandoc", page, target, folder, writer)
    return made


@pytest.fixture(scope="module", params=["html", "docx", "odt", "epub"])
def imported(request: pytest.FixtureRequest, sources: dict[str, bytes]) -> Publication:
    blocks = parse(sources[request.param], f"lists.{request.param}").blocks
    assert items_of(blocks) == EXPECTED  # what the import gives, every export keeps
    return publication(blocks)


# --- reading the numbers back --------------------------------------------------------


def _number(value: int, kind: str) -> str:
    text = {"a": letters, "A": letters, "i": roman, "I": roman}.get(kind, str)(value)
    return text.upper() if kind in "AI" else text


def shown_items(root: Any, ns: str = "") -> list[tuple[int, str | None, str]]:
    """Every list item of an (X)HTML tree with the number a browser shows for it:
    ``<ol start type>`` counted, the label of a ``labelled`` list's items, none for a
    bullet; its depth and its own text (nested lists left out)."""
    found: list[tuple[int, str | None, str]] = []

    def walk(element: Any, depth: int) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.removeprefix(ns)
            if tag in ("ol", "ul"):
                number = int(child.get("start", "1"))
                for li in child:
                    label = None
                    if tag == "ol" and "labelled" in (child.get("class") or "").split():
                        spans = [e for e in li.iter(f"{ns}span") if e.get("class") == "list-label"]
                        label = spans[0].text if spans else None
                    elif tag == "ol":
                        assert child.get("type", "1") in "1aAiI"
                        label = _number(number, child.get("type", "1")) + "."
                        number += 1
                    found.append((depth + 1, label, _own_text(li, ns)))
                    walk(li, depth + 1)
            else:
                walk(child, depth)

    walk(root, 0)
    return found


def _own_text(li: Any, ns: str) -> str:
    """The text of ``li`` but its nested lists and its label."""
    parts = [li.text or ""]
    for child in li:
        if child.tag.removeprefix(ns) == "p":
            parts.append(" " + _own_text(child, ns) + " ")
        elif child.tag.removeprefix(ns) not in ("ol", "ul") and child.get("class") != "list-label":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def pdf_text(data: bytes, folder: Path) -> str:
    """The text of a PDF as Poppler lays it out."""
    path = folder / "export.pdf"
    path.write_bytes(data)
    command = [require_tool("pdftotext"), "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_the_web_page_counts_as_the_original(imported: Publication) -> None:
    root = tinyhtml5.parse(write_html(imported, OPTIONS).decode(), namespace_html_elements=False)
    assert shown_items(root.find(".//article")) == EXPECTED
    # the class repeats the type for the stylesheets (and WeasyPrint)
    assert [ol.get("class") for ol in root.iter("ol") if ol.get("type")] == [
        "lower-alpha",
        "lower-roman",
        "upper-roman",
    ]


def test_the_epub_counts_as_the_original_and_imports_back(imported: Publication) -> None:
    data = write_epub(imported, OPTIONS)
    shown = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"EPUB/s\d+\.xhtml", name):
                body = etree.fromstring(archive.read(name)).find(f"{XHTML}body")
                shown += shown_items(body, XHTML)
    assert shown == EXPECTED
    assert items_of(parse(data, "back.epub").blocks) == EXPECTED


def test_the_docx_numbers_with_word_numbering(imported: Publication) -> None:
    data = write_docx(imported, OPTIONS)
    assert items_of(parse(data, "back.docx").blocks) == EXPECTED  # numbering.xml resolved
    with zipfile.ZipFile(BytesIO(data)) as archive:
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    formats = [
        (lvl.find(f"{w}numFmt").get(f"{w}val"), lvl.find(f"{w}start").get(f"{w}val"))
        for lvl in numbering.iter(f"{w}lvl")
        if lvl.get(f"{w}ilvl") == "0"
    ]
    for wanted in (("lowerLetter", "1"), ("lowerRoman", "1"), ("decimal", "3")):
        assert wanted in formats
    assert ("upperRoman", "4") in formats
    assert write_docx(imported, OPTIONS) == data  # reproducible


def test_the_pdf_shows_the_numbers(imported: Publication, tmp_path: Path) -> None:
    text = pdf_text(write_pdf(imported, OPTIONS), tmp_path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for _, label, words in EXPECTED:
        wanted = f"{label} {words}" if label else f"• {words}"
        assert any(" ".join(line.split()) == wanted for line in lines), wanted


def test_markdown_counts_decimal_lists_and_keeps_other_labels(imported: Publication) -> None:
    text = write_markdown(imported, OPTIONS).decode()
    back = items_of(parse(text.encode(), "back.md", format="markdown").blocks)
    wanted = [
        (depth, label, words)
        if label is None or label[0].isdigit()
        else (depth, None, f"{label} {words}")  # a bullet starting with its label
        for depth, label, words in EXPECTED
    ]
    assert back == wanted
    assert "\n3. Third again\n4. Fourth\n" in text


def test_plain_text_shows_the_labels(imported: Publication) -> None:
    lines = write_text(imported, OPTIONS).decode().splitlines()
    for depth, label, words in EXPECTED:
        assert f"{' ' * 3 * (depth - 1)}{label or '-'} {words}" in lines


def _parallel(imported: Publication) -> ParallelPublication:
    rows = tuple(
        ParallelRow(p.role, (p.sentences[0], p.sentences[0].upper()), n, p.level, p.label)
        for n, p in enumerate(imported.passages)
    )
    return ParallelPublication((info("en", "Lists"), info("fr", "Listes")), rows)


def test_parallel_editions_show_each_item_number(imported: Publication, tmp_path: Path) -> None:
    parallel = _parallel(imported)
    page = write_parallel_html(parallel, OPTIONS).decode()
    root = tinyhtml5.parse(page, namespace_html_elements=False)
    cells = [td for td in root.iter("td") if td.find("ol") is not None or td.find("ul") is not None]
    shown = [shown_items(td)[0] for td in cells]
    english = [(d, label, words) for (d, label, words) in shown if not words.isupper()]
    french = [(d, label, words.capitalize()) for (d, label, words) in shown if words.isupper()]
    assert english == [(1, label, words) for _, label, words in EXPECTED]
    assert [label for _, label, _ in french] == [label for _, label, _ in EXPECTED]
    document = parse(write_parallel_docx(parallel, OPTIONS), "p.docx").blocks
    texts = [b.text for b in document]
    for _, label, words in EXPECTED:
        assert f"{label or '•'} {words}" in texts and f"{label or '•'} {words.upper()}" in texts
    text = pdf_text(write_parallel_pdf(parallel, OPTIONS), tmp_path)
    for _, label, words in EXPECTED:
        assert label is None or re.search(
            rf"{re.escape(label)} {words}\s+{re.escape(label)} ", text
        )


# --- what pandoc cannot write: labels ")" and labels no list counts --------------------

ODD = [
    Passage(BlockRole.LIST_ITEM, ("First",), 1, "a)"),
    Passage(BlockRole.LIST_ITEM, ("Second",), 1, "b)"),
    Passage(BlockRole.LIST_ITEM, ("Part one",), 2, "2.1."),
    Passage(BlockRole.LIST_ITEM, ("Part two",), 2, "2.2."),
    Passage(BlockRole.LIST_ITEM, ("More of the second.",), 1, None),
    Passage(BlockRole.LIST_ITEM, ("Third",), 1, "c)"),
    Passage(BlockRole.LIST_ITEM, ("Zero padded",), 1, "01."),
    Passage(BlockRole.LIST_ITEM, ("Decimal",), 1, "1)"),
    Passage(BlockRole.LIST_ITEM, ("Decimal two",), 1, "2)"),
]


def test_labels_html_cannot_count_are_shown_as_text() -> None:
    page = write_html(Publication(info("en", "Odd"), tuple(ODD)), OPTIONS).decode()
    root = tinyhtml5.parse(page, namespace_html_elements=False)
    assert shown_items(root.find(".//article")) == [
        (1, "a)", "First"),
        (1, "b)", "Second More of the second."),  # a further paragraph of "b)"
        (2, "2.1.", "Part one"),
        (2, "2.2.", "Part two"),
        (1, "c)", "Third"),
        (1, "01.", "Zero padded"),
        (1, "1)", "Decimal"),
        (1, "2)", "Decimal two"),
    ]


def test_odd_labels_in_docx_and_markdown() -> None:
    odd = Publication(info("en", "Odd"), tuple(ODD))
    back = parse(write_docx(odd, OPTIONS), "odd.docx").blocks
    items = items_of(back)
    assert items[:4] == [
        (1, "a)", "First"),
        (1, "b)", "Second"),
        (2, "2.1.", "Part one"),  # Word counts "2.%2."
        (2, "2.2.", "Part two"),
    ]
    assert (1, "c)", "Third") in items and (1, "1)", "Decimal") in items
    assert any(b.text == "More of the second." for b in back)
    assert any(b.text == "01. Zero padded" for b in back)  # Word cannot count it: text
    markdown = write_markdown(odd, OPTIONS).decode()
    assert "- a) First\n- b) Second\n  - 2\\.1. Part one" in markdown
    assert "\n  More of the second.\n" in markdown
    assert "- 01\\. Zero padded" in markdown  # "01." would start a Markdown list
    assert "\n1) Decimal\n2) Decimal two" in markdown


@pytest.mark.parametrize(
    ("labels", "style", "start"),
    [
        (["1.", "2.", "3."], "decimal", 1),
        (["3.", "4."], "decimal", 3),
        (["a)", "b)"], "lower-alpha", 1),
        (["i.", "ii.", "iii."], "lower-roman", 1),
        (["h.", "i.", "j."], "lower-alpha", 8),
        (["i."], "lower-roman", 1),
        (["c."], "lower-alpha", 3),
        (["IV.", "V."], "upper-roman", 4),
        (["y.", "z.", "aa."], "lower-alpha", 25),
    ],
)
def test_a_regular_sequence_is_one_counted_list(labels: list[str], style: str, start: int) -> None:
    lists = list_tree([Passage(BlockRole.LIST_ITEM, ("x",), 1, label) for label in labels])
    assert len(lists) == 1 and [item.label for item in lists[0].items] == labels
    numbering = lists[0].numbering
    assert numbering is not None and (numbering.style, numbering.start) == (style, start)


def test_a_break_in_the_numbers_starts_a_new_list() -> None:
    labels = ["1.", "2.", "1.", "a.", "iv.", "2.1.", "2.2.", "(a)"]
    lists = list_tree([Passage(BlockRole.LIST_ITEM, ("x",), 1, label) for label in labels])
    assert [[item.label for item in item_list.items] for item_list in lists] == [
        ["1.", "2."],
        ["1."],
        ["a."],
        ["iv."],
        ["2.1.", "2.2."],
        ["(a)"],
    ]
    assert label_numbering("01.") == [] and label_numbering("iix.") == []
