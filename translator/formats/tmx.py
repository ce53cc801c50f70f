"""TMX 1.4 (``tmx``): every language of a document side by side, and any TMX file read.

One ``<tu tuid="<unit id>">`` per unit, one ``<tuv xml:lang>`` per language that has
text (a translation memory holds no empty cells), in the file's language order; the
header's ``srclang`` is ``options.source`` or the first language. Comments are the
unit's ``<note>``s, its role a ``<prop type="x-role">``; each ``<tuv>`` carries its
status, outdated flag and export-time hash as ``<prop type="x-status|x-outdated|x-base">``.
Tags are ``<bpt>``/``<ept>`` pairs (``i`` matched) and ``<ph>`` holding the tags as
native code. Valid against the TMX 1.4b DTD.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from lxml import etree

from translator.errors import InputError
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.inline_codes import CodeIds, Node, Pair, parse_inline, safe_tag
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit
from translator.formats.xliff import role_of
from translator.formats.xliff_codes import xml_text
from translator.formats.xmlsafe import xml_bytes

__all__ = ["read_tmx", "write_tmx"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LEAVES = frozenset({"seg", "note", "prop"})
_STATUSES = ("draft", "translated", "reviewed")


def _append(parent: etree._Element, text: str) -> None:
    text = xml_text(text)
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _write_nodes(parent: etree._Element, nodes: list[Node], ids: CodeIds) -> None:
    for node in nodes:
        if isinstance(node, str):
            _append(parent, node)
        elif isinstance(node, Pair):
            code = ids.id_for(node.start)
            etree.SubElement(parent, "bpt", i=code).text = xml_text(node.start)
            _write_nodes(parent, node.children, ids)
            etree.SubElement(parent, "ept", i=code).text = xml_text(node.end)
        else:
            ph = etree.SubElement(parent, "ph", x=ids.id_for(node.raw))
            if node.name == "br":
                ph.set("type", "lb")
            ph.text = xml_text(node.raw)


def _version() -> str:
    try:
        return version("translator")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def write_tmx(file: InterchangeFile, options: ExportOptions) -> bytes:
    """The file as TMX 1.4, every language of ``file.languages``."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="translator",
        creationtoolversion=_version(),
        segtype="sentence",
        adminlang="en",
        srclang=options.source or (file.languages[0] if file.languages else "*all*"),
        datatype="html",
    )
    header.set("o-tmf", "translator")
    if file.slug:
        etree.SubElement(header, "prop", type="x-document").text = xml_text(file.slug)
    if file.title:
        etree.SubElement(header, "prop", type="x-title").text = xml_text(file.title)
    body = etree.SubElement(root, "body")
    for unit in file.units:
        _write_unit(body, unit, file.languages)
    return xml_bytes(root, _LEAVES, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


def _write_unit(body: etree._Element, unit: InterchangeUnit, languages: list[str]) -> None:
    cells = [(lang, unit.segments[lang]) for lang in languages if lang in unit.segments]
    cells = [(lang, segment) for lang, segment in cells if segment.text]
    if not cells:
        return  # a <tu> needs a <tuv>, and a translation memory has no empty cells
    tu = etree.SubElement(body, "tu", tuid=unit.id)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = xml_text(note)
    etree.SubElement(tu, "prop", type="x-role").text = unit.role.value
    for lang, segment in cells:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "prop", type="x-status").text = segment.status
        if segment.outdated:
            etree.SubElement(tuv, "prop", type="x-outdated").text = "yes"
        if segment.base:
            etree.SubElement(tuv, "prop", type="x-base").text = segment.base
        seg = etree.SubElement(tuv, "seg")
        ids = CodeIds()
        _write_nodes(seg, parse_inline(segment.text), ids)


def _read_seg(element: etree._Element, dropped: Callable[[], None]) -> str:
    out = [html.escape(element.text or "", quote=False)]
    for child in element:
        name = child.tag if isinstance(child.tag, str) else ""
        if name in ("bpt", "ept", "ph", "it"):
            native = "".join([child.text or "", *(sub.tail or "" for sub in child)])
            tag = safe_tag(native)
            if tag is None:
                dropped()
            out.append(tag or "")
        elif name == "hi":
            out.append(_read_seg(child, dropped))
        elif name:
            dropped()
        out.append(html.escape(child.tail or "", quote=False))
    return "".join(out)


def _props(element: etree._Element) -> dict[str, str]:
    return {p.get("type") or "": (p.text or "").strip() for p in element.findall("prop")}


def read_tmx(root: etree._Element, filename: str) -> InterchangeFile:
    """A TMX document (1.1-1.4), already parsed safely, as an InterchangeFile: one unit
    per ``<tu>``, languages in order of appearance (the header's srclang first)."""
    header = root.find("header")
    body = root.find("body")
    if body is None:
        raise InputError("the TMX file has no <body>", file=filename, line=root.sourceline)
    header_props = _props(header) if header is not None else {}
    srclang = header.get("srclang") if header is not None else None
    languages: list[str] = [srclang] if srclang and srclang != "*all*" else []
    result = InterchangeFile(
        languages=languages,
        units=[],
        slug=header_props.get("x-document") or None,
        title=header_props.get("x-title", ""),
    )
    dropped = [0]

    def drop() -> None:
        dropped[0] += 1

    seen: dict[str, int] = {}
    for number, tu in enumerate(body.iter("tu"), start=1):
        unit = _read_tu(tu, number, languages, filename, drop)
        if unit.id in seen:
            seen[unit.id] += 1
            result.warnings.append(f"line {tu.sourceline}: tuid {unit.id!r} repeats")
            unit = InterchangeUnit(
                f"{unit.id}~{seen[unit.id]}", unit.segments, unit.role, unit.notes
            )
        seen.setdefault(unit.id, 1)
        result.units.append(unit)
    if dropped[0]:
        result.warnings.append(f"{dropped[0]} inline codes that are not HTML tags were dropped")
    return result


def _read_tu(
    tu: etree._Element,
    number: int,
    languages: list[str],
    filename: str,
    dropped: Callable[[], None],
) -> InterchangeUnit:
    segments: dict[str, InterchangeSegment] = {}
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang")
        seg = tuv.find("seg")
        if not lang or seg is None:
            raise InputError(
                "a <tuv> needs xml:lang and a <seg>", file=filename, line=tuv.sourceline
            )
        if lang not in languages:
            languages.append(lang)
        props = _props(tuv)
        text = _read_seg(seg, dropped)
        status = props.get("x-status", "translated")
        status = status if status in _STATUSES and text else ("translated" if text else "empty")
        outdated = props.get("x-outdated") == "yes" and bool(text)
        segments[lang] = InterchangeSegment(text, status, outdated, props.get("x-base") or None)
    notes = tuple((n.text or "").strip() for n in tu.findall("note") if (n.text or "").strip())
    role = role_of(_props(tu).get("x-role"))
    return InterchangeUnit(tu.get("tuid") or f"tu-{number}", segments, role, notes)


register(
    ExportFormat(
        "tmx", ExportKind.INTERCHANGE, "tmx", "application/x-tmx+xml", write_tmx, label="TMX 1.4"
    )
)
