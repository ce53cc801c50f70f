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
* headings are found by ``pdfheadings`` (short or numbered lines, lines set bigger);
* a drop cap (one capital alone on its line, set big) is joined to the word it begins;
* typographic ligatures ("ﬁ") are expanded (``pdfclean``); tables of contents, indexes
  and long lists of terms become LIST_ITEM blocks, one per entry (``pdflists``);
* a trailing "Notes"/"Footnotes"/"Notas" section of labelled lines (``1.``, ``[1]``,
  ``1 ``), and notes set smaller than the body at the foot of a page or a column,
  become FOOTNOTE blocks (``pdfnotes``); footnote calls in the text are left as they
  are.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import replace

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.pdfclean import expand_ligatures
from translator.formats.pdfheadings import (
    Entry,
    Layout,
    find_headings,
    heading_levels,
    heading_lines,
    size_changes,
)
from translator.formats.pdflines import (
    Gap,
    Item,
    Line,
    LineJoiner,
    body_size,
    drop_page_furniture,
    ends_sentence,
    split_lines,
    starts_lowercase,
)
from translator.formats.pdflists import merge_leader_lines, split_lists
from translator.formats.pdfnotes import (
    Note,
    find_small_notes,
    merge_note_markers,
    split_notes_section,
)

# "… and Alan R." then "Aronson. 2017.": a reference list set with hanging indents
_INITIAL_END = re.compile(r"(?:^|[\s.])[A-Z]\.$")
_MAX_WRAPPED_WIDTH = 200  # wider "lines" are whole paragraphs, not a page's lines
_DROP_CAP = 1.8  # a drop cap spans two lines or more; a chapter's number is set smaller
_GAP_RANK = {"": 0, "blank": 1, "page": 2}


def parse_pdftext(
    text: str,
    *,
    flush_headings: bool = False,
    line_sizes: Mapping[int, float] | None = None,
    indented_lines: Collection[int] = frozenset(),
) -> ParsedText:
    """Rebuild headings, paragraphs and notes from text extracted from a PDF.

    Joins hard-wrapped lines (undoing end-of-line hyphenation), drops page numbers,
    running heads and form feeds, and finds paragraph and heading boundaries from the
    layout (see the module docstring). ``line_sizes`` (line number → font size, from
    ``pdfwords``) shows the headings set in a bigger font, in columns of any width, the
    drop caps and the footnotes set smaller wherever they stand; ``indented_lines``
    (line numbers, from ``pdfwords``) the lines that begin with a first-line indent,
    which begin paragraphs. ``Block.text`` is HTML-escaped plain text.
    """
    items = split_lines(expand_ligatures(text))
    if line_sizes:
        items = merge_note_markers(items, line_sizes)
    items, warnings = drop_page_furniture(items, line_sizes)
    items = merge_leader_lines(items)
    joiner = LineJoiner(items)
    body, notes_heading, notes = split_notes_section(items)
    entries = _entries(body)
    layout = _measure(entries, flush_headings, line_sizes or {})
    layout = replace(layout, indented=frozenset(indented_lines))
    entries = _merge_drop_caps(entries, layout, joiner)
    entries, small_notes = _split_small_notes(entries, layout)
    groups = _group(entries, layout)
    levels = heading_levels(groups, layout)
    blocks = []
    for (role, lines), level in zip(groups, levels, strict=True):
        if role is BlockRole.HEADING:
            content = html.escape(joiner.join(heading_lines(lines)), quote=False)
            blocks.append(Block(role, content, level=level, line=lines[0].number))
            continue
        for in_list, part in split_lists(lines):
            content = html.escape(joiner.join([line.text for line in part]), quote=False)
            kind = BlockRole.LIST_ITEM if in_list else role
            blocks.append(Block(kind, content, level=1 if in_list else None, line=part[0].number))
    if notes_heading is not None:
        heading = html.escape(notes_heading.text, quote=False)
        blocks.append(Block(BlockRole.HEADING, heading, level=2, line=notes_heading.number))
    # in the order they stand: a page's footnotes before the notes section at the end
    for label, lines in sorted([*notes, *small_notes], key=lambda note: note[1][0].number):
        content = html.escape(joiner.join([line.text for line in lines]), quote=False)
        blocks.append(Block(BlockRole.FOOTNOTE, content, label=label, line=lines[0].number))
    return ParsedText(blocks=blocks, format="pdftext", warnings=warnings)


