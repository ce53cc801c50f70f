"""Lists for the writers: a run of list-item passages as a tree of lists, each numbered
list with the numbering its labels show.

An import keeps a numbered item's number as its ``label`` ("1.", "b)", "2.1.", "iv.");
a bullet item has none, and neither has the second paragraph of an item (only an item's
first block shows its number). ``list_tree`` rebuilds the lists from that flat run:

- a labelled item continues the list before it when its label is the next number in
  the same style ("b)" after "a)", "iv." after "iii.", "2.2." after "2.1."), and
  starts a new list otherwise (a list restarting at 1, a different style);
- an unlabelled item inside a numbered list (a numbered sibling follows that goes on
  with the numbering) is a further paragraph of the item before it; otherwise it is a
  bullet, and consecutive bullets make one bullet list;
- a deeper item nests inside the item before it (one level at a time, as the writers
  always did).

A numbered list whose labels are one regular sequence has a ``Numbering`` (its style,
start, and the text around the number), which a writer can turn into its own numbering
(``<ol start type>``, Word's numbering.xml, Markdown's ``3.``); any other list keeps
its labels as text; ``list_marks`` reads the same lists one passage at a time, for the
parallel exports' table cells. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from translator.formats.base import BlockRole
from translator.formats.publication import Passage
from translator.formats.richtext import letters, roman

__all__ = [
    "ItemList",
    "ListItem",
    "Numbering",
    "label_numbering",
    "list_lines",
    "list_run",
    "list_tree",
    "preferred",
]

# prefix (empty or ending in a non-alphanumeric), the counter, the text after it
_LABEL = re.compile(
    r"(?P<prefix>(?:.*[^0-9A-Za-z])?)(?P<core>[0-9]+|[A-Za-z]+)(?P<suffix>[^0-9A-Za-z]*)"
)
# What HTML's ``<ol type>`` calls each style, and the CSS list-style-type of it.
HTML_TYPES = {
    "decimal": "1",
    "lower-alpha": "a",
    "upper-alpha": "A",
    "lower-roman": "i",
    "upper-roman": "I",
}
# The style of each ``<ol type>`` (ODF's ``style:num-format`` uses the same letters).
HTML_STYLES = {kind: style for style, kind in HTML_TYPES.items()}
# What Word's numbering (``w:numFmt``) calls each style.
WORD_FORMATS = {
    "decimal": "decimal",
    "lower-alpha": "lowerLetter",
    "upper-alpha": "upperLetter",
    "lower-roman": "lowerRoman",
    "upper-roman": "upperRoman",
}
WORD_STYLES = {fmt: style for style, fmt in WORD_FORMATS.items()}


@dataclass(frozen=True, slots=True)
class Numbering:
    """How a numbered list counts: ``style`` (a CSS list-style-type: decimal,
    lower-alpha, upper-alpha, lower-roman, upper-roman) from ``start``, each number
    shown between ``prefix`` and ``suffix`` ("(" and ")" for "(a)"); ``last`` is the
    number of its last item so far."""

    style: str
    start: int
    prefix: str
    suffix: str
    last: int

    def label(self, number: int) -> str:
        """The label of the item numbered ``number``."""
        return f"{self.prefix}{format_number(number, self.style)}{self.suffix}"


@dataclass(slots=True)
class ListItem:
    """An item: its own passage first, then its further paragraphs and nested lists
    in reading order."""

    label: str | None
    parts: list[Passage | ItemList]

    @property
    def passage(self) -> Passage:
        first = self.parts[0]
        assert isinstance(first, Passage)
        return first


@dataclass(slots=True)
class ItemList:
    """A list at ``depth`` (1 = top): numbered (``ordered``) or bullets.
    ``numberings`` are the readings of its labels that still hold (see ``numbering``)."""

    depth: int
    ordered: bool
    items: list[ListItem] = field(default_factory=list)
    numberings: list[Numbering] = field(default_factory=list)

    @property
    def numbering(self) -> Numbering | None:
        """The one regular numbering of its labels, None when they are irregular (each
        item then shows its own label) or the list has bullets. A label that reads
        two ways ("i." or "v." alone: a letter or a Roman numeral) is read as Roman
        when that makes it the first item, as a letter otherwise; both give the same
        label."""
        return preferred(self.numberings)


def preferred(numberings: list[Numbering]) -> Numbering | None:
    """The reading to write of those that hold (see ``ItemList.numbering``)."""
    for numbering in numberings:
        if numbering.style.endswith("roman") and numbering.start == 1:
            return numbering
    return numberings[0] if numberings else None


def format_number(number: int, style: str) -> str:
    """``number`` written in ``style`` (the word processors' letters: 27 → "aa")."""
    if style.endswith("alpha"):
        text = letters(number)
    elif style.endswith("roman"):
        text = roman(number)
    else:
        return str(number)
    return text.upper() if style.startswith("upper") else text


def label_numbering(label: str | None) -> list[Numbering]:
    """Every regular reading of ``label`` as a list's first item: "iv." is 4 in
    lower-roman only (list letters repeat one letter: "aa"), "c." the 3rd letter or 100
    in Roman, "2.1." the number 1 after the prefix "2.". Only canonical numbers count
    ("01." and "iix." read no way), so that writing the number back gives the label."""
    match = _LABEL.fullmatch(label.strip()) if label else None
    if match is None:
        return []
    prefix, core, suffix = match["prefix"], match["core"], match["suffix"]
    styles: list[tuple[str, int]] = []
    if core.isdigit():
        styles.append(("decimal", int(core)))
    elif core.islower() or core.isupper():
        case = "lower" if core.islower() else "upper"
        lower = core.lower()
        if len(set(lower)) == 1:
            styles.append((f"{case}-alpha", (ord(lower[0]) - ord("a") + 1) + 26 * (len(lower) - 1)))
        number = _roman_value(lower)
        if number is not None:
            styles.append((f"{case}-roman", number))
    return [
        Numbering(style, number, prefix, suffix, number)
        for style, number in styles
        if format_number(number, style) == core
    ]


def _roman_value(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    if not text or any(char not in values for char in text):
        return None
    total = 0
    for char, after in zip(text, [*text[1:], ""], strict=True):
        value = values[char]
        total += -value if after and values[after] > value else value
    return total if 0 < total < 4000 and roman(total) == text else None


def _continuing(numberings: list[Numbering], label: str | None) -> list[Numbering]:
    """The readings of a list that ``label`` continues, advanced to it."""
    following = []
    for numbering in numberings:
        for reading in label_numbering(label):
            if (
                reading.style == numbering.style
                and reading.prefix == numbering.prefix
                and reading.suffix == numbering.suffix
                and reading.start == numbering.last + 1
            ):
                following.append(replace(numbering, last=reading.start))
    return following


def _continues(current: ItemList, label: str | None) -> bool:
    """Whether an item labelled ``label`` goes on with the numbered list ``current``."""
    if current.numberings:
        return bool(_continuing(current.numberings, label))
    # a list of irregular labels goes on with irregular labels
    last = current.items[-1].label if current.items else None
    return not label_numbering(last) and not label_numbering(label)


def list_run(passages: Sequence[Passage], start: int) -> list[Passage]:
    """The consecutive list items of ``passages`` from ``start`` on."""
    end = start
    while end < len(passages) and passages[end].role is BlockRole.LIST_ITEM:
        end += 1
    return list(passages[start:end])


def list_tree(passages: Sequence[Passage]) -> list[ItemList]:
    """The lists of a run of consecutive list-item passages, top level first (see the
    module docstring). Every passage appears once, in order."""
    depths: list[int] = []
    depth = 0
    for passage in passages:
        depth = max(1, min(passage.level or 1, depth + 1))
        depths.append(depth)
    return _lists(passages, depths, 0, len(passages), 1)


def _lists(
    passages: Sequence[Passage], depths: list[int], start: int, end: int, depth: int
) -> list[ItemList]:
    """The lists at ``depth`` of ``passages[start:end]`` (all at ``depth`` or deeper,
    the first at ``depth``)."""
    siblings = [index for index in range(start, end) if depths[index] == depth]
    # for each sibling, the label of the next labelled sibling after it
    next_label: list[str | None] = [None] * len(siblings)
    upcoming: str | None = None
    for position in range(len(siblings) - 1, -1, -1):
        next_label[position] = upcoming
        upcoming = passages[siblings[position]].label or upcoming
    lists: list[ItemList] = []
    for position, index in enumerate(siblings):
        passage = passages[index]
        stop = siblings[position + 1] if position + 1 < len(siblings) else end
        children = _lists(passages, depths, index + 1, stop, depth + 1) if index + 1 < stop else []
        current = lists[-1] if lists else None
        if passage.label:
            if current is not None and current.ordered and _continues(current, passage.label):
                current.numberings = _continuing(current.numberings, passage.label)
            else:
                current = ItemList(depth, True, numberings=label_numbering(passage.label))
                lists.append(current)
            current.items.append(ListItem(passage.label, [passage, *children]))
            continue
        upcoming = next_label[position]
        if current is not None and current.ordered and upcoming and _continues(current, upcoming):
            current.items[-1].parts.extend([passage, *children])  # a further paragraph
            continue
        if current is None or current.ordered:
            current = ItemList(depth, False)
            lists.append(current)
        current.items.append(ListItem(None, [passage, *children]))
    return lists


# --- HTML and XHTML (the web page, the PDF, the EPUB) ---------------------------------


def html_numbering(numbering: Numbering | None) -> Numbering | None:
    """``numbering`` when an ``<ol>`` can show it by itself (numbers followed by ".",
    letters up to "z", where HTML and the word processors agree), else None."""
    if numbering is None or numbering.prefix or numbering.suffix != ".":
        return None
    if numbering.style.endswith("alpha") and numbering.last > 26:
        return None
    return numbering


def ol_attributes(numbering: Numbering | None, classes: str = "") -> str:
    """The attributes of an ``<ol>`` numbered as ``numbering`` (from ``html_numbering``)
    with the classes ``classes``; a list of labels that ``<ol>`` cannot count has class
    ``labelled`` instead, and each item shows its label. The class repeats the type
    for the stylesheets (CSS cannot tell ``type="a"`` from ``type="A"`` everywhere)."""
    names = [classes] if classes else []
    attributes = ""
    if numbering is None:
        names.append("labelled")
    else:
        if numbering.start != 1:
            attributes += f' start="{numbering.start}"'
        if numbering.style != "decimal":
            attributes += f' type="{HTML_TYPES[numbering.style]}"'
            names.append(numbering.style)
    return attributes + (f' class="{" ".join(names)}"' if names else "")


def lists_html(
    lists: list[ItemList], inline: Callable[[Passage], str], escape: Callable[[str], str]
) -> str:
    """The lists as nested ``ul`` / ``ol`` (well-formed XHTML too): ``inline`` renders
    a passage's text, ``escape`` a label."""
    out: list[str] = []
    for item_list in lists:
        numbering = html_numbering(item_list.numbering)
        tag = "ol" if item_list.ordered else "ul"
        out.append(f"<{tag}{ol_attributes(numbering) if item_list.ordered else ''}>\n")
        for item in item_list.items:
            shown = ""
            if item_list.ordered and numbering is None and item.label:
                shown = f'<span class="list-label">{escape(item.label)}</span> '
            paragraphs = sum(isinstance(part, Passage) for part in item.parts) > 1
            out.append("<li>")
            for index, part in enumerate(item.parts):
                if isinstance(part, ItemList):
                    out.append(lists_html([part], inline, escape))
                    continue
                text = (shown if index == 0 else "") + inline(part)
                out.append(f"<p>{text}</p>" if paragraphs else text)
            out.append("</li>\n")
        out.append(f"</{tag}>\n")
    return "".join(out)


# --- text formats (Markdown, plain text) -----------------------------------------------


def list_lines(
    lists: list[ItemList],
    marker: Callable[[ItemList, ListItem], tuple[str, int]],
    text: Callable[[Passage, str], str],
    indent: str = "",
    between: str = "",
) -> list[str]:
    """The lists as lines of a text format. ``marker`` gives an item's marker and the
    width its content is indented by; ``text(passage, indent)`` a passage's text, its
    own line breaks followed by ``indent``. Further paragraphs of an item come after a
    blank line at its content's indent, nested lists at that indent; ``between``
    (Markdown: a comment) separates two lists that follow each other."""
    lines: list[str] = []
    for number, item_list in enumerate(lists):
        if number and between:
            lines.extend(["", indent + between, ""])
        for item in item_list.items:
            mark, width = marker(item_list, item)
            inner = indent + " " * width
            for index, part in enumerate(item.parts):
                if isinstance(part, ItemList):
                    lines.extend(list_lines([part], marker, text, inner, between))
                elif index == 0:
                    lines.append(indent + mark + text(part, inner))
                else:
                    lines.extend(["", inner + text(part, inner)])
    return lines
