"""A numbered item with a second paragraph, side by side: the parallel exports (web page,
DOCX, PDF) show "1." on the item's first row, nothing on the rows that go on with it
(its second sentence, its second paragraph), "2." on the next item, and a bullet only
for a real bullet, as the one-edition exports do. The editions are real documents: an
English and a French HTML page, and the same pages as DOCX files written by pandoc,
imported, one row per sentence as the service makes them."""

from __future__ import annotations

import re
from io import BytesIO
from itertools import zip_longest
from pathlib import Path
from typing import Any

import docx
import pytest
import tinyhtml5

from tests.formats.office_files import convert
from tests.formats.publications import info
from tests.formats.test_list_numbers_export import pdf_text
from translator.formats import parse
from translator.formats.base import BlockRole
from translator.formats.docx_export import write_parallel_docx
from translator.formats.exports import ExportOptions
from translator.formats.html_export import write_html
from translator.formats.html_parallel import write_parallel_html
from translator.formats.pdf_export import write_parallel_pdf
from translator.formats.publication import ParallelPublication, ParallelRow, Passage, Publication
from translator.text.segmentation import split_sentences

OPTIONS = ExportOptions()
PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>
<h1>{title}</h1><p>{intro}</p>
<ol><li><p>{first}</p><p>{more}</p></li><li><p>{second}</p></li></ol>
<ul><li>{bullet}</li></ul>
<p>{end}</p></body></html>
"""
ENGLISH = {
    "lang": "en",
    "title": "Points",
    "intro": "Two points.",
    "first": "First point. It has two sentences.",
    "more": "More about the first point.",
    "second": "Second point.",
    "bullet": "A remark.",
    "end": "The end.",
}
FRENCH = {
    "lang": "fr",
    "title": "Points",
    "intro": "Deux points.",
    "first": "Premier point. Il a deux phrases.",
    "more": "Encore sur le premier point.",
    "second": "Deuxième point.",
    "bullet": "Une remarque.",
    "end": "La fin.",
}
# each list row as a reader sees it in the English and the French column: (mark, text),
# the mark "" for a row that goes on with the item before it
EXPECTED = [
    (("1.", "First point."), ("1.", "Premier point.")),
    (("", "It has two sentences."), ("", "Il a deux phrases.")),
    (("", "More about the first point."), ("", "Encore sur le premier point.")),
    (("2.", "Second point."), ("2.", "Deuxième point.")),
    (("•", "A remark."), ("•", "Une remarque.")),
]


@pytest.fixture(scope="module", params=["html", "docx"])
def parallel(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ParallelPublication:
    """Both editions imported from ``request.param`` files, aligned block by block,
    one row per sentence (what ``services.publication.build_parallel`` gives)."""
    folder = tmp_path_factory.mktemp("points")
    editions = []
    for words in (ENGLISH, FRENCH):
        page = PAGE.format(**words)
        data = page.encode()
        if request.param == "docx":
            source = folder / f"points-{words['lang']}.html"
            source.write_text(page, encoding="utf-8")
            data = convert("pandoc", source, "docx", folder)
        blocks = parse(data, f"points.{request.param}").blocks
        labels = [b.label for b in blocks if b.role is BlockRole.LIST_ITEM]
        assert labels == ["1.", None, "2.", None]  # the import reads the item's 2nd paragraph
        editions.append(blocks)
    rows = []
    for paragraph, (english, french) in enumerate(zip(*editions, strict=True)):
        sentences = zip_longest(
            split_sentences(english.text, "en"), split_sentences(french.text, "fr"), fillvalue=""
        )
        rows.extend(
            ParallelRow(english.role, cells, paragraph, english.level, english.label)
            for cells in sentences
        )
    return ParallelPublication((info("en", "Points"), info("fr", "Points")), tuple(rows))


def _html_mark(cell: Any) -> str:
    """The mark a browser shows before a cell's list text: its ``<ol>``'s number, the
    label as text, a bullet, or nothing."""
    ol, ul = cell.find("ol"), cell.find("ul")
    if ul is not None:
        return "•"
    if ol is None:
        return ""
    label = ol.find(".//span[@class='list-label']")
    if label is not None:
        return str(label.text)
    assert ol.get("type", "1") == "1"
    return f"{ol.get('start', '1')}."


def test_the_web_page_continues_the_item(parallel: ParallelPublication) -> None:
    root = tinyhtml5.parse(
        write_parallel_html(parallel, OPTIONS).decode(), namespace_html_elements=False
    )
    rows = [tr for tr in root.iter("tr") if "list-item" in (tr.get("class") or "").split()]
    shown = [
        tuple((_html_mark(td), " ".join("".join(td.itertext()).split())) for td in tr.iter("td"))
        for tr in rows
    ]
    assert shown == EXPECTED
    continued = rows[2].find("td/p")
    assert continued is not None and "list-continue" in continued.get("class", "")
    # the same rule as the page of one edition: the second paragraph is in item 1
    english = Publication(
        info("en", "Points"),
        tuple(
            Passage(BlockRole.LIST_ITEM, (text,), 1, label)
            for label, text in [("1.", "One."), (None, "More."), ("2.", "Two.")]
        ),
    )
    page = tinyhtml5.parse(write_html(english, OPTIONS).decode(), namespace_html_elements=False)
    items = page.findall(".//article/ol/li")
    assert len(items) == 2 and [p.text for p in items[0].findall("p")] == ["One.", "More."]


def test_the_docx_continues_the_item(parallel: ParallelPublication) -> None:
    table = docx.Document(BytesIO(write_parallel_docx(parallel, OPTIONS))).tables[0]
    texts = [tuple(cell.text for cell in row.cells) for row in table.rows]
    start = texts.index(("1. First point.", "1. Premier point."))
    wanted = [tuple(f"{mark} {text}" if mark else text for mark, text in row) for row in EXPECTED]
    assert texts[start : start + len(EXPECTED)] == wanted


def test_the_pdf_continues_the_item(parallel: ParallelPublication, tmp_path: Path) -> None:
    text = pdf_text(write_parallel_pdf(parallel, OPTIONS), tmp_path)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    for english, french in EXPECTED:
        wanted = " ".join(f"{mark} {words}".strip() for mark, words in (english, french))
        assert wanted in lines, (wanted, lines)
    assert text.count("•") == 2  # the remark's bullets, none for the second paragraph
    assert not re.search(r"[•\d]\.?\s+(It has|More about|Il a|Encore)", text)
