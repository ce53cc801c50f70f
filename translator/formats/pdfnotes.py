"""Footnotes in text extracted from a PDF, for ``pdftext``.

* a trailing "Notes"/"Footnotes"/"Notas" section of labelled lines (``1.``, ``[1]``,
  ``1 ``) becomes notes (``split_notes_section``);
* with the font sizes of the lines (``pdfwords``), a block set smaller than the body
  text that starts with a note's marker ("1Due to space…", "3https://…", "* Text",
  "¹ Text") right after a line of body text is a footnote wherever the PDF draws it:
  at the foot of the page, at the foot of a column, or in the middle of a paragraph
  that goes on after it (``find_small_notes``); one marked "1. " (CSS's marker, also a
  numbered list's) only at the foot of a page. ``pdftotext -raw`` writes a
  superscript marker glued to the note's first word. A small block without a marker (a
  caption, a running head, an index in a smaller font) or after a line that is not body
  text (a "References" heading, the line before in the same small font: a list of
  references) is none, nor a run whose numbers do not go up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

from translator.formats.pdflines import NOTE_MARK, Item, Line

Note = tuple[str, list[Line]]  # (label, lines of its text)

_NOTES_HEADING = re.compile(
    r"(?:foot|end)?notes?|notas?|notes de bas de page|anmerkungen|fußnoten", re.IGNORECASE
)
_NOTE_LABEL = re.compile(
    r"(?:\[(?P<bracket>[^\]\s]{1,6})\]|(?P<dot>\d{1,3})[.)]|(?P<bare>\d{1,3})(?=\s))\s*(?P<rest>.*)"
)
# "1. Text": CSS's footnote marker, also a numbered list's; a note only at a page's foot
_NUMBERED_ITEM = re.compile(r"\d{1,3}\.\s")
_MARK_ALONE = re.compile(r"\d{1,3}|[*†‡§¶]{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890", "[]")
SMALL_NOTE = 0.92  # a footnote's boxes: at most this much of the body text's height
_BODY_SIZE = 0.05  # the line before a footnote: body text, its height within 5 %


def split_notes_section(items: list[Item]) -> tuple[list[Item], Line | None, list[Note]]:
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


def _parse_notes(lines: list[Line]) -> list[Note]:
    """Labelled notes, or [] unless the first line has a label and labels increase."""
    notes: list[Note] = []
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


def merge_note_markers(items: list[Item], sizes: Mapping[int, float]) -> list[Item]:
    """A footnote's marker set higher than its text comes out on a line of its own ("1",
    then "Variants of this problem…"): glue it to the note's first line, as pdfTeX's
    markers come ("1Variants…"), before a bare number is taken for a page number. Only
    for a marker smaller than the line after it, itself set smaller than the line
    before (the text the note hangs from) or in the size of the note before it."""
    glued: dict[int, Line] = {}  # a note's first line → that line after its marker
    note_size = 0.0
    short = [  # the few lines short enough to be a marker, found in one pass
        index
        for index, item in enumerate(items)
        if type(item) is Line and len(item.text) <= 3 and 0 < index < len(items) - 1
    ]
    for index in short:
        item, before, following = items[index], items[index - 1], items[index + 1]
        if not (
            isinstance(item, Line)
            and isinstance(before, Line)
            and isinstance(following, Line)
            and _MARK_ALONE.fullmatch(item.text)
        ):
            continue
        size, after = sizes.get(item.number, 0.0), sizes.get(following.number, 0.0)
        above = sizes.get(before.number, 0.0)
        near = 0.03 * after  # the note before this one, and this one: the same size
        in_notes = abs(after - note_size) <= near and abs(above - note_size) <= near
        if 0 < size < after and (after < SMALL_NOTE * above or in_notes):
            glued[index + 1] = Line(following.number, item.text + following.text, item.indent)
            note_size = after
    if not glued:
        return items
    return [glued.get(index, item) for index, item in enumerate(items) if index + 1 not in glued]


def find_small_notes(
    lines: Sequence[Line],
    page_starts: Sequence[bool],
    sizes: Mapping[int, float],
    body_size: float,
) -> tuple[set[int], list[Note]]:
    """The footnotes set in a smaller font among ``lines`` (see the module docstring):
    (the indexes of their lines, [(label, lines)] in order). ``page_starts[i]`` says
    that a page break comes before ``lines[i]``: a note stops there. Nothing without
    the sizes of the lines (``body_size`` 0)."""
    taken: set[int] = set()
    notes: list[Note] = []
    if not body_size:
        return taken, notes
    small, near = SMALL_NOTE * body_size, _BODY_SIZE * body_size
    smaller = {  # the few lines set smaller than the body, found in one pass
        index for index, line in enumerate(lines) if 0 < sizes.get(line.number, 0.0) < small
    }
    end = 0
    for index in sorted(smaller):
        if (
            index < end
            or index == 0
            or abs(sizes.get(lines[index - 1].number, 0.0) - body_size) > near
            or not NOTE_MARK.match(lines[index].text)
        ):
            continue
        end = index + 1
        while end < len(lines) and not page_starts[end] and end in smaller:
            end += 1
        at_page_foot = end == len(lines) or page_starts[end]
        if at_page_foot or not _NUMBERED_ITEM.match(lines[index].text):
            taken.update(range(index, end))
            notes.extend(_split_marked(lines[index:end]))
    return taken, notes


def _split_marked(lines: Sequence[Line]) -> list[Note]:
    """A run of small lines cut at its markers (its first line has one). A number
    starts a note only when it follows the one before ("1", then "2"): a line of a note
    may start with a number ("12 months later")."""
    notes: list[Note] = []
    for line in lines:
        match = NOTE_MARK.match(line.text)
        label = match["label"].translate(_SUPERSCRIPTS) if match else ""
        if match is None or (notes and label.isdigit() and label != _next(notes[-1][0])):
            notes[-1][1].append(line)
            continue
        rest = line.text[match.end() :]
        notes.append((label, [Line(line.number, rest, line.indent + match.end())]))
    return notes


def _next(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else ""
