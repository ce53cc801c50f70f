"""Deeply nested Markdown: imported whole, or refused naming the line, never cut short.

markdown-it drops everything past its nesting limit without a word; these inputs lost
1 981 of 2 000 lines before. Each test counts the words it put in and finds them all."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.errors import InputError
from translator.formats import parse
from translator.formats.base import BlockRole, ParsedText
from translator.formats.markdown import MAX_CONTAINER_DEPTH, MAX_LIST_LEVEL, parse_markdown

WORD = re.compile(r"\bw[0-9]+\b")
WARNED_LINES = re.compile(r"^lines? ([0-9]+)(?:-([0-9]+))?: ")


def words_in(text: str) -> set[str]:
    return set(WORD.findall(text))


def imported_words(result: ParsedText) -> set[str]:
    return words_in(" ".join(block.text for block in result.blocks))


def assert_nothing_lost(source: str, result: ParsedText) -> None:
    """Every word of ``source`` is in a block, or on a line that a warning names."""
    warned: set[int] = set()
    for warning in result.warnings:
        match = WARNED_LINES.match(warning)
        if match:
            first = int(match[1])
            warned.update(range(first, int(match[2] or first) + 1))
    lines = source.split("\n")
    expected = {w for n, line in enumerate(lines, 1) if n not in warned for w in words_in(line)}
    missing = expected - imported_words(result)
    assert not missing, f"{len(missing)} words lost, e.g. {sorted(missing)[:5]}"


def timed_parse(source: str) -> tuple[ParsedText, float]:
    started = time.perf_counter()
    result = parse(source.encode(), "deep.md", "markdown")
    return result, time.perf_counter() - started


def test_two_thousand_nested_quotes_on_one_line_are_one_quote() -> None:
    source = "> " * 2000 + "w1 w2\n\nw3\n"
    result, elapsed = timed_parse(source)
    assert [(b.role, b.text) for b in result.blocks] == [
        (BlockRole.QUOTE, "w1 w2"),
        (BlockRole.PARAGRAPH, "w3"),
    ]
    assert elapsed < 2


def test_two_thousand_lines_each_one_quote_deeper_lose_no_word() -> None:
    source = "".join("> " * depth + f"w{depth}\n\n" for depth in range(1, 2001))
    result, elapsed = timed_parse(source)
    assert_nothing_lost(source, result)
    assert len(result.blocks) == 2000
    assert {block.role for block in result.blocks} == {BlockRole.QUOTE}
    assert elapsed < 20, elapsed  # 3 s measured (the input is 4 MB of ">")


@pytest.mark.parametrize("marker", ["- ", "1. "])
def test_a_list_two_hundred_deep_is_imported_whole_with_capped_levels(marker: str) -> None:
    indent = " " * len(marker)
    source = "".join(indent * depth + f"{marker}w{depth}\n" for depth in range(200))
    result, elapsed = timed_parse(source)
    assert_nothing_lost(source, result)
    levels = [block.level for block in result.blocks]
    assert levels == [*range(1, MAX_LIST_LEVEL + 1), *[MAX_LIST_LEVEL] * (200 - MAX_LIST_LEVEL)]
    assert elapsed < 2


def test_a_list_deeper_than_the_limit_is_refused_at_the_line_that_goes_too_deep() -> None:
    source = "Intro w0.\n\n" + "".join("  " * depth + f"- w{depth}\n" for depth in range(400))
    with pytest.raises(InputError) as caught:
        parse(source.encode(), "deep.md", "markdown")
    assert caught.value.file == "deep.md"
    assert caught.value.line == 2 + MAX_CONTAINER_DEPTH + 1
    assert f"more than {MAX_CONTAINER_DEPTH} deep" in caught.value.message


def test_quotes_and_lists_mixed_are_imported_whole_or_refused_at_a_line() -> None:
    mixed = "".join("    " * depth + f"- > w{depth}\n" for depth in range(100))
    result, elapsed = timed_parse(mixed)
    assert_nothing_lost(mixed, result)
    assert elapsed < 2
    inline = "- > " * 120 + "w1\n\n" + "> - " * 120 + "w2\n"
    assert_nothing_lost(inline, timed_parse(inline)[0])
    too_deep = "Fine w1.\n\n" + "- > " * 1000 + "w2\n"
    with pytest.raises(InputError) as caught:
        parse(too_deep.encode(), "mix.md", "markdown")
    assert (caught.value.file, caught.value.line) == ("mix.md", 3)


def test_lazy_lines_under_a_deep_quote_are_kept() -> None:
    source = "> " * 500 + "w1\n" + "> " * 300 + "w2\nw3\n\n" + "> " * 40 + "- w4\n"
    result, _elapsed = timed_parse(source)
    assert_nothing_lost(source, result)
    assert [block.role for block in result.blocks] == [BlockRole.QUOTE, BlockRole.LIST_ITEM]


def test_deep_nesting_costs_time_in_proportion_to_its_size() -> None:
    # 20 000 lines inside a list 200 deep (8 MB of indentation): linear, about 10 s.
    lines = 2_000
    body = "".join("  " * 200 + f"w{1000 + n}\n" for n in range(lines))
    source = "".join("  " * depth + f"- w{depth}\n" for depth in range(200)) + body
    result, small = timed_parse(source)
    assert_nothing_lost(source, result)
    body = "".join("  " * 200 + f"w{1000 + n}\n" for n in range(4 * lines))
    source = "".join("  " * depth + f"- w{depth}\n" for depth in range(200)) + body
    result, large = timed_parse(source)
    assert_nothing_lost(source, result)
    assert large < 8 * small + 1, (small, large)  # 4 times the input, not 16 times the time


LINE_PREFIXES = ["> ", ">", "- ", "* ", "1. ", "2) ", "  ", "   ", "    ", "\t", "# ", "[^n]: "]


@st.composite
def nested_documents(draw: st.DrawFn) -> str:
    """Lines of random container prefixes, each ending with its own word, sometimes
    separated by a blank line; some prefixes repeated hundreds of times."""
    lines = []
    for number in range(draw(st.integers(1, 40))):
        prefix = "".join(draw(st.lists(st.sampled_from(LINE_PREFIXES), max_size=8)))
        prefix *= draw(st.sampled_from([1, 1, 1, 2, 50, 300]))
        prefix = prefix.replace("[^n]", f"[^n{number}]")
        lines.append(f"{prefix}w{number}" + draw(st.sampled_from(["", "", "\n"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(nested_documents())
def test_no_nesting_loses_a_word_without_a_warning_or_an_error(source: str) -> None:
    try:
        result = parse_markdown(source)
    except InputError as error:
        assert error.line is not None and "deep" in error.message
        return
    assert_nothing_lost(source, result)
