"""The one way an uploaded XML file is parsed (XLIFF, TMX): lxml with entity expansion,
DTD loading and network access off, and size limits on (``huge_tree=False``).

An interchange file never needs an entity of its own, so a DOCTYPE that declares any
(the billion-laughs bomb, an external entity pointing at ``file:///etc/passwd`` or an
``http://`` address) is refused outright rather than parsed with the entities left
unexpanded. A DOCTYPE that only names a DTD (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``) is
fine: the DTD is never loaded.
"""

from __future__ import annotations

import re

from lxml import etree

from translator.errors import InputError

__all__ = ["parse_xml"]

# In any ASCII-compatible encoding (UTF-8, Latin-1, ...) a declaration is visible in the
# bytes; other encodings are checked on the parsed tree below.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, filename: str, *, entity_references: bool = False) -> etree._Element:
    """Parse ``data`` as XML and return its root element. InputError naming ``filename``
    (and the line, for a syntax error) for malformed XML and for a DOCTYPE that declares
    entities; nothing outside the bytes is ever read. With ``entity_references`` a
    reference to an undeclared entity (``&nbsp;`` in an XHTML file whose DTD is never
    loaded) is kept as an entity node for the caller to read, not refused."""
    if not data.strip():
        raise InputError("the file is empty", file=filename)
    if _ENTITY_DECLARATION.search(data):
        raise InputError(
            "the file declares XML entities (refused: an interchange file needs none, and "
            "they can expand to gigabytes or read files on the server)",
            file=filename,
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        message = str(exc.msg or exc).split(", line ")[0]
        raise InputError(f"not well-formed XML: {message}", file=filename, line=line) from None
    except ValueError as exc:  # e.g. a str declaration lxml refuses
        raise InputError(f"not readable as XML: {exc}", file=filename) from None
    if root is None:
        raise InputError("not readable as XML", file=filename)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError("the file declares XML entities (refused)", file=filename)
    if not entity_references and any(isinstance(node, etree._Entity) for node in root.iter()):
        raise InputError("the file uses XML entities that are not declared", file=filename)
    return root


def xml_bytes(root: etree._Element, leaves: frozenset[str], doctype: str | None = None) -> bytes:
    """``root`` serialized as UTF-8 with an XML declaration, indented between structural
    elements only: inside an element named in ``leaves`` (a segment's text with its
    inline codes) whitespace is content and is left exactly as it is."""
    _indent(root, leaves, 0)
    return bytes(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype) + b"\n"
    )


def _indent(element: etree._Element, leaves: frozenset[str], level: int) -> None:
    if etree.QName(element).localname in leaves or not len(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        _indent(child, leaves, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level
