"""Footnotes numbered again by chapter or page keep one note per call
(``formats.note_labels``), through every adapter that can number them so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.formats.pdf_samples import corpus_paragraphs, render_pdf
from tests.formats.test_epub_import import XHTML, epub
from translator.formats import parse
from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.note_labels import unique_note_labels

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
_CALL = re.compile(r"\[(\d+)\]")


def calls_and_notes(result: ParsedText) -> tuple[list[str], dict[str, str]]:
    """Every call label in text order, and each note's text by label."""
    calls = [
        label
        for block in result.blocks
        if block.role is not BlockRole.FOOTNOTE
        for label in _CALL.findall(block.text)
    ]
    notes = {b.label or "": b.text for b in result.blocks if b.role is BlockRole.FOOTNOTE}
    return calls, notes


def test_notes_numbered_again_in_each_chapter_of_a_web_page_each_keep_their_call() -> None:
    page = b"""<html><body><h1>Book</h1>
<h2>Chapter one</h2>
<p>The river was old.<a href="#c1n1" class="footnote-ref">1</a> The town was older.<a
 href="#c1n2" class="footnote-ref">2</a></p>
<section class="footnotes"><ol><li id="c1n1"><p>Chapter one, note one.</p>
<p>Its second paragraph.</p></li>
<li id="c1n2">Chapter one, note two.</li></ol></section>
<h2>Chapter two</h2>
<p>The bridge fell.<a href="#c2n1" class="footnote-ref">1</a> Nobody came.</p>
<section class="footnotes"><ol><li id="c2n1">Chapter two, note one.</li></ol></section>
</body></html>"""
    result = parse(page, "book.html")
    calls, _notes = calls_and_notes(result)
    assert calls == ["1", "2", "3"]
    assert [(b.label, b.text) for b in result.blocks if b.role is BlockRole.FOOTNOTE] == [
        ("1", "Chapter one, note one."),
        ("1", "Its second paragraph."),  # one note of two paragraphs
        ("2", "Chapter one, note two."),
        ("3", "Chapter two, note one."),
    ]
    assert "The bridge fell.[3] Nobody came." in [b.text for b in result.blocks]
    assert any('labels "1" stand for several notes' in w for w in result.warnings)


def test_an_epub_whose_chapters_each_start_their_notes_at_one() -> None:
    def chapter(number: int, notes: int) -> str:
        calls = "".join(
            f'<p>Part {k} of chapter {number}<a epub:type="noteref" href="#n{k}">{k}</a>.</p>'
            for k in range(1, notes + 1)
        )
        asides = "".join(
            f'<aside epub:type="footnote" id="n{k}"><p>Note {k} of chapter {number}.</p></aside>'
            for k in range(1, notes + 1)
        )
        return XHTML.format(f"<h1>Chapter {number}</h1>{calls}{asides}")

    book = {f"c{n}.xhtml": chapter(n, notes) for n, notes in ((1, 2), (2, 3), (3, 1))}
    result = parse(epub(book, ["c1", "c2", "c3"]), "book.epub")
    calls, notes = calls_and_notes(result)
    assert calls == [str(k) for k in range(1, 7)]
    expected = [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 1)]
    assert [notes[str(k)] for k in range(1, 7)] == [
        f"Note {k} of chapter {n}." for n, k in expected
    ]


def test_labels_that_are_all_different_are_left_as_they_are() -> None:
    blocks = [
        Block(BlockRole.PARAGRAPH, "It is said*, and the POUM.2 said so.", line=1),
        Block(BlockRole.FOOTNOTE, "A star.", label="*", line=9),
        Block(BlockRole.FOOTNOTE, "A number.", label="2", line=10),
    ]
    parsed = ParsedText(blocks=list(blocks), format="pdftext")
    assert unique_note_labels(parsed) is parsed
    assert parsed.blocks == blocks and parsed.warnings == []


def test_endnotes_after_all_the_text_pair_with_their_calls_in_order() -> None:
    """Every note after every call (endnotes grouped by chapter): the k-th call of a
    label takes its k-th note, and a call past them the last one."""
    blocks = [
        Block(BlockRole.PARAGRAPH, "One.[1] Two.[2]", line=1),
        Block(BlockRole.PARAGRAPH, "Three.[1] Again.[1]", line=2),
        Block(BlockRole.FOOTNOTE, "c1 n1", label="1", line=3),
        Block(BlockRole.FOOTNOTE, "c1 n2", label="2", line=4),
        Block(BlockRole.FOOTNOTE, "c2 n1", label="1", line=5),
    ]
    result = unique_note_labels(ParsedText(blocks=blocks, format="docx"))
    assert [b.text for b in result.blocks[:2]] == ["One.[1] Two.[2]", "Three.[3] Again.[3]"]
    assert [(b.label, b.text) for b in result.blocks[2:]] == [
        ("1", "c1 n1"),
        ("2", "c1 n2"),
        ("3", "c2 n1"),
    ]


