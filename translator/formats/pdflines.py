"""Line-level work for ``pdftext``: the line model, page furniture, sentence ends and
joining hard-wrapped lines (with end-of-line hyphenation undone).

Kept apart from the paragraph logic in ``pdftext`` so that each can be read (and tested)
on its own. Everything here is linear in the size of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from translator.formats.plaintext import collapse_spaces


class Gap(Enum):
    """What separates two lines besides a newline."""

    BLANK = "blank"  # one blank line (a run of them is several items)
    PAGE = "page"  # a form feed or a dropped page number / running head


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank source line: text without indentation, and its layout."""

    number: int  # 1-based line in the source
    text: str  # indentation and trailing spaces removed, inner runs of spaces squeezed
    indent: int  # leading columns (tabs expanded)

    @property
    def width(self) -> int:
        """Columns the line occupies as laid out on the page."""
        return self.indent + len(self.text)


Item = Line | Gap

_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?"
    r"|(?:page|p\.|pg\.?|pág\.?|página|seite|s\.)\s*\d{1,4}(?:\s*(?:/|of|de|sur|von)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|of|de|sur|von)\s*\d{1,4}",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_DIGITS = re.compile(r"\d+")
_BIGGER = 1.15  # a line set this much bigger than the body text is a heading
# A footnote's marker, then its first word (a letter, an opening quote, a URL's start):
# "1 Ibid.", "2. See above.", "* Ibid.", "¹ Text", "[3] Text"
NOTE_MARK = re.compile(
    r"(?P<label>\d{1,3}|[*†‡§¶]{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}|\[\d{1,3}\])(?:\.\s|\s?)(?=[^\W\d_]|[\"“‘«(])"
)

