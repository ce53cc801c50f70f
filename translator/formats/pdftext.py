"""Text extracted from a PDF: hard-wrapped lines, page furniture, lost paragraph marks.

Where paragraphs break is inferred from the layout of the document itself:

* the text width is the 90th percentile of line widths; a line "clearly shorter"
  (< 85 % of it) that ends a sentence ends its paragraph;
* an indented line (relative to the usual indentation) starts a paragraph;
* a line starting with a lowercase letter always continues the previous one, across
  blank lines and page breaks;
* blank lines separate paragraphs only after a sentence end or a short line (a title
  standing alone); after a full line that does not end a sentence they are a page break
  inside a paragraph;
* some extractions cut every paragraph's first line off from the rest with a blank line
  ("gap mode", detected when most blank runs follow a full line that itself follows a
  sentence end): there, a sentence end followed by such a first line starts a paragraph
  and the blank lines themselves mean nothing;
* a heading is one short line without terminal punctuation, or two (the first may be
  as wide as the text), after a paragraph end and followed by an indented line
  (HEADING, level 2: a document title would be 1); in text with no indentation at all
  (``pdftotext -raw``, with ``flush_headings``: copied text keeps the rule above), one
  line under 70 % of the text width, after a paragraph end and before a line that
  starts a sentence, on pages at least 45 characters wide;
* typographic ligatures ("ﬁ") are expanded (``pdfclean``); tables of contents, indexes
  and long lists of terms become LIST_ITEM blocks, one per entry (``pdflists``);
* a trailing "Notes"/"Footnotes"/"Notas" section of labelled lines (``1.``, ``[1]``,
  ``1 ``) becomes FOOTNOTE blocks; footnote calls in the text are left as they are.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.pdfclean import expand_ligatures
from translator.formats.pdflines import (
    Gap,
    Item,
    Line,
    LineJoiner,
    drop_page_furniture,
    ends_sentence,
    split_lines,
    starts_lowercase,
)
from translator.formats.pdflists import is_list_entry, merge_leader_lines, split_lists

_NOTES_HEADING = re.compile(
    r"(?:foot|end)?notes?|notas?|notes de bas de page|anmerkungen|fußnoten", re.IGNORECASE
)
_NOTE_LABEL = re.compile(
    r"(?:\[(?P<bracket>[^\]\s]{1,6})\]|(?P<dot>\d{1,3})[.)]|(?P<bare>\d{1,3})(?=\s))\s*(?P<rest>.*)"
)
_NO_HEADING_END = ",;:-–—([/"
_MIN_FLUSH_WIDTH = 45  # columns narrower than this: no heading guessed without indents
_MAX_WRAPPED_WIDTH = 200  # wider "lines" are whole paragraphs, not a page's lines
_BIGGER = 1.05  # a heading's font: its boxes at least this much taller than the body's
_SMALLER = 0.95  # footnotes, captions, running heads: no heading
# "1 Introduction", "2.1 Related work", "3. Method", "IV. Results": a number, then a word
# a lowercase word ending a sentence inside the line: "the input layer. We split"
_INNER_SENTENCE_END = re.compile(r"(?<!\w)[^\W\d_]*[^\W\d_A-Z][.!?]\s+\S")
_SECTION_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVXLC]{1,6}\.)\s+[^\W\d_]")


@dataclass(frozen=True, slots=True)
class _Entry:
    line: Line
    gap_before: str  # "" (adjacent), "blank" (blank lines only) or "page"


@dataclass(frozen=True, slots=True)
class _Layout:
    short_limit: float
    wrapped: bool
    base_indent: int
    gap_mode: bool
    flush: bool = False  # no line indented: pdftotext -raw, which writes no indentation
    sizes: Mapping[int, float] = field(default_factory=dict)  # line number → font size
    body_size: float = 0.0  # the most common size, 0 when sizes are unknown


def parse_pdftext(
    text: str, *, flush_headings: bool = False, line_sizes: Mapping[int, float] | None = None
) -> ParsedText:
    """Rebuild headings, paragraphs and notes from text extracted from a PDF.

    Joins hard-wrapped lines (undoing end-of-line hyphenation), drops page numbers,
    running heads and form feeds, and finds paragraph and heading boundaries from the
    layout (see the module docstring). ``line_sizes`` (line number → font size, from
    ``pdfwords``) shows the headings set in a bigger font, in columns of any width.
    ``Block.text`` is HTML-escaped plain text.
    """
    items, warnings = drop_page_furniture(split_lines(expand_ligatures(text)))
    items = merge_leader_lines(items)
    joiner = LineJoiner(items)
    body, notes_heading, notes = _split_notes(items)
    entries = _entries(body)
    layout = _measure(entries, flush_headings, line_sizes or {})
    blocks = []
    for role, lines in _group(entries, layout):
        for in_list, part in (
            split_lists(lines) if role is BlockRole.PARAGRAPH else [(False, lines)]
        ):
            content = html.escape(joiner.join([line.text for line in part]), quote=False)
            kind = BlockRole.LIST_ITEM if in_list else role
            level = {BlockRole.HEADING: 2, BlockRole.LIST_ITEM: 1}.get(kind)
            blocks.append(Block(kind, content, level=level, line=part[0].number))
    if notes_heading is not None:
        heading = html.escape(notes_heading.text, quote=False)
        blocks.append(Block(BlockRole.HEADING, heading, level=2, line=notes_heading.number))
    for label, lines in notes:
        content = html.escape(joiner.join([line.text for line in lines]), quote=False)
        blocks.append(Block(BlockRole.FOOTNOTE, content, label=label, line=lines[0].number))
    return ParsedText(blocks=blocks, format="pdftext", warnings=warnings)


def _entries(items: list[Item]) -> list[_Entry]:
    entries = []
    gap = ""
    for item in items:
        if isinstance(item, Line):
            entries.append(_Entry(item, gap))
            gap = ""
        elif item is Gap.PAGE or gap == "page":
            gap = "page"
        else:
            gap = "blank"
    return entries


def _measure(
    entries: list[_Entry], flush_headings: bool = False, sizes: Mapping[int, float] | None = None
) -> _Layout:
    if not entries:
        return _Layout(0.0, wrapped=False, base_indent=0, gap_mode=False)
    widths = sorted(entry.line.width for entry in entries)
    width = widths[(len(widths) - 1) * 9 // 10]
    wrapped = width <= _MAX_WRAPPED_WIDTH
    short_limit = 0.85 * width if wrapped else float("inf")
    base_indent = Counter(entry.line.indent for entry in entries).most_common(1)[0][0]
    runs = first_line_gaps = 0
    for index in range(2, len(entries)):
        if entries[index].gap_before != "blank":
            continue
        runs += 1
        before, previous = entries[index - 1], entries[index - 2].line
        if (
            before.gap_before == ""
            and ends_sentence(previous.text)
            and before.line.width >= short_limit
        ):
            first_line_gaps += 1
    gap_mode = first_line_gaps >= 3 and first_line_gaps > runs / 2
    flush = flush_headings and all(entry.line.indent < base_indent + 2 for entry in entries)
    sizes = sizes or {}
    known = Counter(round(sizes[e.line.number], 1) for e in entries if e.line.number in sizes)
    body_size = known.most_common(1)[0][0] if len(known) > 1 else 0.0
    return _Layout(short_limit, wrapped, base_indent, gap_mode, flush, sizes, body_size)


def _group(entries: list[_Entry], layout: _Layout) -> list[tuple[BlockRole, list[Line]]]:
    headings = _find_headings(entries, layout)
    groups: list[tuple[BlockRole, list[Line]]] = []
    current: list[Line] = []
    index = 0
    while index < len(entries):
        size = headings.get(index, 0)
        if size or (current and _is_break(entries, index, layout)):
            if current:
                groups.append((BlockRole.PARAGRAPH, current))
            current = []
        if size:
            lines = [entry.line for entry in entries[index : index + size]]
            groups.append((BlockRole.HEADING, lines))
            index += size
            continue
        current.append(entries[index].line)
        index += 1
    if current:
        groups.append((BlockRole.PARAGRAPH, current))
    return groups


def _is_break(entries: list[_Entry], index: int, layout: _Layout) -> bool:
    """Whether the line at ``index`` starts a new paragraph."""
    previous, line = entries[index - 1].line, entries[index].line
    gap = entries[index].gap_before
    if line.indent >= layout.base_indent + 2 and (
        line.indent > previous.indent
        or (line.indent == previous.indent and ends_sentence(previous.text))
    ):
        return True
    if starts_lowercase(line.text):
        return False
    if not layout.wrapped:
        return True
    ends, short = ends_sentence(previous.text), previous.width < layout.short_limit
    if ends and short:
        return True
    if gap == "blank" and not layout.gap_mode and (ends or short):
        return True
    following = entries[index + 1].gap_before if index + 1 < len(entries) else ""
    return layout.gap_mode and ends and gap == "" and following == "blank"


def _find_headings(entries: list[_Entry], layout: _Layout) -> dict[int, int]:
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


def _find_flush_headings(entries: list[_Entry], layout: _Layout) -> dict[int, int]:
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
    index = 0
    while index < len(entries) - 1:
        line = entries[index].line
        size = layout.sizes.get(line.number, 0.0)
        bigger = _BIGGER * layout.body_size if layout.body_size else float("inf")
        if not (
            _flush_heading_like(line)
            and (
                index == 0
                or index - 1 in headings
                or _after_block_end(entries, index, layout)
                or (size >= bigger and _size_changes(layout, entries[index - 1].line, size))
            )
        ):
            index += 1
            continue
        count = 0
        if size >= bigger:
            count = 1  # the next lines set bigger than the body too: "Chapter 2 / The Storm"
            while count < 3 and index + count < len(entries) - 1:
                next_line = entries[index + count].line
                if (
                    layout.sizes.get(next_line.number, 0.0) < bigger
                    or not _flush_heading_like(next_line, continued=True)
                    or _SECTION_NUMBER.match(next_line.text)  # a heading of its own
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
            index += count
        else:
            index += 1
    return headings


def _flush_heading_like(line: Line, *, continued: bool = False) -> bool:
    text = line.text
    return (
        len(text) > 1  # a drop cap is the first letter of a paragraph
        and len(text.split()) <= 12
        and (continued or text[0].isupper() or text[0].isdigit())
        and not ends_sentence(text)
        and _INNER_SENTENCE_END.search(text) is None  # "Preparing the input layer. We split"
        and text[-1] not in _NO_HEADING_END
        and text[-1] not in ".:"
        and not is_list_entry(line)
    )


def _size_changes(layout: _Layout, previous: Line, size: float) -> bool:
    """Whether ``size`` differs from the previous line's: another block (a title after
    the journal's name, "Abstract" after the authors' addresses)."""
    before = layout.sizes.get(previous.number, 0.0)
    return bool(size and before) and abs(before - size) > 0.03 * size


def _starts_block(line: Line) -> bool:
    """A sentence's start, or an item of a list ("a) Feudal Socialism")."""
    return (not starts_lowercase(line.text) and line.text[0].isalnum()) or is_list_entry(line)


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


