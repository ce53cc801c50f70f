"""Headings in text extracted from a PDF, for ``pdftext``.

* a heading is one short line without terminal punctuation, or two (the first may be
  as wide as the text), after a paragraph end and followed by an indented line; in
  text with no indentation at all (``pdftotext -raw``, with ``flush_headings``: copied
  text keeps the rule above), one line under 70 % of the text width, after a paragraph
  end and before a line that starts a sentence, on pages at least 45 characters wide,
  or a numbered one ("2.1 Related work"), or up to three lines set bigger than the
  body text (a change of size between them starts another heading, unless the first
  is a label of three words at most: "Adventure I" / "A Scandal In Bohemia");
* a chapter's number alone on its line ("I", "V.") is a heading, or the start of the
  title under it ("I. The Visit"); a numbered heading right under another one opens
  the level below it ("1. Reactionary Socialism" under "III. Socialist…");
* levels: 2 (a document title would be 1), one more for a heading right under another
  one and numbered another way or set smaller, the same for headings numbered alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from translator.formats.base import BlockRole
from translator.formats.pdflines import Line, ends_sentence, starts_lowercase
from translator.formats.pdflists import is_list_entry

_NO_HEADING_END = ",;:-–—([/"
_MIN_FLUSH_WIDTH = 45  # columns narrower than this: no heading guessed without indents
BIGGER = 1.05  # a heading's font: its boxes at least this much taller than the body's
_SMALLER = 0.95  # footnotes, captions, running heads: no heading
SIZE_STEP = 0.03  # two lines' sizes differ: another block, a heading of another level
# a lowercase word ending a sentence inside the line: "the input layer. We split"
_INNER_SENTENCE_END = re.compile(r"(?<!\w)[^\W\d_]*[^\W\d_A-Z][.!?]\s+\S")
# "1 Introduction", "2.1 Related work", "3. Method", "IV. Results": a number, then a word
_SECTION_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVXLC]{1,6}\.)\s+[^\W\d_]")
# a chapter's number alone on its line: "I", "V.", "XIV"
_NUMERAL_LINE = re.compile(r"[IVXLC]{1,6}\.?")
# how a heading is numbered: "IV." (roman), "2." and "2" (decimal1), "2.1" (decimal2), "b)"
_NUMBERING = re.compile(
    r"(?:(?P<roman>[IVXLC]{1,6})\.?|(?P<decimal>\d{1,2}(?:\.\d{1,2}){0,3})\.?|[A-Za-z][.)])(?:\s|$)"
)
# "a) Feudal Socialism", "(b) The Reply", "iv. Results": an item's letter, then a capital
_LETTER_ITEM = re.compile(r"\(?(?:[a-z]|[ivx]{1,4})[.)]\s+(?=[^\W\d_])")
# "… le communisme critico-" / "utopiques": a heading's word cut at its line's end (its
# next line, in lowercase, goes on with the heading or makes it no heading)
_CUT_WORD_END = re.compile(r"[^\W\d_]{2}-$")


@dataclass(frozen=True, slots=True)
class Entry:
    """A line of the text and what separates it from the line before."""

    line: Line
    gap_before: str  # "" (adjacent), "blank" (blank lines only) or "page"


@dataclass(frozen=True, slots=True)
class Layout:
    """What ``pdftext`` measured of the whole text: widths, indents, font sizes."""

    short_limit: float
    wrapped: bool
    base_indent: int
    gap_mode: bool
    flush: bool = False  # no line indented: pdftotext -raw, which writes no indentation
    sizes: Mapping[int, float] = field(default_factory=dict)  # line number → font size
    body_size: float = 0.0  # the most common size, 0 when sizes are unknown
    indented: frozenset[int] = frozenset()  # lines with a first-line indent (PDF boxes)


def find_headings(entries: list[Entry], layout: Layout) -> dict[int, int]:
    """Map the index of each heading's first line to its number of lines (1 or 2)."""
    if layout.flush:
        return _find_flush_headings(entries, layout)
    headings: dict[int, int] = {}
    for index in range(1, len(entries)):
        line = entries[index].line
        if line.indent < layout.base_indent + 2:
            continue
        last = index - 1
        if not _heading_like(entries[last].line, line, layout.short_limit):
            continue
        first = last - 1
        if (
            first >= 0
            and entries[last].gap_before == ""
            and _heading_like(entries[first].line, line, layout.short_limit / 0.85)
            and _after_block_end(entries, first, layout)
        ):
            headings[first] = 2
        elif _after_block_end(entries, last, layout):
            headings[last] = 1
    return headings


