"""Inline codes of XLIFF 1.2 and 2.0 both ways, and what XLIFF files share: the choice
of source and target, the XML-safe text, the ``base`` hashes.

1.2: an element without attributes becomes ``<g ctype="italic|bold|x-code|...">``,
``<br>`` becomes ``<x ctype="lb"/>``; an element with attributes (``<a href>``) becomes
``<bpt>``/``<ept>`` holding the tags as native code, a lone tag ``<ph>``. 2.0: every tag
is kept in the unit's ``<originalData>`` and referenced from ``<pc>`` (pairs) or
``<ph>`` (lone tags), with ``type``/``subType`` for tools that show formatting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from lxml import etree

from translator.formats.exports import ExportOptions
from translator.formats.inline_codes import (
    CodeIds,
    Lone,
    Node,
    Pair,
    parse_inline,
    safe_tag,
)
from translator.formats.publication import InterchangeFile

CTYPES = {"em": "italic", "strong": "bold", "code": "x-code", "sup": "x-sup", "sub": "x-sub"}
TAG_OF_CTYPE = {ctype: name for name, ctype in CTYPES.items()}
SUBTYPES = {"em": "xlf:i", "strong": "xlf:b"}
TAG_OF_SUBTYPE = {"xlf:i": "em", "xlf:b": "strong", "xlf:u": None}
# Characters XML 1.0 cannot hold (stored text never has them; this is the net).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 refuses."""
    return _NOT_XML.sub("", text)


def pick_pair(file: InterchangeFile, options: ExportOptions) -> tuple[str, str | None]:
    """The source and target languages of a bilingual file: the options', else the
    file's first two."""
    source = options.source or (file.languages[0] if file.languages else "und")
    rest = [lang for lang in file.languages if lang != source]
    target = options.target or (rest[0] if rest else None)
    return source, target


def format_bases(bases: dict[str, str]) -> str:
    """The export-time hashes as one attribute value: ``"fr=ab12 pt=cd34"``."""
    return " ".join(f"{lang}={value}" for lang, value in bases.items())


def parse_bases(value: str | None) -> dict[str, str]:
    """The inverse of ``format_bases`` (anything unexpected is ignored)."""
    found: dict[str, str] = {}
    for item in (value or "").split():
        lang, sep, hashed = item.partition("=")
        if sep and lang and hashed:
            found[lang] = hashed
    return found


def _append_text(parent: etree._Element, text: str) -> None:
    text = xml_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --- 1.2 ------------------------------------------------------------------------------


def write_inline_12(parent: etree._Element, text: str, ids: CodeIds, ns: str) -> None:
    """Fill ``parent`` (a 1.2 source or target) with ``text`` (stored inline HTML)."""
    ids.start_segment()
    _write_nodes_12(parent, parse_inline(text), ids, ns)


def _write_nodes_12(parent: etree._Element, nodes: list[Node], ids: CodeIds, ns: str) -> None:
    for node in nodes:
        if isinstance(node, str):
            _append_text(parent, node)
        elif isinstance(node, Pair) and node.simple and node.name in CTYPES:
            g = etree.SubElement(parent, f"{{{ns}}}g", id=ids.id_for(node.start))
            g.set("ctype", CTYPES[node.name])
            _write_nodes_12(g, node.children, ids, ns)
        elif isinstance(node, Pair):
            code = ids.id_for(node.start)
            bpt = etree.SubElement(parent, f"{{{ns}}}bpt", id=code, rid=code)
            if node.name == "a":
                bpt.set("ctype", "link")
            bpt.text = xml_text(node.start)
            _write_nodes_12(parent, node.children, ids, ns)
            ept = etree.SubElement(parent, f"{{{ns}}}ept", id=code, rid=code)
            ept.text = xml_text(node.end)
        elif node.raw == "<br>":
            etree.SubElement(parent, f"{{{ns}}}x", id=ids.id_for(node.raw), ctype="lb")
        else:
            ph = etree.SubElement(parent, f"{{{ns}}}ph", id=ids.id_for(node.raw))
            ph.text = xml_text(node.raw)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _native(element: etree._Element) -> str:
    """The native code of a 1.2 ``bpt``/``ept``/``ph``/``it`` (its text, ``sub``s left
    out)."""
    return "".join([element.text or "", *(child.tail or "" for child in element)])


