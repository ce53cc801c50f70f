"""PDF import on real public PDFs (tests/formats/files/real, sources and licences in its
README): a two-column ACL paper with footnotes (pdfTeX), a Word/Distiller edition and a
LaTeX edition of public-domain books. What a reader would notice: the order of the text,
page furniture left in it, headings, paragraphs cut at page breaks, lost footnotes,
control or ligature characters."""

from __future__ import annotations

import html
import re

import pytest

from tests.formats.pdf_samples import REAL_HEADINGS, REAL_PDFS
from translator.formats import parse
from translator.formats.base import BlockRole, ParsedText

_CONTROL_OR_LIGATURE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufb00-\ufb06\ufffd]")

ACL_HEADINGS = REAL_HEADINGS["acl-naacl2018-literature-graph.pdf"]


pytestmark = pytest.mark.usefixtures("poppler")


def read(name: str) -> ParsedText:
    return parse((REAL_PDFS / name).read_bytes(), name, language="en")


def texts(result: ParsedText, role: BlockRole | None = None) -> list[str]:
    return [html.unescape(b.text) for b in result.blocks if role is None or b.role is role]


@pytest.fixture(scope="module")
def paper() -> ParsedText:
    return read("acl-naacl2018-literature-graph.pdf")


@pytest.fixture(scope="module")
def martians() -> ParsedText:
    return read("war-of-the-worlds-ch1-2.pdf")


@pytest.fixture(scope="module")
def holmes() -> ParsedText:
    return read("sherlock-scandal-in-bohemia.pdf")


def test_the_papers_section_headings_in_narrow_columns_are_headings(paper: ParsedText) -> None:
    headings = texts(paper, BlockRole.HEADING)
    assert all(heading in headings for heading in ACL_HEADINGS)
    assert [h for h in headings if h in ACL_HEADINGS] == ACL_HEADINGS  # in reading order
    assert len(headings) <= len(ACL_HEADINGS) + 1  # the affiliations' lines, at most, besides
    # short lines of the columns (paragraph ends, a bold lead-in, footnotes) are not
    assert not any(re.match(r"\d+http|Preparing the input", heading) for heading in headings)


def test_the_abstract_heading_stands_alone_under_the_affiliations(paper: ParsedText) -> None:
    found = texts(paper)
    assert "Abstract" in texts(paper, BlockRole.HEADING)
    assert not any(text.endswith("USA Abstract") for text in found)
    assert found[found.index("Abstract") + 1].startswith(
        "We describe a deployed scalable system for organizing published scientific literature"
    )


def test_numbered_subsections_are_one_level_below_their_sections(paper: ParsedText) -> None:
    levels = {html.unescape(b.text): b.level for b in paper.blocks if b.role is BlockRole.HEADING}
    assert [levels[h] for h in ("2 Structure of The Literature Graph", "2.1 Node Types")] == [2, 3]
    assert [levels[h] for h in ("4.4 Entity Linking Models", "5 Other Research Problems")] == [3, 2]


def test_the_paper_reads_column_after_column_and_across_pages(paper: ParsedText) -> None:
    joined = " ".join(texts(paper))
    order = [
        "The goal of this work is to facilitate algorithmic discovery",
        "In this paper, we focus on the problem of extracting structured data",
        "In the next section, we start by describing our symbolic representation",
        "The literature graph is a property graph with directed edges.",
        "In this paper, we discuss the construction of a graph",
    ]
    positions = [joined.find(sentence) for sentence in order]
    assert -1 not in positions and positions == sorted(positions)
    # the sentence cut by the end of page 1 (its page number "84" between) is whole
    assert any(
        "large labeled datasets such as CoNLL-2003 and ACE-2005 (e.g., Lample et al., 2016), "
        "and assume that entity types" in text
        for text in texts(paper, BlockRole.PARAGRAPH)
    )


def test_the_papers_footnotes_are_kept(paper: ParsedText) -> None:
    joined = " ".join(texts(paper))
    assert "Due to space constraints, we opted not to discuss our relation extraction" in joined
    assert "We also experimented with a “pure” rules-based approach" in joined


