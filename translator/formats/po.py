"""PO (``po``, gettext): write a document's language pair with polib, read any PO file.

One entry per unit with source text: ``msgctxt`` = the unit's id (so equal sources are
separate entries), ``msgid`` = the source, ``msgstr`` = the target. Text without markup
is written as plain text (entities decoded) and escaped again when read; text with tags
keeps them as they are, and its entry says ``#. translator-markup: html``. The flag
``fuzzy`` marks a draft or an outdated target; the comments of the unit are translator
comments (``# ``); the status, the role and the export-time hashes are extracted
comments (``#. translator-...``), which Poedit and msgmerge keep.

Read back: no ``fuzzy`` means translated (reviewed if the entry said so and still
does); ``fuzzy`` means a draft unless the entry was exported outdated, in which case it
keeps its status and stays outdated. The header's ``Language`` is the target,
``X-Source-Language`` the source (``en`` when absent, with a warning).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import polib

from translator.errors import InputError
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.inline_codes import (
    has_markup,
    looks_like_markup,
    markup_from_file,
)
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit
from translator.formats.xliff import role_of
from translator.formats.xliff_codes import format_bases, parse_bases, pick_pair, xml_text

__all__ = ["read_po", "write_po"]

_KEY = "translator-"
_CHARSET = re.compile(rb'"Content-Type:[^"]*charset=([A-Za-z0-9_.:-]+)')
_SYNTAX_LINE = re.compile(r"line (\d+)")
# What a line of a PO file may be: blank, a comment, or a keyword and/or one complete
# quoted string. polib is lenient (it reads `msgstr "abc` as "ab"); this is not.
_PO_LINE = re.compile(
    r'\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?'
)


def _to_po(text: str) -> tuple[str, bool]:
    """The PO string of stored ``text`` and whether it is markup (kept escaped)."""
    if has_markup(text):
        return text, True
    plain = html.unescape(text)
    if looks_like_markup(plain):  # "&lt;em&gt;" as text: keep it escaped
        return text, True
    return plain, False


def _from_po(text: str, markup: bool) -> str:
    if markup or looks_like_markup(text):
        return markup_from_file(text)
    return html.escape(text, quote=False)


def write_po(file: InterchangeFile, options: ExportOptions) -> bytes:
    """The file as a PO catalogue (UTF-8) for the pair ``options.source`` →
    ``options.target`` (default: the file's first two languages)."""
    source, target = pick_pair(file, options)
    catalog = polib.POFile(wrapwidth=78)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    catalog.metadata = {
        "Project-Id-Version": xml_text(file.title or file.slug or "document").replace("\n", " "),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "translator",
        "Language-Team": target or "",
        "Language": (target or "").replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "translator",
        "X-Source-Language": source.replace("-", "_"),
    }
    if file.slug:
        catalog.metadata["X-Translator-Document"] = file.slug
    for unit in file.units:
        src = unit.segments.get(source)
        if src is None or not src.text:
            continue  # a PO entry needs a msgid; an empty cell has nothing to translate
        tgt = unit.segments.get(target) if target else None
        catalog.append(_entry(unit, src, tgt, source, target))
    return str(catalog).encode("utf-8")


def _entry(
    unit: InterchangeUnit,
    src: InterchangeSegment,
    tgt: InterchangeSegment | None,
    source: str,
    target: str | None,
) -> polib.POEntry:
    msgid, source_markup = _to_po(src.text)
    msgstr, target_markup = _to_po(tgt.text) if tgt else ("", False)
    status = tgt.status if tgt and tgt.text else "empty"
    state = status + (" outdated" if tgt and tgt.outdated and tgt.text else "")
    lines = [f"{_KEY}status: {state}", f"{_KEY}role: {unit.role.value}"]
    bases = {source: src.base, **({target: tgt.base} if tgt and target else {})}
    known = {lang: value for lang, value in bases.items() if value}
    if known:
        lines.append(f"{_KEY}base: {format_bases(known)}")
    if source_markup or target_markup:
        lines.append(f"{_KEY}markup: html")
    entry = polib.POEntry(
        msgctxt=unit.id,
        msgid=xml_text(msgid),
        msgstr=xml_text(msgstr),
        comment="\n".join(lines),
        tcomment="\n".join(xml_text(note) for note in unit.notes),
    )
    if tgt and tgt.text and (tgt.status == "draft" or tgt.outdated):
        entry.flags.append("fuzzy")
    return entry


def _decode(data: bytes, filename: str) -> str:
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    if charset.upper() == "CHARSET":  # a .pot template's placeholder
        charset = "utf-8"
    try:
        return data.decode(charset).removeprefix("\ufeff")
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(f"the PO file is not valid {charset}: {exc}", file=filename) from None


def read_po(data: bytes, filename: str) -> InterchangeFile:
    """A PO (or POT) file as an InterchangeFile: one unit per entry (obsolete entries and
    the header left out), source first. InputError naming file and line for a syntax
    error."""
    text = _decode(data, filename)
    if not text.strip():
        raise InputError("the file is empty", file=filename)
    for number, content in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(content):
            shown = content if len(content) <= 60 else content[:57] + "..."
            raise InputError(f"not a valid PO line: {shown!r}", file=filename, line=number)
    try:
        # The leading newline keeps polib from taking a one-line text for a file name
        # to open (it reads a path when given one); line numbers shift by one.
        catalog = polib.pofile("\n" + text, wrapwidth=0)
    except (OSError, ValueError, UnicodeError) as exc:
        found = _SYNTAX_LINE.search(str(exc))
        line = int(found.group(1)) - 1 if found else None
        raise InputError(f"not a valid PO file: {exc}", file=filename, line=line) from None
    meta = catalog.metadata
    warnings: list[str] = []
    source = (meta.get("X-Source-Language") or "").replace("_", "-").strip()
    if not source:
        source = "en"
        warnings.append("the file does not say its source language; English assumed")
    target = (meta.get("Language") or "").replace("_", "-").strip() or None
    result = InterchangeFile(
        languages=[source, *([target] if target else [])],
        units=[],
        slug=meta.get("X-Translator-Document") or None,
        title=meta.get("Project-Id-Version", "") if meta.get("X-Translator-Document") else "",
        warnings=warnings,
    )
    seen: dict[str, int] = {}
    for number, entry in enumerate(e for e in catalog if not e.obsolete and e.msgid):
        unit = _read_entry(entry, number + 1, source, target, result.warnings)
        if unit.id in seen:
            seen[unit.id] += 1
            unit = InterchangeUnit(
                f"{unit.id}~{seen[unit.id]}", unit.segments, unit.role, unit.notes
            )
        seen.setdefault(unit.id, 1)
        result.units.append(unit)
    return result


def _comments(entry: polib.POEntry) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (entry.comment or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().startswith(_KEY):
            found[key.strip()[len(_KEY) :]] = value.strip()
    return found


def _read_entry(
    entry: polib.POEntry, number: int, source: str, target: str | None, warnings: list[str]
) -> InterchangeUnit:
    said = _comments(entry)
    markup = said.get("markup") == "html"
    bases = parse_bases(said.get("base"))
    msgstr = entry.msgstr
    if entry.msgid_plural:
        msgstr = entry.msgstr_plural.get(0, "")
        warnings.append(f"line {entry.linenum}: plural entry, only its first form was read")
    segments = {
        source: InterchangeSegment(
            _from_po(entry.msgid, markup), "translated", base=bases.get(source)
        )
    }
    if target:
        text = _from_po(msgstr, markup)
        segments[target] = InterchangeSegment(
            text, *_status(text, "fuzzy" in entry.flags, said.get("status", "")), bases.get(target)
        )
    notes = tuple(n for n in [(entry.tcomment or "").strip()] if n)
    return InterchangeUnit(
        entry.msgctxt or f"entry-{number}", segments, role_of(said.get("role")), notes
    )


def _status(text: str, fuzzy: bool, exported: str) -> tuple[str, bool]:
    if not text:
        return "empty", False
    words = exported.split()
    was = words[0] if words else ""
    if fuzzy:
        if "outdated" in words and was in ("draft", "translated", "reviewed"):
            return was, True
        return "draft", False
    return ("reviewed" if was == "reviewed" else "translated"), False


register(
    ExportFormat(
        "po", ExportKind.INTERCHANGE, "po", "text/x-gettext-translation", write_po, label="PO"
    )
)
