"""Cutting over-long "sentences" into pieces: where, how fast, and what never changes."""

from __future__ import annotations

import re
import time
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from translator.text.inline import normalize_whitespace
from translator.text.long_sentences import LONG_SENTENCE_LENGTH, split_long_sentence
from translator.text.segmentation import MAX_SEGMENT_LENGTH, split_sentences

PROTECTED = re.compile(
    r"<[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
PIECES = [
    "word",
    "longerword",
    "x" * 30,
    ",",
    ";",
    ".",
    ":",
    "—",
    " — ",
    "，",
    "。",
    "、",
    "你好世界",
    "e\u0301",
    "\u0915\u094d\u0937",  # Devanagari conjunct: a virama between consonants
    "👍🏽",
    "👩\u200d👩\u200d👧",
    "\u00a0",
    "&amp;",
    "&quot;",
    "&#160;",
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<br>",
    '<a href="https://example.org/a b;c, d">',
    "</a>",
    "»",
    "”",
]
SPACED = (
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "  "])), max_size=120)
    .map(lambda parts: normalize_whitespace("".join(piece + space for piece, space in parts)))
    .filter(bool)
)


def cuts_of(sentence: str, pieces: list[str]) -> list[int]:
    """Check that the pieces are the sentence, in order, minus one space at some cuts;
    return the offsets of the cuts."""
    position, cuts = 0, []
    for index, piece in enumerate(pieces):
        if index:
            cuts.append(position)
            if sentence[position] == " ":
                position += 1
        assert sentence.startswith(piece, position), (sentence, pieces, position)
        position += len(piece)
    assert position == len(sentence)
    return cuts


def check(sentence: str, limit: int) -> list[str]:
    pieces = split_long_sentence(sentence, limit)
    assert all(piece and piece == piece.strip(" ") for piece in pieces)
    assert all(len(piece) <= limit for piece in pieces), [len(p) for p in pieces]
    cuts = cuts_of(sentence, pieces)
    # Modulo whitespace, the pieces give the sentence back.
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", sentence)
    for span in PROTECTED.finditer(sentence):
        assert not any(span.start() < cut < span.end() for cut in cuts), (span, cuts)
    return pieces


@settings(max_examples=300, deadline=None)
@given(SPACED, st.integers(60, 400))
def test_pieces_rejoin_to_the_text_and_none_exceeds_the_limit(sentence: str, limit: int) -> None:
    check(sentence, limit)


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=1, max_size=600).map(normalize_whitespace).filter(bool), st.integers(40, 120)
)
def test_any_text_is_cut_losslessly(sentence: str, limit: int) -> None:
    check(sentence, limit)


def test_a_sentence_within_the_limit_comes_back_alone() -> None:
    sentence = "word " * 399 + "ends."
    assert len(sentence) == LONG_SENTENCE_LENGTH
    assert split_long_sentence(sentence) == [sentence]


def test_the_limit_is_the_one_segment_limit_or_below() -> None:
    assert LONG_SENTENCE_LENGTH <= MAX_SEGMENT_LENGTH


def test_clause_ends_come_before_commas_and_commas_before_spaces() -> None:
    text = "alpha beta gamma; delta, epsilon zeta eta"
    assert split_long_sentence(text, 30) == ["alpha beta gamma;", "delta, epsilon zeta eta"]
    text = "alpha beta gamma, delta epsilon zeta eta"
    assert split_long_sentence(text, 30) == ["alpha beta gamma,", "delta epsilon zeta eta"]
    assert split_long_sentence("alpha beta gamma delta epsilon", 20) == [
        "alpha beta gamma",
        "delta epsilon",
    ]


def test_a_spaced_dash_starts_the_next_piece() -> None:
    assert split_long_sentence("one two three — four five six", 20) == [
        "one two three",
        "— four five six",
    ]


def test_closing_quotes_and_tags_stay_with_the_clause_they_close() -> None:
    text = "<em>one two three.</em>” four five six seven"
    assert split_long_sentence(text, 40)[0] == "<em>one two three.</em>”"


def test_a_break_outside_an_element_is_preferred() -> None:
    text = "one two three four five six, <em>seven, eight</em> nine ten eleven"
    pieces = split_long_sentence(text, 50)
    assert pieces == ["one two three four five six,", "<em>seven, eight</em> nine ten eleven"]


def test_chinese_is_cut_after_its_punctuation_without_spaces() -> None:
    text = "我们的目标是共产主义，" * 3 + "我们的目标是共产主义。" * 3
    pieces = split_long_sentence(text, 40)
    assert all(piece[-1] in "，。" for piece in pieces)
    assert "".join(pieces) == text


def test_a_hard_cut_never_splits_a_tag_an_entity_or_a_character() -> None:
    word = "e\u0301" * 30
    pieces = split_long_sentence(word, 25)
    assert all(not unicodedata.combining(piece[0]) for piece in pieces)
    entities = "&amp;" * 10
    assert (
        split_long_sentence(entities, 12)
        == ["&amp;&amp;", "&amp;&amp;", "&amp;&amp;"] + ["&amp;&amp;"] * 2
    )
    tag = '<a href="https://example.org/a-long-path">'
    tagged = tag + "x" * 30 + "</a>"
    assert check(tagged, 45)[0] == tag + "xxx"
    # A single tag longer than the limit is kept whole (no adapter writes one).
    assert split_long_sentence(tagged, 30)[0] == tag


def test_five_megabytes_without_a_sentence_end_are_cut_in_linear_time() -> None:
    paragraph = "word and another word, then more words " * 130_000  # 5 MB
    started = time.perf_counter()
    sentences = split_sentences(paragraph, "en")
    pieces = [piece for sentence in sentences for piece in split_long_sentence(sentence)]
    elapsed = time.perf_counter() - started
    assert len(sentences) == 1
    assert len(pieces) > 2_500
    assert max(len(piece) for piece in pieces) <= LONG_SENTENCE_LENGTH
    assert elapsed < 15, elapsed  # about 2 s measured; a quadratic cut would take hours
    unspaced = "x" * 5_000_000
    started = time.perf_counter()
    assert len(split_long_sentence(unspaced)) == 2_500
    assert time.perf_counter() - started < 10
