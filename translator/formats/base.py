"""What every import adapter returns: a flat list of blocks in document order.

Adapters are pure: bytes or str in, these dataclasses out. No Flask, no database.
``Block.text`` is always the same small inline-HTML subset (see ``INLINE_TAGS``),
whatever the adapter: plain text has ``&``, ``<`` and ``>`` escaped as entities, and
only the whitelisted tags are real markup (see ``translator/formats/__init__.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockRole(StrEnum):
    """The structural role of a block; a unit inherits the role of its block."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    FOOTNOTE = "footnote"


# The inline tags an adapter may leave in Block.text. Rendering whitelists exactly these.
INLINE_TAGS = frozenset({"em", "strong", "code", "a", "sup", "sub", "br"})


@dataclass(frozen=True, slots=True)
class Block:
    """One structural block: a heading, a paragraph, a quote paragraph, a list item or a
    footnote. ``text`` is the whole block on one line (hard wraps already joined).

    ``level`` is the heading level (1-6) or the list nesting depth (1 = top);
    ``label`` is a footnote's label (``"1"``) for FOOTNOTE blocks;
    ``line`` is the 1-based line of the source where the block starts (for errors)."""

    role: BlockRole
    text: str
    level: int | None = None
    label: str | None = None
    line: int | None = None


@dataclass(slots=True)
class ParsedText:
    """An adapter's result: the blocks plus what it learnt about the source."""

    blocks: list[Block]
    format: str
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
