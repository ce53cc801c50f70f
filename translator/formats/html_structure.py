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

from lxml import etree

from translator.formats.base import Block, BlockRole
from translator.formats.html_notes import (
    BLOCK_TAGS,
    FootnoteIndex,
    classes,
    element_name,
    names,
    without_marker,
)
from translator.formats.lists import HTML_STYLES, format_number
from translator.formats.richtext import InlineText, kept_href

__all__ = ["HtmlStructure"]


_DROPPED = names(
    "script style noscript template nav form button input select textarea iframe object "
    "embed svg math canvas video audio head title meta link dialog map img picture"
)
_DROPPED_ROLES = names(
    "navigation banner contentinfo complementary search menu menubar toolbar dialog"
)
_BOILERPLATE = names(
    "nav navbar navigation menu sidebar breadcrumb breadcrumbs site-header site-footer "
    "skip-link share sharing social cookie cookies comments comment-respond related "
    "pagination screen-reader-text visually-hidden sr-only"
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
_BACK_ARROW = re.compile(r"^[\s^↑↩⤴⇑\ufe0e\ufe0f]+$")  # a note's link back: "↩", "^"
_BACK_CLASSES = frozenset({"footnote-back", "footnote-backref", "backlink", "fn-back"})
_MAX_LIST_LEVEL = 9


@dataclass(slots=True)
class _List:
    ordered: bool
    next: int
    step: int
    kind: str


class HtmlStructure:
    """Blocks of the documents given to ``add_document``, in order (module docstring)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._documents: list[tuple[str, etree._Element]] = []
        self._h1: list[str] = []
        self._blocks: list[Block] = []
        self._index = FootnoteIndex([])
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

    def blocks(self, text_documents: set[str] | None = None) -> list[Block]:
        """All blocks: the content of every document (of ``text_documents`` only, when
        given: the others may hold notes), then the footnotes in call order."""
        self._index = FootnoteIndex(self._documents)
        for name, root in self._documents:
            if text_documents is None or name in text_documents:
                self._walk_document(root)
        return self._blocks + self._footnotes()

    def only_h1(self) -> str | None:
        """The plain text of the only level-1 heading, if there is exactly one."""
        if len(self._h1) != 1:
            return None
        return html.unescape(re.sub(r"<[^>]*>", "", self._h1[0])).strip()[:500] or None

    # --- walking ---------------------------------------------------------------------

    def _walk_document(self, root: etree._Element) -> None:
        content = _main_content(root)
        self._container(content, in_article=element_name(content) in ("main", "article"))
        self._flush()

    def _dropped(self, element: etree._Element, in_article: bool) -> bool:
        name = element_name(element)
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
        if classes(element) & _BOILERPLATE or (element.get("id") or "").lower() in _BOILERPLATE:
            return True
        return name == "aside"

    def _container(self, element: etree._Element, in_article: bool) -> None:
        """Walk an element whose children may be blocks or inline content."""
        self._text(element.text, element)
        for child in element:
            if isinstance(child, etree._Entity):
                self._entity(child, frozenset(), None)
            elif not isinstance(child.tag, str) or child in self._index.out_of_flow:
                pass
            elif child in self._index.call_targets:
                self._call(child)
            elif self._dropped(child, in_article):
                pass
            elif element_name(child) in BLOCK_TAGS:
                self._block(child, in_article or element_name(child) in ("article", "main"))
            else:
                self._inline_element(child, frozenset(), None)
            self._text(child.tail, element)

    def _block(self, element: etree._Element, in_article: bool) -> None:
        name = element_name(element)
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
        return format_number(number, HTML_STYLES.get(kind, "decimal")) + "."

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
            elif not isinstance(child.tag, str) or child in self._index.notes:
                pass
            elif child in self._index.call_targets:
                self._call(child)
            elif not self._dropped(child, True):
                self._inline_element(child, marks, href)
            if child.tail:
                self._inline.text(child.tail, marks, href)

    def _inline_element(
        self, element: etree._Element, marks: frozenset[str], href: str | None
    ) -> None:
        name = element_name(element)
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
        if element in self._index.calls:
            self._call(element)
            return
        self._inline_children(element, marks, href)

    def _entity(self, entity: etree._Element, marks: frozenset[str], href: str | None) -> None:
        self._inline.text(html.unescape(str(entity.text or "")), marks, href)

    def _call(self, element: etree._Element) -> None:
        if element in self._index.calls:
            anchors = [element]
        else:
            anchors = [anchor for anchor in element.iter() if anchor in self._index.calls]
        for anchor in anchors:
            self._inline.plain(f"[{self._index.calls[anchor].label}]")

    def _back_link(self, element: etree._Element) -> bool:
        """A note's link back to its call ("↩", or the note's number)."""
        if self._note_label is None or element_name(element) != "a":
            return False
        if element.get("role") == "doc-backlink" or classes(element) & _BACK_CLASSES:
            return True
        if _BACK_ARROW.match("".join(element.itertext())):
            return True
        href = element.get("href")
        target = self._index.target(self._note_document, str(href)) if href else None
        return target is not None and target in self._index.call_zone

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
            text = without_marker(text, label)
            self._first_note_block = False
        if text:
            self._notes_out.append(Block(role, text, level=level, label=label, line=line))

    def _footnotes(self) -> list[Block]:
        self._notes_out = []
        saved_context, saved_lists = self._context, self._lists
        for note in list(self._index.notes.values()):
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
    body = next((e for e in root.iter() if element_name(e) == "body"), root)
    for element in body.iter():
        if element_name(element) == "main" or element.get("role") == "main":
            return element
    articles = [e for e in body.iter() if element_name(e) == "article"]
    if len(articles) == 1:
        return articles[0]
    return body


def _new_list(element: etree._Element) -> _List:
    ordered = element_name(element) == "ol"
    reversed_ = element.get("reversed") is not None
    start = _int(element.get("start"))
    if start is None:
        items = sum(1 for child in element if element_name(child) == "li")
        start = items if reversed_ else 1
    return _List(ordered, start, -1 if reversed_ else 1, element.get("type") or "1")


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None
