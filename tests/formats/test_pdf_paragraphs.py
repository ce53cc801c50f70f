"""Paragraphs of a book set without spacing, each first line indented: the raw text has
lost the indent, the word boxes bring it back (``pdfwords.indented_lines``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.formats.pdf_samples import book_html, corpus_paragraphs, render_pdf
from translator.formats import parse
from translator.formats.base import BlockRole
from translator.formats.pdftext import parse_pdftext
from translator.formats.pdfwords import Word, indented_lines

pytestmark = pytest.mark.usefixtures("poppler")
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
REAL = Path(__file__).parent / "files" / "real"
EDGE, INDENT, HEIGHT = 50.0, 62.0, 11.6


def boxes(
    *lefts: float,
    page: int = 0,
    labels: dict[int, str] | None = None,
    short: frozenset[int] = frozenset(),
) -> tuple[dict[int, list[int]], list[Word]]:
    """Lines 1, 2, ... of one word each (``labels`` by line: a list item's label),
    starting at ``lefts``, ending at the measure (at 340) unless ``short``."""
    labels = labels or {}
    words = [
        Word(labels.get(k + 1, "Word"), HEIGHT, left, page, 200.0 if k + 1 in short else 340.0)
        for k, left in enumerate(lefts)
    ]
    return {k + 1: [k] for k in range(len(words))}, words


def test_the_first_line_of_each_paragraph_stands_out_from_the_next() -> None:
    lines, words = boxes(INDENT, EDGE, EDGE, INDENT, EDGE, EDGE)
    assert indented_lines(lines, words) == {1, 4}


def test_a_paragraph_of_one_line_and_the_one_after_it() -> None:
    """Line 3 is a paragraph of one line (it stands out from the line before, the next
    line starts where it does); line 4 begins the next paragraph."""
    lines, words = boxes(EDGE, EDGE, INDENT, INDENT, EDGE, EDGE)
    assert indented_lines(lines, words) == {3, 4}


def test_short_replies_in_a_row_are_a_paragraph_each() -> None:
    """“Frequently.” / “How often?” / then a paragraph of two lines: each stands at the
    indent after a short line that began a paragraph."""
    lines, words = boxes(EDGE, EDGE, INDENT, INDENT, INDENT, EDGE, EDGE, short=frozenset({3, 4}))
    assert indented_lines(lines, words) == {3, 4, 5}
    # the same lines filling the measure: a quotation set in, begun once
    lines, words = boxes(EDGE, EDGE, INDENT, INDENT, INDENT, INDENT)
    assert indented_lines(lines, words) == {3}


def test_a_list_with_hanging_indents_has_no_first_line_indent() -> None:
    """Items start at the edge, their other lines an indent further: no line of an item
    begins a paragraph."""
    labels = {1: "1.", 4: "2.", 6: "3."}
    lines, words = boxes(EDGE, INDENT, INDENT, EDGE, INDENT, EDGE, INDENT, INDENT, labels=labels)
    assert indented_lines(lines, words) == set()
    bullets = {1: "•", 4: "•", 6: "•"}
    lines, words = boxes(EDGE, INDENT, EDGE, EDGE, INDENT, EDGE, INDENT, labels=bullets)
    assert indented_lines(lines, words) == set()


def test_a_quotation_set_in_from_the_margin_begins_a_block_once() -> None:
    lines, words = boxes(EDGE, EDGE, EDGE + 24, EDGE + 24, EDGE + 24, EDGE)
    assert indented_lines(lines, words) == {3}


def test_the_top_of_a_page_and_of_the_right_column() -> None:
    """Nothing before a page's first line; the right column's first line after the left
    column's last compares with its own column only."""
    first, first_words = boxes(INDENT, EDGE, EDGE, page=1)
    assert indented_lines(first, first_words) == {1}
    right = 300.0
    lines, words = boxes(EDGE, EDGE, right + 12, right, right)
    assert indented_lines(lines, words) == {3}


def test_a_reference_list_with_hanging_indents_keeps_each_reference_whole() -> None:
    """A reference's second line stands out like a first line; after a line ending with
    an initial ("Alan R.") it goes on the same reference."""
    text = "\n".join(
        [
            "Hal Daumé. 2007. Frustratingly easy domain adaptation.",
            "In ACL, pages 256–263, Prague, Czech Republic, June.",
            "Dina Demner-Fushman, Willie J. Rogers, and Alan R.",
            "Aronson. 2017. MetaMap Lite: an evaluation of a",
            "new Java implementation of MetaMap. In JAMIA.",
        ]
    )
    result = parse_pdftext(text, flush_headings=True, indented_lines={4})
    assert any("Alan R. Aronson. 2017. MetaMap" in b.text for b in result.blocks)
    assert not any(b.text.startswith("Aronson") for b in result.blocks)


def whole_paragraphs(pdf: bytes, paragraphs: list[str]) -> float:
    """The share of ``paragraphs`` found as one block each."""
    result = parse(pdf, "book.pdf", language="en")

    def key(text: str) -> str:
        return re.sub(r"\W+", "", html.unescape(text))

    blocks = {key(b.text) for b in result.blocks if b.role is not BlockRole.FOOTNOTE}
    return sum(key(p) in blocks for p in paragraphs) / len(paragraphs)


@pytest.mark.skipif(not (CORPUS / "pd-essays-paragraph-aligned").is_dir(), reason="no corpus")
@pytest.mark.parametrize("columns", [False, True])
def test_a_book_set_with_indents_keeps_its_paragraphs(columns: bool) -> None:
    """The Communist Manifesto set as a book, one column or two: 96 % of its paragraphs
    are one block each (70 % before the indents were read; the rest are one-line
    paragraphs in a row and a sub-heading in the body's size)."""
    _headings, items = corpus_paragraphs(
        CORPUS / "pd-essays-paragraph-aligned" / "manifesto_en.txt"
    )
    items = items[:80] if columns else items
    pdf = render_pdf(book_html("Manifesto", items, columns=columns))
    paragraphs = [item for item in items if not item.startswith("# ")]
    assert whole_paragraphs(pdf, paragraphs) >= 0.96


def test_dialogue_in_a_real_novel_is_a_paragraph_per_speaker() -> None:
    """Project Gutenberg's Sherlock Holmes (tests/formats/files/real): each reply was
    run into the paragraph before when the line before it filled the measure."""
    result = parse((REAL / "sherlock-scandal-in-bohemia.pdf").read_bytes(), "s.pdf")
    starts = [html.unescape(b.text)[:40] for b in result.blocks]
    for reply in (
        "“My dear Holmes,” said I, “this is too m",
        "He chuckled to himself and rubbed his lo",
        "“I have no data yet. It is a capital mis",
        "“The paper was made in Bohemia,” I said.",
        "“I think that I had better go, Holmes.”",
        "“Come in!” said Holmes.",
    ):
        assert reply in starts


def test_the_references_of_a_real_paper_stay_one_block_each() -> None:
    result = parse((REAL / "acl-naacl2018-literature-graph.pdf").read_bytes(), "a.pdf")
    found = [html.unescape(b.text) for b in result.blocks]
    assert any(t.startswith("Dina Demner-Fushman") and "Aronson. 2017" in t for t in found)
