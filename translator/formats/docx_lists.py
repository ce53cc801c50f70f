"""The lists of a DOCX export: bullets in Word's List Bullet styles, numbered lists with
Word's own numbering (``word/numbering.xml``), so that Word counts them in the style
and from the number their labels show ("3.", "b)", "(iv)").

Each numbered list is an instance (``w:num``) of a definition of its own
(``w:abstractNum``): its number format, start and the text around the number; its
items are List Paragraphs at level ``depth - 1``. A list whose labels are no regular
sequence ("2.1." then "3.") keeps them as text, in the List Continue styles; so do an
item's further paragraphs, without a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from translator.formats.lists import WORD_FORMATS, ItemList, Numbering

__all__ = ["ListParagraph", "WordNumbering", "list_paragraphs"]

_LEVELS = 9  # Word's levels: ilvl 0-8
_INDENT = 720  # twentieths of a point per level (half an inch, as Word indents)


@dataclass(frozen=True, slots=True)
class ListParagraph:
    """How one list passage is written: its paragraph ``style``, its numbering
    (``num_id`` and level ``ilvl``, None when Word does not number it) and the label
    written as text before it ("" for none)."""

    style: str
    num_id: int | None = None
    ilvl: int = 0
    label: str = ""


class WordNumbering:
    """Adds numbering definitions to a document's numbering part, numbered after the
    ones its template has (the same ids on every export: files are reproducible)."""

    def __init__(self, document: Document) -> None:
        self.root = document.part.numbering_part.element
        self.abstract_ids = [
            int(element.get(qn("w:abstractNumId")))
            for element in self.root.findall(qn("w:abstractNum"))
        ]

    def add(self, numbering: Numbering) -> int:
        """A new list numbered as ``numbering``; returns its ``numId``."""
        abstract_id = max(self.abstract_ids, default=-1) + 1
        self.abstract_ids.append(abstract_id)
        abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
        abstract.append(OxmlElement("w:multiLevelType", {qn("w:val"): "multilevel"}))
        for level in range(_LEVELS):
            abstract.append(_level(numbering, level))
        existing = self.root.findall(qn("w:abstractNum"))
        if existing:  # every abstractNum comes before the first num
            existing[-1].addnext(abstract)
        else:
            self.root.insert(0, abstract)
        num = self.root.add_num(abstract_id)
        return int(num.numId)


def _level(numbering: Numbering, level: int) -> BaseOxmlElement:
    text = f"{numbering.prefix}%{level + 1}{numbering.suffix}"
    element = OxmlElement("w:lvl", {qn("w:ilvl"): str(level)})
    element.append(OxmlElement("w:start", {qn("w:val"): str(numbering.start)}))
    element.append(OxmlElement("w:numFmt", {qn("w:val"): WORD_FORMATS[numbering.style]}))
    element.append(OxmlElement("w:lvlText", {qn("w:val"): text}))
    element.append(OxmlElement("w:lvlJc", {qn("w:val"): "left"}))
    properties = OxmlElement("w:pPr")
    indent = {qn("w:left"): str(_INDENT * (level + 1)), qn("w:hanging"): str(_INDENT // 2)}
    properties.append(OxmlElement("w:ind", indent))
    element.append(properties)
    return element


def _word_numbering(numbering: Numbering | None) -> Numbering | None:
    """``numbering`` when Word can count it (no ``%`` around the number)."""
    if numbering is None or "%" in numbering.prefix + numbering.suffix:
        return None
    return numbering


def list_paragraphs(lists: list[ItemList], numbering: WordNumbering) -> list[ListParagraph]:
    """How to write each passage of ``lists``, in reading order (the order of the run
    of passages ``lists`` was built from)."""
    out: list[ListParagraph] = []
    for item_list in lists:
        depth = min(item_list.depth, 3)
        suffix = "" if depth == 1 else f" {depth}"
        counted = _word_numbering(item_list.numbering) if item_list.ordered else None
        num_id = numbering.add(counted) if counted is not None else None
        ilvl = min(item_list.depth, _LEVELS) - 1
        for item in item_list.items:
            for index, part in enumerate(item.parts):
                if isinstance(part, ItemList):
                    out.extend(list_paragraphs([part], numbering))
                elif index > 0:
                    out.append(ListParagraph(f"List Continue{suffix}"))
                elif not item_list.ordered:
                    out.append(ListParagraph(f"List Bullet{suffix}"))
                elif num_id is not None:
                    out.append(ListParagraph("List Paragraph", num_id, ilvl))
                else:
                    out.append(ListParagraph(f"List Continue{suffix}", label=item.label or ""))
    return out
