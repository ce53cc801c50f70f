"""ODT import (LibreOffice, OpenOffice, and Word's "Save as ODF"): ``content.xml`` and
``styles.xml`` read with lxml (entities, DTDs and network off, through ``xmlsafe``) from
an archive opened by ``safezip``.

Block mapping, in the order of the document's body (sections included; tables of
contents and indexes, which the program generates, left out; so are drawings, frames
and comments):

* HEADING: ``text:h`` (``text:outline-level``, at most 6), and a paragraph in the
  "Title" style (level 1, and ``ParsedText.title``);
* QUOTE: a paragraph whose style is, or inherits from, "Quotations" (LibreOffice's
  "Block Quotation"), "Quote" or "Intense Quote";
* LIST_ITEM: the paragraphs of ``text:list-item`` (``level`` = list depth). A numbered
  item's ``label`` is its number as LibreOffice shows it ("1.", "b)", "2.1."): the list
  style's format, prefix, suffix, start value and displayed levels, ``text:start-value``
  and lists that continue an earlier one (``text:continue-numbering``,
  ``text:continue-list``); a bullet has no label;
* PARAGRAPH: every other ``text:p``, and each paragraph of a table cell (with a warning);
* FOOTNOTE: each paragraph of a ``text:note`` (footnotes, then endnotes, in call order)
  labelled with its citation ("1", "i", or a custom mark); the call is ``[label]``.

Inline: bold → ``strong``; italic or underline → ``em``; raised/lowered text → ``sup``/
``sub`` (from the span's style, automatic or named); ``text:a`` → ``a`` (``richtext``);
``text:s`` → its spaces; tabs → a space; ``text:line-break`` → ``<br>``.
``Block.line`` is the paragraph's number in the body (1-based).

This module walks the body; the styles, their marks and the list labels' formatting are
read by ``formats.odt_styles``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from lxml import etree

from translator.errors import InputError
from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.odt_styles import (
    MAX_LEVEL,
    TEXT,
    Counters,
    OdtStyles,
    number_item,
    read_int,
)
from translator.formats.richtext import InlineText, kept_href, roman
from translator.formats.safezip import SafeZip, archive_format
from translator.formats.xmlsafe import parse_xml

__all__ = ["parse_odt"]

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_QUOTE_STYLES = frozenset({"quotations", "quote", "intense quote", "block quotation"})
_SKIPPED = frozenset(
    TEXT + name
    for name in (
        "table-of-content",
        "alphabetical-index",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
        "bibliography",
        "tracked-changes",
        "sequence-decls",
        "variable-decls",
        "user-field-decls",
    )
) | {OFFICE + "forms", OFFICE + "annotation"}


def parse_odt(data: bytes, filename: str) -> ParsedText:
    """Read an ODT upload into blocks (module docstring). ``InputError`` naming the file
    (and the part, with its line for malformed XML) for a file that is not a ZIP
    archive, an archive that is not an ODF text document, an unsafe archive
    (``safezip``) or a damaged part."""
    kind = archive_format(data, filename)
    if kind != "odt":
        raise InputError(
            "this is not an ODT file: "
            + (f"it looks like {kind.upper()}" if kind else "it is not a ZIP archive"),
            file=filename,
        )
    archive = SafeZip(data, filename)
    content = _xml(archive, "content.xml")
    styles = _xml(archive, "styles.xml") if archive.has("styles.xml") else None
    reader = _Reader(archive.filename)
    if styles is not None:
        reader.styles.load(styles)
    reader.styles.load(content)
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise InputError(
            "this is not a text document: content.xml has no office:text body", file=filename
        )
    reader.container(body)
    return reader.result()


def _xml(archive: SafeZip, part: str) -> etree._Element:
    try:
        return parse_xml(archive.read(part), archive.filename)
    except InputError as exc:
        exc.message = f"part {part}: {exc.message}"
        raise


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.styles = OdtStyles()
        self.blocks: list[Block] = []
        self.notes: dict[str, list[tuple[str, etree._Element]]] = {"footnote": [], "endnote": []}
        self.warnings: list[str] = []
        self.title: str | None = None
        self.paragraph_number = 0
        self.in_table = 0
        self.lists: list[tuple[Counters, str | None]] = []  # open lists: counters, style
        self.list_by_id: dict[str, Counters] = {}
        self.last_list: dict[str | None, Counters] = {}
        self.item: list[str | None] = []  # the label of the open item, until its first block

    # --- body ------------------------------------------------------------------------

    def container(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == TEXT + "p" or tag == TEXT + "h":
                self.paragraph(child)
            elif tag == TEXT + "list":
                self.list(child)
            elif tag == TABLE + "table":
                if self.in_table == 0 and not any("table" in w for w in self.warnings):
                    self.warnings.append(
                        f"paragraph {self.paragraph_number + 1}: table imported as one "
                        "paragraph per cell"
                    )
                self.in_table += 1
                for cell in _cells(child):
                    self.container(cell)
                self.in_table -= 1
            elif tag in _SKIPPED or not isinstance(tag, str):
                continue
            elif tag in (TEXT + "section", TEXT + "index-body", TEXT + "soft-page-break"):
                self.container(child)

    def list(self, element: etree._Element) -> None:
        style = element.get(TEXT + "style-name") or (self.lists[-1][1] if self.lists else None)
        # A nested list counts in its parent's list.
        counters = self.lists[-1][0] if self.lists else self._top_counters(element, style)
        self.lists.append((counters, style))
        for item in element:
            if item.tag == TEXT + "list-item":
                self.item.append(self._number(counters, style, item))
                self.container(item)
                self.item.pop()
            elif item.tag == TEXT + "list-header":
                self.item.append(None)
                self.container(item)
                self.item.pop()
        self.lists.pop()

    def _top_counters(self, element: etree._Element, style: str | None) -> Counters:
        continued = element.get(TEXT + "continue-list")
        counters: Counters | None = None
        if continued and continued in self.list_by_id:
            counters = self.list_by_id[continued]
        elif element.get(TEXT + "continue-numbering") == "true":
            counters = self.last_list.get(style)
        if counters is None:
            counters = Counters(style)
        self.last_list[style] = counters
        own_id = element.get(XML_ID)
        if own_id:
            self.list_by_id[str(own_id)] = counters
        return counters

    def _number(self, counters: Counters, style: str | None, item: etree._Element) -> str | None:
        depth = min(len(self.lists), MAX_LEVEL)
        levels = self.styles.list_styles.get(style or "", {})
        return number_item(levels, counters, depth, read_int(item.get(TEXT + "start-value")))

    def paragraph(self, element: etree._Element) -> None:
        self.paragraph_number += 1
        style_name = element.get(TEXT + "style-name")
        names = [str(style_name or "").lower()]  # a style need not be defined to name it
        names += [style.name for style in self.styles.chain("paragraph", style_name)]
        role, level, is_title = BlockRole.PARAGRAPH, None, False
        if element.tag == TEXT + "h":
            role, level = (
                BlockRole.HEADING,
                min(read_int(element.get(TEXT + "outline-level")) or 1, 6),
            )
        elif "title" in names:
            role, level, is_title = BlockRole.HEADING, 1, True
        elif any(name in _QUOTE_STYLES for name in names):
            role = BlockRole.QUOTE
        label = None
        if self.item and role is not BlockRole.HEADING:
            role, level = BlockRole.LIST_ITEM, min(len(self.lists), 9)
            label, self.item[-1] = self.item[-1], None
        if self.in_table and role is BlockRole.HEADING:
            role, level = BlockRole.PARAGRAPH, None
        inline = InlineText()
        self.inline(element, inline, frozenset(), None)
        text = inline.render()
        if not text:
            return
        if is_title and self.title is None:
            self.title = _plain(text)
        self.blocks.append(Block(role, text, level=level, label=label, line=self.paragraph_number))

    def inline(
        self,
        element: etree._Element,
        inline: InlineText,
        marks: frozenset[str],
        href: str | None,
    ) -> None:
        if element.text:
            inline.text(element.text, marks, href)
        for child in element:
            tag = child.tag
            if tag == TEXT + "span":
                style_marks = self.styles.span_marks(child.get(TEXT + "style-name"))
                self.inline(child, inline, marks | style_marks, href)
            elif tag == TEXT + "a":
                target = kept_href(str(child.get(XLINK + "href") or ""))
                self.inline(child, inline, marks, target or href)
            elif tag == TEXT + "s":
                inline.text(" " * min(read_int(child.get(TEXT + "c")) or 1, 100), marks, href)
            elif tag == TEXT + "tab":
                inline.text(" ", marks, href)
            elif tag == TEXT + "line-break":
                inline.line_break()
            elif tag == TEXT + "note":
                self._call(child, inline)
            elif tag in _SKIPPED or not isinstance(tag, str):
                pass
            elif tag.startswith((TEXT, OFFICE)):
                self.inline(child, inline, marks, href)  # fields, bookmarks, ruby, meta
            if child.tail:
                inline.text(child.tail, marks, href)

    def _call(self, note: etree._Element, inline: InlineText) -> None:
        kind = "endnote" if note.get(TEXT + "note-class") == "endnote" else "footnote"
        citation = note.find(TEXT + "note-citation")
        label = ""
        if citation is not None:
            label = str(citation.get(TEXT + "label") or "".join(citation.itertext())).strip()
        if not label:
            label = (
                str(len(self.notes[kind]) + 1)
                if kind == "footnote"
                else roman(len(self.notes[kind]) + 1)
            )
        body = note.find(TEXT + "note-body")
        if body is not None:
            self.notes[kind].append((label, body))
        inline.plain(f"[{label}]")

    def result(self) -> ParsedText:
        footnotes: list[Block] = []
        saved = self.blocks
        for kind in ("footnote", "endnote"):
            for label, body in self.notes[kind]:
                self.blocks = []
                self.lists, self.item = [], []
                self.container(body)
                footnotes.extend(
                    Block(BlockRole.FOOTNOTE, block.text, label=label, line=block.line)
                    for block in self.blocks
                )
        self.blocks = saved
        headings = [b for b in self.blocks if b.role is BlockRole.HEADING and b.level == 1]
        title = self.title or (_plain(headings[0].text) if len(headings) == 1 else None)
        return ParsedText(
            blocks=self.blocks + footnotes, format="odt", title=title, warnings=self.warnings
        )


def _cells(table: etree._Element) -> Iterator[etree._Element]:
    """The cells of ``table`` in order, through header rows and row groups (not the
    cells of tables nested in them: those are read from their own cell)."""
    for child in table:
        if child.tag == TABLE + "table-cell":
            yield child
        elif child.tag in (
            TABLE + "table-row",
            TABLE + "table-rows",
            TABLE + "table-header-rows",
            TABLE + "table-row-group",
        ):
            yield from _cells(child)


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text)).strip()
