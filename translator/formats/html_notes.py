"""Which elements of HTML/XHTML documents are footnotes, and which links call them (see
``html_structure`` for the rules); element helpers shared with ``html_structure``."""

from __future__ import annotations

import html
import re
from collections.abc import Container
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from translator.formats.safezip import resolve_member

__all__ = [
    "BLOCK_TAGS",
    "FootnoteIndex",
    "Note",
    "classes",
    "element_name",
    "names",
    "without_marker",
]

_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def names(words: str) -> frozenset[str]:
    """A set of tag or class names written as one string of words."""
    return frozenset(words.split())


BLOCK_TAGS = names(
    "address article aside blockquote body center dd details div dl dt fieldset "
    "figcaption figure footer header hgroup hr li main menu ol p pre section summary "
    "table tbody thead tfoot tr td th ul caption h1 h2 h3 h4 h5 h6 html"
)
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote"})
_NOTE_LISTS = frozenset({"footnotes", "endnotes", "references", "notes", "doc-endnotes"})
_NOTE_LIST_TAGS = frozenset({"section", "div", "ol", "ul", "aside", "footer"})
_NEVER_NOTES = frozenset({"body", "html", "main", "article"})
_NOTE_PARTS = frozenset({"p", "ul", "ol", "blockquote", "dl", "pre"})
_CALL_CLASSES = frozenset({"footnote", "footnote-ref", "noteref", "fnref", "footnote-call"})
_MARKER = re.compile(r"^\s*[\[(]?\s*([0-9]{1,4}|[*†‡§¶]{1,3}|[ivxlc]{1,6}|[a-z])\s*[\])]?\s*$")


def element_name(element: etree._Element) -> str:
    """The element's local name in lowercase ("" for comments, entities, PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _tokens(value: str | None) -> set[str]:
    return set((value or "").lower().split())


def epub_types(element: etree._Element) -> set[str]:
    """The ``epub:type`` tokens, from XHTML (namespaced) or HTML (prefixed) alike."""
    return _tokens(element.get(_EPUB_TYPE) or element.get("epub:type"))


def classes(element: etree._Element) -> set[str]:
    """The element's class tokens, lowercased."""
    return _tokens(element.get("class"))


@dataclass(slots=True)
class Note:
    """A footnote: its element, the document it is in, and its label."""

    element: etree._Element
    document: str
    label: str


