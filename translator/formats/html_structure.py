"""HTML (and XHTML) documents → blocks: the structure logic of the HTML and EPUB imports.

``HtmlStructure`` takes one or more parsed documents (a web page; an EPUB's spine) and
gives their blocks in order, then the footnotes:

* **Main content**: the ``<main>`` element (or ``role="main"``), else the only
  ``<article>``, else the body. Left out wherever they are: scripts, styles, forms,
  embedded media, navigation (``nav``, ``role="navigation"``), the page's ``header`` and
  ``footer`` (a ``header`` inside an article is kept: it holds the article's title),
  ``aside`` (but footnotes), hidden elements, and elements whose class or id is a
  well-known boilerplate name (``sidebar``, ``breadcrumb``, ``share``, ``cookie`` ...).
* **Blocks**: ``h1``-``h6`` → HEADING; ``p`` and text directly in a ``div``, ``td`` ... →
  PARAGRAPH; inside ``blockquote`` → QUOTE; inside ``li`` → LIST_ITEM (``level`` = list
  depth). An item of an ``ol`` carries its number as ``label`` ("1.", "c.", "iv."),
  following ``start``, ``value``, ``reversed`` and ``type``; a ``ul`` item has none. The
  innermost container wins. Table cells give one block each (with a warning); ``pre``
  is kept out of translation (with a warning).
* **Footnotes**: an element marked as a note (``epub:type`` footnote/endnote/rearnote/
  note, ``role="doc-footnote"``/``"doc-endnote"``, an ``li`` of a ``doc-endnotes``
  list or of a ``footnotes``/``references`` section), and whatever a call points to. A
  call is a link to an element of any document added (``href="#fn1"``,
  ``"notes.xhtml#n3"``) marked as a note reference (``epub:type="noteref"``,
  ``role="doc-noteref"``, a ``footnote``/``noteref``/``fnref`` class) or set in ``sup``
  with a short marker ("1", "*", "[12]"). The call becomes ``[label]`` in the text
  (label: its marker without brackets); each paragraph of the note becomes a FOOTNOTE
  block with that label, in call order, its back link ("↩") and leading marker
  ("1.") removed. Notes never appear in the text flow.
* **Inline**: ``strong``/``b`` → ``strong``; ``em``/``i``/``cite`` → ``em``;
  ``code``/``kbd``/``samp`` → ``code``; ``sup``, ``sub``; ``a`` with an absolute
  http/https/mailto ``href`` → ``a`` (``richtext``); ``br`` → ``<br>``; images dropped.

``Block.line`` is the source line of the element that starts the block.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from translator.formats.base import Block, BlockRole
from translator.formats.richtext import InlineText, kept_href, letters, roman
from translator.formats.safezip import resolve_member

__all__ = ["HtmlStructure"]

_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_DROPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "head",
        "title",
        "meta",
        "link",
        "dialog",
        "map",
        "img",
        "picture",
    ]
)
_DROPPED_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "toolbar",
        "dialog",
    ]
)
_BOILERPLATE = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "breadcrumb",
        "breadcrumbs",
        "site-header",
        "site-footer",
        "skip-link",
        "share",
        "sharing",
        "social",
        "cookie",
        "cookies",
        "comments",
        "comment-respond",
        "related",
        "pagination",
        "screen-reader-text",
        "visually-hidden",
        "sr-only",
    ]
)
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "html",
    ]
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_MARKS = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "cite": "em",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
    "sup": "sup",
    "sub": "sub",
}
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote"})
_NOTE_LISTS = frozenset({"footnotes", "endnotes", "references", "notes", "doc-endnotes"})
_CALL_CLASSES = frozenset({"footnote", "footnote-ref", "noteref", "fnref", "footnote-call"})
_MARKER = re.compile(r"^\s*[\[(]?\s*([0-9]{1,4}|[*†‡§¶]{1,3}|[ivxlc]{1,6}|[a-z])\s*[\])]?\s*$")
_BACK_CLASSES = frozenset({"footnote-back", "footnote-backref", "backlink", "fn-back"})
_MAX_LIST_LEVEL = 9


def _name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _tokens(value: str | None) -> set[str]:
    return set((value or "").lower().split())


def _epub_types(element: etree._Element) -> set[str]:
    return _tokens(element.get(_EPUB_TYPE) or element.get("epub:type"))


def _classes(element: etree._Element) -> set[str]:
    return _tokens(element.get("class"))


@dataclass(slots=True)
class _List:
    ordered: bool
    next: int
    step: int
    kind: str


@dataclass(slots=True)
class _Note:
    element: etree._Element
    document: str
    label: str


class HtmlStructure:
    """Blocks of the documents given to ``add_document``, in order (module docstring)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._documents: list[tuple[str, etree._Element]] = []
        self._ids: dict[tuple[str, str], etree._Element] = {}
        self._h1: list[str] = []
        self._blocks: list[Block] = []
        self._notes: dict[etree._Element, _Note] = {}
        self._calls: dict[etree._Element, _Note] = {}
        self._call_order: list[_Note] = []
        self._call_targets: set[etree._Element] = set()
        self._call_zone: set[etree._Element] = set()  # calls, their wrappers and insides
        self._skipped: set[etree._Element] = set()  # footnote sections, out of the flow
        # Walking state
        self._context: list[tuple[str, object]] = []  # ("li", [label]) / ("quote", None) ...
        self._lists: list[_List] = []
        self._inline = InlineText()
        self._line: int | None = None
        self._note_label: str | None = None
        self._warned: set[str] = set()
        self._note_document = ""
        self._notes_out: list[Block] = []
        self._first_note_block = False

    def add_document(self, name: str, root: etree._Element) -> None:
        """Add a parsed document; ``name`` is its path in its archive ("" for a page),
        against which its links are resolved."""
        self._documents.append((name, root))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for key in ("id", "name"):
                value = element.get(key)
                if value and (key == "id" or _name(element) == "a"):
                    self._ids.setdefault((name, value), element)

    def blocks(self, text_documents: set[str] | None = None) -> list[Block]:
        """All blocks: the content of every document (of ``text_documents`` only, when
        given: the others may hold notes), then the footnotes in call order."""
        self._find_notes()
        for name, root in self._documents:
            if text_documents is None or name in text_documents:
                self._walk_document(root)
        return self._blocks + self._footnotes()

    def only_h1(self) -> str | None:
        """The plain text of the only level-1 heading, if there is exactly one."""
        if len(self._h1) != 1:
            return None
        return html.unescape(re.sub(r"<[^>]*>", "", self._h1[0])).strip()[:500] or None

    # --- notes and calls -------------------------------------------------------------

    def _find_notes(self) -> None:
        explicit: list[tuple[str, etree._Element]] = []
        for name, root in self._documents:
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                if _epub_types(element) & _NOTE_TYPES or element.get("role") in _NOTE_ROLES:
                    explicit.append((name, element))
                elif (_classes(element) | _epub_types(element) | _tokens(element.get("role"))) & (
                    _NOTE_LISTS
                ) and _name(element) in ("section", "div", "ol", "ul", "aside", "footer"):
                    items = [item for item in element.iter() if _name(item) == "li"]
                    explicit.extend((name, item) for item in items)
                    if items:
                        self._skipped.add(element)
        explicit_set = {element for _, element in explicit}
        for name, root in self._documents:
            for anchor in root.iter():
                if _name(anchor) != "a" or not anchor.get("href"):
                    continue
                target = self._target(name, str(anchor.get("href")))
                if target is None:
                    continue
                note_element = _note_of(target, explicit_set)
                if note_element is None and not self._marked_as_call(anchor):
                    continue
                if not self._looks_like_call(anchor):
                    continue
                if note_element is None:
                    note_element = _block_of(target)
                if note_element is None or _contains(note_element, anchor):
                    continue
                note = self._notes.get(note_element)
                if note is None:
                    label = _marker(anchor) or str(len(self._notes) + 1)
                    note = _Note(note_element, name, label)
                    self._notes[note_element] = note
                    self._call_order.append(note)
                self._calls[anchor] = note
                self._call_targets.add(anchor)
                self._call_zone.update(anchor.iter())
                parent = anchor.getparent()
                while parent is not None and _name(parent) not in _BLOCKS:
                    self._call_zone.add(parent)
                    if _name(parent) == "sup" and _MARKER.match("".join(parent.itertext())):
                        self._call_targets.add(parent)
                    parent = parent.getparent()
        for name, element in explicit:
            if element not in self._notes and not any(
                _contains(note, element) for note in self._notes
            ):
                label = str(len(self._notes) + 1)
                note = _Note(element, name, label)
                self._notes[element] = note
                self._call_order.append(note)

    def _target(self, document: str, href: str) -> etree._Element | None:
        try:
            parts = urlsplit(href)
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not parts.fragment:
            return None
        path = unquote(parts.path)
        name = resolve_member(document, path) if path else document
        return self._ids.get((name, unquote(parts.fragment)))

    def _marked_as_call(self, anchor: etree._Element) -> bool:
        parent = anchor.getparent()
        return bool(
            "noteref" in _epub_types(anchor)
            or anchor.get("role") == "doc-noteref"
            or _classes(anchor) & _CALL_CLASSES
            or (parent is not None and _name(parent) == "sup")
            or any(_name(child) == "sup" for child in anchor)
        )

    def _looks_like_call(self, anchor: etree._Element) -> bool:
        return bool(_MARKER.match("".join(anchor.itertext())))

    # --- walking ---------------------------------------------------------------------

    def _walk_document(self, root: etree._Element) -> None:
        content = _main_content(root)
        self._container(content, in_article=_name(content) in ("main", "article"))
        self._flush()

    def _dropped(self, element: etree._Element, in_article: bool) -> bool:
        name = _name(element)
        if not name or name in _DROPPED:
            return True
        if name in ("header", "footer") and not (in_article and name == "header"):
            return True
        if element.get("hidden") is not None or element.get("aria-hidden") == "true":
            return True
        if element.get("role") in _DROPPED_ROLES:
            return True
        if "display:none" in (element.get("style") or "").replace(" ", ""):
            return True
        if _classes(element) & _BOILERPLATE or (element.get("id") or "").lower() in _BOILERPLATE:
            return True
        return name == "aside"

    def _container(self, element: etree._Element, in_article: bool) -> None:
        """Walk an element whose children may be blocks or inline content."""
        self._text(element.text, element)
        for child in element:
            if isinstance(child, etree._Entity):
                self._entity(child, frozenset(), None)
            elif not isinstance(child.tag, str) or child in self._notes or child in self._skipped:
                pass
            elif child in self._call_targets:
                self._call(child)
            elif self._dropped(child, in_article):
                pass
            elif _name(child) in _BLOCKS:
                self._block(child, in_article or _name(child) in ("article", "main"))
            else:
                self._inline_element(child, frozenset(), None)
            self._text(child.tail, element)

    def _block(self, element: etree._Element, in_article: bool) -> None:
        name = _name(element)
        self._flush()
        line = element.sourceline
        if name in _HEADINGS:
            self._line = line
            self._inline_children(element, frozenset(), None)
            text = self._inline.render()
            self._inline = InlineText()
            if text:
                level = _HEADINGS[name]
                if self._note_label is not None:
                    self._add(BlockRole.FOOTNOTE, text, None, line)
                else:
                    if level == 1:
                        self._h1.append(text)
                    self._blocks.append(Block(BlockRole.HEADING, text, level=level, line=line))
            return
        if name == "pre":
            self._warn("pre", line, "preformatted text (code) kept out of translation")
            return
        if name in ("ul", "ol", "menu"):
            self._lists.append(_new_list(element))
            self._container(element, in_article)
            self._flush()
            self._lists.pop()
            return
        if name == "li":
            label = self._next_number(element)
            self._context.append(("li", [label]))
            self._container(element, in_article)
            self._flush()
            self._context.pop()
            return
        if name == "blockquote":
            self._context.append(("quote", None))
            self._container(element, in_article)
            self._flush()
            self._context.pop()
            return
        if name == "table":
            self._warn("table", line, "table imported as one paragraph per cell")
        self._container(element, in_article)
        self._flush()

    def _next_number(self, item: etree._Element) -> str | None:
        if not self._lists or not self._lists[-1].ordered:
            return None
        current = self._lists[-1]
        value = _int(item.get("value"))
        if value is not None:
            current.next = value
        number = current.next
        current.next += current.step
        kind = item.get("type") or current.kind
        return _numbered(number, kind) + "."

    # --- inline content --------------------------------------------------------------

    def _text(self, text: str | None, element: etree._Element) -> None:
        if text:
            if self._line is None and text.strip():
                self._line = element.sourceline
            self._inline.text(text)

    def _inline_children(
        self, element: etree._Element, marks: frozenset[str], href: str | None
    ) -> None:
        if element.text:
            self._inline.text(element.text, marks, href)
        for child in element:
            if isinstance(child, etree._Entity):
                self._entity(child, marks, href)
            elif not isinstance(child.tag, str) or child in self._notes:
                pass
            elif child in self._call_targets:
                self._call(child)
            elif not self._dropped(child, True):
                self._inline_element(child, marks, href)
            if child.tail:
                self._inline.text(child.tail, marks, href)

    def _inline_element(
        self, element: etree._Element, marks: frozenset[str], href: str | None
    ) -> None:
        name = _name(element)
        if self._line is None:
            self._line = element.sourceline
        if name == "br":
            self._inline.line_break()
            return
        if self._back_link(element):
            return
        if name in _MARKS:
            marks = marks | {_MARKS[name]}
        elif name == "a":
            link = element.get("href")
            href = kept_href(str(link)) if link else None
        if element in self._calls:
            self._call(element)
            return
        self._inline_children(element, marks, href)

    def _entity(self, entity: etree._Element, marks: frozenset[str], href: str | None) -> None:
        self._inline.text(html.unescape(str(entity.text or "")), marks, href)
        if entity.tail:
            self._inline.text(entity.tail, marks, href)

    def _call(self, element: etree._Element) -> None:
        if element in self._calls:
            anchors = [element]
        else:
            anchors = [anchor for anchor in element.iter() if anchor in self._calls]
        for anchor in anchors:
            self._inline.plain(f"[{self._calls[anchor].label}]")

    def _back_link(self, element: etree._Element) -> bool:
        """A note's link back to its call ("↩", or the note's number)."""
        if self._note_label is None or _name(element) != "a":
            return False
        if element.get("role") == "doc-backlink" or _classes(element) & _BACK_CLASSES:
            return True
        href = element.get("href")
        target = self._target(self._note_document, str(href)) if href else None
        return target is not None and target in self._call_zone

    # --- blocks ----------------------------------------------------------------------

    def _flush(self) -> None:
        text = self._inline.render()
        self._inline = InlineText()
        line, self._line = self._line, None
        if not text:
            return
        if self._note_label is not None:
            self._add(BlockRole.FOOTNOTE, text, None, line)
            return
        for kind, value in reversed(self._context):
            if kind == "li":
                labels = value if isinstance(value, list) else [None]
                label, labels[0] = labels[0], None  # only an item's first block shows it
                level = min(max(len(self._lists), 1), _MAX_LIST_LEVEL)
                self._blocks.append(
                    Block(BlockRole.LIST_ITEM, text, level=level, label=label, line=line)
                )
                return
            if kind == "quote":
                self._blocks.append(Block(BlockRole.QUOTE, text, line=line))
                return
        self._blocks.append(Block(BlockRole.PARAGRAPH, text, line=line))

    def _add(self, role: BlockRole, text: str, level: int | None, line: int | None) -> None:
        label = self._note_label
        if role is BlockRole.FOOTNOTE and label is not None and self._first_note_block:
            text = _without_marker(text, label)
            self._first_note_block = False
        if text:
            self._notes_out.append(Block(role, text, level=level, label=label, line=line))

    def _footnotes(self) -> list[Block]:
        self._notes_out = []
        saved_context, saved_lists = self._context, self._lists
        for note in self._call_order:
            self._context, self._lists = [], []
            self._note_label = note.label
            self._note_document = note.document
            self._first_note_block = True
            self._container(note.element, True)
            self._flush()
        self._note_label = None
        self._context, self._lists = saved_context, saved_lists
        return self._notes_out

    def _warn(self, key: str, line: int | None, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(f"line {line}: {message}" if line else message)


def _main_content(root: etree._Element) -> etree._Element:
    body = next((e for e in root.iter() if _name(e) == "body"), root)
    for element in body.iter():
        if _name(element) == "main" or element.get("role") == "main":
            return element
    articles = [e for e in body.iter() if _name(e) == "article"]
    if len(articles) == 1:
        return articles[0]
    return body


def _new_list(element: etree._Element) -> _List:
    ordered = _name(element) == "ol"
    reversed_ = element.get("reversed") is not None
    start = _int(element.get("start"))
    if start is None:
        items = sum(1 for child in element if _name(child) == "li")
        start = items if reversed_ else 1
    return _List(ordered, start, -1 if reversed_ else 1, element.get("type") or "1")


def _numbered(number: int, kind: str) -> str:
    if kind == "a":
        return letters(number)
    if kind == "A":
        return letters(number).upper()
    if kind == "i":
        return roman(number)
    if kind == "I":
        return roman(number).upper()
    return str(number)


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _note_of(target: etree._Element, notes: set[etree._Element]) -> etree._Element | None:
    element: etree._Element | None = target
    while element is not None:
        if element in notes:
            return element
        element = element.getparent()
    return None


def _block_of(target: etree._Element) -> etree._Element | None:
    """The block a call's target stands for: itself when it is a block (``li``, ``p``,
    ``div`` ...), else its nearest block ancestor (an ``<a id>`` opening a note)."""
    element: etree._Element | None = target
    while element is not None and _name(element) not in _BLOCKS:
        element = element.getparent()
    if element is None or _name(element) in ("body", "html", "main", "article", "section"):
        return None if element is not target else element
    return element


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _marker(anchor: etree._Element) -> str | None:
    match = _MARKER.match("".join(anchor.itertext()))
    return match.group(1) if match else None


def _without_marker(text: str, label: str) -> str:
    """A note's text without its leading number ("1. ", "[1] ", "1 ")."""
    pattern = (
        rf"^(?:<sup>)?\s*[\[(]?{re.escape(html.escape(label, quote=False))}[\])]?\.?(?:</sup>)?\s+"
    )
    return re.sub(pattern, "", text, count=1)