def _entries(items: list[Item]) -> list[Entry]:
    entries = []
    gap = ""
    for item in items:
        if isinstance(item, Line):
            entries.append(Entry(item, gap))
            gap = ""
        elif item is Gap.PAGE or gap == "page":
            gap = "page"
        else:
            gap = "blank"
    return entries


def _merge_drop_caps(entries: list[Entry], layout: Layout, joiner: LineJoiner) -> list[Entry]:
    """Each drop cap joined to the line it begins (``LineJoiner.join_drop_cap``): one
    capital alone on its line, set at least ``_DROP_CAP`` times the body text's size
    (when the sizes are known; else before a line in lowercase), right before its word's
    rest. A chapter's number ("I" before "When Mr. Otis…") is no drop cap and stays, to
    be found as a heading."""
    merged: list[Entry] | None = None  # a copy of entries, once a drop cap is found
    for index in reversed([i for i, entry in enumerate(entries) if len(entry.line.text) == 1]):
        letter, drop = entries[index].line.text, entries[index]
        if index + 1 == len(entries) or entries[index + 1].gap_before or not letter.isupper():
            continue
        following = entries[index + 1].line
        size = layout.sizes.get(drop.line.number, 0.0)
        if not (
            size >= _DROP_CAP * layout.body_size
            if layout.body_size
            else starts_lowercase(following.text)
        ):
            continue
        text = joiner.join_drop_cap(letter, following.text)
        if text is not None:  # the joined line has the size of the text it begins
            merged = list(entries) if merged is None else merged
            merged[index : index + 2] = [Entry(replace(following, text=text), drop.gap_before)]
    return entries if merged is None else merged


def _split_small_notes(entries: list[Entry], layout: Layout) -> tuple[list[Entry], list[Note]]:
    """Take out the footnotes set smaller than the body (``pdfnotes.find_small_notes``);
    the text around one in mid-paragraph closes up over it."""
    taken, notes = find_small_notes(
        [entry.line for entry in entries],
        [entry.gap_before == "page" for entry in entries],
        layout.sizes,
        layout.body_size,
    )
    if not taken:
        return entries, notes
    kept: list[Entry] = []
    gap = ""  # the widest gap before the lines taken out
    for index, entry in enumerate(entries):
        if index in taken:
            gap = max(gap, entry.gap_before, key=_GAP_RANK.__getitem__)
            continue
        if gap:
            entry = Entry(entry.line, max(gap, entry.gap_before, key=_GAP_RANK.__getitem__))
            gap = ""
        kept.append(entry)
    return kept, notes


def _measure(
    entries: list[Entry], flush_headings: bool = False, sizes: Mapping[int, float] | None = None
) -> Layout:
    if not entries:
        return Layout(0.0, wrapped=False, base_indent=0, gap_mode=False)
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
    body = body_size(sizes[e.line.number] for e in entries if e.line.number in sizes)
    return Layout(short_limit, wrapped, base_indent, gap_mode, flush, sizes, body)


def _group(entries: list[Entry], layout: Layout) -> list[tuple[BlockRole, list[Line]]]:
    headings = find_headings(entries, layout)
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


def _is_break(entries: list[Entry], index: int, layout: Layout) -> bool:
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
    if (
        line.number in layout.indented
        and (ends_sentence(previous.text) or previous.text.endswith((":", ";")))
        and not _INITIAL_END.search(previous.text)
    ):
        return True  # a first-line indent, seen in the PDF's word boxes
    if not layout.wrapped:
        return True
    ends, short = ends_sentence(previous.text), previous.width < layout.short_limit
    if ends and short:
        return True
    if (
        ends
        and layout.body_size
        and size_changes(layout, previous, layout.sizes.get(line.number, 0))
    ):
        return True  # a motto or a caption set smaller, then the text
    if gap == "blank" and not layout.gap_mode and (ends or short):
        return True
    following = entries[index + 1].gap_before if index + 1 < len(entries) else ""
    return layout.gap_mode and ends and gap == "" and following == "blank"
