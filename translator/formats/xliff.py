"""XLIFF 1.2 (``xliff``): write a document's language pair, read any XLIFF 1.2 file.

One ``<trans-unit>`` per unit, ``id`` = the unit's id, ``<file original>`` = the
document's slug, ``product-name`` = its title; the unit's role is ``restype="x-<role>"``;
comments are ``<note from="comment">``; the export-time hashes of the source and target
texts are ``extradata="<lang>=<hash> ..."`` (the strict schema allows no attribute of
another namespace that it does not know, and ``extradata`` is meant for a tool's data).

Statuses, both ways (``target@state``):

=====================  =============================================================
service                1.2
=====================  =============================================================
empty                  ``needs-translation``
draft                  ``needs-review-translation``
translated             ``translated``
reviewed               ``signed-off`` (and ``approved="yes"``)
outdated (any status)  ``needs-review-translation`` + ``state-qualifier="x-outdated-<status>"``
=====================  =============================================================

Read back: ``new``/``needs-translation`` are empty (a draft when the target has text),
every other ``needs-*`` a draft, ``final``/``signed-off``/``approved="yes"`` reviewed, no
state at all translated when the target has text. The ``x-outdated-`` qualifier counts
only while the state is still ``needs-review-translation``.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from translator.errors import InputError
from translator.formats.base import BlockRole
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.inline_codes import CodeIds
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit
from translator.formats.xliff_codes import (
    format_bases,
    parse_bases,
    pick_pair,
    read_inline_12,
    write_inline_12,
    xml_text,
)
from translator.formats.xmlsafe import xml_bytes

__all__ = ["NS12", "read_xliff12", "role_of", "write_xliff12"]

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_READABLE = {NS12, "urn:oasis:names:tc:xliff:document:1.1", ""}
_STATE = {"empty": "needs-translation", "draft": "needs-review-translation"}
_STATE |= {"translated": "translated", "reviewed": "signed-off"}
_OUTDATED = "x-outdated-"
_LEAVES = frozenset({"source", "target", "note"})


def role_of(value: str | None) -> BlockRole:
    """The role named by ``x-<role>`` / ``translator:<role>`` (paragraph otherwise)."""
    value = value or ""
    name = value[2:] if value.startswith("x-") else value.rpartition(":")[2]
    try:
        return BlockRole(name)
    except ValueError:
        return BlockRole.PARAGRAPH


def _target_state(segment: InterchangeSegment) -> tuple[str, str | None]:
    if segment.outdated and segment.text:
        return "needs-review-translation", _OUTDATED + segment.status
    return _STATE.get(segment.status, "translated"), None


def write_xliff12(file: InterchangeFile, options: ExportOptions) -> bytes:
    """The file as XLIFF 1.2 (strict schema) for the pair ``options.source`` →
    ``options.target`` (default: the file's first two languages)."""
    source, target = pick_pair(file, options)
    q = f"{{{NS12}}}"
    root = etree.Element(q + "xliff", nsmap={None: NS12}, version="1.2")
    file_el = etree.SubElement(root, q + "file", original=file.slug or "document")
    file_el.set("source-language", source)
    if target:
        file_el.set("target-language", target)
    file_el.set("datatype", "html")
    file_el.set("tool-id", "translator")
    if file.title:
        file_el.set("product-name", xml_text(file.title))
    header = etree.SubElement(file_el, q + "header")
    etree.SubElement(header, q + "tool", {"tool-id": "translator", "tool-name": "translator"})
    body = etree.SubElement(file_el, q + "body")
    for unit in file.units:
        _write_unit(body, unit, source, target, q)
    return xml_bytes(root, _LEAVES)


def _write_unit(
    body: etree._Element, unit: InterchangeUnit, source: str, target: str | None, q: str
) -> None:
    element = etree.SubElement(body, q + "trans-unit", id=unit.id)
    element.set("restype", f"x-{unit.role.value}")
    src = unit.segments.get(source, InterchangeSegment("", "empty"))
    tgt = unit.segments.get(target) if target else None
    bases = {lang: seg.base for lang, seg in ((source, src), (target, tgt)) if seg and seg.base}
    if bases:
        element.set("extradata", format_bases({k: v for k, v in bases.items() if k and v}))
    if tgt is not None and tgt.status == "reviewed" and not tgt.outdated:
        element.set("approved", "yes")
    ids = CodeIds()
    write_inline_12(etree.SubElement(element, q + "source"), src.text, ids, NS12)
    if tgt is not None:
        target_el = etree.SubElement(element, q + "target")
        state, qualifier = _target_state(tgt)
        target_el.set("state", state)
        if qualifier:
            target_el.set("state-qualifier", qualifier)
        write_inline_12(target_el, tgt.text, ids, NS12)
    for note in unit.notes:
        etree.SubElement(element, q + "note", {"from": "comment"}).text = xml_text(note)


def _status(target: etree._Element, text: str, approved: bool) -> tuple[str, bool]:
    state = target.get("state")
    qualifier = target.get("state-qualifier") or ""
    if state == "needs-review-translation" and qualifier.startswith(_OUTDATED) and text:
        status = qualifier[len(_OUTDATED) :]
        if status in ("draft", "translated", "reviewed"):
            return status, True
    if not text:
        return "empty", False
    if approved or state in ("signed-off", "final"):
        return "reviewed", False
    if state in (None, "translated"):
        return "translated", False
    return "draft", False


def read_xliff12(root: etree._Element, filename: str) -> InterchangeFile:
    """An XLIFF 1.2 (or 1.1) document, already parsed safely, as an InterchangeFile:
    every ``<trans-unit>`` of every ``<file>``, in order."""
    namespace = etree.QName(root).namespace or ""
    if namespace not in _READABLE:
        raise InputError(f"not XLIFF 1.2 (namespace {namespace})", file=filename)
    q = f"{{{namespace}}}" if namespace else ""
    files = root.findall(q + "file")
    if not files:
        raise InputError("the XLIFF file has no <file> element", file=filename, line=1)
    first = files[0]
    source = first.get("source-language")
    if not source:
        raise InputError("<file> has no source-language", file=filename, line=first.sourceline)
    target = first.get("target-language")
    if not target:  # some tools say it on each <target> only
        said = first.find(f".//{q}target")
        target = said.get(XML_LANG) if said is not None else None
    result = InterchangeFile(
        languages=[source, *([target] if target and target != source else [])],
        units=[],
        slug=first.get("original"),
        title=first.get("product-name") or "",
    )
    if target == source:  # a source-language catalogue (symfony's validators.en.xlf)
        result.warnings.append(f"the target language is the source language ({source})")
    dropped = [0]
    seen: set[str] = set()

    def drop() -> None:
        dropped[0] += 1

    for file_el in files:
        file_target = file_el.get("target-language")
        if file_el.get("source-language") != source or (file_target and file_target != target):
            result.warnings.append(
                f"line {file_el.sourceline}: a <file> with other languages was skipped"
            )
            continue
        for unit_el in file_el.iter(q + "trans-unit"):
            unit = _read_unit(unit_el, q, source, result.languages[1:], filename, drop)
            if unit.id in seen:
                result.warnings.append(
                    f"line {unit_el.sourceline}: trans-unit id {unit.id!r} repeats; skipped"
                )
                continue
            seen.add(unit.id)
            result.units.append(unit)
    if dropped[0]:
        result.warnings.append(f"{dropped[0]} inline codes that are not HTML tags were dropped")
    return result


def _read_unit(
    unit_el: etree._Element,
    q: str,
    source: str,
    targets: list[str],
    filename: str,
    dropped: Callable[[], None],
) -> InterchangeUnit:
    unit_id = unit_el.get("id")
    if not unit_id:
        raise InputError("a <trans-unit> has no id", file=filename, line=unit_el.sourceline)
    source_el = unit_el.find(q + "source")
    if source_el is None:
        raise InputError(
            f"trans-unit {unit_id!r} has no <source>", file=filename, line=unit_el.sourceline
        )
    bases = parse_bases(unit_el.get("extradata"))
    segments = {
        source: InterchangeSegment(
            read_inline_12(source_el, dropped), "translated", base=bases.get(source)
        )
    }
    target = targets[0] if targets else None
    target_el = unit_el.find(q + "target")
    if target and target_el is not None:
        text = read_inline_12(target_el, dropped)
        approved = unit_el.get("approved") == "yes"
        status, outdated = _status(target_el, text, approved)
        segments[target] = InterchangeSegment(text, status, outdated, bases.get(target))
    elif target:
        segments[target] = InterchangeSegment("", "empty", base=bases.get(target))
    notes = tuple(
        (note.text or "").strip()
        for note in unit_el.findall(q + "note")
        if (note.text or "").strip()
    )
    return InterchangeUnit(unit_id, segments, role_of(unit_el.get("restype")), notes)


register(
    ExportFormat(
        "xliff",
        ExportKind.INTERCHANGE,
        "xlf",
        "application/x-xliff+xml",
        write_xliff12,
        label="XLIFF 1.2",
    )
)
