"""parse_plaintext: blank-line paragraphs, escaped text, source lines."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable

from tests.conftest import SHARED
from translator.formats.base import BlockRole
from translator.formats.plaintext import collapse_spaces, decode_text, parse_plaintext


def test_paragraphs_are_separated_by_blank_lines_and_their_lines_joined() -> None:
    result = parse_plaintext("First line\nsecond   line.\n\n\n  Another\tparagraph.  \n")
    assert result.format == "text"
    assert [(b.role, b.text, b.line) for b in result.blocks] == [
        (BlockRole.PARAGRAPH, "First line second line.", 1),
        (BlockRole.PARAGRAPH, "Another paragraph.", 5),
    ]


def test_text_is_html_escaped_like_every_adapter() -> None:
    (block,) = parse_plaintext("AT&T <b>bold</b> & 3 > 2\n").blocks
    assert block.text == "AT&amp;T &lt;b&gt;bold&lt;/b&gt; &amp; 3 &gt; 2"


def test_no_break_spaces_survive_whitespace_squeezing() -> None:
    (block,) = parse_plaintext("Vraiment\u00a0? Oui\u00a0:  «\u00a0non\u00a0»\n").blocks
    assert block.text == "Vraiment\u00a0? Oui\u00a0: «\u00a0non\u00a0»"


def test_a_form_feed_ends_a_paragraph_without_shifting_line_numbers() -> None:
    result = parse_plaintext("page one\n\fpage two\nstill two\n\nthree\n")
    assert [(b.text, b.line) for b in result.blocks] == [
        ("page one", 1),
        ("page two still two", 2),
        ("three", 5),
    ]


def test_short_title_lines_stay_paragraphs() -> None:
    result = parse_plaintext("A Title Without Stop\n\nBody text here.\n")
    assert {block.role for block in result.blocks} == {BlockRole.PARAGRAPH}


def test_whitespace_only_text_gives_no_blocks() -> None:
    assert parse_plaintext(" \n\n\t\n").blocks == []


def test_the_listing_sample_gives_one_paragraph_per_entry(
    shared_bytes: Callable[[str], bytes],
) -> None:
    text = decode_text(shared_bytes("samples/workers-group-listing.txt"))
    blocks = parse_plaintext(text).blocks
    assert len(blocks) == 14
    assert blocks[0].text == "Workers Group"
    assert blocks[3].text == (
        "List otwarty do delegacji robotniczych udających się z Ameryki i Europy do Rosji (1927)"
    )
    assert blocks[4].text.startswith("List opracowany przez międzynarodowych")
    assert blocks[2].text.endswith("in English, French and Portuguese.")
    assert all(block.role is BlockRole.PARAGRAPH for block in blocks)
    assert [block.line for block in blocks[:4]] == [1, 3, 5, 7]


NEWS = SHARED / "corpus" / "ntrex-en-fr-pt" / "newstest2019.en"


def test_ragged_lines_without_blank_lines_are_one_paragraph_each() -> None:
    """One sentence (or paragraph) per line, no blank line: the way exports and many
    editors write text. Each line is a paragraph, not one paragraph of every line."""
    lines = NEWS.read_text(encoding="utf-8").splitlines()[:400]
    parsed = parse_plaintext("\n".join(lines) + "\n")
    expected = [html.escape(collapse_spaces(x), quote=False) for x in lines]
    assert [b.text for b in parsed.blocks] == expected
    assert [b.line for b in parsed.blocks[:3]] == [1, 2, 3]


def test_hard_wrapped_lines_stay_one_paragraph() -> None:
    prose = (
        "It was the best of times, it was the worst of times, it was the age of wisdom, "
        "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
        "incredulity, it was the season of Light, it was the season of Darkness."
    )
    wrapped = textwrap.fill(prose, width=60)
    assert wrapped.count("\n") >= 3
    parsed = parse_plaintext(wrapped + "\n\nSecond paragraph.\n")
    assert [b.text for b in parsed.blocks] == [prose, "Second paragraph."]


def test_two_short_lines_stay_together() -> None:
    # Too few lines to tell wrapping from one sentence per line: kept whole, as always.
    parsed = parse_plaintext("A first line that is rather long, really quite long.\nShort.\n")
    assert len(parsed.blocks) == 1
