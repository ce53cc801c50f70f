"""A plain-text view of a segment's inline markup, for the code that reads text.

Segment text is one line of escaped text with a small inline HTML subset (``<em>``,
``<a href="...">``, ``<br>``, ... and the entities ``&amp; &lt; &gt; &quot;``). Sentence
segmentation and word counts must see the words, not the markup: :func:`plain_view` drops
every tag, decodes every entity to the character it stands for, and keeps the way back
to the original offsets, so that a position found in the plain text can be cut in the
marked-up text without ever landing inside a tag or an entity.

Whitespace: "collapsible" whitespace is every ``str.isspace`` character except the
no-break spaces U+00A0, U+2007 and U+202F, which are content (French puts them inside
``«\u00a0»`` and before ``?!:;``) and are never collapsed, stripped or split at.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

NO_BREAK_SPACES = "\u00a0\u2007\u202f"

_COLLAPSIBLE = re.compile(rf"[^\S{NO_BREAK_SPACES}]+")
# Any tag-shaped markup (the input is escaped, so a raw "<" never starts plain text) and
# any character reference; html.unescape decides whether a named reference is real.
_MARKUP = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?:[\s/][^<>]*)?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_VOID_ELEMENTS = frozenset({"br", "wbr", "img", "hr", "input", "area", "col", "embed", "source"})


def normalize_whitespace(text: str) -> str:
    """Collapse each run of collapsible whitespace to one space and strip both ends.

    No-break spaces are kept as they are (see the module docstring)."""
    return _COLLAPSIBLE.sub(" ", text).strip(" ")


@dataclass(frozen=True, slots=True)
class PlainView:
    """``text`` without tags and with entities decoded, plus the map back to the source.

    ``runs`` holds one ``(plain_start, source_start, source_end, verbatim)`` per stretch of
    plain text: a verbatim stretch is copied from the source, the other kind is one decoded
    entity. ``elements`` holds the ``(start, end)`` plain offsets of the content of the
    outermost elements whose opening and closing tags both occur, in order; tags are
    matched like a browser would, so elements nest and the outermost ones are disjoint."""

    source: str
    text: str
    runs: tuple[tuple[int, int, int, bool], ...]
    elements: tuple[tuple[int, int], ...]

    def _run(self, position: int) -> tuple[int, int, int, bool]:
        return self.runs[bisect_right(self.runs, (position, len(self.source) + 1)) - 1]

    def source_offset(self, position: int) -> int:
        """Source offset of plain character ``position`` (an entity's first character)."""
        plain_start, start, _end, verbatim = self._run(position)
        return start + position - plain_start if verbatim else start

    def source_end(self, position: int) -> int:
        """Source offset just after plain character ``position`` (after a whole entity)."""
        plain_start, start, end, verbatim = self._run(position)
        return start + position - plain_start + 1 if verbatim else end

    def inside_element(self, position: int, *, between: bool = False) -> bool:
        """Whether plain character ``position`` is element content, or with ``between``,
        whether the gap just before it lies strictly inside an element."""
        index = bisect_left(self.elements, (position + (0 if between else 1),)) - 1
        return index >= 0 and position < self.elements[index][1]


def plain_view(source: str) -> PlainView:
    """Return the plain-text view of ``source`` (see :class:`PlainView`).

    A decoded entity that is collapsible whitespace (``&#10;``) becomes a no-break space,
    so that no split or collapse can ever happen inside an entity. Unknown named
    references and unmatched closing tags are harmless: the first stay text, the second
    are dropped like any tag."""
    if "<" not in source and "&" not in source:
        return PlainView(source, source, ((0, 0, len(source), True),), ())
    parts: list[str] = []
    runs: list[tuple[int, int, int, bool]] = []
    elements: list[tuple[int, int]] = []
    open_elements: list[tuple[str, int]] = []
    plain_length = 0
    copied_to = 0
    for match in _MARKUP.finditer(source):
        name = match.group("name")
        decoded = "" if name else html.unescape(match.group())
        if decoded == match.group():
            continue  # an unknown named reference is plain text
        if match.start() > copied_to:
            parts.append(source[copied_to : match.start()])
            runs.append((plain_length, copied_to, match.start(), True))
            plain_length += match.start() - copied_to
        copied_to = match.end()
        if decoded:
            if decoded.isspace():
                decoded = "\u00a0" * len(decoded)
            parts.append(decoded)
            runs.append((plain_length, match.start(), match.end(), False))
            plain_length += len(decoded)
            continue
        name = name.lower()
        if match.group("close"):
            for depth in range(len(open_elements) - 1, -1, -1):
                if open_elements[depth][0] == name:
                    elements.append((open_elements[depth][1], plain_length))
                    del open_elements[depth:]
                    break
        elif name not in _VOID_ELEMENTS and not match.group().endswith("/>"):
            open_elements.append((name, plain_length))
    parts.append(source[copied_to:])
    runs.append((plain_length, copied_to, len(source), True))
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(elements, key=lambda span: (span[0], -span[1])):
        if start < end and (not outermost or start >= outermost[-1][1]):
            outermost.append((start, end))
    return PlainView(source, "".join(parts), tuple(runs), tuple(outermost))
