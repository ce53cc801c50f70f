"""HTML page import: the charset, the main content, and the page's structure as blocks.

Charset, for a file that came without HTTP headers: a byte-order mark, else the
``<meta charset>`` or ``<meta http-equiv="Content-Type">`` declaration (or an XML
declaration) within the first 4 KB, else ``decode_text``'s detection. A page declared
ISO-8859-1 or ASCII is read as Windows-1252, as browsers do (WHATWG Encoding).

The page is parsed by lxml's HTML parser (libxml2: no network, no DTD, no entity of
the page's own: ``&x;`` of a DOCTYPE stays literal text), with the comments dropped.
What becomes blocks is the structure logic of ``html_structure``, shared with EPUB:
main content only, headings, paragraphs, quotes, lists with their numbers, table
cells, footnotes with their calls, links kept as ``a`` tags (http, https, mailto).
``ParsedText.title`` is the only ``h1`` of the content, else the page's ``<title>``.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from translator.errors import InputError
from translator.formats.base import ParsedText
from translator.formats.decoding import decode_text
from translator.formats.html_structure import HtmlStructure

__all__ = ["decode_html", "looks_like_html", "parse_html"]

_PREFIX = 4096
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.I | re.S)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S
)
_WINDOWS_1252_ALIASES = frozenset({"iso8859-1", "latin-1", "ascii", "iso8859-15"})
_UTF_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32's too


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page: it opens (after an XML declaration and
    comments) with ``<!DOCTYPE html`` or ``<html``."""
    return bool(_HTML_START.match(text[:_PREFIX]))


def decode_html(data: bytes, filename: str) -> str:
    """The page's text, decoded as the module docstring says. ``InputError`` naming the
    file for an empty or binary file, or one whose encoding cannot be told."""
    if data.startswith(_UTF_BOMS):
        return decode_text(data, filename)
    declared = _declared_encoding(data[:_PREFIX])
    if declared is None:
        return decode_text(data, filename)
    if declared.startswith("utf-16") or declared.startswith("utf-32"):
        declared = "utf-8"  # a page read as bytes that declares UTF-16 is not UTF-16
    if declared == "utf-8":
        return decode_text(data, filename)  # strict, with damaged UTF-8 refused by line
    if not data.strip():
        raise InputError("the file is empty", file=filename)
    return data.decode(declared, errors="replace").replace("\r\n", "\n")


def _declared_encoding(prefix: bytes) -> str | None:
    match = _META_CHARSET.search(prefix) or _XML_ENCODING.search(prefix)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return "cp1252" if name in _WINDOWS_1252_ALIASES else name


def parse_html_tree(text: str, filename: str) -> etree._Element:
    """The lxml tree of an HTML page (see the module docstring)."""
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _INTERNAL_SUBSET.sub("", text[:_PREFIX], count=1) + text[_PREFIX:]
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not readable as HTML: {exc}", file=filename) from None
    if root is None:
        raise InputError("not readable as HTML", file=filename)
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":  # libxml2 stops reading there
            raise InputError(
                "elements nest more than 256 deep here; the page cannot be read whole",
                file=filename,
                line=error.line or None,
            )
    return root


def parse_html(data: bytes, filename: str) -> ParsedText:
    """Read an HTML page into blocks: its main content's headings, paragraphs, quotes,
    list items (a numbered item's number as ``label``), table cells and footnotes
    (see ``html_structure``). ``InputError`` naming the file for an unreadable page."""
    root = parse_html_tree(decode_html(data, filename), filename)
    structure = HtmlStructure()
    structure.add_document("", root)
    blocks = structure.blocks()
    title = structure.only_h1() or _page_title(root)
    return ParsedText(blocks=blocks, format="html", title=title, warnings=structure.warnings)


def _page_title(root: etree._Element) -> str | None:
    for element in root.iter("title"):
        title = " ".join((element.text_content() or "").split())
        return title[:500] or None
    return None
