"""Cutting a "sentence" too long to translate into pieces, at the best breaks available.

Segmentation cuts at sentence ends only. Some imports have none for pages on end: text
extracted from a PDF without its punctuation, a list or a table glued into one line, a
whole paragraph in italics (a sentence end inside an element is never a cut), a file
that is one 5 MB line. Such a run would become one segment nobody can translate, slow
every search and diff over it, and may exceed ``MAX_SEGMENT_LENGTH``.

``LONG_SENTENCE_LENGTH`` is 2 000 characters: ten times a long sentence of real prose
(Proust's longest runs to about 950 words, but a translator's unit of work, a sentence
in the editor, is rarely over 500 characters), short enough to show whole in the
editor's cell and to diff and replace in instantly, long enough that no real sentence
of ordinary prose is ever cut. Anything longer is cut into pieces of at most that many
characters (of the stored form: tags and entities count) at, in order of preference:

1. a clause end: ``. ! ? … ; :`` (and their full-width forms), closing quotes or
   brackets and closing tags after it staying with it;
2. a dash between spaces (cut before the dash) or an unspaced em dash (after it);
3. a comma (``, ، 、 ，``);
4. any space;
5. anywhere (a hard cut), but never inside a tag or an entity, nor before a combining
   mark, a variation selector, an emoji modifier or inside a surrogate pair, or next to
   a zero-width joiner.

Breaks 1-3 count only in the second half of a piece (no tiny pieces), and outside an
element (``<em>...</em>``) first: a piece then keeps its tags balanced when it can (when
it cannot, the element opens in one piece and closes in the next, as a split made in
the editor does). The pieces are exactly the text, in order, minus the one space at
each cut: joined with spaces (or nothing, at a cut without a space) they give the
sentence back. Every step moves forward by at least half a piece or finds the one
after it does, so the whole is linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

from translator.text.segmentation import MAX_SEGMENT_LENGTH

__all__ = ["LONG_SENTENCE_LENGTH", "split_long_sentence"]

LONG_SENTENCE_LENGTH = 2_000
assert LONG_SENTENCE_LENGTH <= MAX_SEGMENT_LENGTH

# Tags (stored text has every literal "<" escaped) and character references.
_PROTECTED = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)?[^<>]*>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_VOID = frozenset({"br", "wbr", "img", "hr"})
_AFTER = r"(?:[\"'”’»›)\]」』）》〉】〕]|</[A-Za-z][A-Za-z0-9]*>){0,4}"
# Each break ends where the piece ends; a space found there is dropped.
_BREAKS = (
    re.compile(rf"[.!?…;:؛]{_AFTER}(?= )|[。！？；：｡]{_AFTER}"),
    re.compile(r"(?<=\S)(?= [—–―] )|[—―](?=[^\s—―<])"),
    re.compile(rf"[,،]{_AFTER}(?= )|[、，]{_AFTER}"),
)
_JOINERS = frozenset("\u200d")


def split_long_sentence(sentence: str, limit: int = LONG_SENTENCE_LENGTH) -> list[str]:
    """Cut ``sentence`` (stored form, whitespace normalised) into pieces of at most
    ``limit`` characters at the best breaks available (see the module docstring).

    A sentence within the limit comes back alone. Only a single tag longer than
    ``limit`` could make a piece longer (it is kept whole); no adapter writes one."""
    if len(sentence) <= limit:
        return [sentence]
    cutter = _Cutter(sentence, limit)
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > limit:
        end, next_start = cutter.cut(start)
        piece = sentence[start:end].strip(" ")
        if piece:
            pieces.append(piece)
        start = next_start
    rest = sentence[start:].strip(" ")
    if rest:
        pieces.append(rest)
    return pieces


class _Cutter:
    """The protected spans (tags, entities) and element contents of one sentence, and
    the choice of each cut."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.spans: list[tuple[int, int]] = []
        self.elements: list[tuple[int, int]] = []
        if "<" in text or "&" in text:
            self._scan()
        self.span_starts = [start for start, _end in self.spans]
        self.element_starts = [start for start, _end in self.elements]

    def _scan(self) -> None:
        open_elements: list[tuple[str, int]] = []
        elements: list[tuple[int, int]] = []
        for match in _PROTECTED.finditer(self.text):
            self.spans.append(match.span())
            name = (match.group("name") or "").lower()
            if not name or name in _VOID:
                continue
            if not match.group("close"):
                open_elements.append((name, match.end()))
                continue
            for depth in range(len(open_elements) - 1, -1, -1):
                if open_elements[depth][0] == name:
                    elements.append((open_elements[depth][1], match.start()))
                    del open_elements[depth:]
                    break
        for start, end in sorted(elements, key=lambda span: (span[0], -span[1])):
            if not self.elements or start >= self.elements[-1][1]:
                self.elements.append((start, end))

    def cut(self, start: int) -> tuple[int, int]:
        """``(end, next_start)`` of the piece that begins at ``start``."""
        high = start + self.limit
        half = start + max(1, self.limit // 2)
        for outside_only in (True, False) if self.elements else (False,):
            for pattern in _BREAKS:
                found = self._last_break(pattern, half, high, outside_only=outside_only)
                if found >= 0:
                    return self._at(found)
            space = self._last_space(half, high, outside_only=outside_only)
            if space >= 0:
                return space, space + 1
        space = self._last_space(start + 1, half, outside_only=False)
        if space >= 0:
            return space, space + 1
        return self._at(self._hard_cut(start, half, high))

    def _at(self, end: int) -> tuple[int, int]:
        return end, end + 1 if self.text[end : end + 1] == " " else end

    def _last_break(
        self, pattern: re.Pattern[str], low: int, high: int, *, outside_only: bool
    ) -> int:
        best = -1
        for match in pattern.finditer(self.text, max(0, low - 64), high + 1):
            end = match.end()
            if low <= end <= high and self._allowed(match.start(), end, outside_only):
                best = end
        return best

    def _last_space(self, low: int, high: int, *, outside_only: bool) -> int:
        position = self.text.rfind(" ", low, high + 1)
        while position >= low:
            if self._allowed(position, position, outside_only):
                return position
            span = self._span_around(position) or self._element_around(position)
            position = self.text.rfind(" ", low, span[0] if span else position)
        return -1

    def _hard_cut(self, start: int, half: int, high: int) -> int:
        """The last position in ``[half, high]`` that splits no grapheme and no tag, else
        ``high`` moved out of the tag or entity it falls in."""
        for position in range(high, half - 1, -1):
            if self._span_around(position) is None and _between_graphemes(self.text, position):
                return position
        span = self._span_around(high)
        if span is None:
            return high
        return span[0] if span[0] > start else span[1]

    def _allowed(self, mark: int, end: int, outside_only: bool) -> bool:
        """A break whose mark (punctuation or space) is at ``mark`` and which cuts at
        ``end``: neither inside a tag or entity, nor (``outside_only``) in an element."""
        if self._span_around(mark, inclusive=True) or self._span_around(end):
            return False
        return not outside_only or self._element_around(end) is None

    def _span_around(self, position: int, *, inclusive: bool = False) -> tuple[int, int] | None:
        """The tag or entity that ``position`` cuts (or, ``inclusive``, lies in)."""
        return _around(self.spans, self.span_starts, position + (1 if inclusive else 0), position)

    def _element_around(self, position: int) -> tuple[int, int] | None:
        """The content of the outermost element that a cut at ``position`` falls in."""
        return _around(self.elements, self.element_starts, position, position)


def _around(
    spans: list[tuple[int, int]], starts: list[int], key: int, position: int
) -> tuple[int, int] | None:
    """The span starting before ``key`` that ends after ``position``, if any."""
    index = bisect_left(starts, key) - 1
    if index >= 0 and position < spans[index][1]:
        return spans[index]
    return None


def _between_graphemes(text: str, position: int) -> bool:
    """Whether a cut before ``text[position]`` leaves every character sequence whole."""
    before, after = text[position - 1], text[position]
    if before in _JOINERS or "\ud800" <= before <= "\udbff" or "\udc00" <= after <= "\udfff":
        return False
    if (
        after in _JOINERS
        or "\U0001f3fb" <= after <= "\U0001f3ff"
        or "\U000e0020" <= after <= "\U000e007f"
    ):
        return False
    return not unicodedata.category(after).startswith("M")