def read_inline_12(element: etree._Element, dropped: Callable[[], None]) -> str:
    """Stored inline HTML from a 1.2 source or target (``dropped`` is told of every
    code that is not a tag this service stores)."""
    out = [html.escape(element.text or "", quote=False)]
    for child in element:
        name = _local(child)
        if name == "g":
            tag = TAG_OF_CTYPE.get(child.get("ctype") or "")
            inner = read_inline_12(child, dropped)
            out.append(f"<{tag}>{inner}</{tag}>" if tag else inner)
        elif name == "mrk":
            out.append(read_inline_12(child, dropped))
        elif name == "x":
            if child.get("ctype") == "lb":
                out.append("<br>")
            else:
                dropped()
        elif name in ("bpt", "ept", "ph", "it"):
            tag = safe_tag(_native(child))
            if tag is None:
                dropped()
            out.append(tag or "")
        elif name:  # bx, ex, anything else: no text of the segment's own
            dropped()
        out.append(html.escape(child.tail or "", quote=False))
    return "".join(out)


# --- 2.0 ------------------------------------------------------------------------------


class OriginalData:
    """A 2.0 unit's ``<originalData>``: each distinct tag once, ``d1``, ``d2``..."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def ref(self, raw: str) -> str:
        """The data id of the tag ``raw``."""
        if raw not in self.ids:
            self.ids[raw] = f"d{len(self.ids) + 1}"
        return self.ids[raw]

    def element(self, ns: str) -> etree._Element | None:
        """The ``<originalData>`` element, or None when the unit has no tag."""
        if not self.ids:
            return None
        original = etree.Element(f"{{{ns}}}originalData")
        for raw, data_id in self.ids.items():
            data = etree.SubElement(original, f"{{{ns}}}data", id=data_id)
            data.text = xml_text(raw)
        return original


def write_inline_20(
    parent: etree._Element, text: str, ids: CodeIds, data: OriginalData, ns: str
) -> None:
    """Fill ``parent`` (a 2.0 source or target) with ``text`` (stored inline HTML)."""
    ids.start_segment()
    _write_nodes_20(parent, parse_inline(text), ids, data, ns)


def _write_nodes_20(
    parent: etree._Element, nodes: list[Node], ids: CodeIds, data: OriginalData, ns: str
) -> None:
    for node in nodes:
        if isinstance(node, str):
            _append_text(parent, node)
        elif isinstance(node, Pair):
            pc = etree.SubElement(parent, f"{{{ns}}}pc", id=ids.id_for(node.start))
            pc.set("dataRefStart", data.ref(node.start))
            pc.set("dataRefEnd", data.ref(node.end))
            pc.set("type", "link" if node.name == "a" else "fmt")
            if node.name in SUBTYPES:
                pc.set("subType", SUBTYPES[node.name])
            _write_nodes_20(pc, node.children, ids, data, ns)
        else:
            _write_lone_20(parent, node, ids, data, ns)


def _write_lone_20(
    parent: etree._Element, node: Lone, ids: CodeIds, data: OriginalData, ns: str
) -> None:
    ph = etree.SubElement(parent, f"{{{ns}}}ph", id=ids.id_for(node.raw))
    ph.set("dataRef", data.ref(node.raw))
    if node.name == "br":
        ph.set("type", "fmt")
        ph.set("subType", "xlf:lb")


def read_inline_20(
    element: etree._Element, data: dict[str, str], dropped: Callable[[], None]
) -> str:
    """Stored inline HTML from a 2.0 source or target; ``data`` is the unit's
    original data by id."""
    out = [html.escape(element.text or "", quote=False)]
    for child in element:
        name = _local(child)
        if name == "pc":
            start = safe_tag(data.get(child.get("dataRefStart") or ""))
            end = safe_tag(data.get(child.get("dataRefEnd") or ""))
            if start is None or end is None:
                tag = TAG_OF_SUBTYPE.get(child.get("subType") or "")
                start, end = (f"<{tag}>", f"</{tag}>") if tag else ("", "")
                if not tag:
                    dropped()
            out.extend([start, read_inline_20(child, data, dropped), end])
        elif name == "mrk":
            out.append(read_inline_20(child, data, dropped))
        elif name in ("ph", "sc", "ec"):
            tag = safe_tag(data.get(child.get("dataRef") or ""))
            if tag is None and child.get("subType") == "xlf:lb":
                tag = "<br>"
            if tag is None:
                dropped()
            out.append(tag or "")
        elif name == "cp":
            try:
                out.append(html.escape(xml_text(chr(int(child.get("hex") or "", 16))), quote=False))
            except (ValueError, OverflowError):
                dropped()
        elif name:
            dropped()
        out.append(html.escape(child.tail or "", quote=False))
    return "".join(out)