def test_a_call_goes_to_the_note_of_its_own_page_when_notes_stand_among_the_text() -> None:
    """PDF text: notes at the foot of each page, after their calls. A paragraph that runs
    on to the next page and calls that page's "1" gets that page's note; a call whose
    note was lost takes a later one, and moves no other call; a call glued to its word
    becomes a bracketed call."""
    blocks = [
        Block(BlockRole.PARAGRAPH, "Page one river1 and on the next page the town1 too.", line=1),
        Block(BlockRole.PARAGRAPH, "Page two again1, then 2 lost2 here.", line=40),
        Block(BlockRole.PARAGRAPH, "Page three at last1 and2 the end.", line=70),
        Block(BlockRole.FOOTNOTE, "page one", label="1", line=30),
        Block(BlockRole.FOOTNOTE, "page two", label="1", line=60),
        Block(BlockRole.FOOTNOTE, "page three", label="1", line=90),
        Block(BlockRole.FOOTNOTE, "page three, second", label="2", line=91),
    ]
    result = unique_note_labels(ParsedText(blocks=blocks, format="pdf"))
    assert [b.text for b in result.blocks[:3]] == [
        "Page one river[1] and on the next page the town[2] too.",
        "Page two again[2], then 2 lost[4] here.",
        "Page three at last[3] and[4] the end.",
    ]
    assert [(b.label, b.text) for b in result.blocks[3:]] == [
        ("1", "page one"),
        ("2", "page two"),
        ("3", "page three"),
        ("4", "page three, second"),
    ]


@pytest.mark.skipif(not (CORPUS / "pd-essays-paragraph-aligned").is_dir(), reason="no corpus")
def test_a_printed_book_whose_notes_start_again_in_each_chapter() -> None:
    """A PDF of *The Canterville Ghost* with a footnote in every fourth paragraph,
    numbered from 1 in each chapter and set at the foot of its page: every call finds
    its own note (each note says which it is)."""
    _headings, items = corpus_paragraphs(
        CORPUS / "pd-essays-paragraph-aligned" / "the_canterville_ghost_en.txt", limit=120
    )
    parts, number, count = [], 0, 0
    for index, item in enumerate(items):
        if item.startswith("# "):
            parts.append(f"<h2>{item[2:]}</h2>")
            number = 0
            continue
        words = item.split(" ")
        if index % 7 == 1 and len(words) > 12:
            number, count = number + 1, count + 1
            note = f"Editor's note {count}: the first edition reads otherwise here."
            words[11] += f"<span class='fn' data-n='{number}'>{note}</span>"
        parts.append(f"<p>{' '.join(words)}</p>")
    style = """@page { size: A5; margin: 20mm 16mm; }
body { font: 10pt/1.35 "DejaVu Serif"; text-align: justify; }
h2 { font-size: 13pt; page-break-before: always; } p { margin: 0; text-indent: 1.2em; }
.fn { float: footnote; font-size: 8pt; }
.fn::footnote-call { content: attr(data-n); vertical-align: super; font-size: 7pt; }
.fn::footnote-marker { content: attr(data-n) " "; }"""
    html = f"<html><head><style>{style}</style></head><body>{''.join(parts)}</body></html>"
    result = parse(render_pdf(html), "ghost.pdf", language="en")
    calls, notes = calls_and_notes(result)
    assert count > 12
    assert calls == [str(k) for k in range(1, count + 1)]
    assert all(notes[str(k)].startswith(f"Editor's note {k}:") for k in range(1, count + 1))


@pytest.mark.skipif(not (CORPUS / "pd-essays-paragraph-aligned").is_dir(), reason="no corpus")
def test_the_same_short_note_on_several_pages_is_a_note_not_a_running_foot() -> None:
    """A note "1 Ibid." at the foot of four pages recurs like a running foot, but it is a
    footnote's marker and a sentence: the notes stay, each with its call."""
    _headings, items = corpus_paragraphs(
        CORPUS / "pd-essays-paragraph-aligned" / "the_canterville_ghost_en.txt", limit=40
    )
    paragraphs = [item.split(" ") for item in items if not item.startswith("# ")][4:8]
    chapters = "".join(
        f"<h2>Chapter {number}</h2><p>{' '.join(words[:8])}<span class='fn'>Ibid.</span> "
        f"{' '.join(words[8:])}</p>"
        for number, words in enumerate(paragraphs, start=1)
    )
    style = """@page { size: A5; margin: 20mm 16mm; }
body { font: 10pt/1.35 "DejaVu Serif"; } h2 { font-size: 13pt; page-break-before: always; }
.fn { float: footnote; font-size: 8pt; }
.fn::footnote-call { content: "1"; vertical-align: super; font-size: 7pt; }
.fn::footnote-marker { content: "1 "; }"""
    html = f"<html><head><style>{style}</style></head><body>{chapters}</body></html>"
    result = parse(render_pdf(html), "ibid.pdf", language="en")
    calls, notes = calls_and_notes(result)
    assert notes == {str(k): "Ibid." for k in range(1, 5)}
    assert calls == ["1", "2", "3", "4"]
    assert not any("running head" in warning for warning in result.warnings)
