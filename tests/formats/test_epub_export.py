"""The EPUB 3 writer, checked by EPUBCheck (no error, no warning) and read back by pandoc
and lxml: headings, paragraphs and footnotes survive; hostile text stays text."""

from __future__ import annotations

import dataclasses
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from tests.formats.export_tools import (
    EPUB_TYPE,
    XHTML,
    blocks,
    epubcheck_all,
    hostile,
    inlines,
    pandoc_json,
    stringify,
    uncalled,
    xhtml_documents,
)
from tests.formats.publications import essay, info, noted, udhr
from translator.formats.base import BlockRole
from translator.formats.epub_export import write_epub
from translator.formats.epub_inline import inline_tokens, plain_text
from translator.formats.exports import ExportOptions, export_format
from translator.formats.publication import Notice, Passage, Person, Publication

OPTIONS = ExportOptions()
NOTICE = Notice(untranslated=(1, 2, 3, 7), drafts=(9,), outdated=(12,))


def bare() -> Publication:
    """No passage, no title, no identifier, no date, a person without a name."""
    metadata = dataclasses.replace(
        info("en", ""), identifier="", modified="", date=None, people=(Person(" ", "aut"),)
    )
    return Publication(metadata, ())


BOOKS = {
    "essay": essay,
    "noted": noted,
    "udhr-fr": lambda: udhr("fr"),
    "essay-notice": lambda: essay(NOTICE),
    "hostile": hostile,
    "hostile-rtl": lambda: hostile("he"),
    "bare": bare,
    "uncalled": uncalled,
}


@pytest.fixture(scope="module")
def epubcheck_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    books = {name: write_epub(build(), OPTIONS) for name, build in BOOKS.items()}
    return epubcheck_all(books, tmp_path_factory.mktemp("epubcheck"))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BOOKS))
def test_epubcheck_reports_nothing(name: str, epubcheck_reports: dict[str, list[str]]) -> None:
    assert epubcheck_reports[name] == []


def test_the_essay_keeps_its_headings_paragraphs_and_call_text(tmp_path: Path) -> None:
    book = essay()
    ast = pandoc_json(write_epub(book, OPTIONS), "epub", tmp_path)["blocks"]
    headers = [b for b in blocks(ast) if b["t"] == "Header"]
    assert [h["c"][0] for h in headers] == [2] * 5
    expected = [p.sentences[0] for p in book.passages if p.role is BlockRole.HEADING]
    assert [stringify(h["c"][2]) for h in headers] == expected
    paragraphs = [b for b in blocks(ast) if b["t"] == "Para" and stringify(b["c"]).strip()]
    assert len(paragraphs) == sum(p.role is BlockRole.PARAGRAPH for p in book.passages)
    text = " ".join(stringify(p["c"]) for p in paragraphs)
    assert "Catalan.[1]" in text
    assert "POUM.2" in text  # no note text: the calls stay as written
    assert not any(i["t"] == "Note" for i in inlines(ast))


def test_noted_footnotes_are_epub_notes(tmp_path: Path) -> None:
    data = write_epub(noted(), OPTIONS)
    ast = pandoc_json(data, "epub", tmp_path)["blocks"]
    notes = [i for i in inlines(ast) if i["t"] == "Note"]
    assert len(notes) == 2
    assert "The first footnote" in stringify(notes[0]["c"][0]["c"])
    assert [h["c"][0] for h in blocks(ast) if h["t"] == "Header"] == [1, 2, 2]
    assert sum(b["t"] == "BlockQuote" for b in blocks(ast)) == 1
    assert sum(b["t"] == "BulletList" for b in blocks(ast)) == 2  # one nested
    documents = xhtml_documents(data)
    refs = [a for doc in documents.values() for a in doc.iter(f"{XHTML}a")]
    noterefs = [a for a in refs if a.get(EPUB_TYPE) == "noteref"]
    asides = [a for doc in documents.values() for a in doc.iter(f"{XHTML}aside")]
    assert [a.get(EPUB_TYPE) for a in asides] == ["footnote", "footnote"]
    assert [a.get("href") for a in noterefs] == ["#fn-1", "#fn-note"]
    assert [a.get("id") for a in asides] == ["fn-1", "fn-note"]
    escaped = "".join(documents["EPUB/s0001.xhtml"].itertext())
    assert "It goes on & on with <care>." in escaped


def test_a_note_called_twice_and_a_note_never_called() -> None:
    documents = xhtml_documents(write_epub(uncalled(), OPTIONS))
    refs = [a for a in documents["EPUB/s0001.xhtml"].iter(f"{XHTML}a") if a.get(EPUB_TYPE)]
    assert [(a.get("id"), a.get("href")) for a in refs] == [
        ("fnref-1", "#fn-1"),
        ("fnref-1-2", "#fn-1"),
    ]
    notes = documents["EPUB/notes.xhtml"]
    (aside,) = notes.iter(f"{XHTML}aside")
    assert aside.get("id") == "fn-lost_note"
    assert " ".join("".join(aside.itertext()).split()) == "lost note. A note nobody calls."
    nav = documents["EPUB/nav.xhtml"]
    assert "notes.xhtml#notes" in [a.get("href") for a in nav.iter(f"{XHTML}a")]


