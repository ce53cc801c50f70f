"""Plain text: blank-line-separated paragraphs, nothing else.

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
                blocks.append(_paragraph(lines, start))
                lines = []
            if line:
                if not lines:
                    start = number
                lines.append(line)
    if lines:
        blocks.append(_paragraph(lines, start))
    return ParsedText(blocks=blocks, format="text")


def _paragraph(lines: list[str], start: int) -> Block:
    return Block(BlockRole.PARAGRAPH, html.escape(" ".join(lines), quote=False), line=start)
