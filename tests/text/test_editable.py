"""The editable form of segment text: what a textarea shows and how typing is stored."""

from __future__ import annotations

import html
import re
from html.entities import html5
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from translator.text.inline import EDITABLE_TAGS, editable_text, stored_text

EXAMPLES = settings(max_examples=400, deadline=None)
PAIRED_TAGS = ["<em>", "</em>", "<strong>", "</strong>", "<code>", "</code>", "<sup>", "</sup>"]
TAGS = [*PAIRED_TAGS, "<sub>", "</sub>", "<br>", "<br/>", "</a>"]
# Plain-text pieces that look like markup, references or parts of them.
TRICKY = [
    *TAGS,
    '<a href="http://x">',
    '<a href="',
    '">',
    "<",
    ">",
    "&",
    "lt;",
    "amp;",
    "&lt;",
    "&amp;",
    "&#160;",
    "&bogus;",
    "#",
    "160",
    ";",
    '"',
    "'",
    " ",
    "\n",
    "\u00a0",
    "em",
    "é",
    "<script>",
    "javascript:",
    '<a href="javascript:x">',
    '<a href="java&#10;script:x">',
    "<span>",
]
PLAIN_TEXT = st.one_of(
    st.text(max_size=20),
    st.lists(st.sampled_from(TRICKY), max_size=12).map("".join),
)
SAFE_URL = st.builds(
    str.__add__,
    st.sampled_from(["http://", "https://", "mailto:", "HTTPS://", "#", "/", "./", "?"]),
    st.text(alphabet="ax/:?=#;&<>\"' ltampquo0123\t", max_size=15),
)
REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|([A-Za-z][A-Za-z0-9]{1,31}));")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@st.composite
def document_parts(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A segment as ("text", plain text) / ("tag", tag) / ("link", URL) parts."""
    part = st.one_of(
        PLAIN_TEXT.map(lambda text: ("text", text)),
        st.sampled_from(TAGS).map(lambda tag: ("tag", tag)),
        SAFE_URL.map(lambda url: ("link", url)),
    )
    return draw(st.lists(part, max_size=8))


def canonical(parts: list[tuple[str, str]]) -> str:
    """The canonical stored form: ``&amp; &lt; &gt;`` in text, raw ``"``."""
    out = []
    for kind, value in parts:
        if kind == "text":
            out.append(html.escape(value, quote=False))
        elif kind == "tag":
            out.append(value)
        else:
            out.append(f'<a href="{html.escape(value, quote=True)}">')
    return "".join(out)


def spellings(char: str, *, must_encode: str) -> list[str]:
    """The ways ``char`` may be written in stored text."""
    named = {"&": ["&amp;", "&AMP;"], "<": ["&lt;", "&LT;"], ">": ["&gt;"], '"': ["&quot;"]}
    numeric = [f"&#{ord(char)};", f"&#x{ord(char):x};", f"&#X{ord(char):04X};"]
    options = named.get(char, []) + [ref for ref in numeric if html.unescape(ref) == char]
    return options if char in must_encode else [char, *options]


@st.composite
def respelled(draw: st.DrawFn, parts: list[tuple[str, str]]) -> str:
    """The same segment with entities spelled any valid way (``&#60;``, ``&#x26;``...)."""
    out = []
    for kind, value in parts:
        if kind == "tag":
            out.append(value)
            continue
        must = "&<>" if kind == "text" else '&<>"'
        text = "".join(draw(st.sampled_from(spellings(c, must_encode=must))) for c in value)
        out.append(text if kind == "text" else f'<a href="{text}">')
    return "".join(out)


def contains_reference(text: str) -> bool:
    return any(match[1] is None or match[1] + ";" in html5 for match in REFERENCE.finditer(text))


@EXAMPLES
@given(document_parts())
def test_saving_the_editable_form_unchanged_gives_the_stored_text_back(
    parts: list[tuple[str, str]],
) -> None:
    stored = canonical(parts)
    assert stored_text(editable_text(stored)) == stored


@EXAMPLES
@given(st.data())
def test_any_entity_spelling_comes_back_canonical(data: st.DataObject) -> None:
    parts = data.draw(document_parts())
    stored = data.draw(respelled(parts))
    assert stored_text(editable_text(stored)) == canonical(parts)


@EXAMPLES
@given(PLAIN_TEXT)
def test_typed_text_shows_again_as_typed(typed: str) -> None:
    assume(not contains_reference(typed))
    assert editable_text(stored_text(typed)) == typed


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@EXAMPLES
@given(st.one_of(PLAIN_TEXT, st.lists(PLAIN_TEXT, max_size=4).map("".join)))
def test_whatever_is_typed_only_whitelisted_markup_is_stored(typed: str) -> None:
    stored = stored_text(typed)
    parser = TagCollector()
    parser.feed(stored)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in EDITABLE_TAGS
        if tag != "a":
            assert attrs == []
            continue
        assert len(attrs) == 1
        assert attrs[0][0] == "href"
        url = INVISIBLE.sub("", attrs[0][1] or "").lower()
        scheme = re.match(r"([a-z][a-z0-9+.\-]*):", url)
        assert scheme is None or scheme[1] in {"http", "https", "mailto"}
    # Stored once more, the text is a fixed point: nothing drifts on repeated saves.
    again = stored_text(editable_text(stored))
    assert stored_text(editable_text(again)) == again


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('"><img src=x onerror=alert(1)>', '"&gt;&lt;img src=x onerror=alert(1)&gt;'),
        ('<a href="javascript:alert(1)">x</a>', '&lt;a href="javascript:alert(1)"&gt;x</a>'),
        ('<a href="java&#9;script:x">', '&lt;a href="java&#9;script:x"&gt;'),
        ('<a href="&#106;avascript:x">', '&lt;a href="&#106;avascript:x"&gt;'),
        ('<a href="http://x" onclick="y">', '&lt;a href="http://x" onclick="y"&gt;'),
        ("<em onclick=x>a</em>", "&lt;em onclick=x&gt;a</em>"),
        ("<EM>a</EM>", "&lt;EM&gt;a&lt;/EM&gt;"),
        ("AT&T &copy &copy; &lt;", "AT&amp;T &amp;copy &copy; &lt;"),
        ("a < b > c", "a &lt; b &gt; c"),
        (
            '<em>x</em><br><br/><a href="https://x.org/?a=1&b=2">l</a>',
            '<em>x</em><br><br/><a href="https://x.org/?a=1&amp;b=2">l</a>',
        ),
        ('<a href="notes.html#n1">1</a> <a href="mailto:a@b.c">', None),
        ('it\'s "quoted"', None),
    ],
)
def test_typed_markup_is_stored_safely(typed: str, stored: str | None) -> None:
    assert stored_text(typed) == (typed if stored is None else stored)


