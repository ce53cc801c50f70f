"""The styles of an ODT (``styles.xml`` and the automatic ones of ``content.xml``) and
what they say: the inline marks of a text style (bold, italic or underline, raised or
lowered), the chain of a style's parents, and the list styles with which a numbered
item's label is formatted as LibreOffice shows it ("1.", "b)", "2.1.": format, prefix,
suffix, start value and displayed levels). The walk of the body is ``formats.odt``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from translator.formats.lists import HTML_STYLES, format_number

__all__ = [
    "FO",
    "MAX_LEVEL",
    "STYLE",
    "TEXT",
    "Counters",
    "OdtStyles",
    "number_item",
    "read_int",
]

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
MAX_LEVEL = 10


@dataclass(slots=True)
class Style:
    name: str
    parent: str | None
    marks: frozenset[str]


@dataclass(slots=True)
class Level:
    numbered: bool
    fmt: str = "1"
    prefix: str = ""
    suffix: str = "."
    start: int = 1
    display: int = 1


@dataclass(slots=True)
class Counters:
    """The running numbers of one list, per level (shared by its nested lists and the
    lists that continue it)."""

    style: str | None
    values: list[int | None] = field(default_factory=lambda: [None] * (MAX_LEVEL + 1))


def _marks(element: etree._Element) -> frozenset[str]:
    props = element.find(STYLE + "text-properties")
    if props is None:
        return frozenset()
    marks = set()
    if props.get(FO + "font-weight") in ("bold", "600", "700", "800", "900"):
        marks.add("strong")
    underline = props.get(STYLE + "text-underline-style")
    if props.get(FO + "font-style") in ("italic", "oblique") or underline not in (None, "none"):
        marks.add("em")
    position = str(props.get(STYLE + "text-position") or "").split()
    if position and position[0] in ("super", "sub"):
        marks.add("sup" if position[0] == "super" else "sub")
    elif position and position[0].rstrip("%").lstrip("-").isdigit():
        value = int(position[0].rstrip("%"))
        if value:
            marks.add("sup" if value > 0 else "sub")
    return frozenset(marks)


class OdtStyles:
    """The paragraph, text and list styles of a document, loaded part by part
    (``styles.xml`` first, then ``content.xml``: a later definition wins)."""

    def __init__(self) -> None:
        self.styles: dict[tuple[str, str], Style] = {}
        self.list_styles: dict[str, dict[int, Level]] = {}

    def load(self, root: etree._Element) -> None:
        """Add the styles and list styles defined under ``root``."""
        for element in root.iter(STYLE + "style"):
            name = str(element.get(STYLE + "name", ""))
            family = str(element.get(STYLE + "family", ""))
            display = str(element.get(STYLE + "display-name") or name).lower()
            self.styles[(family, name)] = Style(
                display, element.get(STYLE + "parent-style-name"), _marks(element)
            )
        for list_style in root.iter(TEXT + "list-style"):
            levels: dict[int, Level] = {}
            for level in list_style:
                depth = read_int(level.get(TEXT + "level")) or 1
                if level.tag == TEXT + "list-level-style-number":
                    fmt = str(level.get(STYLE + "num-format") or "")
                    levels[depth] = Level(
                        numbered=bool(fmt),
                        fmt=fmt,
                        prefix=str(level.get(STYLE + "num-prefix") or ""),
                        suffix=str(level.get(STYLE + "num-suffix") or ""),
                        start=read_int(level.get(TEXT + "start-value")) or 1,
                        display=read_int(level.get(TEXT + "display-levels")) or 1,
                    )
                else:
                    levels[depth] = Level(numbered=False)
            self.list_styles[str(list_style.get(STYLE + "name", ""))] = levels

    def chain(self, family: str, name: str | None) -> Iterator[Style]:
        """The style ``name`` of ``family`` and its parents, nearest first (a loop in
        the parents ends the chain)."""
        seen: set[str] = set()
        while name and name not in seen and (family, name) in self.styles:
            seen.add(name)
            style = self.styles[(family, name)]
            yield style
            name = style.parent

    def span_marks(self, name: str | None) -> frozenset[str]:
        """The inline marks a text style gives, with those of its parents."""
        marks: frozenset[str] = frozenset()
        for style in self.chain("text", name):
            marks |= style.marks
        return marks


def number_item(
    levels: dict[int, Level], counters: Counters, depth: int, start: int | None
) -> str | None:
    """Count an item at ``depth`` of a list in ``levels`` (its list style's levels; an
    item's own ``start`` value restarts it) and return its label, or None for a bullet."""
    level = levels.get(depth, Level(numbered=False))
    values = counters.values
    current = values[depth]
    values[depth] = (
        start if start is not None else (level.start if current is None else current + 1)
    )
    for deeper in range(depth + 1, MAX_LEVEL + 1):
        values[deeper] = None
    if not level.numbered:
        return None
    shown = []
    for upper in range(max(1, depth - level.display + 1), depth + 1):
        upper_level = levels.get(upper, Level(numbered=True))
        value = values[upper] if values[upper] is not None else upper_level.start
        shown.append(format_number(value or 1, HTML_STYLES.get(upper_level.fmt or "1", "decimal")))
    return f"{level.prefix}{'.'.join(shown)}{level.suffix}".strip() or None


def read_int(value: object) -> int | None:
    """An attribute's integer, or None when it is missing or not a number."""
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
