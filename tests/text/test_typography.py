"""Per-language typography: the rules by example, then properties (idempotent, tags,
entities, code and URLs untouched) over generated inline HTML."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.text.typography import typeset

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "Quoi ? Oui ! Non ; peut-être : voilà.",
            f"Quoi{NNBSP}? Oui{NNBSP}! Non{NNBSP}; peut-être{NBSP}: voilà.",
        ),
        ("fr", "Quoi? Oui! Non; ainsi:", f"Quoi{NNBSP}? Oui{NNBSP}! Non{NNBSP}; ainsi{NBSP}:"),
        ("fr", "« Bonjour »", f"«{NBSP}Bonjour{NBSP}»"),
        ("fr", "«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
        ("fr", 'Il dit "bonjour" puis part.', f"Il dit «{NBSP}bonjour{NBSP}» puis part."),
        ("fr", "l'homme", "l’homme"),
        ("fr", "À 10:30, voir x.org/?q=1 ou Quoi ?!", f"À 10:30, voir x.org/?q=1 ou Quoi{NNBSP}?!"),
        (
            "fr",
            "« <em>mot</em> » et <em>mot</em>?",
            f"«{NBSP}<em>mot</em>{NBSP}» et <em>mot</em>{NNBSP}?",
        ),
        ("fr-CA", "Oui?", f"Oui{NNBSP}?"),
        ("pt", 'Ele disse "olá".', "Ele disse «olá»."),
        ("pt-PT", 'Ele disse "olá".', "Ele disse «olá»."),
        ("pt-BR", 'Ele disse "olá".', "Ele disse “olá”."),
        ("en", "He said \"it's fine\" and 'quoted'.", "He said “it’s fine” and ‘quoted’."),
        ("en", "the '90s, 'tis so", "the ’90s, ’tis so"),
        ("en", "two  spaces   here", "two spaces here"),
        ("de", 'zwei  "Leer"  zeichen', 'zwei "Leer" zeichen'),
        ("en", "AT&amp;T &quot;x&quot; &lt;b&gt;", "AT&amp;T &quot;x&quot; &lt;b&gt;"),
    ],
)
def test_rules(language: str, text: str, expected: str) -> None:
    assert typeset(text, language) == expected


def test_tags_code_and_urls_are_untouched() -> None:
    text = (
        '<a href="https://x.org/a?b=1&amp;c=\'d\'">"lien" ?</a> <code>"a" ; b  c</code>'
        " https://x.org/p?q=1;r=2 : fin"
    )
    result = typeset(text, "fr")
    assert result == (
        "<a href=\"https://x.org/a?b=1&amp;c='d'\">«\u00a0lien\u00a0»\u202f?</a> "
        '<code>"a" ; b  c</code> https://x.org/p?q=1;r=2\u00a0: fin'
    )


def test_text_holding_the_stand_ins_is_left_alone() -> None:
    assert typeset("odd \ufdd0 char ?", "fr") == "odd \ufdd0 char ?"


_TAGS = [
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<br>",
    "<a href=\"https://x.org/?a='b' ; c\">",
    "</a>",
]
_PIECES = st.one_of(
    st.sampled_from(_TAGS),
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", '<code>a ; "b"</code>']),
    st.sampled_from(["http://x.org/?a", "10:30"]),
    st.text(alphabet=" abcé'\":;!?«»()-.\u00a0\u202f", max_size=6),
)
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)
_LANGUAGES = st.sampled_from(["fr", "en", "pt", "pt-BR", "de", "fr-CH"])
_MARKUP = re.compile(r"<code>.*?</code>|<[^>]*>|&[#A-Za-z0-9]+;")


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _LANGUAGES)
def test_idempotent(text: str, language: str) -> None:
    once = typeset(text, language)
    assert typeset(once, language) == once


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _LANGUAGES)
def test_tags_entities_and_code_are_kept_in_order(text: str, language: str) -> None:
    assert _MARKUP.findall(typeset(text, language)) == _MARKUP.findall(text)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, _LANGUAGES)
def test_only_quotes_and_spaces_change(text: str, language: str) -> None:
    """Letters and punctuation other than quotes survive, in order."""
    keep = re.compile(r"[^\s\"'«»“”‘’\u00a0\u202f]")
    strip = _MARKUP.sub("", text)
    assert keep.findall(_MARKUP.sub("", typeset(text, language))) == keep.findall(strip)