def _find_flush_headings(entries: list[Entry], layout: Layout) -> dict[int, int]:
    """Headings of text without indentation (``pdftotext -raw``), each a line without a
    sentence end or a trailing comma, colon or dash, after a paragraph end, before a
    line that starts a sentence, and either

    * set in a bigger font than the body text (one to three lines of that size), or
    * numbered like a section ("2.1 Related work", "IV. Conclusion"), or
    * well short of the text width (under 70 % of it) on pages at least 45 characters
      wide: narrow justified columns have short lines in mid-paragraph.

    When font sizes are known, a line smaller than the body text is no heading (a
    footnote, a caption), nor a line set bigger that goes on in lowercase."""
    headings: dict[int, int] = {}
    width = layout.short_limit / 0.85
    short_limit = 0.7 * width if layout.wrapped and width >= _MIN_FLUSH_WIDTH else 0.0
    index = heading_end = 0  # heading_end: the line after the last heading found
    while index < len(entries) - 1:
        line = entries[index].line
        size = layout.sizes.get(line.number, 0.0)
        bigger = BIGGER * layout.body_size if layout.body_size else float("inf")
        if not (
            _flush_heading_like(line)
            and (
                index == heading_end  # the document's start, or right under a heading
                or _after_block_end(entries, index, layout)
                or (size >= bigger and size_changes(layout, entries[index - 1].line, size))
            )
        ):
            index += 1
            continue
        count = 0
        if size >= bigger:
            count = 1  # the next lines set bigger than the body too: "Chapter 2 / The Storm"
            while count < 3 and index + count < len(entries) - 1:
                next_line = entries[index + count].line
                next_size = layout.sizes.get(next_line.number, 0.0)
                if (
                    next_size < bigger
                    or not _flush_heading_like(next_line, continued=True)
                    or _SECTION_NUMBER.match(next_line.text)  # a heading of its own
                    or (  # "Abstract" after the affiliations; not "Adventure I / A Scandal…"
                        size_changes(layout, entries[index + count - 1].line, next_size)
                        and (count > 1 or len(line.text.split()) > 3)
                    )
                ):
                    break
                count += 1
        elif layout.body_size and size < _SMALLER * layout.body_size:
            count = 0
        elif _SECTION_NUMBER.match(line.text) or line.width < short_limit:
            count = 1
        following = entries[index + count].line if index + count < len(entries) else None
        if count and following is not None and _starts_block(following):
            headings[index] = count
            index = heading_end = index + count
        else:
            index += 1
    return headings


def _flush_heading_like(line: Line, *, continued: bool = False) -> bool:
    text = line.text
    if _NUMERAL_LINE.fullmatch(text):  # drop caps are joined to their lines already
        return not continued  # a chapter's number opens a heading, never goes on with one
    return (
        len(text) > 1  # a capital alone that is no drop cap: an initial, a symbol
        and len(text.split()) <= 12
        and (continued or text[0].isupper() or text[0].isdigit())
        and not ends_sentence(text)
        and _INNER_SENTENCE_END.search(text) is None  # "Preparing the input layer. We split"
        and (text[-1] not in _NO_HEADING_END or _CUT_WORD_END.search(text) is not None)
        and text[-1] not in ".:"
        and not is_list_entry(line)
    )