def test_nav_lists_every_heading_nested_by_level() -> None:
    book = udhr("fr")
    nav = xhtml_documents(write_epub(book, OPTIONS))["EPUB/nav.xhtml"]
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    titles = [" ".join("".join(a.itertext()).split()) for a in toc.iter(f"{XHTML}a")]
    headings = [p for p in book.passages if p.role is BlockRole.HEADING]
    assert titles == [plain_text(inline_tokens(" ".join(h.sentences))) for h in headings]
    top = toc.find(f"{XHTML}ol")
    assert top is not None and len(top) == 1  # the title, with every article under it
    assert len(top[0].findall(f"{XHTML}ol/{XHTML}li")) == len(headings) - 1


def test_nav_nests_skipped_levels() -> None:
    passages = tuple(
        Passage(BlockRole.HEADING, (f"H{n} level {level}",), level=level)
        for n, level in enumerate([1, 3, 2, 1, 2], start=1)
    )
    book = Publication(info("en", "Levels"), passages)
    nav = xhtml_documents(write_epub(book, OPTIONS))["EPUB/nav.xhtml"]
    top = nav.find(f".//{XHTML}nav/{XHTML}ol")
    assert top is not None
    assert [li[0].text for li in top] == ["H1 level 1", "H4 level 1"]
    assert [li[0].text for li in top[0].find(f"{XHTML}ol")] == ["H2 level 3", "H3 level 2"]
    assert [li[0].text for li in top[1].find(f"{XHTML}ol")] == ["H5 level 2"]


def test_package_metadata_and_zip_layout() -> None:
    data = write_epub(noted(), OPTIONS)
    assert data == write_epub(noted(), OPTIONS)  # the same input, the same bytes
    with zipfile.ZipFile(BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {entry.date_time for entry in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        opf = archive.read("EPUB/content.opf").decode()
    assert '<dc:identifier id="pub-id">urn:uuid:' in opf
    assert '<meta property="dcterms:modified">2026-12-03T10:00:00Z</meta>' in opf
    assert "<dc:language>en</dc:language>" in opf
    assert '<dc:creator id="person-1">Ada Author</dc:creator>' in opf
    assert '<meta refines="#person-2" property="role" scheme="marc:relators">trl</meta>' in opf


def test_notice_opens_the_book_in_its_language() -> None:
    book = dataclasses.replace(udhr("pt"), notice=NOTICE)
    title = xhtml_documents(write_epub(book, OPTIONS))["EPUB/title.xhtml"]
    assert title.get("lang") == "pt"
    section = next(s for s in title.iter(f"{XHTML}section") if s.get("role") == "doc-notice")
    text = " ".join("".join(section.itertext()).split())
    assert text.startswith("Esta edição não está terminada.")
    assert "linhas 1\u20133, 7" in text and "linhas 9" in text and "linhas 12" in text
    plain = xhtml_documents(write_epub(udhr("pt"), OPTIONS))["EPUB/title.xhtml"]
    assert not any(s.get("role") == "doc-notice" for s in plain.iter(f"{XHTML}section"))


def test_hostile_text_stays_text() -> None:
    data = write_epub(hostile(), OPTIONS)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sources = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith("html")}
    for source in sources.values():
        assert "<script" not in source and "<img" not in source and "<b>" not in source
        assert "javascript:" not in source and "&nbsp;" not in source and "\x01" not in source
    documents = xhtml_documents(data)  # well-formed XML, every one
    links = [a.get("href") for d in documents.values() for a in d.iter(f"{XHTML}a")]
    assert "https://ex.org/a%20b%25zz" in links
    assert not any(href and "elsewhere" in href for href in links)
    text = "".join(documents["EPUB/s0001.xhtml"].itertext())
    assert "<script>alert(2)</script>" in text and "\U0001f600" in text and "é" in text
    assert "\ufeffBOM" in text and "\u200fRTL\u200e" in text and "AT&T" in text


def test_a_long_book_is_cut_into_small_files() -> None:
    sentence = "A sentence of the long book, long enough to weigh its forty-odd bytes."
    passages = tuple(Passage(BlockRole.PARAGRAPH, (sentence,) * 10) for _ in range(3000))
    book = Publication(info("en", "Long"), passages)
    with zipfile.ZipFile(BytesIO(write_epub(book, OPTIONS))) as archive:
        chapters = [e for e in archive.infolist() if e.filename.startswith("EPUB/s0")]
    assert len(chapters) > 10
    assert max(entry.file_size for entry in chapters) < 200_000


def test_registered_as_epub() -> None:
    fmt = export_format("epub")
    assert (fmt.extension, fmt.media_type, fmt.write) == (
        "epub",
        "application/epub+zip",
        write_epub,
    )
