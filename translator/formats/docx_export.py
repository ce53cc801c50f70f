"""DOCX export with python-docx: one edition (``docx``) or editions side by side
(``parallel-docx``).

One edition uses Word's own styles, so that the file is a real Word document a reader
can restyle: Title, Heading 1-6 by level, Quote, List Bullet / 2 / 3 by depth, numbered
lists with Word's numbering in their labels' style (``docx_lists``), Normal;
inline markup becomes run properties and real hyperlinks; footnotes are real Word
footnotes (``docx_parts.Footnotes``) at their first call, other calls and calls with no
note stay text. The document language is the edition's; the notice of an unfinished
edition opens the document in the Notice style, in English.

Editions side by side: a landscape page, one table with a column per edition (its
header row of titles and languages repeats on each page), one row per unit, heading
rows bold; each cell's runs carry its edition's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm

from translator.formats.base import BlockRole
from translator.formats.docx_lists import ListParagraph, WordNumbering, list_paragraphs
from translator.formats.docx_parts import (
    Footnotes,
    RunWriter,
    add_styles,
    deterministic_zip,
    set_document_language,
    set_right_to_left,
)
from translator.formats.epub_inline import (
    Call,
    Text,
    Token,
    inline_tokens,
    is_rtl,
    notice_sentences,
    people_lines,
    xml_safe,
)
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.list_marks import parallel_marks
from translator.formats.lists import list_run, list_tree
from translator.formats.publication import (
    EditionInfo,
    Notice,
    ParallelPublication,
    Passage,
    Publication,
)
from translator.formats.wording import wording

__all__ = ["write_docx", "write_parallel_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def write_docx(publication: Publication, options: ExportOptions) -> bytes:
    """The DOCX of one edition (``options`` has nothing for DOCX)."""
    info = publication.info
    document = docx.Document()
    add_styles(document)
    _core_properties(document, [info])
    set_document_language(document, info.language)
    body = [p for p in publication.passages if p.role is not BlockRole.FOOTNOTE]
    notes: dict[str, Passage] = {}
    for passage in publication.passages:
        if passage.role is BlockRole.FOOTNOTE and passage.label:
            notes.setdefault(passage.label, passage)
    first = body[0] if body else None
    titled = first is not None and first.role is BlockRole.HEADING and first.level == 1
    if not titled:
        document.add_paragraph(_plain(info.title or info.document_title), style="Title")
        _front_matter(document, info, publication.notice)
    footnotes = Footnotes(document)
    used: set[str] = set()

    def on_call(call: Call) -> BaseOxmlElement | None:
        if call.label in used:
            return None
        used.add(call.label)
        return footnotes.add(_tokens(notes[call.label], frozenset()))

    writer = RunWriter(document.part, on_call=on_call)
    labels = frozenset(notes)
    style_ids: dict[str, str] = {}  # python-docx looks a style up by name in O(styles)
    numbering = WordNumbering(document)
    items: Iterator[ListParagraph] = iter(())  # how the current run's list items are written
    for index, passage in enumerate(body):
        tokens = _tokens(passage, labels)
        number: ListParagraph | None = None
        if passage.role is BlockRole.LIST_ITEM:
            if index == 0 or body[index - 1].role is not BlockRole.LIST_ITEM:
                items = iter(list_paragraphs(list_tree(list_run(body, index)), numbering))
            number = next(items)
            style = number.style
            tokens = [Text(f"{number.label} "), *tokens] if number.label else tokens
        else:
            style = _style(passage, title=titled and index == 0)
        if style not in style_ids:
            style_ids[style] = document.styles[style].style_id
        element = document.add_paragraph()._p
        if style != "Normal":
            element.get_or_add_pPr().style = style_ids[style]
        if number is not None and number.num_id is not None:
            numbered = element.get_or_add_pPr().get_or_add_numPr()
            numbered.get_or_add_ilvl().val = number.ilvl
            numbered.get_or_add_numId().val = number.num_id
        writer.write(element, tokens)
        if index == 0 and titled:
            _front_matter(document, info, publication.notice)
    unused = [note for label, note in notes.items() if label not in used]
    if unused:
        document.add_paragraph(wording(info.language).notes, style="Heading 2")
        for note in unused:
            paragraph = document.add_paragraph(f"{_plain(note.label or '')}. ", "Footnote Text")
            writer.write(paragraph._p, _tokens(note, frozenset()))
    return _save(document)


def write_parallel_docx(publication: ParallelPublication, options: ExportOptions) -> bytes:
    """The DOCX of editions side by side: a landscape table, a column per edition."""
    infos = publication.infos
    document = docx.Document()
    add_styles(document)
    _core_properties(document, list(infos))
    if infos:
        set_document_language(document, infos[0].language)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    titles = [_plain(info.title or info.document_title) for info in infos]
    document.add_paragraph(" / ".join(dict.fromkeys(titles)), style="Title")
    for info, notice in zip(infos, publication.notices, strict=False):
        if notice is not None:
            _notice(document, notice, info.language, prefix=f"{info.language}: ")
    columns = max(1, len(infos))
    table = document.add_table(rows=1, cols=columns)
    table.style = document.styles["Table Grid"]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    header = table.rows[0]
    _repeat_as_header(header._tr)
    writers = [RunWriter(document.part, language=info.language) for info in infos]
    for cell, info, title, writer in zip(header.cells, infos, titles, writers, strict=False):
        cell.width = width // columns
        writer.write(cell.paragraphs[0]._p, [Text(title)], bold=True)
        writer.write(cell.add_paragraph()._p, [Text(info.language)])
    for row, marks in zip(publication.rows, parallel_marks(publication.rows), strict=True):
        cells = table.add_row().cells
        for column, (cell, text, writer) in enumerate(zip(cells, row.cells, writers, strict=False)):
            cell.width = width // columns
            paragraph = cell.paragraphs[0]
            if writer.language and is_rtl(writer.language):
                set_right_to_left(paragraph._p.get_or_add_pPr())
            tokens = inline_tokens(text)
            if marks is not None:  # a list item: its label, a bullet, or neither (list_marks)
                mark = marks[column]
                paragraph.paragraph_format.left_indent = Cm(0.6 * mark.depth)
                shown = "\u2022" if mark.bullet else mark.label
                tokens = [Text(f"{shown} "), *tokens] if shown and text.strip() else tokens
            elif row.role is BlockRole.FOOTNOTE and row.label and text.strip():
                tokens = [Text(f"{row.label}. "), *tokens]
                paragraph.style = document.styles["Footnote Text"]
            elif row.role is BlockRole.QUOTE:
                paragraph.paragraph_format.left_indent = Cm(0.6)
            writer.write(paragraph._p, tokens, bold=row.role is BlockRole.HEADING)
    return _save(document)


def _tokens(passage: Passage, labels: frozenset[str]) -> list[Token]:
    return inline_tokens(" ".join(passage.sentences), labels)


def _style(passage: Passage, title: bool) -> str:
    if passage.role is BlockRole.HEADING:
        return "Title" if title else f"Heading {max(1, min(passage.level or 2, 6))}"
    if passage.role is BlockRole.QUOTE:
        return "Quote"
    return "Normal"


def _plain(text: str) -> str:
    return " ".join(xml_safe(text).split())


def _front_matter(document: Document, info: EditionInfo, notice: Notice | None) -> None:
    people = people_lines(info.people, info.language)
    if people:
        document.add_paragraph(_plain(" \u00b7 ".join(people)), style="Subtitle")
    if info.credits.strip():
        document.add_paragraph(_plain(info.credits), style="Subtitle")
    if notice is not None:
        _notice(document, notice, info.language)


def _notice(document: Document, notice: Notice, language: str, prefix: str = "") -> None:
    paragraph = document.add_paragraph(style="Notice")
    writer = RunWriter(document.part, language=language)
    writer.write(paragraph._p, [Text(prefix + " ".join(notice_sentences(notice, language)))])


def _core_properties(document: Document, infos: list[EditionInfo]) -> None:
    properties = document.core_properties
    titles = dict.fromkeys(_plain(i.title or i.document_title) for i in infos)
    properties.title = " / ".join(titles)[:255]
    authors = dict.fromkeys(p.name for i in infos for p in i.people if p.role == "aut")
    properties.author = _plain("; ".join(authors))[:255]
    properties.language = ", ".join(dict.fromkeys(i.language for i in infos))
    properties.comments = _plain(" ".join(i.credits for i in infos))[:255]
    properties.identifier = infos[0].identifier if infos else ""
    properties.last_modified_by = ""
    properties.revision = 1
    moment = _moment(infos[0]) if infos else None
    if moment is not None:
        properties.created = properties.modified = moment


def _moment(info: EditionInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(info.modified.strip())
    except ValueError:
        return _date_moment(info.date)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _date_moment(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def _repeat_as_header(row: BaseOxmlElement) -> None:
    properties = row.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def _save(document: Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


register(
    ExportFormat(
        name="docx",
        kind=ExportKind.EDITION,
        extension="docx",
        media_type=MEDIA_TYPE,
        write=write_docx,
        label="Word (DOCX)",
    )
)
register(
    ExportFormat(
        name="parallel-docx",
        kind=ExportKind.PARALLEL,
        extension="docx",
        media_type=MEDIA_TYPE,
        write=write_parallel_docx,
        label="Word (DOCX), editions side by side",
    )
)
