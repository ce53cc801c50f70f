"""Plain text: blank-line-separated paragraphs, nothing else.

Lines between two blank lines are joined into one paragraph when they look hard-wrapped
(most of them nearly as long as the longest, itself no longer than a wrapped line); lines
that do not (long, ragged lines: one paragraph or one sentence per line, as editors and
exports write them) are one paragraph each. A 10 000-line file without a blank line is
then 10 000 paragraphs, not one paragraph of 10 000 sentences.

No heading guessing: a short line without a full stop is as often a caption, a date or a
signature as a title, and a wrong HEADING is worse than a right PARAGRAPH. Hard-wrapped
text extracted from a PDF goes through ``pdftext`` instead.
"""

from __future__ import annotations

import html
import re

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.decoding import decode_text

__all__ = ["collapse_spaces", "decode_text", "parse_plaintext"]

# Runs of spaces and tabs only: str.split() would also eat the no-break spaces that
# French puts before ":", "?" and "»".
_SPACES = re.compile(r"[ \t]+")


def collapse_spaces(text: str) -> str:
    """Squeeze runs of spaces/tabs to one space and trim; no-break spaces are kept."""
    return _SPACES.sub(" ", text).strip(" \t")


def parse_plaintext(text: str) -> ParsedText:
    """Split decoded text into PARAGRAPH blocks at blank lines (or form feeds).

    The lines of a paragraph are joined with a single space. ``Block.text`` is
    HTML-escaped (``&``, ``<``, ``>``), like every adapter's output; ``Block.line`` is
    the 1-based line where the paragraph starts.
    """
    blocks: list[Block] = []
    lines: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        # A form feed (page break) ends a paragraph like a blank line, mid-line too.
        for index, part in enumerate(raw.split("\f")):
            line = collapse_spaces(part)
            if lines and (index or not line):
                blocks.extend(_paragraphs(lines, start))
                lines = []
            if line:
                if not lines:
                    start = number
                lines.append(line)
    if lines:
        blocks.extend(_paragraphs(lines, start))
    return ParsedText(blocks=blocks, format="text")


WRAP_WIDTH = 100  # no one hard-wraps longer lines than this
FULL_LINE = 0.75  # a wrapped line is at least this share of the longest line
FULL_SHARE = 0.7  # of a wrapped paragraph's lines (the last one aside), this many are full


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Whether these consecutive lines are one paragraph wrapped at a fixed width."""
    if len(lines) < 3:
        return True  # too few to tell: a short paragraph is kept whole, as before
    widest = max(len(line) for line in lines)
    if widest > WRAP_WIDTH:
        return False
    full = sum(1 for line in lines[:-1] if len(line) >= FULL_LINE * widest)
    return full >= FULL_SHARE * (len(lines) - 1)


def _paragraph(lines: list[str], start: int) -> Block:
    return Block(BlockRole.PARAGRAPH, html.escape(" ".join(lines), quote=False), line=start)


def _paragraphs(lines: list[str], start: int) -> list[Block]:
    if looks_hard_wrapped(lines):
        return [_paragraph(lines, start)]
    return [_paragraph([line], start + k) for k, line in enumerate(lines)]