class FootnoteIndex:
    """The notes and calls of a set of documents, found before any block is written."""

    def __init__(self, documents: list[tuple[str, etree._Element]]) -> None:
        self.ids: dict[tuple[str, str], etree._Element] = {}
        for name, root in documents:
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                for key in ("id", "name"):
                    value = element.get(key)
                    if value and (key == "id" or element_name(element) == "a"):
                        self.ids.setdefault((name, str(value)), element)
        self.notes: dict[etree._Element, Note] = {}  # note element: note, in call order
        self.calls: dict[etree._Element, Note] = {}  # call link: its note
        self.call_targets: set[etree._Element] = set()  # a call link or the sup around it
        self.call_zone: set[etree._Element] = set()  # calls, their wrappers and insides
        self.skipped: set[etree._Element] = set()  # footnote sections, out of the flow
        explicit = self._explicit_notes(documents)
        self._find_calls(documents, {element for _, element in explicit})
        inside_notes = {node for note in self.notes for node in note.iter()}
        for name, element in explicit:
            if element not in inside_notes:
                self.notes[element] = Note(element, name, str(len(self.notes) + 1))
                inside_notes.update(element.iter())
        # What the text flow skips: the notes and the sections that list them.
        self.out_of_flow = self.skipped | set(self.notes)

    def target(self, document: str, href: str) -> etree._Element | None:
        """The element ``href`` points to from ``document``, if it is in the documents."""
        try:
            parts = urlsplit(href)
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not parts.fragment:
            return None
        path = unquote(parts.path)
        name = resolve_member(document, path) if path else document
        return self.ids.get((name, unquote(parts.fragment)))

    def _explicit_notes(
        self, documents: list[tuple[str, etree._Element]]
    ) -> list[tuple[str, etree._Element]]:
        explicit: list[tuple[str, etree._Element]] = []
        for name, root in documents:
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                if epub_types(element) & _NOTE_TYPES or element.get("role") in _NOTE_ROLES:
                    explicit.append((name, element))
                elif (
                    element_name(element) in _NOTE_LIST_TAGS
                    and (classes(element) | epub_types(element) | _tokens(element.get("role")))
                    & _NOTE_LISTS
                ):
                    items = [item for item in element.iter() if element_name(item) == "li"]
                    explicit.extend((name, item) for item in items)
                    if items:
                        self.skipped.add(element)
        return explicit

    def _find_calls(
        self, documents: list[tuple[str, etree._Element]], explicit: set[etree._Element]
    ) -> None:
        links: list[tuple[str, etree._Element, etree._Element]] = []
        for name, root in documents:
            for anchor in root.iter():
                if element_name(anchor) == "a" and anchor.get("href"):
                    target = self.target(name, str(anchor.get("href")))
                    if target is not None:
                        links.append((name, anchor, target))
        targeted = {target for _, _, target in links}
        for name, anchor, target in links:
            marker = _MARKER.match("".join(anchor.itertext()))
            if marker is None:
                continue
            note_element = _ancestor_in(target, explicit)
            if note_element is None and _ancestor_in(anchor, explicit) is not None:
                continue  # a note's link back to its call
            if note_element is None and _ancestor_in(anchor, self.notes) is not None:
                continue  # the same, in a note found by its call (calls come first)
            if note_element is None and _marked_as_call(anchor):
                note_element = _note_block(target, targeted)
            if note_element is None or _ancestor_in(anchor, {note_element}) is not None:
                continue
            note = self.notes.get(note_element)
            if note is None:
                note = self.notes[note_element] = Note(note_element, name, marker.group(1))
            self.calls[anchor] = note
            self.call_targets.add(anchor)
            self.call_zone.update(anchor.iter())
            parent = anchor.getparent()
            while parent is not None and element_name(parent) not in BLOCK_TAGS:
                self.call_zone.add(parent)
                if element_name(parent) == "sup" and _MARKER.match("".join(parent.itertext())):
                    self.call_targets.add(parent)
                parent = parent.getparent()


def _marked_as_call(anchor: etree._Element) -> bool:
    parent = anchor.getparent()
    return bool(
        "noteref" in epub_types(anchor)
        or anchor.get("role") == "doc-noteref"
        or classes(anchor) & _CALL_CLASSES
        or (parent is not None and element_name(parent) == "sup")
        or any(element_name(child) == "sup" for child in anchor)
    )


def _ancestor_in(
    element: etree._Element, elements: Container[etree._Element]
) -> etree._Element | None:
    node: etree._Element | None = element
    while node is not None:
        if node in elements:
            return node
        node = node.getparent()
    return None


def _note_block(target: etree._Element, targeted: set[etree._Element]) -> etree._Element | None:
    """The note a call's target stands for: the target when it is a block (``li``, ``p``,
    ``div`` ...), else its nearest block ancestor (an ``<a id>`` opening a note); then,
    while that block opens a ``div``/``aside``/``li`` holding only paragraphs and no
    other link target, that container (a note of several paragraphs, as LibreOffice
    writes them). Never a whole page, article or section."""
    element: etree._Element | None = target
    while element is not None and element_name(element) not in BLOCK_TAGS:
        element = element.getparent()
    if element is None or element_name(element) in _NEVER_NOTES:
        return None
    if element_name(element) == "section" and element is not target:
        return None
    while True:
        parent = element.getparent()
        if parent is None or element_name(parent) not in ("div", "aside", "li"):
            return element
        children = [child for child in parent if isinstance(child.tag, str)]
        if children[0] is not element or any(
            element_name(child) not in _NOTE_PARTS for child in children
        ):
            return element
        if any(node in targeted for child in children[1:] for node in child.iter()):
            return element
        element = parent


def without_marker(text: str, label: str) -> str:
    """A note's text without its leading number ("1. ", "[1] ", "1 ")."""
    escaped = re.escape(html.escape(label, quote=False))
    pattern = rf"^(?:<sup>)?\s*[\[(]?{escaped}[\])]?\.?(?:</sup>)?\s+"
    return re.sub(pattern, "", text, count=1)
