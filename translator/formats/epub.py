"""EPUB import (EPUB 2 and 3): ``META-INF/container.xml`` → the package document (OPF)
→ its spine, each XHTML document in spine order read with the structure logic of the
HTML import (``html_structure``), footnotes and endnotes included (``aside
epub:type="footnote"``, notes in a document of their own, calls across documents).

The archive is opened by ``safezip``; the container, the package and each XHTML
document are parsed with ``xmlsafe`` (no entity declaration, DTD or network; HTML's
named entities such as ``&nbsp;``, which need the DTD that is never loaded, are read
as their characters). An XHTML document that is not well-formed is read with the HTML
parser instead, with a warning. Navigation documents (the EPUB 3 ``nav`` item, the
EPUB 2 NCX, which is not in the spine) are not imported as text; neither are spine
items marked ``linear="no"``, though their notes are. ``ParsedText.title`` is the
package's ``dc:title``.
"""

from __future__ import annotations

from urllib.parse import unquote

from lxml import etree

from translator.errors import InputError
from translator.formats.base import ParsedText
from translator.formats.html_structure import HtmlStructure
from translator.formats.htmlpage import parse_html_tree
from translator.formats.safezip import SafeZip, archive_format, resolve_member
from translator.formats.xmlsafe import parse_xml

__all__ = ["parse_epub"]

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_PLACEHOLDER_TITLES = frozenset({"", "Unknown Title", "Untitled"})  # LibreOffice writes the first
_XHTML_SUFFIXES = (".xhtml", ".html", ".htm", ".xml")


def parse_epub(data: bytes, filename: str) -> ParsedText:
    """Read an EPUB upload into blocks (module docstring). ``InputError`` naming the file
    (and the part, with its line for malformed XML) for a file that is not a ZIP
    archive, an archive that is not an EPUB (no ``META-INF/container.xml``, no package
    document, an empty spine), an unsafe archive (``safezip``) or a damaged part."""
    kind = archive_format(data, filename)
    if kind != "epub":
        raise InputError(
            "this is not an EPUB file: "
            + (f"it looks like {kind.upper()}" if kind else "it is not a ZIP archive"),
            file=filename,
        )
    archive = SafeZip(data, filename)
    if not archive.has("META-INF/container.xml"):
        raise InputError(
            "this is not an EPUB file: it has no META-INF/container.xml", file=filename
        )
    package_name = _package_name(archive)
    package = _xml(archive, package_name)
    manifest: dict[str, tuple[str, str, set[str]]] = {}
    for item in package.iter(_OPF + "item"):
        href = resolve_member(package_name, unquote(str(item.get("href") or "")))
        properties = set(str(item.get("properties") or "").split())
        manifest[str(item.get("id"))] = (href, str(item.get("media-type") or ""), properties)
    structure = HtmlStructure()
    text_documents: set[str] = set()
    warnings: list[str] = []
    spine = list(package.iter(_OPF + "itemref"))
    for itemref in spine:
        entry = manifest.get(str(itemref.get("idref")))
        if entry is None:
            warnings.append(f"the spine names an item {itemref.get('idref')!r} the package lacks")
            continue
        href, media_type, properties = entry
        if "nav" in properties:
            continue
        if media_type not in _XHTML_TYPES and not href.lower().endswith(_XHTML_SUFFIXES):
            continue
        if not archive.has(href):
            warnings.append(f"{href}: listed in the package but missing from the archive")
            continue
        structure.add_document(href, _xhtml(archive, href, warnings))
        if itemref.get("linear") != "no":
            text_documents.add(href)
    if not text_documents:
        raise InputError(
            f"this EPUB has no text document in its spine ({package_name})", file=filename
        )
    blocks = structure.blocks(text_documents)
    title_element = package.find(f"{_OPF}metadata/{_DC}title")
    if title_element is None:
        title_element = package.find(f".//{_DC}title")
    title = " ".join("".join(title_element.itertext()).split()) if title_element is not None else ""
    return ParsedText(
        blocks=blocks,
        format="epub",
        title=(title[:500] if title not in _PLACEHOLDER_TITLES else "") or structure.only_h1(),
        warnings=warnings + structure.warnings,
    )


def _package_name(archive: SafeZip) -> str:
    container = _xml(archive, "META-INF/container.xml")
    for rootfile in container.iter(_CONTAINER + "rootfile"):
        media_type = rootfile.get("media-type")
        path = str(rootfile.get("full-path") or "").lstrip("/")
        if path and media_type in (None, "application/oebps-package+xml"):
            if not archive.has(path):
                raise InputError(
                    f"META-INF/container.xml names {path!r}, which the archive lacks",
                    file=archive.filename,
                )
            return path
    raise InputError(
        "META-INF/container.xml names no package document (rootfile)", file=archive.filename
    )


def _xml(archive: SafeZip, part: str, entity_references: bool = False) -> etree._Element:
    try:
        return parse_xml(archive.read(part), archive.filename, entity_references=entity_references)
    except InputError as exc:
        exc.message = f"part {part}: {exc.message}"
        raise


def _xhtml(archive: SafeZip, name: str, warnings: list[str]) -> etree._Element:
    try:
        return _xml(archive, name, entity_references=True)
    except InputError as exc:
        if "entities" in exc.message:
            raise  # a declaration (billion laughs, XXE): refused, not parsed another way
        warnings.append(f"{name}: not well-formed XHTML, read as HTML ({exc.message})")
    data = archive.read(name)
    text = data.decode("utf-8", errors="replace")
    return parse_html_tree(text, f"{archive.filename} ({name})")
