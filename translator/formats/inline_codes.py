"""Stored inline HTML as a tree of text and codes, for the interchange writers and
readers (XLIFF, TMX, PO).

A segment's text is escaped text with a few inline tags (``formats/__init__.py``). The
writers turn the tags into the file format's inline codes and the text into plain
characters (``&amp;`` becomes ``&`` in the file: lxml escapes it again); the readers turn
codes back into the same tags and escape the text, so an untouched segment comes back
byte for byte as ``canonical_html`` of what was exported. ``canonical_html`` is the
identity for text written by the import adapters and the editor (``&amp; &lt; &gt;``
escaped, quotes left alone); a stored ``&quot;`` comes back as ``"``, which is why the
import compares through ``canonical_html`` before calling a segment changed.

Codes read from a file become tags only when they are tags this service stores
(``base.INLINE_TAGS``); anything else (RTF codes, ``<span>``) is dropped, its text kept.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from translator.formats.base import INLINE_TAGS

__all__ = [
    "CodeIds",
    "Lone",
    "Node",
    "Pair",
    "canonical_html",
    "has_markup",
    "looks_like_markup",
    "markup_from_file",
    "parse_inline",
    "render_inline",
    "safe_tag",
]

_TOKEN = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?:[\s/][^<>]*)?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)
_SAFE_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)((?:\s[^<>]*)?)\s*/?>")
_VOID = frozenset({"br"})


@dataclass(slots=True)
class Pair:
    """An element whose opening and closing tags are both in the segment."""

    name: str
    start: str  # the opening tag as stored: '<a href="x">'
    end: str  # '</a>'
    children: list[Node] = field(default_factory=list)

    @property
    def simple(self) -> bool:
        """Whether the opening tag is just ``<name>`` (no attributes)."""
        return self.start == f"<{self.name}>" and self.end == f"</{self.name}>"


@dataclass(frozen=True, slots=True)
class Lone:
    """A tag without its partner in the segment (``<br>``, or half of an element the
    segmenter cut across two sentences)."""

    name: str
    raw: str


Node = str | Pair | Lone


def parse_inline(text: str, *, only_stored_tags: bool = False) -> list[Node]:
    """The tree of ``text`` (stored inline HTML): plain strings (entities decoded), pairs
    matched like a stack, and lone tags for the rest. ``only_stored_tags``: a tag-shaped
    string that is not one of ``base.INLINE_TAGS`` is text (for text typed in a file)."""
    stack: list[tuple[Pair | None, list[Node]]] = [(None, [])]

    def add_text(value: str) -> None:
        children = stack[-1][1]
        if children and isinstance(children[-1], str):
            children[-1] += value
        else:
            children.append(value)

    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            add_text(html.unescape(text[position : match.start()]))
        position = match.end()
        if match.group("entity"):
            add_text(html.unescape(match.group("entity")))
            continue
        raw, name = match.group("tag"), match.group("name").lower()
        if only_stored_tags and safe_tag(raw) is None:
            add_text(raw)
            continue
        if match.group("close"):
            top = stack[-1][0]
            if top is not None and top.name == name:
                top.end = raw
                stack.pop()
                stack[-1][1].append(top)
            else:
                stack[-1][1].append(Lone(name, raw))
        elif name in _VOID or raw.endswith("/>"):
            stack[-1][1].append(Lone(name, raw))
        else:
            pair = Pair(name, raw, "")
            stack.append((pair, pair.children))
    if position < len(text):
        add_text(html.unescape(text[position:]))
    while len(stack) > 1:  # opened, never closed: a lone tag followed by its content
        opened, children = stack.pop()
        assert opened is not None
        stack[-1][1].extend([Lone(opened.name, opened.start), *children])
    return stack[0][1]


def render_inline(nodes: list[Node]) -> str:
    """Stored inline HTML from a tree: text escaped (``& < >``), tags as they were."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html.escape(node, quote=False))
        elif isinstance(node, Pair):
            out.extend([node.start, render_inline(node.children), node.end])
        else:
            out.append(node.raw)
    return "".join(out)


def canonical_html(text: str) -> str:
    """What ``text`` becomes after a trip through an interchange file untouched."""
    return render_inline(parse_inline(text))


def markup_from_file(text: str) -> str:
    """Stored inline HTML from markup typed in a file (a PO ``msgstr``): the stored
    tags kept, any other tag-shaped text and every bare ``&``, ``<``, ``>`` escaped."""
    return render_inline(parse_inline(text, only_stored_tags=True))


def looks_like_markup(text: str) -> bool:
    """Whether plain ``text`` (a PO string) holds one of the tags this service stores."""
    return any(
        match.group("tag") and safe_tag(match.group("tag")) for match in _TOKEN.finditer(text)
    )


def has_markup(text: str) -> bool:
    """Whether stored ``text`` holds any tag."""
    return any(match.group("tag") for match in _TOKEN.finditer(text))


def safe_tag(native: str | None) -> str | None:
    """``native`` (an inline code's original data) if it is one tag this service stores,
    else None."""
    if not native:
        return None
    native = native.strip()
    match = _SAFE_TAG.fullmatch(native)
    if match is None or match.group(2) not in INLINE_TAGS:
        return None
    return native


@dataclass(slots=True)
class CodeIds:
    """Ids of inline codes within one unit: the n-th occurrence of the same tag gets the
    same id in the source and in the target, as XLIFF wants corresponding codes to."""

    prefix: str = ""
    ids: dict[tuple[str, int], str] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)

    def start_segment(self) -> None:
        """Count occurrences afresh (call before each source or target)."""
        self.seen = {}

    def id_for(self, raw: str) -> str:
        """The id of this occurrence of the tag ``raw``."""
        n = self.seen.get(raw, 0)
        self.seen[raw] = n + 1
        key = (raw, n)
        if key not in self.ids:
            self.ids[key] = f"{self.prefix}{len(self.ids) + 1}"
        return self.ids[key]
