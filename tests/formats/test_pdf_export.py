"""The PDF writers read back with poppler-utils (pdftotext, pdffonts, pdfinfo): every
heading's text is there, the page count is plausible, fonts are embedded, and the
renderer never fetches a URL."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.formats.publications import essay, info, noted, udhr, udhr_parallel
from translator.formats.base import BlockRole
from translator.formats.exports import ExportOptions
from translator.formats.html_export import render_page, stylesheet
from translator.formats.pdf_export import (
    offline_fetcher,
    render_pdf,
    write_parallel_pdf,
    write_pdf,
)
from translator.formats.publication import Notice, Passage, Publication

OPTIONS = ExportOptions()


@pytest.fixture(scope="module")
def poppler() -> None:
    """Skip without poppler-utils (fail under CI=true: CI installs it)."""
    if not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed")
        pytest.skip("poppler-utils is not installed")


def _run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def words(text: str) -> str:
    """Text with hyphenation at line ends undone and whitespace collapsed."""
    text = re.sub(r"(\w)[-\u2010]\n(\w)", r"\1\2", text)
    return " ".join(text.split())


def plain(inline_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", inline_html)).split())


def pages(pdf: bytes, tmp_path: Path) -> tuple[int, float, float]:
    out = _run("pdfinfo", pdf, tmp_path)
    count = int(re.search(r"^Pages:\s+(\d+)", out, re.M)[1])  # type: ignore[index]
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", out, re.M).groups()  # type: ignore[union-attr]
    return count, float(width), float(height)


def assert_fonts_embedded(pdf: bytes, tmp_path: Path) -> list[str]:
    lines = _run("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert lines, "no font in the PDF"
    for line in lines:
        # name type encoding emb sub uni object ID: emb is the fourth column from the end
        columns = line.split()
        assert columns[-5] == "yes", f"font not embedded: {line}"
    return [line.split()[0] for line in lines]


@pytest.mark.usefixtures("poppler")
def test_essay_pdf_has_every_heading_and_embedded_fonts(tmp_path: Path) -> None:
    publication = essay(Notice(untranslated=(3, 4)))
    pdf = write_pdf(publication, OPTIONS)
    assert pdf.startswith(b"%PDF-")
    text = words(_run("pdftotext", pdf, tmp_path, "-enc", "UTF-8"))
    for passage in publication.passages:
        if passage.role is BlockRole.HEADING:
            assert plain(" ".join(passage.sentences)) in text
    assert "The Bolshevik Counterrevolution" in text and "This edition is not finished." in text
    count, width, height = pages(pdf, tmp_path)
    assert 15 <= count <= 60  # about 9,000 words on A5
    assert round(width) == 420 and round(height) == 595  # A5 portrait, in points
    fonts = assert_fonts_embedded(pdf, tmp_path)
    assert any("DejaVu-Serif" in font or "Liberation" in font for font in fonts)
    assert "POUM.2" in text


@pytest.mark.usefixtures("poppler")
def test_noted_pdf_keeps_notes_and_running_title(tmp_path: Path) -> None:
    pdf = write_pdf(noted(), OPTIONS)
    text = words(_run("pdftotext", pdf, tmp_path, "-enc", "UTF-8"))
    for heading in ("A Noted Essay", "First part", "Second part", "Notes"):
        assert heading in text
    assert "The first footnote, with a link." in text and "The second footnote." in text
    assert "It goes on & on with <care>." in text
    count, _, _ = pages(pdf, tmp_path)
    assert count == 2  # the endnotes start a page
    metadata = _run("pdfinfo", pdf, tmp_path)
    assert re.search(r"^Title:\s+A Noted Essay$", metadata, re.M)
    assert re.search(r"^Author:\s+Ada Author$", metadata, re.M)
    second_page = _run("pdftotext", pdf, tmp_path, "-f", "2", "-l", "2")
    assert second_page.lstrip().startswith("A Noted Essay")  # the running header
    assert re.search(r"^\s*2\s*$", second_page, re.M)  # the folio


@pytest.mark.usefixtures("poppler")
def test_udhr_french_pdf(tmp_path: Path) -> None:
    publication = udhr("fr")
    pdf = write_pdf(publication, OPTIONS)
    text = words(_run("pdftotext", pdf, tmp_path, "-enc", "UTF-8"))
    for passage in publication.passages:
        if passage.role is BlockRole.HEADING:
            assert plain(" ".join(passage.sentences)) in text
    count, _, _ = pages(pdf, tmp_path)
    assert 5 <= count <= 20
    assert_fonts_embedded(pdf, tmp_path)
    # hyphenated by the French patterns: words cut at line ends that the source has whole
    raw = _run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    source = {w for p in publication.passages for s in p.sentences for w in plain(s).split()}
    cuts = re.findall(r"(\w+)[-\u2010]\n(\w+)", raw)
    assert sum(1 for head, tail in cuts if any(head + tail in w for w in source)) >= 5


@pytest.mark.usefixtures("poppler")
def test_parallel_pdf_is_landscape_with_every_edition(tmp_path: Path) -> None:
    parallel = udhr_parallel()
    pdf = write_parallel_pdf(parallel, OPTIONS)
    count, width, height = pages(pdf, tmp_path)
    assert width > height and 4 <= count <= 40
    text = words(_run("pdftotext", pdf, tmp_path, "-enc", "UTF-8"))
    last_heading = [row for row in parallel.rows if row.role is BlockRole.HEADING][-1]
    for cell in last_heading.cells:
        assert plain(cell) in text
    for name in ("English", "français", "português"):
        assert name in text
    assert_fonts_embedded(pdf, tmp_path)
    headings = {plain(row.cells[0]) for row in parallel.rows if row.role is BlockRole.HEADING}
    for page in range(1, count + 1):  # no page ends on a heading row
        lines = _run("pdftotext", pdf, tmp_path, "-layout", "-f", str(page), "-l", str(page))
        last = [line for line in lines.splitlines() if line.strip() and not line.strip().isdigit()]
        assert last and not any(last[-1].strip().startswith(h) for h in headings), page


def test_the_renderer_fetches_nothing() -> None:
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<style>@import url("file:///etc/hostname");'
        " body { background: url(https://example.org/x.png) }"
        "</style></head><body><p>Text</p>"
        '<img src="file:///usr/share/pixmaps/debian-logo.png">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=">'
        "</body></html>"
    )
    fetcher = offline_fetcher()
    pdf = render_pdf(page, fetcher)
    assert pdf.startswith(b"%PDF-")
    assert sorted(fetcher.refused) == sorted(
        [
            "http://127.0.0.1:9/x.css",
            "file:///etc/hostname",
            "https://example.org/x.png",
            "file:///usr/share/pixmaps/debian-logo.png",
        ]
    )


def test_an_exported_book_asks_for_no_url() -> None:
    passages = (
        Passage(BlockRole.PARAGRAPH, ('A <a href="http://127.0.0.1:9/">link</a>.',)),
        Passage(BlockRole.PARAGRAPH, ('<img src="http://127.0.0.1:9/x.png">',)),
    )
    publication = Publication(info("en", "Links"), passages)
    fetcher = offline_fetcher()
    render_pdf(render_page(publication, stylesheet("page.css", "book.css")), fetcher)
    assert fetcher.refused == []
    assert write_pdf(publication, OPTIONS).startswith(b"%PDF-")


def test_the_registry_loads_without_weasyprint() -> None:
    """Exporting a web page must not pay WeasyPrint's import (about a second)."""
    code = (
        "import sys; from translator.formats.exports import export_format; "
        "export_format('pdf'); assert 'weasyprint' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
