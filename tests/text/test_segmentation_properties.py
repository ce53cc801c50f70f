"""Properties of segmentation that hold for any text: nothing added, dropped or reordered,
no empty sentence, markup never cut, and Moses' decisions kept on plain English."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sentence_splitter import SentenceSplitter

from translator.text.segmentation import join_sentences, split_sentences

EXAMPLES = settings(max_examples=300, deadline=None)
LANGUAGES = ["en", "fr", "pt"]
# str.isspace() characters minus the no-break spaces, which are content.
COLLAPSIBLE = re.compile(r"[^\S\u00a0\u2007\u202f]+")

# Pieces that exercise every rule; hypothesis glues them together in any order.
SPACE_SEPARATED_PIECES = """
    Dr. M. Mme Sr. Sra. p. ex. n.º séc. U.S. etc. a.C. G. T. G.T. 1.5 3,5 1.º 2.ª XIXe 19th
    1. IV. 1984. word Word É À Ó it The and . ? ! … ... : , « » “ ” ' " ( ) [1] [ ] 2 ¹ — – -
    🙂 שלום مرحبا؟ 你好 。 ！ https://x.org/a.b?c=d. a.b@example.org
    <em> </em> <br> </a> <sup> </sup> &amp; &quot; &lt; &#10; &bogus;
"""
PIECES = [
    *SPACE_SEPARATED_PIECES.split(),
    *[" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u202f", '<a href="x. Y">'],
]
TAGS = ["<em>", "</em>", "<strong>", "</strong>", "<br>", "<br/>", '<a href="a. B">', "</a>"]


def normalized(text: str) -> str:
    return COLLAPSIBLE.sub(" ", text).strip(" ")


def glued(pieces: list[str]) -> str:
    return "".join(pieces)


@st.composite
def text_with_tags(draw: st.DrawFn) -> str:
    """Arbitrary text with a few tags dropped in anywhere (even inside words)."""
    text = draw(st.text())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(TAGS)) + text[at:]
    return text


ANY_TEXT = st.one_of(
    st.text(),
    text_with_tags(),
    st.lists(st.sampled_from(PIECES), max_size=40).map(glued),
    st.text(alphabet=st.sampled_from(" \t\n\u00a0.?!…«»“”—")),
)


def check_round_trip(text: str, sentences: list[str]) -> None:
    assert " ".join(sentences) == normalized(text)
    for sentence in sentences:
        assert sentence
        assert normalized(sentence) == sentence  # stripped, whitespace collapsed


@pytest.mark.parametrize("language", LANGUAGES)
@EXAMPLES
@given(text=ANY_TEXT)
def test_nothing_is_added_dropped_or_reordered(language: str, text: str) -> None:
    check_round_trip(text, split_sentences(text, language))


@EXAMPLES
@given(text=ANY_TEXT)
def test_chinese_only_drops_spaces_between_sentences(text: str) -> None:
    sentences = split_sentences(text, "zh")
    assert all(sentences)
    assert "".join(join_sentences(sentences, "zh").split(" ")) == "".join(
        normalized(text).split(" ")
    )
    if not re.search("[。｡！？]", text):
        check_round_trip(text, sentences)


# Well-formed paragraphs: escaped words and punctuation inside properly nested elements.
WORDS = st.sampled_from(
    ["One.", "Two?", "Three!", "Dr.", "and", "It", "POUM.2", "&amp;", "« Oui. »"]
)


@st.composite
def marked_up(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        if depth < 2 and draw(st.booleans()):
            name = draw(st.sampled_from(["em", "strong", "a", "sup"]))
            opening = '<a href="x.org/a. B">' if name == "a" else f"<{name}>"
            parts.append(f"{opening}{draw(marked_up(depth + 1))}</{name}>")
        else:
            parts.append(draw(WORDS))
    return draw(st.sampled_from([" ", ""])).join(parts)


TAG = re.compile(r"<(/?)([a-z]+)[^<>]*>")


@pytest.mark.parametrize("language", LANGUAGES)
@EXAMPLES
@given(text=marked_up())
def test_every_sentence_keeps_its_markup_whole(language: str, text: str) -> None:
    sentences = split_sentences(text, language)
    check_round_trip(text, sentences)
    for sentence in sentences:
        stack = []
        for tag in TAG.finditer(sentence):
            if tag[1]:
                assert stack.pop() == tag[2], sentence
            else:
                stack.append(tag[2])
        assert not stack, sentence
        outside_tags = TAG.sub("", sentence)
        assert "<" not in outside_tags and ">" not in outside_tags
        assert re.fullmatch(r"([^&]|&amp;)*", outside_tags)


# Plain English without the project's own rules (etc., no., p., dashes, list markers,
# footnote calls, "…", an abbreviation before a quotation): the decisions must be Moses'.
MOSES_VOCABULARY = (
    "word Word The it Dr. Mr. U.S. G. e.g. end. End. 1984. 1984 Why? Yes! wait... ? É"
)
MOSES_WORDS = st.sampled_from([*MOSES_VOCABULARY.split(), '"Quote."', "(paren.)", "“Right.”"])

ABBREVIATIONS = {"Dr.", "Mr.", "U.S.", "G.", "e.g."}


@EXAMPLES
@given(words=st.lists(MOSES_WORDS, min_size=1, max_size=30))
def test_plain_english_agrees_with_sentence_splitter(words: list[str]) -> None:
    kept = [words[0]]
    for word in words[1:]:
        if kept[-1] in ABBREVIATIONS and word[0] in '"“':  # Moses splits "Dr. “Who”"
            kept.append("word")
        if kept[-1] in ("U.S.", "G.") and word == "The":  # we may split: "The" starts
            kept.append("word")  # sentences ("in the U.S. The", "vitamin D. The")
        kept.append(word)
    text = " ".join(kept)
    assert split_sentences(text, "en") == SentenceSplitter("en").split(text)
