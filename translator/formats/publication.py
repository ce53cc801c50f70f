"""What export writers receive: an edition (or editions side by side) as plain data.

The services build these from the database (``services.publication``), with the
per-language typography already applied; writers under ``formats/`` turn them into
bytes (``formats.exports`` registers them). Pure: no Flask, no database.

Text conventions are the import adapters' (``formats/__init__.py``): every sentence is
inline HTML restricted to ``base.INLINE_TAGS``, escaped, on one line. A footnote *call*
is text in a sentence that names a footnote's label, as imported: ``[1]`` (Markdown) or
the label glued to a word (PDF text: ``POUM.2``); ``footnote_calls`` finds them so that
every writer links calls and notes the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from translator.formats.base import BlockRole

__all__ = [
    "BlockRole",
    "EditionInfo",
    "FootnoteCall",
    "InterchangeFile",
    "InterchangeSegment",
    "InterchangeUnit",
    "Notice",
    "ParallelPublication",
    "ParallelRow",
    "Passage",
    "Person",
    "Publication",
    "footnote_calls",
]


@dataclass(frozen=True, slots=True)
class Person:
    """Someone credited: ``role`` is a MARC relator code, as EPUB uses them
    (``aut`` author, ``trl`` translator, ``edt`` editor)."""

    name: str
    role: str


@dataclass(frozen=True, slots=True)
class EditionInfo:
    """An edition's metadata. ``title`` and ``document_title`` are plain text;
    ``identifier`` is stable across exports of the same edition (EPUB's
    dc:identifier); ``credits`` is the edition's free-text credits."""

    language: str
    title: str
    document_title: str
    slug: str
    identifier: str
    people: tuple[Person, ...] = ()
    credits: str = ""
    date: date | None = None
    modified: str = ""  # ISO 8601 UTC of the latest change, e.g. "2026-12-03T10:00:00Z"


@dataclass(frozen=True, slots=True)
class Passage:
    """One block of an edition in reading order: a heading, a paragraph, a quote, a
    list item or a footnote; ``sentences`` are its cells with text, in order (a
    writer joins them with a space). ``level``: heading level or list depth;
    ``label``: a footnote's label."""

    role: BlockRole
    sentences: tuple[str, ...]
    level: int | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """Why an edition is not finished: row numbers (1-based, in the document) of cells
    still empty where another edition has text, of drafts, and of outdated cells.
    None on a Publication means it is finished (a writer then prints no notice)."""

    untranslated: tuple[int, ...] = ()
    drafts: tuple[int, ...] = ()
    outdated: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return len(self.untranslated) + len(self.drafts) + len(self.outdated)


@dataclass(frozen=True, slots=True)
class Publication:
    """One edition, ready to write. Footnote passages come last, as imported."""

    info: EditionInfo
    passages: tuple[Passage, ...]
    notice: Notice | None = None


@dataclass(frozen=True, slots=True)
class ParallelRow:
    """One unit across the editions: ``cells[i]`` is edition ``i``'s text (inline HTML,
    empty when that edition has none). ``paragraph`` changes where a new block starts."""

    role: BlockRole
    cells: tuple[str, ...]
    paragraph: int
    level: int | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ParallelPublication:
    """Two or three editions side by side, aligned unit by unit."""

    infos: tuple[EditionInfo, ...]
    rows: tuple[ParallelRow, ...]
    notices: tuple[Notice | None, ...] = ()


# --- interchange (XLIFF, PO, TMX) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterchangeSegment:
    """A unit's cell in one language. ``text`` is inline HTML as stored; ``status`` one
    of empty/draft/translated/reviewed; ``base`` the content hash the service had when
    it exported this cell (what an import compares with to tell "changed since the
    export" from "unchanged": None when the file does not say)."""

    text: str
    status: str = "translated"
    outdated: bool = False
    base: str | None = None


@dataclass(frozen=True, slots=True)
class InterchangeUnit:
    """One unit: ``id`` is the service's unit id as a string (what an import matches
    on); ``segments`` by language; ``notes`` are the row's comments (plain text)."""

    id: str
    segments: dict[str, InterchangeSegment]
    role: BlockRole = BlockRole.PARAGRAPH
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class InterchangeFile:
    """An XLIFF, PO or TMX file as data: ``languages`` in the file's order (source
    first for XLIFF and PO), the document it came from (``slug``, None for a file made
    elsewhere) and its title."""

    languages: list[str]
    units: list[InterchangeUnit]
    slug: str | None = None
    title: str = ""
    warnings: list[str] = field(default_factory=list)


# --- footnote calls -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FootnoteCall:
    """A footnote call in a sentence: ``text[start:end]`` is the call as written
    (``[1]`` or ``2``), ``label`` the footnote it points to."""

    start: int
    end: int
    label: str


_TAG_OR_ENTITY = re.compile(r"<[^>]*>|&[#A-Za-z0-9]+;")
_BRACKETED_CALL = re.compile(r"\[(?P<label>[^\[\]]+)\]")
_GLUED_CALL = re.compile(r"(?<=[^\s\d\[])(?P<label>\d+)(?=[\s,;:.!?)\]»”’]|$)")


def footnote_calls(text: str, labels: set[str]) -> list[FootnoteCall]:
    """The calls of the footnotes ``labels`` in ``text`` (inline HTML), left to right,
    never inside a tag or an entity: ``[label]`` anywhere, or a label of digits glued
    to the end of a word or punctuation (``POUM.2``, ``Catalan.[1]`` counts once)."""
    if not labels:
        return []
    taken = [(m.start(), m.end()) for m in _TAG_OR_ENTITY.finditer(text)]  # sorted
    found: list[FootnoteCall] = []
    # Every call-shaped piece, then kept if it names a label: linear in the text however
    # many labels there are (an alternation of 5 000 labels was tried at every position).
    for pattern in (_BRACKETED_CALL, _GLUED_CALL):
        for match in pattern.finditer(text):
            start, end = match.span()
            if match.group("label") not in labels:
                continue
            at = bisect_left(taken, (start, end))
            if (at and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end):
                continue  # inside a tag, an entity or another call
            found.append(FootnoteCall(start, end, match.group("label")))
            taken.insert(at, (start, end))
    return sorted(found, key=lambda call: call.start)
