"""Runs of formatted text (from DOCX, ODT, HTML and EPUB) → the inline-HTML subset of
``base.INLINE_TAGS``, and the few rules the four readers share.

A reader feeds ``InlineText`` pieces of text, each with the marks it carries (bold,
italic, superscript ...) and the link it sits in; ``render`` gives one line of escaped
text with well-nested tags: runs with the same marks merge (Word splits a word into runs
for spelling marks and revisions), white space collapses to one space (a no-break space
stays: it is French typography), and a mark never opens around nothing.

Marks: ``strong`` (bold), ``em`` (italic; an underline, the typewriter's italic, too),
``code``, ``sup``, ``sub``. Links keep only absolute ``http``, ``https`` and ``mailto``
addresses of at most ``MAX_HREF`` characters: a relative link points into a file that
is not imported, and any other scheme (``javascript:``) is never kept. The text stays.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from translator.formats.markdown_inline import safe_href
from translator.text.long_sentences import LONG_SENTENCE_LENGTH

__all__ = ["MARK_ORDER", "InlineText", "kept_href", "letters", "roman"]

MARK_ORDER = ("strong", "em", "code", "sup", "sub")  # nesting order, outermost first
MAX_HREF = LONG_SENTENCE_LENGTH // 2  # a tag must fit whole in a piece of a long sentence
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: a no-break space is kept
_EDGE_SPACES = " \u00a0"
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def kept_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http/https/mailto address short enough to keep."""
    if not url:
        return None
    url = url.strip()
    if safe_href(url) is None or len(html.escape(url, quote=True)) > MAX_HREF:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in _LINK_SCHEMES else None


class InlineText:
    """The inline content of one block, built piece by piece (see the module docstring)."""

    __slots__ = ("_has_text", "_out", "_space", "_stack")

    def __init__(self) -> None:
        self._out: list[str] = []
        self._stack: list[str] = []  # open tags: "a" entries hold the whole opening tag
        self._space = True  # the last character written is a space (or nothing yet)
        self._has_text = False

    def text(self, text: str, marks: frozenset[str] = frozenset(), href: str | None = None) -> None:
        """Append ``text`` (plain, not escaped) carrying ``marks`` inside link ``href``."""
        text = _SPACES.sub(" ", text)
        if not text:
            return
        if self._space and text[0] == " ":
            text = text[1:]
            if not text:
                return
        if text.strip():
            self._open(marks, href)
            self._has_text = True
        self._out.append(html.escape(text, quote=False))
        self._space = text[-1] == " "

    def plain(self, text: str) -> None:
        """Append ``text`` outside every mark and link (a footnote call such as ``[1]``)."""
        self._open(frozenset(), None)
        self.text(text)

    def line_break(self) -> None:
        """A hard line break (``<br>``), outside every mark, never at the block's start."""
        self._open(frozenset(), None)
        if self._out:
            self._out.append("<br>")
            self._space = True

    def render(self) -> str:
        """The block's text: escaped, tags balanced, no white space at either end; an
        empty string when the block holds no text (only breaks or spaces)."""
        if not self._has_text:
            return ""
        self._open(frozenset(), None)
        text = "".join(self._out).strip(_EDGE_SPACES)  # a no-break space too, at the ends
        while text.endswith("<br>"):
            text = text[:-4].rstrip(_EDGE_SPACES)
        while text.startswith("<br>"):
            text = text[4:].lstrip(_EDGE_SPACES)
        return text

    def _open(self, marks: frozenset[str], href: str | None) -> None:
        if not (marks or href or self._stack):
            return
        wanted = [f'<a href="{html.escape(href, quote=True)}">'] if href else []
        wanted += [mark for mark in MARK_ORDER if mark in marks]
        keep = 0
        while keep < min(len(wanted), len(self._stack)) and wanted[keep] == self._stack[keep]:
            keep += 1
        for tag in reversed(self._stack[keep:]):
            self._close_tag(tag)
        for tag in wanted[keep:]:
            self._out.append(tag if tag.startswith("<") else f"<{tag}>")
        self._stack = wanted

    def _close_tag(self, tag: str) -> None:
        name = "a" if tag.startswith("<") else tag
        opening = tag if tag.startswith("<") else f"<{tag}>"
        if self._out and self._out[-1] == opening:
            self._out.pop()  # nothing inside: drop the pair
            return
        # A trailing space goes outside the tag ("<em>word</em> next").
        if self._out and self._out[-1].endswith(" "):
            last = self._out.pop()
            self._out.append(f"{last[:-1]}</{name}> ")
            return
        self._out.append(f"</{name}>")


def roman(number: int) -> str:
    """``number`` in lowercase Roman numerals (1 → "i", 14 → "xiv"); decimal past 3 999."""
    if not 0 < number < 4000:
        return str(number)
    out = []
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def letters(number: int) -> str:
    """``number`` as list letters (1 → "a", 26 → "z", 27 → "aa", as word processors do)."""
    if number < 1:
        return str(number)
    letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26]
    return letter * ((number - 1) // 26 + 1)