@pytest.mark.parametrize(
    ("stored", "editable"),
    [
        ("&amp; &lt; &gt; &quot; &#160; &#x27; &eacute;", "& < > \" \u00a0 ' é"),
        ('<em>a</em> <a href="https://x">b</a><br>', '<em>a</em> <a href="https://x">b</a><br>'),
        ('<a href="https://x/?a=1&amp;b=&quot;">', '<a href="https://x/?a=1&b=&quot;">'),
        ("&lt;em&gt;literal&lt;/em&gt;", "&lt;em>literal&lt;/em>"),
        ("&lt;script&gt;", "<script>"),
        ("&amp;lt; is how you write &lt;", "&amp;lt; is how you write <"),
        ("AT&amp;T &amp;bogus;", "AT&T &bogus;"),
        ('<span class="x">imported</span>', '<span class="x">imported</span>'),
    ],
)
def test_editable_form(stored: str, editable: str) -> None:
    assert editable_text(stored) == editable


def test_imported_markup_outside_the_whitelist_is_shown_then_escaped() -> None:
    editable = editable_text('<span class="x">a</span> <em>b</em>')
    assert editable == '<span class="x">a</span> <em>b</em>'
    assert stored_text(editable) == '&lt;span class="x"&gt;a&lt;/span&gt; <em>b</em>'
