"""parse_pdftext on the real samples (see ../shared/samples/README.md)."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.detect import detect_format
from translator.formats.pdflines import ends_sentence
from translator.formats.pdftext import parse_pdftext
from translator.formats.plaintext import decode_text, parse_plaintext

ESSAY = "samples/bolshevik-counterrevolution.en.pdf.txt"
HEADINGS = [
    "A Predictable Disaster",
    "Lenin: From German Agent to Butcher of the Working Class",
    "A Revolution Derailed",
    "The USSR: Force for Global Counterrevolution and Accomplice of Fascism",
    "The Relevance Today of the Communist Counterrevolution",
]


@pytest.fixture(scope="module")
def essay_text(shared_bytes: Callable[[str], bytes]) -> str:
    return decode_text(shared_bytes(ESSAY), ESSAY)


@pytest.fixture(scope="module")
def essay(essay_text: str) -> ParsedText:
    return parse_pdftext(essay_text)


def paragraphs(result: ParsedText) -> list[str]:
    return [html.unescape(b.text) for b in result.blocks if b.role is BlockRole.PARAGRAPH]


def paragraph_starting(result: ParsedText, start: str) -> str:
    (found,) = [text for text in paragraphs(result) if text.startswith(start)]
    return found


def test_the_five_headings_and_nothing_else(essay: ParsedText) -> None:
    headings = [b for b in essay.blocks if b.role is BlockRole.HEADING]
    assert [h.text for h in headings] == HEADINGS
    assert {h.level for h in headings} == {2}
    assert [h.line for h in headings] == [14, 81, 126, 462, 644]
    assert {b.role for b in essay.blocks} == {BlockRole.HEADING, BlockRole.PARAGRAPH}
    assert essay.warnings == []


def test_every_heading_is_followed_by_its_indented_first_paragraph(
    essay: ParsedText, essay_text: str
) -> None:
    lines = essay_text.split("\n")
    for index, block in enumerate(essay.blocks):
        if block.role is BlockRole.HEADING:
            following = essay.blocks[index + 1]
            assert following.role is BlockRole.PARAGRAPH
            assert following.line is not None
            assert lines[following.line - 1].startswith("   ")


def test_the_first_block_is_the_indented_introduction(essay: ParsedText) -> None:
    first: Block = essay.blocks[0]
    assert first.role is BlockRole.PARAGRAPH
    assert first.line == 1
    assert first.text.startswith("A century ago, on November 7, 1917")
    assert first.text.endswith("between Stalin and Hitler.")


def test_a_paragraph_cut_by_a_blank_line_is_whole(essay: ParsedText) -> None:
    text = paragraph_starting(essay, "The current text is no more than a summary")
    assert "a historical disaster that still resonates in our struggles today" in text
    assert text.endswith("a disaster for humanity.")


@pytest.mark.parametrize(
    ("start", "inside"),
    [
        # A first line that itself ends a sentence, then the blank line.
        ("The German Communist Party aided the Nazi Party", "as well. Between 1928 and 1935"),
        ("Simultaneously, Trotsky carried out", "Czarist army. Under Bolshevik dominion"),
        ("In the same month, June 1918,", "“war communism.” There was nothing"),
        # A page break (three blank lines) in the middle of a sentence.
        ("Subsequently, it became clear", "consequences if things went poorly."),
        ("Apart from his racism, Marx", "One of the strongest features"),
    ],
)
def test_paragraphs_survive_blank_lines_and_page_breaks(
    essay: ParsedText, start: str, inside: str
) -> None:
    assert inside in paragraph_starting(essay, start)


def test_a_full_width_sentence_end_before_a_first_line_is_a_break(essay: ParsedText) -> None:
    assert paragraph_starting(essay, "In the end, Lenin was more faithful")
    previous = paragraph_starting(essay, "On the eve of the Russian Revolution")
    assert previous.endswith("freeing up the Germans’ eastern front.")


def test_no_paragraph_starts_lowercase_and_all_end_a_sentence(essay: ParsedText) -> None:
    texts = paragraphs(essay)
    assert len(texts) == 84
    assert not [text for text in texts if text[0].islower()]
    assert not [text for text in texts if not ends_sentence(text)]


def test_nothing_is_lost_or_reordered(essay: ParsedText, essay_text: str) -> None:
    words = " ".join(html.unescape(block.text) for block in essay.blocks).split()
    assert words == essay_text.split()


def test_compounds_footnote_calls_and_typography_are_kept(
    essay: ParsedText, essay_text: str
) -> None:
    text = " ".join(html.unescape(block.text) for block in essay.blocks)
    assert text.count("anti-capitalist") == essay_text.count("anti-capitalist") == 7
    assert "Marxist Unification, or POUM.2 They" in text
    assert "appeared today in Catalan.[1] It offers" in text
    assert "“Restless Specters of the Anarchist Dead,”" in text
    assert "strategy—to convert" in text


def test_the_essay_is_detected_as_pdf_text(shared_bytes: Callable[[str], bytes]) -> None:
    assert detect_format(shared_bytes(ESSAY), "essay.txt") == "pdftext"


def test_the_listing_gives_the_same_sensible_blocks_as_pdftext_and_as_text(
    shared_bytes: Callable[[str], bytes],
) -> None:
    text = decode_text(shared_bytes("samples/workers-group-listing.txt"))
    as_pdf, as_text = parse_pdftext(text), parse_plaintext(text)
    assert [(b.role, b.text, b.line) for b in as_pdf.blocks] == [
        (b.role, b.text, b.line) for b in as_text.blocks
    ]
    assert len(as_pdf.blocks) == 14
    assert as_pdf.blocks[1].text == "Protests in HK: a talk with the 'Workers Group'"
    assert as_pdf.blocks[-1].text.startswith("Chapter 9 of Book 3 of Ante Ciliga")
