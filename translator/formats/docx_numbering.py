"""The numbers of a DOCX's numbered paragraphs, from ``word/numbering.xml``.

A paragraph's ``w:numPr`` names a numbering instance (``numId``) and a level (``ilvl``);
the instance points to an abstract definition whose levels give the start value, the
number format (decimal, letters, Roman numerals, bullet) and the text shown ("%1.",
"%1.%2)", where ``%n`` is the counter of level n). An instance may override the start
of a level (Word's "restart numbering"). Counters belong to the instance; an item
resets the levels below it, and a level not yet used shows its start value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from translator.formats.lists import WORD_STYLES
from translator.formats.lists import format_number as list_number

__all__ = ["MAX_LEVEL", "Numbering"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_LEVEL = 9


@dataclass(slots=True)
class Level:
    """One level of an abstract numbering definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass(slots=True)
class Numbering:
    """The numbering definitions of a document and the running counters of its lists."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, root: etree._Element) -> Numbering:
        """The definitions of a ``w:numbering`` part."""
        numbering = cls()
        for abstract in root.iter(W + "abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(W + "lvl"):
                ilvl = _int(lvl.get(W + "ilvl"))
                if ilvl is None:
                    continue
                start = _int(_val(lvl.find(W + "start")))
                levels[ilvl] = Level(
                    start=1 if start is None else start,
                    fmt=_val(lvl.find(W + "numFmt")) or "decimal",
                    text=_val(lvl.find(W + "lvlText")) or "",
                )
            numbering.abstract[str(abstract.get(W + "abstractNumId"))] = levels
        for num in root.iter(W + "num"):
            overrides = {}
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"))
                start = _int(_val(override.find(W + "startOverride")))
                if ilvl is not None and start is not None:
                    overrides[ilvl] = start
            abstract_id = _val(num.find(W + "abstractNumId")) or ""
            numbering.nums[str(num.get(W + "numId"))] = (abstract_id, overrides)
        return numbering

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and return the item's number as
        shown ("2.1."), or None for a bullet."""
        abstract_id, overrides = self.nums.get(num_id, ("", {}))
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(num_id, [None] * MAX_LEVEL)

        def start(level: int) -> int:
            return overrides.get(level, levels.get(level, Level()).start)

        current = counters[ilvl]
        counters[ilvl] = start(ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, MAX_LEVEL):
            counters[deeper] = None
        for upper in range(ilvl):
            if counters[upper] is None:
                counters[upper] = start(upper)
        level = levels.get(ilvl, Level())
        if level.fmt in ("bullet", "none") or not level.text:
            return None

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index] if 0 <= index < MAX_LEVEL else None
            fmt = levels.get(index, Level()).fmt
            return format_number(value or 1, fmt)

        label = re.sub(r"%([1-9])", number, level.text).strip()
        return label or None


def format_number(value: int, fmt: str) -> str:
    """``value`` as Word writes it in the numbering format ``fmt`` (decimal otherwise)."""
    if fmt == "decimalZero":
        return f"{value:02d}"
    return list_number(value, WORD_STYLES.get(fmt, "decimal"))


def _val(element: etree._Element | None) -> str | None:
    value = element.get(W + "val") if element is not None else None
    return None if value is None else str(value)


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
