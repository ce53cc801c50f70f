"""Footnote labels that name one note each, whatever the source numbered again.

Books number their notes afresh in every chapter (an EPUB's chapter files, a web page's
per-section notes, a book's endnotes grouped by chapter) or on every page (printed books,
"*" and "†" on each page). A note's label is the only link between its calls and it
(``formats/__init__.py``): were two notes labelled "1", every export would send chapter
two's "[1]" to chapter one's note, and chapter two's note would never be called.

``unique_note_labels`` leaves a document whose labels are all different as it is. When a
label repeats, it numbers the notes 1 to N through the document in their order, as
Pandoc does when it joins chapters, and rewrites every call as ``[k]`` (a call glued to
its word in PDF text, ``river2``, becomes ``river[2]``). Which note a call of a repeated
label goes to:

- where the notes stand among the text (notes at the foot of each page, a notes section
  after each chapter; one source of lines: not EPUB, DOCX or ODT, whose notes and
  chapters have lines of their own), the first note with that label after the line
  the call's block starts on; a second call of that label in the same block (a
  paragraph that runs on to the next page, notes numbered by page) the next one. A call
  whose own note is missing takes a later note's label: no other call moves for it;
- else (every note after all the text: endnotes), the calls of a label and its notes
  are paired in order, the k-th call with the k-th note; a call past the last note of
  its label goes to that last note.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections import Counter

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.publication import footnote_calls

__all__ = ["unique_note_labels"]

# Formats whose blocks share one sequence of source lines, notes included.
_ONE_SOURCE_OF_LINES = frozenset({"pdf", "pdftext", "html", "markdown", "text"})
_EACH_BLOCK_A_NOTE = frozenset({"pdf", "pdftext"})


def unique_note_labels(parsed: ParsedText) -> ParsedText:
    """``parsed`` with one note per label (see the module docstring), and a warning
    saying so when labels had to be renumbered."""
    note_of = _notes(parsed)
    notes = sorted(set(note_of.values()))
    counts = Counter(parsed.blocks[k].label or "" for k in notes)
    repeated = sorted((label for label, n in counts.items() if n > 1 and label), key=_order)
    if not repeated:
        return parsed
    new_label = {k: str(rank) for rank, k in enumerate(notes, start=1)}
    by_label: dict[str, list[int]] = {}
    for k in notes:
        by_label.setdefault(parsed.blocks[k].label or "", []).append(k)
    choose = _NoteChooser(parsed, by_label)
    labels = set(by_label) - {""}
    blocks: list[Block] = []
    for k, block in enumerate(parsed.blocks):
        if block.role is BlockRole.FOOTNOTE:
            blocks.append(dataclasses.replace(block, label=new_label[note_of[k]]))
            continue
        calls = footnote_calls(block.text, labels)
        if not calls:
            blocks.append(block)
            continue
        pieces: list[str] = []
        position = 0
        in_block: dict[str, int] = {}  # the note each label's last call here went to
        for call in calls:
            note = choose(call.label, block.line, in_block.get(call.label))
            in_block[call.label] = note
            pieces.append(block.text[position : call.start])
            pieces.append(f"[{new_label[note]}]")
            position = call.end
        pieces.append(block.text[position:])
        blocks.append(dataclasses.replace(block, text="".join(pieces)))
    shown = ", ".join(f'"{label}"' for label in repeated[:5]) + (", …" if len(repeated) > 5 else "")
    warning = (
        f"the footnote labels {shown} stand for several notes (numbered again by chapter "
        f"or page): the {len(notes)} notes are numbered 1 to {len(notes)} through the text, "
        "and their calls with them"
    )
    return dataclasses.replace(parsed, blocks=blocks, warnings=[*parsed.warnings, warning])


def _notes(parsed: ParsedText) -> dict[int, int]:
    """Each footnote block's note: the index of the note's first block. A note of
    several paragraphs is several blocks with its label in a row; in PDF text every
    block is a note (two pages' notes "1" may follow each other)."""
    note_of: dict[int, int] = {}
    for k, block in enumerate(parsed.blocks):
        if block.role is not BlockRole.FOOTNOTE:
            continue
        previous = parsed.blocks[k - 1] if k else None
        if (
            parsed.format not in _EACH_BLOCK_A_NOTE
            and previous is not None
            and previous.role is BlockRole.FOOTNOTE
            and previous.label == block.label
        ):
            note_of[k] = note_of[k - 1]
        else:
            note_of[k] = k
    return note_of


def _order(label: str) -> tuple[int, int, str]:
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


class _NoteChooser:
    """Which note (its block index) a call of ``label`` in a block starting at ``line``
    goes to; see the module docstring."""

    def __init__(self, parsed: ParsedText, by_label: dict[str, list[int]]) -> None:
        self.by_label = by_label
        self.lines = {k: parsed.blocks[k].line for notes in by_label.values() for k in notes}
        self.used: Counter[str] = Counter()
        text_lines = [
            b.line for b in parsed.blocks if b.role is not BlockRole.FOOTNOTE and b.line is not None
        ]
        known = [line for line in self.lines.values() if line is not None]
        self.among_text = (
            parsed.format in _ONE_SOURCE_OF_LINES
            and len(known) == len(self.lines)
            and bool(text_lines)
            and min(known) < max(text_lines)
        )
        # each label's notes by line, for a binary search
        self.placed = {
            label: sorted((self.lines[k] or 0, k) for k in notes)
            for label, notes in by_label.items()
        }

    def __call__(self, label: str, line: int | None, before: int | None) -> int:
        """``before``: the note an earlier call of ``label`` in the same block went to."""
        notes = self.by_label[label]
        if self.among_text and line is not None:
            placed = self.placed[label]
            at = bisect_left(placed, (line, -1))
            if before is not None:
                at = max(at, bisect_right(placed, (self.lines[before] or 0, before)))
                if at >= len(placed):
                    return before
            return placed[at][1] if at < len(placed) else notes[-1]
        index = min(self.used[label], len(notes) - 1)
        self.used[label] += 1
        return notes[index]
