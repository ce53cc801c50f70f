"""The DOCX writers, read back by python-docx and pandoc: Word styles, real footnotes
and hyperlinks, the document language, the notice, and editions side by side."""

from __future__ import annotations

import dataclasses
import zipfile
from collections import Counter
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from lxml import etree

from tests.formats.export_tools import (
    blocks,
    hostile,
    inlines,
    pandoc_json,
    stringify,
    uncalled,
)
from tests.formats.publications import essay, info, noted, udhr, udhr_parallel
from translator.formats.base import BlockRole
from translator.formats.docx_export import write_docx, write_parallel_docx
from translator.formats.exports import ExportOptions, export_format
from translator.formats.publication import Notice, Passage, Publication

OPTIONS = ExportOptions()
FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def read(data: bytes) -> docx.document.Document:
    return docx.Document(BytesIO(data))


def styles(data: bytes) -> Counter[str]:
    return Counter(p.style.name for p in read(data).paragraphs if p.style is not None)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name), SAFE)


def test_the_essay_keeps_its_headings_paragraphs_and_call_text(tmp_path: Path) -> None:
    book = essay()
    data = write_docx(book, OPTIONS)
    counts = styles(data)
    paragraphs = sum(p.role is BlockRole.PARAGRAPH for p in book.passages)
    assert counts["Title"] == 1 and counts["Heading 2"] == 5
    assert counts["Normal"] == paragraphs
    text = "\n".join(p.text for p in read(data).paragraphs if p.style.name == "Normal")
    assert "Catalan.[1]" in text and "POUM.2" in text
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "word/footnotes.xml" not in archive.namelist()  # no note text, no footnote
    ast = pandoc_json(data, "docx", tmp_path)["blocks"]
    assert [b["c"][0] for b in blocks(ast) if b["t"] == "Header"] == [2] * 5
    paras = [b for b in blocks(ast) if b["t"] == "Para"]
    assert len(paras) == paragraphs  # pandoc reads Title and Subtitle as metadata


def test_noted_has_word_styles_and_real_footnotes(tmp_path: Path) -> None:
    data = write_docx(noted(), OPTIONS)
    counts = styles(data)
    assert counts["Title"] == 1 and counts["Heading 2"] == 2 and counts["Quote"] == 1
    assert counts["List Bullet"] == 2 and counts["List Bullet 2"] == 1
    assert counts["Normal"] == 2
    document = read(data)
    related = [r.target_part for r in document.part.rels.values() if r.reltype == FOOTNOTES]
    assert [p.partname for p in related] == ["/word/footnotes.xml"]
    assert related[0].content_type.endswith("wordprocessingml.footnotes+xml")
    notes = part(data, "word/footnotes.xml").findall(qn("w:footnote"))
    assert [n.get(qn("w:id")) for n in notes] == ["-1", "0", "1", "2"]
    assert [n.get(qn("w:type")) for n in notes[:2]] == ["separator", "continuationSeparator"]
    assert "The first footnote" in "".join(notes[2].itertext())
    body = part(data, "word/document.xml")
    references = body.findall(f".//{qn('w:footnoteReference')}")
    assert [r.get(qn("w:id")) for r in references] == ["1", "2"]
    for reference in references:
        style = reference.getparent().find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        assert style is not None and style.get(qn("w:val")) == "FootnoteReference"
    assert "[1]" not in "".join(body.itertext())
    ast = pandoc_json(data, "docx", tmp_path)["blocks"]
    found = [i for i in inlines(ast) if i["t"] == "Note"]
    assert len(found) == 2
    link = next(i for i in found[0]["c"][0]["c"] if i["t"] == "Link")
    assert link["c"][2][0] == "https://example.org/"
    assert sum(b["t"] == "BlockQuote" for b in blocks(ast)) == 1
    assert "It goes on & on with <care>." in " ".join(
        stringify(b["c"]) for b in blocks(ast) if b["t"] == "Para"
    )


def test_a_note_called_twice_and_a_note_never_called() -> None:
    data = write_docx(uncalled(), OPTIONS)
    notes = part(data, "word/footnotes.xml").findall(qn("w:footnote"))
    assert len(notes) == 3  # the separators and the called note, once
    document = read(data)
    assert "And again.[1]" in document.paragraphs[3].text
    assert [p.style.name for p in document.paragraphs[-2:]] == ["Heading 2", "Footnote Text"]
    assert document.paragraphs[-1].text == "lost note. A note nobody calls."


def test_inline_markup_becomes_run_properties_and_hyperlinks() -> None:
    sentence = (
        "<em>it</em> <strong>bold</strong> <code>f(x)</code> H<sub>2</sub>O x<sup>2</sup> "
        'one<br>two <a href="https://example.org/page">a link</a>'
    )
    book = Publication(info("en", "Inline"), (Passage(BlockRole.PARAGRAPH, (sentence,)),))
    paragraph = next(p for p in read(write_docx(book, OPTIONS)).paragraphs if "bold" in p.text)
    runs = {run.text: run for run in paragraph.runs}
    assert runs["it"].italic and runs["bold"].bold
    assert runs["f(x)"].font.name == "Courier New"
    assert runs["2"].font.subscript or runs["2"].font.superscript
    assert [h.address for h in paragraph.hyperlinks] == ["https://example.org/page"]
    assert [h.text for h in paragraph.hyperlinks] == ["a link"]
    assert "one\ntwo" in paragraph.text


