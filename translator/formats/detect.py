"""Guess which adapter suits an upload.

A PDF is "pdf" by its content (``%PDF-``), never by its name. A ZIP archive is a "docx",
"odt" or "epub" by its parts (``safezip.archive_format``); an HTML page is "html" by its
name (``.html``, ``.htm``, ``.xhtml``) or its opening (``<!DOCTYPE html``, ``<html``).
For the rest, "markdown", "pdftext" or "text": the file name decides for
``.md``/``.markdown``; otherwise the text itself: Markdown syntax first (a hard-wrapped
Markdown file is still Markdown), then the marks of text extracted from a PDF, then
plain text. The guess only picks a default: the user can
always choose another format.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import PurePath

from translator.errors import InputError
from translator.formats.decoding import decode_text
from translator.formats.htmlpage import looks_like_html
from translator.formats.pdf import is_pdf
from translator.formats.pdflines import ends_sentence
from translator.formats.safezip import archive_format

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.MULTILINE)
# Bounded, and no "[" inside: "[a [a [a ..." on one long line was quadratic.
_LINK = re.compile(r"!?\[[^\[\]\n]{1,300}\]\([^)\s]{1,500}\)")
_QUOTE = re.compile(r"^>[ \t]+\S", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
_EMPHASIS = re.compile(r"(?:\*\*|__)[^\s*_][^*_\n]*(?:\*\*|__)")
_HYPHEN_WRAP = re.compile(r"[^\W\d_]-\n[ \t]*[^\W\d_]")


def detect_format(data: bytes | str, filename: str = "") -> str:
    """Return the adapter for an upload: "pdf", "docx", "odt", "epub", "html", "markdown",
    "pdftext" or "text" (bytes are decoded first, after the PDF and archive checks).

    "pdf": bytes that start with ``%PDF-`` (whatever the file name); a ``.pdf`` file
    that does not is refused with an ``InputError``.
    "markdown": a Markdown file name, or two ATX headings, or one plus other Markdown
    syntax (a link, a fence, strong emphasis, a block quote), or several inline links.
    "pdftext": a form feed, several hyphenated line ends, or hard-wrapped lines (most
    lines close to the maximum width) with few blank-line paragraph breaks. Otherwise
    "text". Raises ``InputError`` for bytes that are not text (see ``decode_text``), and
    for an archive that is not what its name says (see ``archive_format``).
    """
    if isinstance(data, bytes) and is_pdf(data):
        return "pdf"
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".pdf":
        raise InputError("the file is named .pdf but is not a PDF file", file=filename)
    archive = archive_format(data, filename or "<input>") if isinstance(data, bytes) else None
    if archive:
        return archive
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in _HTML_SUFFIXES:
        return "html"
    text = decode_text(data, filename or "<input>") if isinstance(data, bytes) else data
    if looks_like_html(text):
        return "html"
    if _looks_like_markdown(text):
        return "markdown"
    if "\f" in text or _looks_hard_wrapped(text):
        return "pdftext"
    return "text"


def _looks_like_markdown(text: str) -> bool:
    headings = len(_ATX_HEADING.findall(text))
    links = len(_LINK.findall(text))
    others = (
        links
        + len(_FENCE.findall(text))
        + len(_EMPHASIS.findall(text))
        + (len(_LIST_ITEM.findall(text)) if links else 0)
        + (len(_QUOTE.findall(text)) if headings else 0)
    )
    return headings >= 2 or (headings == 1 and others > 0) or links >= 3


def _looks_hard_wrapped(text: str) -> bool:
    lines = text.split("\n")
    content = [line.rstrip() for line in lines if line.strip()]
    if len(content) < 8:
        return False
    if len(_HYPHEN_WRAP.findall(text)) >= max(2, len(content) // 100):
        return True
    widths = sorted(len(line) for line in content)
    width = widths[(len(widths) - 1) * 9 // 10]
    if not 30 <= width <= 160:  # a PDF page never has 160 characters to a line
        return False
    full = sum(1 for w in widths if w >= 0.85 * width)
    if full < 0.6 * len(content):
        return False
    # Paragraph breaks marked by a blank line: a sentence end, then a blank line.
    blank_breaks = sum(
        1
        for line, following in pairwise(lines)
        if line.strip() and not following.strip() and ends_sentence(line.rstrip())
    )
    return blank_breaks < 0.05 * len(content)
