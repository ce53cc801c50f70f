"""Font sizes and first-line indents of the lines of ``pdftotext -raw`` text, from the
word boxes that ``pdftotext -raw -bbox`` writes for the same PDF in the same (drawing)
order.

The raw text has no layout left but its line breaks: a heading in a narrow column is as
short as the last line of a paragraph. The height of a word's box is its font size
(times the font's ascent and descent), so the lines of a heading set in a bigger or
bold font stand out from the body text. Each text line gets the median height of its
characters: a line of body text with one bold word keeps the body's size.

A book sets its paragraphs without space between them, the first line of each indented;
the raw text has lost that indent, and a paragraph whose last line runs full width ran
on into the next one. The left edge of each line's first word brings it back: a line
that starts an indent to the right of the next line on its page, that next line starting
where the line before does, begins a paragraph (in either column of a two-column page,
and at the top of a page, where nothing else tells).

The words are matched to the text by their characters, spaces left out; when they do
not spell the same text (another poppler, a damaged file), no size is given at all and
the reflow does without, as it does for text copied out of a PDF.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import NamedTuple

_PAGE_OR_WORD = re.compile(
    r"<page\b|"
    r'<word xMin="(?P<left>[-\d.]+)" yMin="(?P<top>[-\d.]+)" xMax="(?P<right>[-\d.]+)" '
    r'yMax="(?P<bottom>[-\d.]+)">(?P<text>[^<]*)</word>'
)
_SPACE = re.compile(r"\s+")
# A first-line indent, in box heights (about the font size): WeasyPrint's and LaTeX's
# 1-1.5 em, a word processor's 1.25 cm; less is a quotation mark hung in the margin,
# more a centred line.
_INDENT = (0.6, 4.0)
_SAME_EDGE = 0.3  # two lines start at the same edge within this share of a box height
_SHORT = 2.0  # a line ending this many box heights before the measure is short
_OTHER_COLUMN = 6.0  # a line further than this to the side stands in another column
_LIST_LABEL = re.compile(r"[•◦▪‣∙·*–—-]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]")


class Word(NamedTuple):
    """A word's text, box height, left edge, page (0-based) and right edge in
    ``pdftotext -bbox``."""

    text: str
    height: float
    left: float
    page: int
    right: float


class LineLayout(NamedTuple):
    """What the word boxes tell of the lines: each line's font size, and the lines that
    begin with a first-line indent (a new paragraph in a book set without spacing)."""

    sizes: dict[int, float]
    indented: frozenset[int]


def read_words(bbox_html: str) -> list[Word]:
    """Every word of ``pdftotext -bbox`` output, in order."""
    words: list[Word] = []
    page = -1
    for match in _PAGE_OR_WORD.finditer(bbox_html):
        if match["text"] is None:
            page += 1
            continue
        height = float(match["bottom"]) - float(match["top"])
        left, right = float(match["left"]), float(match["right"])
        words.append(Word(html.unescape(match["text"]), height, left, page, right))
    return words


def line_layout(text: str, words: Sequence[Word]) -> LineLayout:
    """The font size of each line of ``text`` holding characters (the median box height
    of its characters) and its indented lines (:func:`indented_lines`), by 1-based line
    number; nothing when ``words`` do not spell ``text``."""
    lines = _line_words(text, words)
    if lines is None:
        return LineLayout({}, frozenset())
    return LineLayout(_sizes(lines, words), indented_lines(lines, words))


def indented_lines(lines: dict[int, list[int]], words: Sequence[Word]) -> frozenset[int]:
    """The lines (numbers) that begin with a first-line indent: the line's first word
    stands an indent to the right of

    - the next line on its page, that next line starting where the line before does (or
      nothing comes before it on the page, or in its column, or the line before is a
      paragraph of one indented line): the first line of a paragraph of several;
    - or the line before, the two lines before it starting at one edge (or being a
      paragraph of two lines) and the next line starting where this one does: a
      paragraph of one line before another paragraph, or the first line of a quotation
      set in from the margin;
    - or nothing, standing where the line before does, which began a paragraph and ended
      short of the measure: paragraphs of one line in a row (a dialogue's short replies).

    A list set with hanging indents is neither: its lines start to the right of the
    item's first line, which begins with its label ("1.", "•", "a)")."""
    starts = {number: words[indexes[0]] for number, indexes in lines.items()}
    ends = {number: words[indexes[-1]].right for number, indexes in lines.items()}
    numbers = sorted(lines)
    found: set[int] = set()
    for index, number in enumerate(numbers):
        line = starts[number]
        around = [
            starts[numbers[k]] if 0 <= k < len(numbers) else None
            for k in (index - 2, index - 1, index + 1)
        ]
        before2, before, after = (
            word if word is not None and _same_column(word, line) else None for word in around
        )
        height = line.height
        if before is not None and _LIST_LABEL.fullmatch(before.text):
            continue  # an item's next line, in a list set with hanging indents
        if (
            after is not None
            and _indent(line, after, height)
            and (before is None or _same_edge(before, after, height))
        ):
            found.add(number)
            continue
        if (
            after is not None
            and before is not None
            and _indent(line, after, height)
            and numbers[index - 1] in found
            and _same_edge(before, line, height)
        ):
            found.add(number)  # after a paragraph of one indented line
            continue
        if (
            before is not None
            and _indent(line, before, height)
            and (after is None or _same_edge(after, line, height))
            and (
                before2 is None
                or _same_edge(before2, before, height)
                or numbers[index - 2] in found  # after a paragraph of two lines
            )
        ):
            found.add(number)
            continue
        if (
            before is not None
            and numbers[index - 1] in found
            and _same_edge(before, line, height)
            and _short(starts, ends, numbers, index - 1)
        ):
            found.add(number)  # after a paragraph of one line ("“Yes.”"), another
    return frozenset(found)


def _short(starts: dict[int, Word], ends: dict[int, float], numbers: list[int], index: int) -> bool:
    """Whether line ``numbers[index]`` ends well before the measure: the right edge of
    the longest line near it in its column."""
    line = starts[numbers[index]]
    measure = max(
        ends[numbers[k]]
        for k in range(max(index - 4, 0), min(index + 5, len(numbers)))
        if _same_column(starts[numbers[k]], line)
    )
    return ends[numbers[index]] < measure - _SHORT * line.height


def _same_column(word: Word, line: Word) -> bool:
    return word.page == line.page and abs(word.left - line.left) < _OTHER_COLUMN * line.height


def _indent(line: Word, edge: Word, height: float) -> bool:
    return _INDENT[0] * height <= line.left - edge.left <= _INDENT[1] * height


def _same_edge(one: Word, other: Word, height: float) -> bool:
    return abs(one.left - other.left) <= _SAME_EDGE * height


def _line_words(text: str, words: Sequence[Word]) -> dict[int, list[int]] | None:
    """Map each 1-based line number of ``text`` holding characters to the indexes of its
    words; None when the words do not spell the text."""
    lengths = [len(_SPACE.sub("", word.text)) for word in words]
    lines: dict[int, list[int]] = {}
    position = 0  # the next word
    for number, line in enumerate(text.split("\n"), start=1):
        count = len(_SPACE.sub("", line))
        if not count:
            continue
        taken: list[int] = []
        while count > 0 and position < len(words):
            taken.append(position)
            count -= lengths[position]
            position += 1
        if count != 0:
            return None  # a word across two lines, or the words ran out: another text
        lines[number] = taken
    return lines if position == len(words) else None


def _sizes(lines: dict[int, list[int]], words: Sequence[Word]) -> dict[int, float]:
    """Each line's median box height, counted by characters."""
    sizes: dict[int, float] = {}
    for number, indexes in lines.items():
        taken = sorted((words[k].height, len(_SPACE.sub("", words[k].text))) for k in indexes)
        middle, seen = sum(length for _height, length in taken) / 2, 0
        for height, length in taken:
            seen += length
            if seen >= middle:
                sizes[number] = height
                break
    return sizes
