"""The styles of a DOCX (``word/styles.xml``) and what a paragraph's style says: a
heading (built-in "heading N" or "Title", or an outline level), a quote ("Quote",
"Intense Quote", "Block Text"), a numbered paragraph (a ``w:numPr`` of the style), or
text Word generates (tables of contents, indexes). Styles inherit through ``basedOn``;
Word's built-in style names are English whatever the interface's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from translator.formats.base import BlockRole
from translator.formats.docx_numbering import MAX_LEVEL

__all__ = ["DocxStyles", "Style", "W", "int_or_none", "on", "on_attr", "run_marks", "val"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"^heading ([1-9])$")
_QUOTE_NAMES = frozenset({"quote", "intense quote", "block text"})
# What Word generates (tables of contents, indexes): not text to translate.
_GENERATED_STYLE = re.compile(r"^(?:toc|index|table of figures)(?: \d| heading)?$")
_FALSE = frozenset({"0", "false", "off", "none"})


@dataclass(slots=True)
class Style:
    """What the import needs of a style: its name, parent, outline level, numbering, marks."""

    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num: tuple[str, int | None] | None = None  # numId, ilvl
    marks: frozenset[str] = frozenset()


def val(element: etree._Element | None, name: str = "val") -> str | None:
    """An element's ``w:`` attribute (``w:val`` by default), None when absent."""
    if element is None:
        return None
    value = element.get(W + name)
    return None if value is None else str(value)


def on(element: etree._Element | None) -> bool:
    """A WordprocessingML toggle (``<w:b/>``, ``<w:b w:val="0"/>``) is set."""
    return element is not None and (val(element) or "1").lower() not in _FALSE


def run_marks(rpr: etree._Element | None) -> frozenset[str]:
    """The inline marks of run properties: bold, italic or underline, super/subscript."""
    if rpr is None:
        return frozenset()
    marks = set()
    if on(rpr.find(W + "b")):
        marks.add("strong")
    if on(rpr.find(W + "i")) or on(rpr.find(W + "u")):
        marks.add("em")
    vertical = val(rpr.find(W + "vertAlign"))
    if vertical == "superscript":
        marks.add("sup")
    elif vertical == "subscript":
        marks.add("sub")
    return frozenset(marks)


def int_or_none(value: str | None) -> int | None:
    """``value`` as an integer; None when absent or not a number."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def on_attr(value: object) -> bool:
    """A WordprocessingML boolean attribute is true."""
    return value is not None and str(value).lower() not in _FALSE


@dataclass(slots=True)
class DocxStyles:
    """The styles by id, and the default paragraph style."""

    styles: dict[str, Style] = field(default_factory=dict)
    default_style: str | None = None

    @classmethod
    def from_xml(cls, root: etree._Element) -> DocxStyles:
        """The styles of a ``w:styles`` part."""
        styles = cls()
        for element in root.iter(W + "style"):
            style_id = str(element.get(W + "styleId", ""))
            name = (val(element.find(W + "name")) or style_id).lower()
            ppr = element.find(W + "pPr")
            outline = val(ppr.find(W + "outlineLvl")) if ppr is not None else None
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            num = None
            if num_pr is not None:
                ilvl = val(num_pr.find(W + "ilvl"))
                num = (val(num_pr.find(W + "numId")) or "0", int_or_none(ilvl))
            styles.styles[style_id] = Style(
                name=name,
                based_on=val(element.find(W + "basedOn")),
                outline=int_or_none(outline),
                num=num,
                marks=run_marks(element.find(W + "rPr")),
            )
            if element.get(W + "type") == "paragraph" and on_attr(element.get(W + "default")):
                styles.default_style = style_id
        return styles

    def chain(self, style_id: str | None) -> Iterator[Style]:
        """The style ``style_id`` and those it is based on, nearest first."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def role(self, ppr: etree._Element | None) -> tuple[BlockRole, int | None, bool]:
        """The role and level of a paragraph, and whether it is the document's title."""
        style_id = val(ppr.find(W + "pStyle")) if ppr is not None else None
        style_id = style_id or self.default_style
        outline = int_or_none(val(ppr.find(W + "outlineLvl"))) if ppr is not None else None
        for style in self.chain(style_id):
            if style.name == "title":
                return BlockRole.HEADING, 1, True
            heading = _HEADING_NAME.match(style.name)
            if heading:
                return BlockRole.HEADING, min(int(heading.group(1)), 6), False
            if style.name in _QUOTE_NAMES:
                return BlockRole.QUOTE, None, False
            if outline is None:
                outline = style.outline
        if outline is not None and 0 <= outline < 9:
            return BlockRole.HEADING, min(outline + 1, 6), False
        return BlockRole.PARAGRAPH, None, False

    def numbering_of(self, ppr: etree._Element | None) -> tuple[str, int] | None:
        """The list (``numId``) and level of a paragraph, its own or its style's."""
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            num_id = val(num_pr.find(W + "numId"))
            ilvl = int_or_none(val(num_pr.find(W + "ilvl")))
        if num_id is None:
            style_id = val(ppr.find(W + "pStyle")) if ppr is not None else None
            for style in self.chain(style_id or self.default_style):
                if style.num is not None:
                    num_id = style.num[0]
                    ilvl = ilvl if ilvl is not None else style.num[1]
                    break
        if num_id is None or num_id == "0":
            return None
        return num_id, min(max(ilvl or 0, 0), MAX_LEVEL - 1)

    def generated(self, ppr: etree._Element | None) -> bool:
        """Whether a paragraph's style is one of a generated table of contents or index."""
        style_id = val(ppr.find(W + "pStyle")) if ppr is not None else None
        return any(_GENERATED_STYLE.match(style.name) for style in self.chain(style_id))