def size_changes(layout: Layout, previous: Line, size: float) -> bool:
    """Whether ``size`` differs from the previous line's: another block (a title after
    the journal's name, "Abstract" after the authors' addresses)."""
    before = layout.sizes.get(previous.number, 0.0)
    return bool(size and before) and abs(before - size) > SIZE_STEP * size


def _starts_block(line: Line) -> bool:
    """A sentence's start, or an item of a list ("a) Feudal Socialism")."""
    text = line.text
    if not starts_lowercase(text):
        return text[0].isalnum() or is_list_entry(line)
    item = _LETTER_ITEM.match(text)
    return (item is not None and text[item.end()].isupper()) or is_list_entry(line)


def heading_lines(lines: list[Line]) -> list[str]:
    """The texts of a heading's lines; a chapter's number alone on the first one gets a
    full stop before its title: "I" / "The Visit" → "I. The Visit"."""
    texts = [line.text for line in lines]
    if len(texts) > 1 and _NUMERAL_LINE.fullmatch(texts[0]) and not texts[0].endswith("."):
        texts[0] += "."
    return texts


def heading_levels(groups: list[tuple[BlockRole, list[Line]]], layout: Layout) -> list[int | None]:
    """The level of each group's heading (None for other groups): 2, or one below the
    heading right above it (nothing between) when it is numbered in another way ("1."
    under "III.", "2.1" under "2") or set smaller; a heading numbered like one above it
    takes its level ("2." after "1."), and "2.1" is one below "2" wherever it stands."""
    levels: list[int | None] = []
    above: list[tuple[str, int]] = []  # (numbering, level) of the open headings
    previous: tuple[str, int, float] | None = None  # the heading right before
    for role, lines in groups:
        if role is not BlockRole.HEADING:
            levels.append(None)
            previous = None
            continue
        numbering = _numbering(lines[0].text)
        size = layout.sizes.get(lines[0].number, 0.0)
        same = [level for kind, level in above if numbering and kind == numbering]
        parent = [level for kind, level in above if kind == _parent_numbering(numbering)]
        if previous is not None and (
            (numbering and previous[0] and numbering != previous[0])
            or (size and size < previous[2] / (1 + SIZE_STEP))
        ):
            level = min(previous[1] + 1, 6)
        elif same:
            level = same[0]
        elif parent:
            level = min(parent[0] + 1, 6)
        else:
            level = 2
        above = [(kind, open_level) for kind, open_level in above if open_level < level]
        above.append((numbering, level))
        previous = (numbering, level, size)
        levels.append(level)
    return levels


def _numbering(text: str) -> str:
    """ "roman", "decimal1" ("2", "2."), "decimal2" ("2.1") ..., "letter" or ""."""
    match = _NUMBERING.match(text)
    if match is None:
        return ""
    if match["roman"]:
        return "roman"
    if match["decimal"]:
        return f"decimal{match['decimal'].count('.') + 1}"
    return "letter"


def _parent_numbering(numbering: str) -> str:
    depth = int(numbering[7:]) if numbering.startswith("decimal") else 0
    return f"decimal{depth - 1}" if depth > 1 else "-"


def _heading_like(candidate: Line, following: Line, max_width: float) -> bool:
    """A line that may be (part of) a heading; the first of two may be as wide as the text."""
    text = candidate.text
    return (
        candidate.indent < following.indent
        and candidate.width < max_width
        and len(text.split()) <= 15
        and (text[0].isupper() or text[0].isdigit())
        and not ends_sentence(text)
        and text[-1] not in _NO_HEADING_END
    )


def _after_block_end(entries: list[Entry], index: int, layout: Layout) -> bool:
    if index == 0 or ends_sentence(entries[index - 1].line.text):
        return True
    return entries[index].gap_before != "" and not layout.gap_mode
