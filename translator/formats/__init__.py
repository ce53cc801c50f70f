"""Import adapters: bytes of an uploaded file in, ``ParsedText`` (see ``base``) out.

Pure code: no Flask, no database; each adapter's library is imported only here.

**One markup convention for every adapter.** ``Block.text`` is always inline HTML
restricted to ``base.INLINE_TAGS``: text is HTML-escaped (``&`` → ``&amp;``, ``<`` →
``&lt;``, ``>`` → ``&gt;``; quotes are left alone) and the only tags are whitelisted
ones, with attribute values escaped. Plain-text adapters ("text", "pdftext") therefore
return escaped text with no tags ("AT&T <b>" → "AT&amp;T &lt;b&gt;"), and Markdown
adds ``em``, ``strong``, ``code``, ``a`` and ``br``. A consumer never needs to know
which adapter produced a block: ``html.unescape`` after stripping tags gives plain text,
and the string can be rendered as is once the tag whitelist is applied.

Other conventions: ``Block.line`` is the 1-based source line where the block starts
(DOCX and ODT, which have no lines: the paragraph's number); headings carry ``level``
(1-6; "pdftext" headings are 2, a document title being 1, and 3 or deeper for one
numbered under another, "1." under "III.", "2.1" under "2"), list items their nesting
depth (1 = top), and an item of a numbered list its number as the source shows it in
``label`` ("1.", "b)", "2.1.", "iv."; a bullet item has none); FOOTNOTE blocks carry the
footnote's ``label`` ("1", "note"), the same string a reference shows in the text as
``[label]`` (Markdown) or as found (PDF text: "POUM.2", "Catalan.[1]"); the adapters of
files whose notes are structured (DOCX, ODT, HTML, EPUB) write every call as ``[label]``.
FOOTNOTE blocks come after all other blocks; a note of several paragraphs is several
blocks with its label in a row, and no two notes share a label (``note_labels``
numbers notes 1 to N, calls rewritten as ``[k]``, when the source numbered them again by
chapter or page). ``ParsedText.title`` is plain text (not
escaped). ``ParsedText.warnings`` are user-facing notes ("line 12: code block kept out of
translation").

To add an adapter, register a function ``(data: bytes, filename: str) -> ParsedText`` in
``ADAPTERS`` (binary formats such as DOCX), or wrap a ``(text: str) -> ParsedText``
function with ``text_adapter`` (it decodes the bytes first with ``decode_text``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from translator.errors import InputError
from translator.formats.base import Block, ParsedText
from translator.formats.detect import detect_format
from translator.formats.docx import parse_docx
from translator.formats.epub import parse_epub
from translator.formats.htmlpage import parse_html
from translator.formats.markdown import parse_markdown
from translator.formats.note_labels import unique_note_labels
from translator.formats.odt import parse_odt
from translator.formats.pdf import parse_pdf
from translator.formats.pdfclean import repair_lost_ligatures
from translator.formats.pdftext import parse_pdftext
from translator.formats.plaintext import decode_text, parse_plaintext

__all__ = ["ADAPTERS", "LANGUAGE_REPAIRS", "Adapter", "detect_format", "parse", "text_adapter"]

Adapter = Callable[[bytes, str], ParsedText]
# What no stored text may hold: PostgreSQL refuses NUL (a worker crashed on one), and
# the other C0/C1 controls and lone surrogates are never prose. decode_text removes them
# already; this is the net under every adapter, present and future.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_adapter(parse_text: Callable[[str], ParsedText]) -> Adapter:
    """Make an adapter from a text parser: decode the bytes, then parse the text.

    An ``InputError`` of the parser that names no file is given ``filename``."""

    def adapter(data: bytes, filename: str) -> ParsedText:
        text = decode_text(data, filename)
        try:
            return parse_text(text)
        except InputError as exc:
            exc.file = exc.file or filename
            raise

    adapter.__doc__ = parse_text.__doc__
    return adapter


ADAPTERS: dict[str, Adapter] = {
    "text": text_adapter(parse_plaintext),
    "pdftext": text_adapter(parse_pdftext),
    "markdown": text_adapter(parse_markdown),
    "docx": parse_docx,
    "odt": parse_odt,
    "html": parse_html,
    "epub": parse_epub,
    "pdf": parse_pdf,
}
# Repairs that need the text's language, by the format an adapter reports.
LANGUAGE_REPAIRS: dict[str, Callable[[ParsedText, str], ParsedText]] = {
    "pdf": repair_lost_ligatures,
    "pdftext": repair_lost_ligatures,
}


def parse(
    data: bytes, filename: str = "<input>", format: str = "auto", language: str | None = None
) -> ParsedText:
    """Import an uploaded file: decode, detect the format (when "auto") and dispatch.

    ``language`` (a BCP 47 code), when given, lets the adapter's ``LANGUAGE_REPAIRS``
    run (words of PDF text cut by lost ligatures, checked against a word list).
    ``format`` is "auto" or a key of ``ADAPTERS``. No control character (NUL above
    all) or lone surrogate survives in a block, a label or the title. Raises
    ``InputError`` with ``field="format"`` for an unknown format, and ``InputError``
    naming the file for unreadable input or a file with no text to translate.
    """
    if format != "auto" and format not in ADAPTERS:
        known = ", ".join(["auto", *sorted(ADAPTERS)])
        raise InputError(
            f"unknown format {format!r} (expected one of: {known})", file=filename, field="format"
        )
    name = detect_format(data, filename) if format == "auto" else format
    result = ADAPTERS[name](data, filename)
    repair = LANGUAGE_REPAIRS.get(result.format)
    if language and repair is not None:
        result = repair(result, language)
    result = unique_note_labels(_storable(result))
    if not result.blocks:
        raise InputError("the file contains no text to translate", file=filename)
    return result


def _storable(result: ParsedText) -> ParsedText:
    """``result`` without control characters or lone surrogates in any text it holds."""
    blocks: list[Block] = []
    for block in result.blocks:
        if _UNSTORABLE.search(block.text) or (block.label and _UNSTORABLE.search(block.label)):
            label = _UNSTORABLE.sub("", block.label) if block.label else block.label
            block = dataclasses.replace(block, text=_UNSTORABLE.sub("", block.text), label=label)
        if block.text.strip():
            blocks.append(block)
    title = _UNSTORABLE.sub("", result.title) if result.title else result.title
    warnings = [_UNSTORABLE.sub("", warning) for warning in result.warnings]
    return dataclasses.replace(result, blocks=blocks, title=title or None, warnings=warnings)
