"""The XHTML content documents of an EPUB: an edition's passages cut into chapters.

A chapter starts at every level-1 or level-2 heading, and also once a chapter holds
about 150 kB of markup, so that a 100 000-word book never makes one huge file (reading
systems paginate file by file). Paragraphs are ``p``; consecutive quotes one
``blockquote``; consecutive list items nested ``ul`` and ``ol`` (numbered lists keep
their numbers, see ``lists``). Footnote calls become EPUB
noterefs into ``notes.xhtml``; the notes link back to their first call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.formats.base import BlockRole
from translator.formats.epub_inline import (
    Break,
    Call,
    Close,
    Open,
    Text,
    Token,
    inline_tokens,
    note_anchor,
    plain_text,
    xml_safe,
)
from translator.formats.lists import list_tree, lists_html
from translator.formats.publication import Passage

NOTES_FILE = "notes.xhtml"
_CHAPTER_LIMIT = 150_000
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """``text`` escaped for XHTML content and attribute values (and XML-safe)."""
    return xml_safe(text).translate(_ESCAPES)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading as the navigation document lists it: ``href`` is file#id."""

    level: int
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote ready to print: its id is ``fn-`` + ``anchor``; ``backlink`` is the
    href of its first call (None when nothing calls it)."""

    anchor: str
    label: str
    body: str
    backlink: str | None


@dataclass(slots=True)
class Chapter:
    """One content document: its file name, body markup and headings."""

    name: str
    parts: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    size: int = 0
    has_text: bool = False  # more than headings

    def add(self, markup: str, text: bool = True) -> None:
        """Append markup; ``text`` False for a heading (a chapter of headings only is
        not cut at the next section heading)."""
        self.parts.append(markup)
        self.size += len(markup)
        self.has_text = self.has_text or text


class BodyWriter:
    """Renders the passages of one edition; ``chapters`` and ``notes`` after ``run``."""

    def __init__(self, passages: tuple[Passage, ...]) -> None:
        self.passages = [p for p in passages if p.role is not BlockRole.FOOTNOTE]
        self.footnotes = [p for p in passages if p.role is BlockRole.FOOTNOTE and p.label]
        taken: set[str] = set()
        self.note_anchors = [note_anchor(p.label or "", taken) for p in self.footnotes]
        self.anchors: dict[str, str] = {}
        for note, anchor in zip(self.footnotes, self.note_anchors, strict=True):
            self.anchors.setdefault(note.label or "", anchor)
        self.labels = frozenset(self.anchors)
        self.first_call: dict[str, tuple[str, str]] = {}  # label: (file, call id)
        self.call_ids: set[str] = set()
        self.chapters: list[Chapter] = []
        self.notes: list[Note] = []
        self._headings = 0

    def run(self) -> None:
        """Render every passage into chapters, then the notes."""
        chapter = self._new_chapter()
        index = 0
        while index < len(self.passages):
            passage = self.passages[index]
            level = _heading_level(passage)
            starts = passage.role is BlockRole.HEADING and level <= 2
            # a level-1 title directly followed by a section heading shares its file
            if chapter.has_text and (starts or chapter.size > _CHAPTER_LIMIT):
                chapter = self._new_chapter()
            if passage.role is BlockRole.HEADING:
                self._heading(chapter, passage, level)
                index += 1
            elif passage.role in (BlockRole.QUOTE, BlockRole.LIST_ITEM):
                end = index
                while end < len(self.passages) and self.passages[end].role is passage.role:
                    end += 1
                group = self.passages[index:end]
                if passage.role is BlockRole.QUOTE:
                    chapter.add(self._quote(chapter, group))
                else:
                    chapter.add(self._list(chapter, group))
                index = end
            else:
                chapter.add(f"<p>{self.inline(chapter.name, passage)}</p>\n")
                index += 1
        if not self.chapters[-1].parts and len(self.chapters) > 1:
            self.chapters.pop()
        by_name = {chapter.name: chapter for chapter in self.chapters}
        for anchor, passage in zip(self.note_anchors, self.footnotes, strict=True):
            label = passage.label or ""
            call = self.first_call.get(label) if self.anchors[label] == anchor else None
            if call is None:  # never called: an endnote in notes.xhtml
                body = self.inline(NOTES_FILE, passage, calls=False)
                self.notes.append(Note(anchor, label, body, None))
            else:
                file, ref = call
                body = self.inline(file, passage, calls=False)
                by_name[file].notes.append(Note(anchor, label, body, f"#{ref}"))
        for chapter in self.chapters:
            if chapter.notes:
                notes = notes_markup(chapter.notes)
                chapter.add(f'<section class="notes" epub:type="footnotes">\n{notes}</section>\n')

    def _new_chapter(self) -> Chapter:
        chapter = Chapter(f"s{len(self.chapters) + 1:04d}.xhtml")
        self.chapters.append(chapter)
        return chapter

    def _heading(self, chapter: Chapter, passage: Passage, level: int) -> None:
        self._headings += 1
        anchor = f"h{self._headings}"
        tokens = self._tokens(passage)
        text = plain_text(tokens) or f"\u00a7 {self._headings}"
        chapter.headings.append(Heading(level, f"{chapter.name}#{anchor}", text))
        markup = self._markup(chapter.name, tokens)
        chapter.add(f'<h{level} id="{anchor}">{markup}</h{level}>\n', text=False)

    def _quote(self, chapter: Chapter, group: list[Passage]) -> str:
        paragraphs = "".join(f"<p>{self.inline(chapter.name, p)}</p>\n" for p in group)
        return f"<blockquote>\n{paragraphs}</blockquote>\n"

    def _list(self, chapter: Chapter, group: list[Passage]) -> str:
        return lists_html(list_tree(group), lambda p: self.inline(chapter.name, p), escape)

    def _tokens(self, passage: Passage, calls: bool = True) -> list[Token]:
        text = " ".join(passage.sentences)
        return inline_tokens(text, self.labels if calls else frozenset())

    def inline(self, file: str, passage: Passage, calls: bool = True) -> str:
        """The XHTML of a passage's sentences, joined by a space."""
        return self._markup(file, self._tokens(passage, calls))

    def _markup(self, file: str, tokens: list[Token]) -> str:
        out: list[str] = []
        for token in tokens:
            if isinstance(token, Text):
                out.append(escape(token.text))
            elif isinstance(token, Open):
                if token.href is None:
                    out.append(f"<{token.tag}>")
                else:
                    out.append(f'<a href="{escape(token.href)}">')
            elif isinstance(token, Close):
                out.append(f"</{token.tag}>")
            elif isinstance(token, Break):
                out.append("<br/>")
            elif isinstance(token, Call):
                out.append(self._noteref(file, token))
        return "".join(out)

    def _noteref(self, file: str, call: Call) -> str:
        anchor = self.anchors[call.label]
        ref = f"fnref-{anchor}"
        suffix = 2
        while ref in self.call_ids:
            ref, suffix = f"fnref-{anchor}-{suffix}", suffix + 1
        self.call_ids.add(ref)
        target, _ = self.first_call.setdefault(call.label, (file, ref))
        href = f"#fn-{anchor}" if target == file else f"{target}#fn-{anchor}"
        return (
            f'<sup><a epub:type="noteref" role="doc-noteref" id="{ref}" '
            f'href="{href}">{escape(call.label)}</a></sup>'
        )


def _heading_level(passage: Passage) -> int:
    return max(1, min(passage.level or 2, 6))


def notes_markup(notes: list[Note]) -> str:
    """The notes as EPUB footnotes: an ``aside`` each, its label linking back to the
    first call when there is one."""
    parts: list[str] = []
    for note in notes:
        label = escape(note.label)
        if note.backlink is not None:
            label = f'<a href="{escape(note.backlink)}" role="doc-backlink">{label}</a>'
        parts.append(
            f'<aside epub:type="footnote" role="doc-footnote" id="fn-{note.anchor}">'
            f"<p>{label}. {note.body}</p></aside>\n"
        )
    return "".join(parts)
