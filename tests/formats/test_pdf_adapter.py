"""PDF files: pdftotext in a subprocess, then the pdftext reflow; errors name the file."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest

from tests.formats.pdf_samples import book_html, render_pdf
from translator.errors import InputError
from translator.formats import ADAPTERS, detect_format, parse
from translator.formats import pdf as pdf_adapter
from translator.formats.base import BlockRole

FILES = Path(__file__).parent / "files"
PARAGRAPHS = [
    "The first paragraph of the booklet says what the booklet is for. It is long enough "
    "to be wrapped over several lines of the page, as printed prose always is.",
    "A second paragraph follows it, with a definition of terms and a reflection on the "
    "office of the translator, whose task is never finished.",
]


pytestmark = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="module")
def booklet() -> bytes:
    """Four A5 pages: a running head, a printer's slug and a page number on each."""
    return render_pdf(book_html("A Booklet", ["# On Translation", *PARAGRAPHS * 10]))


def texts(data: bytes, filename: str = "booklet.pdf") -> list[str]:
    return [html.unescape(block.text) for block in parse(data, filename).blocks]


def test_a_pdf_is_registered_and_detected_by_its_magic_whatever_its_name(booklet: bytes) -> None:
    assert "pdf" in ADAPTERS
    assert detect_format(booklet, "booklet.pdf") == "pdf"
    assert detect_format(booklet, "upload.bin") == "pdf"
    assert detect_format(b"\n  " + booklet, "upload") == "pdf"
    assert detect_format(b"This text explains the %PDF- header.\n", "notes.txt") == "text"


def test_a_pdf_file_imports_as_paragraphs_without_its_page_furniture(booklet: bytes) -> None:
    result = parse(booklet, "booklet.pdf")
    assert result.format == "pdf"
    assert result.blocks[0].role is BlockRole.HEADING and result.blocks[0].level == 2
    found = [html.unescape(block.text) for block in result.blocks[1:]]
    assert html.unescape(result.blocks[0].text) == "On Translation"
    assert found[0] == PARAGRAPHS[0]
    # A paragraph whose last line is full and ends a page may run on into the next one.
    assert found.count(PARAGRAPHS[0]) >= 8 and found.count(PARAGRAPHS[1]) >= 8
    assert " ".join(found) == " ".join(PARAGRAPHS * 10)
    joined = "\n".join(found)
    assert "book_proof.indd" not in joined  # the printer's slug
    assert "A Booklet" not in joined  # the running head (and the title it repeats)
    assert not any(text.strip().isdigit() for text in found)  # page numbers
    assert all(block.role is not BlockRole.FOOTNOTE for block in result.blocks)


def test_pages_reach_the_reflow_as_form_feeds(booklet: bytes) -> None:
    pages = "".join(f'<p style="break-after: page">{text}</p>' for text in PARAGRAPHS)
    two_pages = render_pdf(f"<html><body>{pages}</body></html>")
    assert pdf_adapter.extract_text(two_pages, "two.pdf").count("\f") >= 1
    assert pdf_adapter.extract_text(booklet, "booklet.pdf").endswith("\f")


def test_a_file_named_pdf_that_is_not_one_is_refused_naming_it() -> None:
    with pytest.raises(InputError) as caught:
        parse(b"Just some text.\n", "report.pdf")
    assert caught.value.file == "report.pdf"
    assert "not a PDF" in caught.value.message


def test_the_pdf_format_refuses_other_bytes() -> None:
    with pytest.raises(InputError) as caught:
        parse(b"PK\x03\x04 a zip", "report.docx", format="pdf")
    assert caught.value.file == "report.docx"
    assert "%PDF-" in caught.value.message


def test_a_damaged_pdf_is_refused_naming_it() -> None:
    with pytest.raises(InputError) as caught:
        parse(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\ngarbage\n", "broken.pdf")
    assert caught.value.file == "broken.pdf"
    assert "damaged" in caught.value.message


def test_a_truncated_pdf_is_refused(booklet: bytes) -> None:
    with pytest.raises(InputError) as caught:
        parse(booklet[: len(booklet) // 3], "cut.pdf")
    assert caught.value.file == "cut.pdf"


def test_an_encrypted_pdf_is_refused_naming_it() -> None:
    with pytest.raises(InputError) as caught:
        parse((FILES / "encrypted.pdf").read_bytes(), "secret.pdf")
    assert caught.value.file == "secret.pdf"
    assert "encrypted" in caught.value.message


def test_a_pdf_without_a_text_layer_asks_for_ocr() -> None:
    blank = render_pdf('<html><body><div style="height: 5cm"></div></body></html>')
    with pytest.raises(InputError) as caught:
        parse(blank, "scan.pdf")
    assert caught.value.file == "scan.pdf"
    assert "OCR" in caught.value.message


@pytest.mark.parametrize("with_prlimit", [True, False])
def test_too_much_text_is_refused(
    booklet: bytes, monkeypatch: pytest.MonkeyPatch, with_prlimit: bool
) -> None:
    """The output limit holds with prlimit and with the setrlimit fallback alike."""
    monkeypatch.setattr(pdf_adapter, "MAX_TEXT_BYTES", 100)
    if not with_prlimit:
        which = shutil.which
        monkeypatch.setattr(
            pdf_adapter.shutil, "which", lambda name: None if name == "prlimit" else which(name)
        )
    with pytest.raises(InputError) as caught:
        parse(booklet, "big.pdf")
    assert "over" in caught.value.message and caught.value.file == "big.pdf"


def test_without_pdftotext_the_error_says_what_to_install(
    booklet: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_adapter.shutil, "which", lambda _name: None)
    with pytest.raises(InputError) as caught:
        parse(booklet, "booklet.pdf")
    assert "poppler-utils" in caught.value.message and caught.value.file == "booklet.pdf"


def test_a_hung_reader_is_stopped_at_the_time_limit(
    booklet: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slow = tmp_path / "pdftotext"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(pdf_adapter.shutil, "which", lambda _name: str(slow))
    monkeypatch.setattr(pdf_adapter, "TIMEOUT_SECONDS", 0.5)
    with pytest.raises(InputError) as caught:
        parse(booklet, "slow.pdf")
    assert "took over 0.5 s" in caught.value.message