# A sentence end, then closing quotes/brackets, then an optional footnote call
# ("POUM.2", "Catalan.[1]", "end.”³"), then closing quotes/brackets again.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\[\d{1,3}\]|\d{1,3}|[¹²³⁰⁴-⁹]+)?[\"'”’»)\]]*$")
_OPENING = "\"'“‘«([¿¡"
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_HYPHENATED_END = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)[-‐]$")
_LEADING_WORD = re.compile(r"[^\W\d_]+")
# First parts that make real compounds ("anti-capitalist", "self-organized") ...
_PREFIXES = frozenset(
    {
        *("anti", "non", "self", "post", "pre", "ex", "co", "neo", "semi", "well", "pro"),
        *("counter", "cross", "half", "ill", "all", "quasi", "pseudo", "ultra", "multi"),
        *("inter", "intra", "mid", "over", "under", "sub", "super", "trans", "vice", "meta"),
        *("auto", "contra", "contre", "sous", "pós", "pré", "pró", "sem", "bem", "mal"),
    }
)
# ... and second parts that are clitics in French/Portuguese ("dit-il", "deu-lhe").
_CLITICS = frozenset(
    {
        *("il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "moi", "toi"),
        *("lui", "leur", "le", "la", "les", "en", "ce", "ci", "là", "lo", "los", "las"),
        *("lhe", "lhes", "nos", "vos", "se", "me", "te"),
    }
)
_URL_STARTS = ("http:", "https:", "ftp:", "www.")
_URL_CUTS = "/.:-_?=&#~"  # where a line may cut a web address
# One-letter words (en, fr, pt, es): a drop cap that may stand alone ("I had…", "A man…").
_ONE_LETTER_WORDS = frozenset("AIOEYUÀ")


def split_lines(text: str) -> list[Item]:
    """Turn decoded text into Lines and Gap markers (a form feed becomes ``Gap.PAGE``)."""
    items: list[Item] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index:
                items.append(Gap.PAGE)
            expanded = part.expandtabs().rstrip()
            stripped = expanded.lstrip()
            if stripped:
                indent = len(expanded) - len(stripped)
                items.append(Line(number, collapse_spaces(stripped), indent))
            elif len(parts) == 1:
                items.append(Gap.BLANK)
    return items


def drop_page_furniture(
    items: list[Item], sizes: Mapping[int, float] | None = None
) -> tuple[list[Item], list[str]]:
    """Replace page numbers, printer's slugs and running heads by ``Gap.PAGE``; return
    warnings.

    A bare page number ("17", "- 17 -", "Page 3 of 9") goes wherever it stands. A
    printer's slug (a line with a date and a time: "book.indd 12/03/2024 14:27 17")
    goes at a page break position. A running head or foot is a short line repeated at
    page-break positions (next to a form feed, a blank line, a page number or a text
    edge) at least three times, or twice among the first or last lines of pages, set
    apart by a blank line and without a sentence end; digits
    are ignored when comparing, so "Chapter 2 · 17" matches "Chapter 2 · 18". Lines that
    differ only by their number and stand on few pages ("Chapter 1" ... "Chapter 3", each
    opening its chapter's page) are headings, not furniture, and stay; so do the same
    footnote at the foot of several pages ("1 Ibid.": a note's marker, then a sentence).
    With the lines' font ``sizes`` (``pdfwords``), lines set bigger than the body text
    are headings wherever they stand: a running head is never set bigger.
    """
    items = [
        Gap.PAGE if isinstance(item, Line) and _PAGE_NUMBER.fullmatch(item.text) else item
        for item in items
    ]
    page_edges = _page_edges(items)
    sizes = sizes or {}
    body = body_size(sizes.values())
    pages = 1 + sum(1 for item in items if item is Gap.PAGE)
    edges: dict[str, list[tuple[int, Line]]] = {}
    page_heads: set[int] = set()  # set apart by a gap near a page's edge, no sentence end
    slugs: list[int] = []
    for index, item in enumerate(items):
        if not isinstance(item, Line) or len(item.text) > 120:
            continue
        before = items[index - 1] if index else Gap.PAGE
        after = items[index + 1] if index + 1 < len(items) else Gap.PAGE
        if isinstance(before, Gap) or isinstance(after, Gap) or index in page_edges:
            if _DATE.search(item.text) and _TIME.search(item.text):
                slugs.append(index)
                continue
            key = re.sub(r"\d+", "#", item.text)
            if page_edges and index not in page_edges:
                continue  # pages are known: furniture stands at their edges
            if _head_like(key) and len(item.text) <= 80:
                edges.setdefault(key, []).append((index, item))
                if (isinstance(before, Gap) or isinstance(after, Gap)) and not ends_sentence(
                    item.text
                ):
                    page_heads.add(index)
    warnings = []
    if slugs:
        first_slug = items[slugs[0]]
        assert isinstance(first_slug, Line)
        warnings.append(
            f"line {first_slug.number}: dropped the printer's slug {first_slug.text!r} "
            f"({len(slugs)} times)"
        )
        for index in slugs:
            items[index] = Gap.PAGE
    for positions in edges.values():
        at_page_edges = sum(
            1 for index, _line in positions if index in page_edges and index in page_heads
        )
        if len(positions) < 3 and at_page_edges < 2:
            continue
        if body and all(sizes.get(line.number, 0.0) >= _BIGGER * body for _i, line in positions):
            continue  # headings opening their pages ("Chapter 1", "Chapter 2"...)
        if all(NOTE_MARK.match(line.text) and ends_sentence(line.text) for _i, line in positions):
            continue  # one footnote on several pages ("1 Ibid."), not a running foot
        texts = {line.text for _index, line in positions}
        if (
            len(texts) == len(positions)
            and "#" in _DIGITS.sub("#", positions[0][1].text)
            and (3 * len(positions) < pages)
        ):
            continue  # numbered headings that open a few pages, not a running head
        first = positions[0][1]
        warnings.append(
            f"line {first.number}: dropped the running head {first.text!r} ({len(positions)} times)"
        )
        for index, _line in positions:
            items[index] = Gap.PAGE
    return items, warnings


def body_size(sizes: Iterable[float]) -> float:
    """The body text's font size: the most common size (to 0.1), 0.0 unless the lines
    have two sizes or more."""
    known = Counter(round(size, 1) for size in sizes)
    return known.most_common(1)[0][0] if len(known) > 1 else 0.0


def _head_like(key: str) -> bool:
    """A running head has letters and a capital or a number, or three words: not "of"
    or "the" left alone on a line by a justified column, which recur at every page."""
    if not any(char.isalpha() for char in key):
        return False
    return any(char.isupper() or char == "#" for char in key) or len(key.split()) >= 3


def _page_edges(items: list[Item], depth: int = 3) -> set[int]:
    """Indexes of the first and last ``depth`` lines of every page (between form feeds),
    when the text has page breaks at all."""
    if Gap.PAGE not in items:
        return set()
    edges: set[int] = set()
    page: list[int] = []
    for index, item in enumerate([*items, Gap.PAGE]):
        if item is Gap.PAGE:
            edges.update(page[:depth])
            edges.update(page[-depth:])
            page = []
        elif isinstance(item, Line):
            page.append(index)
    return edges


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (footnote calls and closing quotes allowed)."""
    return _SENTENCE_END.search(text) is not None


def starts_lowercase(text: str) -> bool:
    """Whether a line starts with a lowercase letter (after opening quotes/brackets)."""
    stripped = text.lstrip(_OPENING)
    return bool(stripped) and stripped[0].islower()


class LineJoiner:
    """Joins hard-wrapped lines, undoing hyphenation with the document's own vocabulary.

    ``revolu-`` + ``tionary`` is joined when "revolutionary" occurs elsewhere in the text
    (or neither form does and nothing suggests a compound); ``anti-`` + ``capitalist`` keeps
    its hyphen when "anti-capitalist" is the more frequent form, or the first part is a
    prefix-like word, or a side is capitalised ("Marx-Engels"), or the second part is a
    French/Portuguese clitic ("dit-il").
    """

    def __init__(self, items: list[Item]) -> None:
        self._vocabulary: Counter[str] | None = None
        self._items = items

    def join(self, lines: list[str]) -> str:
        """Join the lines of one block into a single line of text."""
        pieces = [lines[0]]
        for line in lines[1:]:
            previous = pieces[-1]
            if previous.endswith("\xad"):
                pieces[-1] = previous[:-1]
            elif _is_hyphenated(previous):
                if self._should_join(previous, line):
                    pieces[-1] = previous[:-1]
            elif not (
                (previous[-1] in "—–" and previous[-2:-1].strip()) or _url_goes_on(previous, line)
            ):
                pieces.append(" ")
            pieces.append(line)
        return "".join(pieces)

    def join_drop_cap(self, letter: str, line: str) -> str | None:
        """A drop cap (a capital set big on a line of its own) joined to the line it
        begins: "T" + "he night was…" → "The night was…"; "T" + "O Sherlock Holmes…"
        (the word's rest in small capitals) → "To Sherlock Holmes…" when the document
        knows the word "to"; with a space when the letter is a word of its own and the
        document knows the next word (of two letters or more), not the two together ("I"
        + "HAD seen…" → "I had seen…"). None when ``line`` does not go on with the
        letter's word: a title, a sentence ("When Mr. Otis…", "A few days…" under a
        chapter's "I" or "V")."""
        match = _LEADING_WORD.match(line)
        if match is None:
            return None
        word, rest = match.group(), line[match.end() :]
        small_capitals = word.isupper() and any(char.islower() for char in rest)
        if not (small_capitals or word.islower()):
            return None
        word = word.lower()
        vocabulary = self._vocabulary_counts()
        joined = vocabulary[(letter + word).lower()] > 0
        if letter in _ONE_LETTER_WORDS and not joined and len(word) > 1 and vocabulary[word]:
            return f"{letter} {word}{rest}"
        if small_capitals and not joined:
            return None
        return f"{letter}{word}{rest}"

    def _should_join(self, previous: str, line: str) -> bool:
        match = _HYPHENATED_END.search(previous)
        second_match = _LEADING_WORD.match(line)
        if match is None or second_match is None or previous.endswith("--"):
            return False
        first, second = match.group(1), second_match.group()
        vocabulary = self._vocabulary_counts()
        joined = vocabulary[(first + second).lower()]
        compound = vocabulary[f"{first}-{second}".lower()]
        if joined != compound:
            return joined > compound
        last_part = first.rsplit("-", 1)[-1]
        if second[0].isupper() or second.lower() in _CLITICS:
            return False
        if last_part.lower() in _PREFIXES:
            return False
        return not (last_part[0].isupper() and vocabulary[last_part.lower()] > 0)

    def _vocabulary_counts(self) -> Counter[str]:
        """Word frequencies of the whole text, leaving out the halves of split words."""
        if self._vocabulary is None:
            counts: Counter[str] = Counter()
            split_before = False
            for item in self._items:
                if not isinstance(item, Line):
                    continue
                words = _WORD.findall(item.text.lower())
                split_after = _is_hyphenated(item.text)
                counts.update(words[int(split_before) : len(words) - int(split_after)])
                split_before = split_after
            self._vocabulary = counts
        return self._vocabulary


def _url_goes_on(previous: str, line: str) -> bool:
    """Whether a web address cut at the end of ``previous`` ("https://sobigdata.",
    "http://", "https:") goes on at the start of ``line`` ("d4science.org/web",
    "//metamap.nlm.nih.gov", "deepfigures-open"): joined without a space."""
    if previous[-1] not in _URL_CUTS or not previous.rsplit(" ", 1)[-1].startswith(_URL_STARTS):
        return False
    head = line.split(" ", 1)[0]
    return (head[0].islower() or head[0] in "/0123456789") and any(c in head for c in "./-")


def _is_hyphenated(line: str) -> bool:
    """Whether a line ends with a word cut by a hyphen ("revolu-"); cheap test first."""
    return line.endswith(("-", "‐")) and _HYPHENATED_END.search(line) is not None
