"""Plain-text export (``txt``), and what every document writer shares.

Shared: ``sanitize`` (the one whitelist every writer applies to stored text before
reading it: never trust it), ``InlineReader`` (sanitized inline HTML as events),
``notice_lines`` and ``people_lines`` (in the edition's language, from
``formats.wording``), ``footnote_labels`` and ``title_and_body``.

The text edition: the title underlined with ``=``, headings underlined (``=`` level 1,
``-`` level 2) or set apart by blank lines, paragraphs unwrapped and separated by a
blank line, quotes indented by four spaces, list items as ``- `` (a numbered item: its
number, "3." or "b)") indented by level,
footnotes at the end as ``[label] text``. Footnote calls stay as written.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from html.parser import HTMLParser

import nh3

from translator.formats.base import INLINE_TAGS, BlockRole
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.lists import ItemList, ListItem, list_lines, list_run, list_tree
from translator.formats.publication import EditionInfo, Passage, Publication
from translator.formats.wording import notice_lines, wording

__all__ = [
    "InlineReader",
    "footnote_labels",
    "notice_lines",
    "people_lines",
    "plain_text",
    "rows_text",
    "sanitize",
    "title_and_body",
    "write_text",
]

URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_RANGES = 20  # a notice lists at most this many runs of rows, then "…"

# The exports' human wording, in one place (to be translated later).


def sanitize(text: str) -> str:
    """Stored inline HTML through the whitelist: ``INLINE_TAGS`` only, no attribute
    but ``a href`` with an http(s), mailto or relative URL (``javascript:`` goes);
    ``script`` and ``style`` elements go with their content; entities stay escaped."""
    cleaned: str = nh3.clean(
        text,
        tags=set(INLINE_TAGS),
        attributes={"*": set(), "a": {"href"}},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )
    return cleaned


class InlineReader(HTMLParser):
    """Sanitized inline HTML as a list of events: ("text", unescaped text),
    ("start", tag, href or "") and ("end", tag, "")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        self.events.append(("start", tag, href))
        if tag == "br":
            self.events.append(("end", tag, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag != "br":
            self.events.append(("end", tag, ""))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", data, ""))

    @classmethod
    def read(cls, inline_html: str) -> list[tuple[str, str, str]]:
        """The events of ``inline_html`` (sanitized first)."""
        reader = cls()
        reader.feed(sanitize(inline_html))
        reader.close()
        return reader.events


def plain_text(inline_html: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, ``<br>`` a newline and
    a link followed by its URL in parentheses when the URL is not its text."""
    out: list[str] = []
    links: list[tuple[int, str]] = []  # the open links: where their text starts, href
    for kind, value, href in InlineReader.read(inline_html):
        if kind == "text":
            out.append(value)
        elif kind == "start" and value == "br":
            out.append("\n")
        elif kind == "start" and value == "a":
            links.append((len(out), href))
        elif kind == "end" and value == "a" and links:
            start, url = links.pop()
            if url and "".join(out[start:]).strip() != url.removeprefix("mailto:"):
                out.append(f" ({url})")
    return "".join(out)


def rows_text(rows: Iterable[int]) -> str:
    """Row numbers as runs (``1, 3–5, 9``), at most ``MAX_RANGES`` runs then ``…``."""
    numbers = sorted(set(rows))
    spans: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None and previous is not None:
            spans.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = number
    return ", ".join(spans[:MAX_RANGES]) + (", …" if len(spans) > MAX_RANGES else "")


def people_lines(info: EditionInfo) -> list[str]:
    """The edition's credits as lines of plain text in its language ("Author: Ada",
    "Traduction : …"), the free-text credits, then the date."""
    by_role: dict[str, list[str]] = {}
    for person in info.people:
        by_role.setdefault(person.role, []).append(person.name)
    words = wording(info.language)
    lines = [f"{words.role(role)}: {', '.join(names)}" for role, names in by_role.items()]
    if info.credits:
        lines.append(info.credits)
    if info.date:
        lines.append(f"{words.date}: {info.date.isoformat()}")
    return lines


def footnote_labels(publication: Publication) -> set[str]:
    """The labels of the publication's footnotes."""
    return {
        passage.label
        for passage in publication.passages
        if passage.role is BlockRole.FOOTNOTE and passage.label
    }


def title_and_body(publication: Publication) -> tuple[str, tuple[Passage, ...]]:
    """The edition's title as inline HTML and the passages after it: a text that
    opens with a level-1 heading has its own title; otherwise the edition's title
    (plain text, escaped here) heads it."""
    passages = publication.passages
    first = passages[0] if passages else None
    if first is not None and first.role is BlockRole.HEADING and first.level == 1:
        return " ".join(first.sentences), passages[1:]
    return html.escape(publication.info.title, quote=False), passages


def write_text(publication: Publication, options: ExportOptions) -> bytes:
    """The edition as UTF-8 plain text (see the module docstring)."""
    title, passages = title_and_body(publication)
    blocks = [_underline(plain_text(title).strip(), "=")]
    if people := people_lines(publication.info):
        blocks.append("\n".join(people))
    if lines := notice_lines(publication.notice, publication.info.language):
        blocks.append("\n".join(["*** " + lines[0], *lines[1:]]))
    notes: list[str] = []
    previous: BlockRole | None = None
    for index, passage in enumerate(passages):
        text = plain_text(" ".join(passage.sentences)).strip()
        if passage.role is BlockRole.HEADING:
            level = passage.level or 2
            blocks.append(_underline(text, "=" if level == 1 else "-") if level <= 2 else text)
        elif passage.role is BlockRole.QUOTE:
            blocks.append(_indent(text, "    "))
        elif passage.role is BlockRole.LIST_ITEM:
            if previous is not BlockRole.LIST_ITEM:  # items of one list stay together
                blocks.append("\n".join(list_lines(list_tree(list_run(passages, index)), *_LIST)))
        elif passage.role is BlockRole.FOOTNOTE:
            notes.append(f"[{passage.label or len(notes) + 1}] {text}")
        else:
            blocks.append(text)
        previous = passage.role
    if notes:
        blocks.append(_underline(wording(publication.info.language).notes, "-"))
        blocks.append("\n".join(notes))
    return ("\n\n".join(block for block in blocks if block) + "\n").encode("utf-8")


def _item_marker(item_list: ItemList, item: ListItem) -> tuple[str, int]:
    mark = f"{item.label} " if item_list.ordered and item.label else "- "
    return mark, len(mark)


def _item_text(passage: Passage, indent: str) -> str:
    return _indent(plain_text(" ".join(passage.sentences)).strip(), indent).lstrip()


_LIST = (_item_marker, _item_text)


def _underline(text: str, char: str) -> str:
    width = max((len(line) for line in text.splitlines()), default=0)
    return f"{text}\n{char * max(width, 3)}"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


register(
    ExportFormat(
        name="txt",
        kind=ExportKind.EDITION,
        extension="txt",
        media_type="text/plain; charset=utf-8",
        write=write_text,
        label="Plain text",
    )
)
