"""DOCX import (Word, LibreOffice, Google Docs): the WordprocessingML parts read with lxml
(entities, DTDs and network off, through ``xmlsafe``) from an archive opened by
``safezip``; python-docx is not needed to read and would hide footnotes and numbering.

Block mapping, for the paragraphs of the body in order (content controls and tracked
insertions included, deletions and drawings left out):

* HEADING: a paragraph whose style, or a style it is based on, is "heading N" (Word's
  built-in names are English whatever the interface's language) or "Title" (level 1, and
  ``ParsedText.title``), or that has an outline level 0-8 (level + 1, at most 6);
* QUOTE: the styles "Quote", "Intense Quote" and "Block Text" (or based on them);
* LIST_ITEM: a paragraph with numbering (its own ``w:numPr`` or its style's); ``level``
  is ``ilvl`` + 1. A numbered item's ``label`` is its number as Word shows it ("1.",
  "a)", "2.1.", "iv."), computed from ``numbering.xml`` (start values, overrides,
  levels restarting under their parent); a bullet has no label;
* PARAGRAPH: every other paragraph, and each paragraph of a table cell (tables become
  one block per cell paragraph, with a warning);
* FOOTNOTE: each paragraph of a footnote, then of an endnote, in the order of their
  calls. Footnotes are labelled "1", "2" ... and endnotes "i", "ii" ... (Word's default
  numbering), or by their custom mark; the call is ``[label]`` in the text.

Inline: bold → ``strong``, italic and underline → ``em``, superscript/subscript →
``sup``/``sub`` (from the run or its character style), external hyperlinks → ``a``
(see ``richtext``), tabs → a space, line breaks → ``<br>``. ``Block.line`` is the
paragraph's number in the body (1-based): a DOCX has no lines.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from translator.errors import InputError
from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.docx_numbering import Numbering
from translator.formats.docx_styles import DocxStyles, W, on_attr, run_marks, val
from translator.formats.richtext import InlineText, kept_href, roman
from translator.formats.safezip import SafeZip, archive_format, resolve_member
from translator.formats.xmlsafe import parse_xml

__all__ = ["parse_docx"]

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"
# Content controls Word fills itself: not text to translate.
_GENERATED_GALLERIES = frozenset({"Table of Contents", "Bibliographies"})
# Containers whose children are runs of the paragraph (or more containers).
_RUN_CONTAINERS = frozenset(
    W + name
    for name in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "bdo", "dir", "moveTo")
)


def parse_docx(data: bytes, filename: str) -> ParsedText:
    """Read a DOCX upload into blocks (module docstring). ``InputError`` naming the file
    (and the part, with its line for malformed XML) for a file that is not a ZIP
    archive, an archive that is not a Word document, an unsafe archive (``safezip``) or
    a damaged part."""
    kind = archive_format(data, filename)
    if kind != "docx":
        raise InputError(
            "this is not a DOCX file: "
            + (f"it looks like {kind.upper()}" if kind else "it is not a ZIP archive"),
            file=filename,
        )
    archive = SafeZip(data, filename)
    main = _main_part(archive)
    if main is None:
        raise InputError("this is not a DOCX file: it has no main document part", file=filename)
    reader = _Reader(archive, main)
    return reader.read()


def _main_part(archive: SafeZip) -> str | None:
    if archive.has("_rels/.rels"):
        rels = _xml(archive, "_rels/.rels")
        for rel in rels.iter(_PKG_RELS + "Relationship"):
            if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
                target = str(rel.get("Target", "")).lstrip("/")
                if archive.has(target):
                    return target
    return "word/document.xml" if archive.has("word/document.xml") else None


def _xml(archive: SafeZip, part: str) -> etree._Element:
    try:
        return parse_xml(archive.read(part), archive.filename)
    except InputError as exc:
        exc.message = f"part {part}: {exc.message}"
        raise


class _Reader:
    def __init__(self, archive: SafeZip, main: str) -> None:
        self.archive = archive
        self.main = main
        self.root = _xml(archive, main)
        self.targets = self._relationships(main)
        self.links = self.targets  # the relationships of the part being read (hyperlinks)
        self.note_links: dict[str, dict[str, tuple[str, str, bool]]] = {}
        self.styles = DocxStyles()
        self.numbering = Numbering()
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.title: str | None = None
        self.paragraph_number = 0
        self.in_table = 0
        self.table_warned = False
        self.notes: dict[str, dict[str, etree._Element]] = {"footnote": {}, "endnote": {}}
        self.called: list[tuple[str, str, str]] = []  # kind, id, label, in call order
        self.label_of: dict[tuple[str, str], str] = {}

    def read(self) -> ParsedText:
        styles = self._part("styles")
        if styles is not None:
            self.styles = DocxStyles.from_xml(styles)
        self._load_numbering()
        self._load_notes()
        body = self.root.find(W + "body")
        if body is None:
            raise InputError(f"part {self.main}: no document body", file=self.archive.filename)
        for paragraph in self._paragraphs(body):
            self._paragraph(paragraph)
        headings = [b for b in self.blocks if b.role is BlockRole.HEADING and b.level == 1]
        title = self.title or (_plain(headings[0].text) if len(headings) == 1 else None)
        return ParsedText(
            blocks=self.blocks + self._footnotes(),
            format="docx",
            title=title,
            warnings=self.warnings,
        )

    # --- parts -----------------------------------------------------------------------

    def _relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id → (type suffix, target, external) of ``part``."""
        rels_name = posixpath.join(
            posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
        )
        if not self.archive.has(rels_name):
            return {}
        found = {}
        for rel in _xml(self.archive, rels_name).iter(_PKG_RELS + "Relationship"):
            kind = str(rel.get("Type", "")).rsplit("/", 1)[-1]
            target = str(rel.get("Target", ""))
            external = rel.get("TargetMode") == "External"
            found[str(rel.get("Id", ""))] = (kind, target, external)
        return found

    def _part_name(self, kind: str) -> str | None:
        for rel_kind, target, external in self.targets.values():
            if rel_kind == kind and not external:
                name = resolve_member(self.main, target) if not target.startswith("/") else target
                name = name.lstrip("/")
                if self.archive.has(name):
                    return name
        return None

    def _part(self, kind: str) -> etree._Element | None:
        name = self._part_name(kind)
        return _xml(self.archive, name) if name else None

    def _load_numbering(self) -> None:
        root = self._part("numbering")
        if root is not None:
            self.numbering = Numbering.from_xml(root)

    def _load_notes(self) -> None:
        for kind in ("footnote", "endnote"):
            name = self._part_name(kind + "s")
            if name is None:
                continue
            root = _xml(self.archive, name)
            self.note_links[kind] = self._relationships(name)  # a note's own hyperlinks
            for note in root.iter(W + kind):
                if note.get(W + "type") in (
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                ):
                    continue
                self.notes[kind][str(note.get(W + "id"))] = note

    # --- style resolution ------------------------------------------------------------

    # --- body ------------------------------------------------------------------------

    def _paragraphs(self, container: etree._Element) -> Iterator[etree._Element]:
        """The paragraphs of ``container`` in order, through tables (``in_table`` counts
        the open ones while their cells are read) and content controls."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                yield child
            elif tag == W + "tbl":
                if not self.table_warned:
                    self.warnings.append(
                        f"paragraph {self.paragraph_number + 1}: table imported as one "
                        "paragraph per cell"
                    )
                    self.table_warned = True
                self.in_table += 1
                for row in child.iter(W + "tr"):
                    if _table_of(row) is child:
                        for cell in row.findall(W + "tc"):
                            yield from self._paragraphs(cell)
                self.in_table -= 1
            elif tag == W + "sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                content = child.find(W + "sdtContent")
                if content is not None and val(gallery) not in _GENERATED_GALLERIES:
                    yield from self._paragraphs(content)
            elif tag in (W + "customXml", W + "ins", W + "smartTag"):
                yield from self._paragraphs(child)

    def _paragraph(self, paragraph: etree._Element) -> None:
        self.paragraph_number += 1
        ppr = paragraph.find(W + "pPr")
        if self.styles.generated(ppr):
            return
        role, level, is_title = self.styles.role(ppr)
        numbering = self.styles.numbering_of(ppr)
        label = None
        if numbering is not None:
            label = self.numbering.label(*numbering)
            if role is not BlockRole.HEADING:
                role, level = BlockRole.LIST_ITEM, numbering[1] + 1
        if self.in_table and role is BlockRole.HEADING:
            role, level = BlockRole.PARAGRAPH, None
        inline = InlineText()
        self._inline(paragraph, inline, None)
        text = inline.render()
        if not text:
            return
        if is_title and self.title is None:
            self.title = _plain(text)
        self.blocks.append(
            Block(
                role,
                text,
                level=level,
                label=label if role is BlockRole.LIST_ITEM else None,
                line=self.paragraph_number,
            )
        )

    def _inline(
        self,
        element: etree._Element,
        inline: InlineText,
        href: str | None,
    ) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, inline, href)
            elif tag == W + "hyperlink":
                target = None
                rel = child.get(R + "id")
                if rel and rel in self.links and self.links[rel][2]:
                    target = kept_href(self.links[rel][1])
                self._inline(child, inline, target or href)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._inline(content, inline, href)
            elif tag in _RUN_CONTAINERS:
                self._inline(child, inline, href)

    def _run(
        self,
        run: etree._Element,
        inline: InlineText,
        href: str | None,
    ) -> None:
        rpr = run.find(W + "rPr")
        marks = run_marks(rpr)
        style_id = val(rpr.find(W + "rStyle")) if rpr is not None else None
        for style in self.styles.chain(style_id):
            marks |= style.marks
        custom_mark = False
        for child in run:
            tag = child.tag
            if tag == W + "t":
                if custom_mark:
                    custom_mark = False
                    continue
                inline.text(child.text or "", marks, href)
            elif tag == W + "tab" or tag == W + "ptab":
                inline.text(" ", marks, href)
            elif tag == W + "br":
                if child.get(W + "type") in (None, "textWrapping"):
                    inline.line_break()
                else:
                    inline.text(" ", marks, href)
            elif tag == W + "cr":
                inline.line_break()
            elif tag == W + "noBreakHyphen":
                inline.text("\u2011", marks, href)
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                mark = self._custom_mark(run, child)
                custom_mark = mark is not None
                label = self._call(kind, str(child.get(W + "id")), mark)
                if label is not None:
                    inline.plain(f"[{label}]")

    def _custom_mark(self, run: etree._Element, reference: etree._Element) -> str | None:
        if not on_attr(reference.get(W + "customMarkFollows")):
            return None
        mark = "".join(t.text or "" for t in run.iter(W + "t")).strip()
        return mark or None

    def _call(self, kind: str, note_id: str, mark: str | None) -> str | None:
        if note_id not in self.notes[kind]:
            return mark
        key = (kind, note_id)
        if key not in self.label_of:
            number = sum(1 for k, _, _ in self.called if k == kind) + 1
            label = mark or (str(number) if kind == "footnote" else roman(number))
            self.label_of[key] = label
            self.called.append((kind, note_id, label))
        return self.label_of[key]

    def _footnotes(self) -> list[Block]:
        blocks: list[Block] = []
        for kind in ("footnote", "endnote"):
            self.links = self.note_links.get(kind, {})
            for called_kind, note_id, label in self.called:
                if called_kind != kind:
                    continue
                for paragraph in self.notes[kind][note_id].iter(W + "p"):
                    inline = InlineText()
                    self._inline(paragraph, inline, None)
                    text = inline.render()
                    if text:
                        blocks.append(Block(BlockRole.FOOTNOTE, text, label=label))
        return blocks


def _table_of(cell: etree._Element) -> etree._Element | None:
    parent = cell.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text)).strip()
