"""parse_markdown: one test per construct, and the escaping that keeps Block.text safe."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from translator.formats.base import Block, BlockRole
from translator.formats.markdown import parse_markdown
from translator.formats.markdown_inline import safe_href

HREF = re.compile(r'<a href="([^"]*)">')


def blocks(source: str) -> list[Block]:
    return parse_markdown(source).blocks


def only(source: str) -> Block:
    (block,) = blocks(source)
    return block


def test_headings_keep_their_level_and_line() -> None:
    result = blocks("# One\n\nText.\n\n### Three\n\nSetext\n------\n")
    assert [(b.role, b.text, b.level, b.line) for b in result] == [
        (BlockRole.HEADING, "One", 1, 1),
        (BlockRole.PARAGRAPH, "Text.", None, 3),
        (BlockRole.HEADING, "Three", 3, 5),
        (BlockRole.HEADING, "Setext", 2, 7),
    ]


def test_soft_breaks_become_spaces_and_hard_breaks_br() -> None:
    assert only("one\ntwo  \nthree\\\nfour\n").text == "one two<br>three<br>four"


def test_every_paragraph_of_a_block_quote_is_a_quote() -> None:
    result = blocks("> first\n> still first\n>\n> second\n\nafter\n")
    assert [(b.role, b.text) for b in result] == [
        (BlockRole.QUOTE, "first still first"),
        (BlockRole.QUOTE, "second"),
        (BlockRole.PARAGRAPH, "after"),
    ]


def test_list_items_carry_their_nesting_depth() -> None:
    source = "- one\n- two\n  - two.a\n    1. deep\n  - two.b\n- three\n"
    assert [(b.role, b.text, b.level) for b in blocks(source)] == [
        (BlockRole.LIST_ITEM, "one", 1),
        (BlockRole.LIST_ITEM, "two", 1),
        (BlockRole.LIST_ITEM, "two.a", 2),
        (BlockRole.LIST_ITEM, "deep", 3),
        (BlockRole.LIST_ITEM, "two.b", 2),
        (BlockRole.LIST_ITEM, "three", 1),
    ]


def test_a_loose_list_item_gives_one_block_per_paragraph() -> None:
    result = blocks("1. first para\n\n   second para\n\n2. next item\n")
    assert [(b.role, b.text, b.level, b.line) for b in result] == [
        (BlockRole.LIST_ITEM, "first para", 1, 1),
        (BlockRole.LIST_ITEM, "second para", 1, 3),
        (BlockRole.LIST_ITEM, "next item", 1, 5),
    ]


def test_footnotes_come_last_in_definition_order_with_their_labels() -> None:
    source = (
        "Text[^b] and more[^1].\n\n"
        "[^1]: Numbered note.\n"
        "[^b]: Named note\n\n    with a second paragraph.\n"
        "[^unused]: Never referenced, still kept.\n\n"
        "Closing paragraph.\n"
    )
    result = blocks(source)
    assert result[0].text == "Text[b] and more[1]."
    assert result[1].text == "Closing paragraph."
    assert [(b.role, b.label, b.text) for b in result[2:]] == [
        (BlockRole.FOOTNOTE, "1", "Numbered note."),
        (BlockRole.FOOTNOTE, "b", "Named note"),
        (BlockRole.FOOTNOTE, "b", "with a second paragraph."),
        (BlockRole.FOOTNOTE, "unused", "Never referenced, still kept."),
    ]
    assert result[2].line == 3


def test_an_undefined_footnote_reference_stays_literal() -> None:
    assert only("See[^nowhere].\n").text == "See[^nowhere]."


def test_inline_markup_maps_to_the_whitelisted_tags() -> None:
    text = only("*em* _em_ **strong** `a < b && c` ~~strike~~\n").text
    assert text == (
        "<em>em</em> <em>em</em> <strong>strong</strong> "
        "<code>a &lt; b &amp;&amp; c</code> ~~strike~~"
    )


def test_links_are_kept_for_safe_schemes_and_relative_urls() -> None:
    text = only(
        '[web](https://example.org/a?b=1&c="d") [mail](mailto:x@example.org) '
        "[rel](../other.md#part) [anchor](#top) <https://auto.example/>\n"
    ).text
    assert text == (
        '<a href="https://example.org/a?b=1&amp;c=%22d%22">web</a> '
        '<a href="mailto:x@example.org">mail</a> '
        '<a href="../other.md#part">rel</a> '
        '<a href="#top">anchor</a> '
        '<a href="https://auto.example/">https://auto.example/</a>'
    )


def test_unsafe_links_keep_only_their_text() -> None:
    text = only(
        "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[file](file:///etc/passwd) [*mixed*](JaVaScRiPt:alert(2))\n"
    ).text
    assert text == "click data file <em>mixed</em>"
    assert "href" not in text


def test_safe_href_ignores_whitespace_tricks() -> None:
    assert safe_href("java\tscript:alert(1)") is None
    assert safe_href(" javascript:alert(1)") is None
    assert safe_href("vbscript:x") is None
    assert safe_href("page.html") == "page.html"


def test_raw_html_and_entities_are_escaped_not_passed_through() -> None:
    text = only("Hi <script>alert('x')</script> <b>b</b> AT&T &amp; &copy; 1 < 2\n").text
    assert text == (
        "Hi &lt;script&gt;alert('x')&lt;/script&gt; &lt;b&gt;b&lt;/b&gt; AT&amp;T &amp; © 1 &lt; 2"
    )


def test_images_become_their_alt_text() -> None:
    assert only("See ![a *map* of it](map.png) here.\n").text == "See a <em>map</em> of it here."


def test_code_blocks_are_left_out_with_a_warning() -> None:
    result = parse_markdown("Intro.\n\n```sh\nrm -rf /\n```\n\n    indented code\n\nEnd.\n")
    assert [b.text for b in result.blocks] == ["Intro.", "End."]
    assert result.warnings == [
        "lines 3-5: code block kept out of translation",
        "line 7: code block kept out of translation",
    ]


def test_html_blocks_are_skipped_with_a_warning_and_comments_silently() -> None:
    result = parse_markdown("<!-- toc -->\n\n<div align=center>\nraw\n</div>\n\nText.\n")
    assert [b.text for b in result.blocks] == ["Text."]
    assert result.warnings == ["lines 3-5: raw HTML block skipped"]


def test_tables_become_one_paragraph_per_cell_with_a_warning() -> None:
    result = parse_markdown("| Name | Role |\n|---|---|\n| Ana | *editor* |\n| Rui | |\n")
    assert [(b.role, b.text, b.line) for b in result.blocks] == [
        (BlockRole.PARAGRAPH, "Name", 1),
        (BlockRole.PARAGRAPH, "Role", 1),
        (BlockRole.PARAGRAPH, "Ana", 3),
        (BlockRole.PARAGRAPH, "<em>editor</em>", 3),
        (BlockRole.PARAGRAPH, "Rui", 4),
    ]
    assert result.warnings == ["line 1: table imported as one paragraph per cell"]


def test_front_matter_is_skipped_and_gives_the_title() -> None:
    result = parse_markdown('---\ntitle: "Une histoire"\nlang: fr\n---\n# Heading\n\nText.\n')
    assert result.title == "Une histoire"
    assert [(b.text, b.line) for b in result.blocks] == [("Heading", 5), ("Text.", 7)]


def test_the_only_h1_is_the_title_as_plain_text() -> None:
    assert parse_markdown("# The *Art* &amp; Craft\n\n## Part\n").title == "The Art & Craft"
    assert parse_markdown("# One\n\n# Two\n").title is None
    assert parse_markdown("Just text.\n").format == "markdown"


@given(st.text(alphabet="ab <>&*_`[]()!#>-:/\\\"'\n^\tjavascript", max_size=200))
def test_any_input_gives_only_whitelisted_escaped_markup(
    assert_inline_html: Callable[[str], None], source: str
) -> None:
    for block in parse_markdown(source).blocks:
        assert_inline_html(block.text)
        for href in HREF.findall(block.text):
            assert safe_href(html.unescape(href)) is not None


def test_an_ordered_list_item_carries_its_number_as_label() -> None:
    source = "3. Three\n\n   More of three\n4. Four\n   1) Sub\n   1) Sub\n\n- Dot\n"
    result = parse_markdown(source)
    assert [(b.level, b.label, b.text) for b in result.blocks] == [
        (1, "3.", "Three"),
        (1, None, "More of three"),
        (1, "4.", "Four"),
        (2, "1)", "Sub"),
        (2, "2)", "Sub"),
        (1, None, "Dot"),
    ]
