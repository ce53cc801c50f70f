"""XLIFF 2.0 (``xliff2``): write a document's language pair, read any XLIFF 2.0 file.

One ``<unit id="u<unit id>">`` per unit (ids are NMTOKENs: a bare number is not one in
every tool, so the ``u`` is added and taken off again) with one ``<segment>``;
``<file original>`` = the document's slug; the role is ``type="translator:<role>"``;
comments are ``<notes><note category="comment">``; the title and the export-time hashes
of the texts are Metadata module entries (``mda:metadata``, the standard extension
point the core schema leaves open in ``<file>`` and ``<unit>``).

Statuses: ``segment@state`` initial / translated / reviewed (``final`` reads as
reviewed), with ``subState``: ``translator:draft`` for a draft (state initial, with
text), ``translator:outdated`` when outdated, ``translator:draft,outdated`` for both.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from translator.errors import InputError
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.inline_codes import CodeIds
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit
from translator.formats.xliff import role_of
from translator.formats.xliff_codes import (
    OriginalData,
    pick_pair,
    read_inline_20,
    write_inline_20,
    xml_text,
)
from translator.formats.xmlsafe import xml_bytes

__all__ = ["NS20", "read_xliff20", "write_xliff20"]

NS20 = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
_BASES = "translator-base"
_STATE = {"empty": "initial", "draft": "initial", "translated": "translated"}
_STATE |= {"reviewed": "reviewed"}
_LEAVES = frozenset({"source", "target", "note", "data", "meta"})


def _unit_id(unit_id: str) -> str:
    return f"u{unit_id}"


def _sub_state(segment: InterchangeSegment) -> str | None:
    flags = [name for name, on in (("draft", segment.status == "draft"),) if on]
    if segment.outdated and segment.text:
        flags.append("outdated")
    return f"translator:{','.join(flags)}" if flags else None


def write_xliff20(file: InterchangeFile, options: ExportOptions) -> bytes:
    """The file as XLIFF 2.0 (core schema) for the pair ``options.source`` →
    ``options.target`` (default: the file's first two languages)."""
    source, target = pick_pair(file, options)
    q = f"{{{NS20}}}"
    root = etree.Element(q + "xliff", nsmap={None: NS20, "mda": MDA}, version="2.0")
    root.set("srcLang", source)
    if target:
        root.set("trgLang", target)
    file_el = etree.SubElement(root, q + "file", id="f1", original=file.slug or "document")
    if file.title:
        _metadata(file_el, "document", {"title": file.title})
    for unit in file.units:
        _write_unit(file_el, unit, source, target, q)
    return xml_bytes(root, _LEAVES)


def _metadata(parent: etree._Element, category: str, values: dict[str, str]) -> None:
    metadata = etree.SubElement(parent, f"{{{MDA}}}metadata")
    group = etree.SubElement(metadata, f"{{{MDA}}}metaGroup", category=category)
    for key, value in values.items():
        etree.SubElement(group, f"{{{MDA}}}meta", type=key).text = xml_text(value)


def _read_metadata(parent: etree._Element, category: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in parent.findall(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup"):
        if group.get("category") == category:
            for meta in group.findall(f"{{{MDA}}}meta"):
                if meta.get("type"):
                    found[meta.get("type") or ""] = meta.text or ""
    return found


def _write_unit(
    file_el: etree._Element, unit: InterchangeUnit, source: str, target: str | None, q: str
) -> None:
    element = etree.SubElement(file_el, q + "unit", id=_unit_id(unit.id))
    element.set("type", f"translator:{unit.role.value}")
    src = unit.segments.get(source, InterchangeSegment("", "empty"))
    tgt = unit.segments.get(target) if target else None
    bases = {source: src.base, **({target: tgt.base} if tgt and target else {})}
    bases = {lang: value for lang, value in bases.items() if value}
    if bases:
        _metadata(element, _BASES, bases)  # type: ignore[arg-type]
    if unit.notes:
        notes = etree.SubElement(element, q + "notes")
        for note in unit.notes:
            etree.SubElement(notes, q + "note", category="comment").text = xml_text(note)
    data = OriginalData()
    ids = CodeIds()
    segment = etree.Element(q + "segment")
    write_inline_20(etree.SubElement(segment, q + "source"), src.text, ids, data, NS20)
    if tgt is not None:
        segment.set("state", _STATE.get(tgt.status, "translated"))
        sub_state = _sub_state(tgt)
        if sub_state:
            segment.set("subState", sub_state)
        write_inline_20(etree.SubElement(segment, q + "target"), tgt.text, ids, data, NS20)
    original = data.element(NS20)
    if original is not None:
        element.append(original)
    element.append(segment)


def _status(state: str | None, sub_state: str | None, text: str) -> tuple[str, bool]:
    flags = (sub_state or "").partition(":")[2].split(",") if sub_state else []
    outdated = "outdated" in flags and bool(text)
    if not text:
        return "empty", False
    if state in ("reviewed", "final"):
        return "reviewed", outdated
    if state == "translated":
        return "translated", outdated
    return "draft", outdated


def read_xliff20(root: etree._Element, filename: str) -> InterchangeFile:
    """An XLIFF 2.0 document, already parsed safely, as an InterchangeFile: every
    ``<unit>`` of every ``<file>`` in order, its segments (and ignorables) joined."""
    q = f"{{{NS20}}}"
    source, target = root.get("srcLang"), root.get("trgLang")
    if not source:
        raise InputError("<xliff> has no srcLang", file=filename, line=root.sourceline)
    files = root.findall(q + "file")
    if not files:
        raise InputError("the XLIFF file has no <file> element", file=filename, line=1)
    if target == source:
        target = None
    result = InterchangeFile(
        languages=[source, *([target] if target else [])],
        units=[],
        slug=files[0].get("original"),
        title=_read_metadata(files[0], "document").get("title", ""),
    )
    dropped = [0]

    def drop() -> None:
        dropped[0] += 1

    seen: set[str] = set()
    for file_el in files:
        for unit_el in file_el.iter(q + "unit"):
            unit = _read_unit(unit_el, q, source, target, filename, drop)
            if unit.id in seen:
                result.warnings.append(
                    f"line {unit_el.sourceline}: unit id {unit.id!r} repeats; skipped"
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
    target: str | None,
    filename: str,
    dropped: Callable[[], None],
) -> InterchangeUnit:
    raw_id = unit_el.get("id")
    if not raw_id:
        raise InputError("a <unit> has no id", file=filename, line=unit_el.sourceline)
    unit_id = raw_id[1:] if raw_id.startswith("u") and raw_id[1:].isdigit() else raw_id
    data = {
        element.get("id") or "": "".join(element.itertext())
        for element in unit_el.findall(f"{q}originalData/{q}data")
    }
    parts = [child for child in unit_el if etree.QName(child).localname in ("segment", "ignorable")]
    if not any(etree.QName(p).localname == "segment" for p in parts):
        raise InputError(
            f"unit {raw_id!r} has no <segment>", file=filename, line=unit_el.sourceline
        )
    sources, targets, states, has_target = [], [], [], False
    for part in parts:
        source_el = part.find(q + "source")
        if source_el is None:
            raise InputError(
                f"unit {raw_id!r}: a segment has no <source>", file=filename, line=part.sourceline
            )
        sources.append(read_inline_20(source_el, data, dropped))
        target_el = part.find(q + "target")
        if target_el is not None:
            has_target = True
            targets.append(read_inline_20(target_el, data, dropped))
        elif etree.QName(part).localname == "ignorable":
            targets.append(sources[-1])
        if etree.QName(part).localname == "segment":
            states.append((part.get("state"), part.get("subState")))
    bases = _read_metadata(unit_el, _BASES)
    segments = {source: InterchangeSegment("".join(sources), "translated", base=bases.get(source))}
    if target:
        text = "".join(targets) if has_target else ""
        statuses = [_status(state, sub, text) for state, sub in states]
        order = ["empty", "draft", "translated", "reviewed"]
        status = min((s for s, _ in statuses), key=order.index)
        outdated = any(o for _, o in statuses)
        segments[target] = InterchangeSegment(text, status, outdated, bases.get(target))
    notes = tuple(
        (note.text or "").strip()
        for note in unit_el.findall(f"{q}notes/{q}note")
        if (note.text or "").strip()
    )
    return InterchangeUnit(unit_id, segments, role_of(unit_el.get("type")), notes)


register(
    ExportFormat(
        "xliff2",
        ExportKind.INTERCHANGE,
        "xlf",
        "application/xliff+xml",
        write_xliff20,
        label="XLIFF 2.0",
    )
)