def test_language_and_core_properties() -> None:
    data = write_docx(udhr("fr"), OPTIONS)
    document = read(data)
    properties = document.core_properties
    assert properties.title == udhr("fr").info.title
    assert properties.author == "Ada Author" and properties.language == "fr"
    defaults = part(data, "word/styles.xml").find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert defaults is not None and defaults.get(qn("w:val")) == "fr"
    assert styles(data)["Title"] == 1  # the level-1 heading is the title, not repeated
    assert data == write_docx(udhr("fr"), OPTIONS)  # the same input, the same bytes


def test_notice_opens_the_document_in_its_language() -> None:
    book = dataclasses.replace(udhr("pt"), notice=Notice(untranslated=(4, 5), drafts=(8,)))
    document = read(write_docx(book, OPTIONS))
    notice = [p for p in document.paragraphs if p.style.name == "Notice"]
    assert len(notice) == 1
    assert notice[0].text.startswith("Esta edição não está terminada.")
    assert "linhas 4\u20135" in notice[0].text and "linhas 8" in notice[0].text
    lang = notice[0].runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is None or lang.get(qn("w:val")) == "pt"
    assert [p.style.name for p in document.paragraphs[:2]] == ["Title", "Subtitle"]
    assert not any(
        p.style.name == "Notice" for p in read(write_docx(udhr("pt"), OPTIONS)).paragraphs
    )


def test_parallel_docx_is_a_landscape_table(tmp_path: Path) -> None:
    book = udhr_parallel()
    data = write_parallel_docx(book, OPTIONS)
    document = read(data)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    (table,) = document.tables
    assert len(table.columns) == 3 and len(table.rows) == len(book.rows) + 1
    header = table.rows[0]
    assert header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert [c.paragraphs[1].text for c in header.cells] == ["en", "fr", "pt"]
    for row, data_row in zip(table.rows[1:], book.rows, strict=True):
        runs = [run for cell in row.cells for p in cell.paragraphs for run in p.runs]
        if data_row.role is BlockRole.HEADING:
            assert runs and all(run.bold for run in runs)
    article = table.rows[5].cells
    for cell, language in zip(article, ("en", "fr", "pt"), strict=True):
        lang = cell.paragraphs[0].runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        assert lang is not None and lang.get(qn("w:val")) == language
    ast = pandoc_json(data, "docx", tmp_path)["blocks"]
    assert sum(b["t"] == "Table" for b in ast) == 1


def test_hostile_text_gives_a_readable_docx(tmp_path: Path) -> None:
    for language in ("en", "he"):
        data = write_docx(hostile(language), OPTIONS)
        document = read(data)
        text = "\n".join(p.text for p in document.paragraphs)
        assert "<script>alert(2)</script>" in text and "\U0001f600" in text
        assert "\ufeffBOM" in text and "\u200fRTL\u200e" in text and "AT&T" in text
        assert "alert(1)" not in text  # a real script element is dropped, content and all
        targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
        assert "https://ex.org/a%20b%25zz" in targets
        assert not any("javascript" in t or "elsewhere" in t for t in targets)
        bidi = part(data, "word/styles.xml").find(f".//{qn('w:pPrDefault')}//{qn('w:bidi')}")
        assert (bidi is not None) == (language == "he")  # Hebrew paragraphs run right to left
        ast = pandoc_json(data, "docx", tmp_path)["blocks"]
        assert any(b["t"] == "Header" for b in blocks(ast))
        assert len([i for i in inlines(ast) if i["t"] == "Note"]) == 1
    english, french = udhr_parallel(("en", "fr")).infos
    parallel = dataclasses.replace(
        udhr_parallel(("en", "fr")),
        infos=(english, dataclasses.replace(french, language="he")),
        rows=tuple(
            dataclasses.replace(row, cells=(hostile().passages[1].sentences[0],) * 2)
            for row in udhr_parallel(("en", "fr")).rows[:3]
        ),
    )
    table = read(write_parallel_docx(parallel, OPTIONS)).tables[0]
    assert len(table.rows) == 4
    cells = table.rows[1].cells
    bidi = f"{qn('w:pPr')}/{qn('w:bidi')}"
    assert [c.paragraphs[0]._p.find(bidi) is not None for c in cells] == [False, True]


def test_registered_as_docx_and_parallel_docx() -> None:
    single, parallel = export_format("docx"), export_format("parallel-docx")
    assert single.write is write_docx and parallel.write is write_parallel_docx
    assert single.extension == parallel.extension == "docx"
    assert single.media_type.endswith("wordprocessingml.document")
