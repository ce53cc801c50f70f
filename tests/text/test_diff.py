"""The word diff shown for outdated segments, history and suggestions."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.text.diff import word_diff

EXAMPLES = settings(max_examples=300, deadline=None)
WORDS = ["le", "chat", "chien", "dort", "the", "a", "liberté", "猫", "狗", "<em>", "é", "x"]
SEPARATORS = [" ", " ", ", ", ". ", " — ", "\n", "\u00a0", "", "!"]


def text_from(words: list[str], separators: list[str]) -> str:
    return "".join(word + separator for word, separator in zip(words, separators, strict=False))


WORDY_TEXT = st.builds(
    text_from,
    st.lists(st.sampled_from(WORDS), max_size=60),
    st.lists(st.sampled_from(SEPARATORS), min_size=60, max_size=60),
)
ANY_TEXT = st.one_of(st.text(), WORDY_TEXT)


def check_diff(before: str, after: str, parts: list[tuple[str, str]]) -> None:
    assert "".join(text for op, text in parts if op != "+") == before
    assert "".join(text for op, text in parts if op != "-") == after
    assert all(op in {"=", "-", "+"} and text for op, text in parts)
    assert all(first[0] != second[0] for first, second in itertools.pairwise(parts))


@EXAMPLES
@given(ANY_TEXT, ANY_TEXT)
def test_both_sides_are_rebuilt_exactly(before: str, after: str) -> None:
    check_diff(before, after, word_diff(before, after))


@EXAMPLES
@given(WORDY_TEXT, st.data())
def test_an_edited_paragraph_keeps_what_did_not_change(before: str, data: st.DataObject) -> None:
    words = before.split(" ")
    changed = [data.draw(st.sampled_from([word, "ZZZ"])) for word in words]
    after = " ".join(changed)
    parts = word_diff(before, after)
    check_diff(before, after, parts)
    if "ZZZ" not in after:
        assert parts == ([("=", before)] if before else [])
    else:
        assert all("ZZZ" not in text for op, text in parts if op == "=")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("Le chat", "Le chien", [("=", "Le "), ("-", "chat"), ("+", "chien")]),
        (
            "Le chat dort.",
            "Le chien dort !",
            [("=", "Le "), ("-", "chat"), ("+", "chien"), ("=", " dort"), ("-", "."), ("+", " !")],
        ),
        ("我爱猫", "我爱狗", [("=", "我爱"), ("-", "猫"), ("+", "狗")]),
        ("same text", "same text", [("=", "same text")]),
        ("", "new", [("+", "new")]),
        ("old", "", [("-", "old")]),
        ("", "", []),
        ("a <em>b</em>", "a <em>c</em>", [("=", "a <em>"), ("-", "b"), ("+", "c"), ("=", "</em>")]),
    ],
)
def test_word_diff_examples(before: str, after: str, expected: list[tuple[str, str]]) -> None:
    assert word_diff(before, after) == expected


def paragraph(rng: random.Random, words: int) -> str:
    vocabulary = [f"w{index}" for index in range(400)] + ["the", "of", "and", "a", "de", "la"]
    return "".join(
        rng.choice(vocabulary) + rng.choice([" ", " ", " ", ", ", ". "]) for _ in range(words)
    )


def test_thousand_word_paragraphs_are_fast() -> None:
    rng = random.Random(7)
    before = paragraph(rng, 1000)
    edited = " ".join(word if rng.random() > 0.2 else "edit" for word in before.split(" "))
    unrelated = paragraph(rng, 1000)
    started = time.perf_counter()
    for after in (edited, unrelated, before[::-1], "a " * 1000):
        check_diff(before, after, word_diff(before, after))
    check_diff(
        "a " * 1000,
        "a " * 500 + "b " + "a " * 499,
        word_diff("a " * 1000, "a " * 500 + "b " + "a " * 499),
    )
    # Tens of milliseconds on a laptop; token-by-token difflib took seconds (26 s reversed).
    assert time.perf_counter() - started < 3
