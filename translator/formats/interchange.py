"""Reading an interchange file: the extension says the format, the content must agree.

``.xlf``/``.xliff`` (XLIFF 1.2 or 2.0, told apart by namespace), ``.po``/``.pot`` and
``.tmx``. A file whose bytes are something else (a PDF, a ZIP, a PO file named ``.xlf``)
is refused with a message that says what it looks like, before any parser sees it.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePath

from lxml import etree

from translator.errors import InputError
from translator.formats.po import read_po
from translator.formats.publication import InterchangeFile, InterchangeUnit
from translator.formats.tmx import read_tmx
from translator.formats.xliff import NS12, read_xliff12
from translator.formats.xliff2 import NS20, read_xliff20
from translator.formats.xmlsafe import parse_xml

__all__ = ["INTERCHANGE_EXTENSIONS", "interchange_kind", "read_interchange"]

INTERCHANGE_EXTENSIONS = {
    ".xlf": "XLIFF",
    ".xliff": "XLIFF",
    ".po": "PO",
    ".pot": "PO",
    ".tmx": "TMX",
}
_MAGIC = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, EPUB, ODT...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
]
# As formats.parse: nothing a database can't store (NUL) or that is never prose.
_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def interchange_kind(filename: str) -> str | None:
    """ "XLIFF", "PO" or "TMX" for a file name with one of their extensions, else None."""
    return INTERCHANGE_EXTENSIONS.get(PurePath(filename).suffix.lower())


def _a(kind: str) -> str:
    return f"an {kind}" if kind == "XLIFF" else f"a {kind}"


def _looks_like(data: bytes) -> str | None:
    head = data.lstrip()[:64]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file"
    return None


def read_interchange(data: bytes, filename: str) -> InterchangeFile:
    """Parse an XLIFF, PO or TMX file, chosen by ``filename``'s extension, after checking
    that the content is that format. InputError naming the file (and the line where
    there is one) for anything unreadable, and for a file with no unit."""
    kind = interchange_kind(filename)
    if kind is None:
        known = ", ".join(sorted(INTERCHANGE_EXTENSIONS))
        raise InputError(f"not an interchange file name (expected {known})", file=filename)
    if not data.strip():
        raise InputError("the file is empty", file=filename)
    other = _looks_like(data)
    if other:
        raise InputError(f"the file is {other}, not {_a(kind)} file", file=filename)
    if kind == "PO":
        if data.lstrip().startswith(b"<"):
            raise InputError("the file is XML, not a PO file", file=filename, line=1)
        result = read_po(data, filename)
    else:
        result = _read_xml(data, filename, kind)
    if not result.units:
        raise InputError(f"the {kind} file has no unit to import", file=filename)
    if not result.languages:
        raise InputError(f"the {kind} file names no language", file=filename)
    result.units = [_storable(unit) for unit in result.units]
    return result


def _storable(unit: InterchangeUnit) -> InterchangeUnit:
    """``unit`` without control characters in its texts (one line per cell, as stored:
    a PO string may hold newlines)."""
    segments = {}
    for lang, segment in unit.segments.items():
        text = _LINE_BREAK.sub(" ", segment.text) if "\n" in segment.text else segment.text
        text = _UNSTORABLE.sub("", text)
        segments[lang] = (
            dataclasses.replace(segment, text=text) if text != segment.text else segment
        )
    return dataclasses.replace(unit, segments=segments)


def _read_xml(data: bytes, filename: str, kind: str) -> InterchangeFile:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and b"\x00" not in data[:4]:
        if b"msgid" in data[:4096]:
            raise InputError(f"the file is a PO file, not {_a(kind)} file", file=filename, line=1)
        raise InputError(f"the file is not XML, so not {_a(kind)} file", file=filename, line=1)
    root = parse_xml(data, filename)
    name = etree.QName(root)
    if kind == "XLIFF" and name.localname == "xliff":
        if name.namespace == NS20 or (root.get("version") or "").startswith("2."):
            if name.namespace != NS20:
                raise InputError("XLIFF 2 without its namespace", file=filename, line=1)
            return read_xliff20(root, filename)
        if name.namespace in (NS12, "urn:oasis:names:tc:xliff:document:1.1", None):
            return read_xliff12(root, filename)
    if kind == "TMX" and name.localname == "tmx" and not name.namespace:
        return read_tmx(root, filename)
    raise InputError(
        f"the file is XML with a <{name.localname}> root, not {_a(kind)} file",
        file=filename,
        line=root.sourceline,
    )