def _after_block_end(entries: list[_Entry], index: int, layout: _Layout) -> bool:
    if index == 0 or ends_sentence(entries[index - 1].line.text):
        return True
    return entries[index].gap_before != "" and not layout.gap_mode


def _split_notes(
    items: list[Item],
) -> tuple[list[Item], Line | None, list[tuple[str, list[Line]]]]:
    """Split off a trailing notes section: (body, its heading, [(label, lines)])."""
    positions = [index for index, item in enumerate(items) if isinstance(item, Line)]
    for rank in range(len(positions) - 2, -1, -1):
        heading = items[positions[rank]]
        if not isinstance(heading, Line):
            continue
        if not _NOTES_HEADING.fullmatch(heading.text.rstrip(" :")):
            continue
        lines = [item for item in items[positions[rank] + 1 :] if isinstance(item, Line)]
        notes = _parse_notes(lines)
        if notes:
            return items[: positions[rank]], heading, notes
        break
    return items, None, []


def _parse_notes(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Labelled notes, or [] unless the first line has a label and labels increase."""
    notes: list[tuple[str, list[Line]]] = []
    for line in lines:
        match = _NOTE_LABEL.fullmatch(line.text)
        if match is None:
            if not notes:
                return []
            notes[-1][1].append(line)
            continue
        label = match.group("bracket") or match.group("dot") or match.group("bare")
        rest = match.group("rest")
        body = Line(line.number, rest, line.indent) if rest else None
        notes.append((label, [body] if body else []))
    labels = [label for label, _lines in notes]
    if all(label.isdigit() for label in labels):
        numbers = [int(label) for label in labels]
        if any(b <= a for a, b in pairwise(numbers)):
            return []
    elif len(set(labels)) != len(labels):
        return []
    return [(label, lines) for label, lines in notes if lines]