def test_the_papers_footnotes_at_column_feet_are_footnotes_out_of_the_text(
    paper: ParsedText,
) -> None:
    """Set in a smaller font at the foot of a column, their markers glued to their first
    word ("1Due to…", "3https://…"), one in the middle of a paragraph that goes on in
    the next column: fifteen footnotes, after the text, none left in a paragraph."""
    notes = [(b.label, html.unescape(b.text)) for b in paper.blocks if b.role is BlockRole.FOOTNOTE]
    assert [label for label, _text in notes] == [str(number) for number in range(1, 16)]
    assert notes[0] == (
        "1",
        "Due to space constraints, we opted not to discuss our relation extraction models in "
        "this draft.",
    )
    assert notes[2] == ("3", "https://pdfbox.apache.org")
    assert notes[5] == (
        "6",
        "We use v3.4 (L0) of MetaMap Lite, available at "
        "https://metamap.nlm.nih.gov/MetaMapLite.shtml",
    )
    assert notes[8] == (
        "9",
        "Variants of this problem are also known as deduplication or record linkage.",
    )
    assert {b.role for b in paper.blocks[-15:]} == {BlockRole.FOOTNOTE}
    paragraphs = texts(paper, BlockRole.PARAGRAPH)
    assert not any(
        re.search(r"\b\d{1,2}(?:https?:|Due to|Variants of)", text) for text in paragraphs
    )
    assert any(  # the paragraph footnote 9 cut in two
        "a wealth of information (e.g., at what rate a paper is being cited and whether it is "
        "accelerating), and opens the door" in text
        for text in paragraphs
    )


@pytest.mark.parametrize(
    "name",
    [
        "acl-naacl2018-literature-graph.pdf",
        "war-of-the-worlds-ch1-2.pdf",
        "sherlock-scandal-in-bohemia.pdf",
    ],
)
def test_no_control_or_ligature_character_nor_bare_page_number(name: str) -> None:
    result = read(name)
    assert result.blocks
    assert not [text for text in texts(result) if _CONTROL_OR_LIGATURE.search(text)]
    assert not [text for text in texts(result) if re.fullmatch(r"[\d\s]+|\d+ of \d+", text)]


def test_a_books_running_heads_and_page_numbers_are_gone(
    martians: ParsedText, holmes: ParsedText
) -> None:
    assert not any("of 293" in text for text in texts(martians))
    assert " ".join(texts(martians)).count("The War of the Worlds") == 0
    assert not any("ADVENTURE I." in text for text in texts(holmes))


def test_a_two_line_chapter_heading_is_one_heading(
    martians: ParsedText, holmes: ParsedText
) -> None:
    assert texts(martians, BlockRole.HEADING) == ["CHAPTER TWO THE FALLING STAR"]
    assert texts(holmes, BlockRole.HEADING) == REAL_HEADINGS["sherlock-scandal-in-bohemia.pdf"]
    assert "A Scandal In Bohemia 3" in texts(holmes, BlockRole.LIST_ITEM)  # the contents


def test_a_part_number_over_a_drop_cap_is_a_heading_and_the_drop_cap_joins_its_word(
    holmes: ParsedText,
) -> None:
    """ "I" (bold, smaller than the title) over the drop cap "T" (eight times the body's
    size) and "O Sherlock Holmes…", the rest of the word in small capitals."""
    found = texts(holmes)
    start = found.index("Adventure I A Scandal In Bohemia")
    assert found[start + 1] == "I"
    assert found[start + 2].startswith("To Sherlock Holmes she is always the woman. I have")
    levels = [b.level for b in holmes.blocks if b.role is BlockRole.HEADING]
    assert levels == [2, 2, 3]


def test_a_books_paragraphs_are_not_cut_at_page_breaks(
    martians: ParsedText, holmes: ParsedText
) -> None:
    paragraphs = texts(martians, BlockRole.PARAGRAPH)
    assert any(
        "how unlikely it was that organic evolution had taken the same direction" in text
        for text in paragraphs
    )
    assert any(
        "with that swift fate hanging over us, men could go about" in text for text in paragraphs
    )
    assert any(
        "and finally of the mission which he had accomplished so delicately" in text
        for text in texts(holmes, BlockRole.PARAGRAPH)
    )
