"""Inline HTML of a sentence as a flat list of tokens, for the EPUB and DOCX writers.

Stored text is already inline HTML restricted to ``base.INLINE_TAGS``; a writer still
sanitises it (nh3, exactly those tags, ``href`` only on links, safe schemes only) so that
whatever reaches it, ``<script>`` included, leaves as text or not at all. The tokens are
what both writers need: text (unescaped, with the characters XML refuses removed), tags
opened and closed in balance, line breaks, and footnote calls split out of the text
(``publication.footnote_calls``) so that each writer links calls to its notes.

Shared by ``epub_export`` and ``docx_export`` (the name keeps this helper's prefix); the
English strings both print (the notice, the role names) are here too, in one place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import nh3

from translator.formats.base import INLINE_TAGS
from translator.formats.publication import Notice, Person, footnote_calls
from translator.formats.wording import notice_lines, wording

__all__ = [
    "Break",
    "Call",
    "Close",
    "Open",
    "Text",
    "Token",
    "inline_tokens",
    "is_rtl",
    "note_anchor",
    "notice_sentences",
    "people_lines",
    "plain_text",
    "xml_safe",
]

# What XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF), and
# the C1 controls, which are never prose.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r'<(/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_HREF = re.compile(r'\shref="([^"]*)"')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text (unescaped, XML-safe)."""

    text: str


@dataclass(frozen=True, slots=True)
class Open:
    """An inline element opens: ``tag`` is one of em/strong/code/sup/sub/a; ``href``
    is a link's absolute URL (http, https or mailto), already percent-encoded."""

    tag: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Close:
    """The inline element ``tag`` closes."""

    tag: str


@dataclass(frozen=True, slots=True)
class Break:
    """A line break (``<br>``)."""


@dataclass(frozen=True, slots=True)
class Call:
    """A footnote call: ``text`` as written (``[1]``), ``label`` the note's label."""

    label: str
    text: str


Token = Text | Open | Close | Break | Call


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold nor the C1 controls."""
    return _XML_INVALID.sub("", text)


def sanitize(text: str) -> str:
    """``text`` (inline HTML) with exactly the inline whitelist left, as nh3 writes it."""
    cleaned: str = nh3.clean(
        xml_safe(text),
        tags=set(INLINE_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(_SAFE_SCHEMES),
        link_rel=None,
    )
    return cleaned


def _safe_href(raw: str) -> str | None:
    """An absolute http(s)/mailto URL a reader can follow, percent-encoded; None for a
    relative or odd one (it would point into the book, at nothing)."""
    url = xml_safe(html.unescape(raw)).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.hostname:
        return None
    return _BAD_PERCENT.sub("%25", quote(url, safe=_URL_SAFE))


def inline_tokens(text: str, labels: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of ``text`` (inline HTML), sanitised, with the calls of the footnotes
    ``labels`` split out (never inside a link, where they stay text). Opens and closes
    balance; a link whose URL is not absolute is dropped and its text kept."""
    clean = sanitize(text)
    calls = footnote_calls(clean, set(labels)) if labels else []
    tokens: list[Token] = []
    position = 0
    call_index = 0
    in_link = False
    dropped_link = False

    def add_text(start: int, end: int) -> None:
        nonlocal call_index
        while call_index < len(calls) and calls[call_index].start < end:
            call = calls[call_index]
            call_index += 1
            if call.start < start:
                continue
            _add_text(tokens, clean[start : call.start])
            if in_link:
                _add_text(tokens, clean[call.start : call.end])
            else:
                tokens.append(Call(call.label, html.unescape(clean[call.start : call.end])))
            start = call.end
        _add_text(tokens, clean[start:end])

    for match in _TAG.finditer(clean):
        add_text(position, match.start())
        position = match.end()
        closing, tag = match.group(1) == "/", match.group(2)
        if tag == "br":
            tokens.append(Break())
        elif tag == "a" and not closing:
            href = _HREF.search(match.group(3))
            url = _safe_href(href.group(1)) if href else None
            dropped_link = url is None
            if url is not None:
                tokens.append(Open("a", url))
                in_link = True
        elif tag == "a":
            if not dropped_link:
                tokens.append(Close("a"))
            in_link = dropped_link = False
        elif tag in INLINE_TAGS:
            tokens.append(Close(tag) if closing else Open(tag))
    add_text(position, len(clean))
    return tokens


def _add_text(tokens: list[Token], escaped: str) -> None:
    if escaped:
        text = xml_safe(html.unescape(escaped))
        if text:
            tokens.append(Text(text))


def plain_text(tokens: Iterable[Token], calls: bool = False) -> str:
    """The text of ``tokens`` on one line (breaks become spaces); footnote calls are
    left out unless ``calls``."""
    pieces: list[str] = []
    for token in tokens:
        if isinstance(token, Text):
            pieces.append(token.text)
        elif isinstance(token, Break):
            pieces.append(" ")
        elif isinstance(token, Call) and calls:
            pieces.append(token.text)
    return " ".join("".join(pieces).split())


_RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def is_rtl(language: str) -> bool:
    """Whether ``language`` (a BCP 47 tag) is written right to left."""
    return language.split("-")[0].lower() in _RTL


_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def note_anchor(label: str, taken: set[str]) -> str:
    """A unique XML-id-safe name for the note ``label`` (``1`` -> ``1``, ``a b`` ->
    ``a_b``); ``taken`` collects the names already given."""
    base = _ANCHOR_UNSAFE.sub("_", label)[:40] or "note"
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(name)
    return name


# --- the words a file says, in its edition's language (formats.wording) --------------


def notice_sentences(notice: Notice, language: str) -> list[str]:
    """What a notice says, in the edition's language: the edition is not finished,
    then one sentence per kind of gap with its row numbers."""
    return notice_lines(notice, language)


def people_lines(people: tuple[Person, ...], language: str) -> list[str]:
    """``Name (Translator)`` for each person credited, in order, roles named in the
    edition's language."""
    words = wording(language)
    return [
        f"{person.name} ({words.role(person.role)})" for person in people if person.name.strip()
    ]
