"""Web page export of editions side by side (``parallel-html``): the editions' headers
and notices, then one row per unit in tables of one column per edition. The page's
parts (stylesheet, headers, footnote links, the document shell) are
``html_export``'s; the PDF writer renders this page too (``render_parallel_page``)."""

from __future__ import annotations

import html

from babel import Locale, UnknownLocaleError

from translator.formats.base import BlockRole
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.html_export import (
    FootnoteLinker,
    document,
    edition_header,
    extra_css,
    language_attributes,
    notice_box,
    stylesheet,
)
from translator.formats.list_marks import ItemMark, parallel_marks
from translator.formats.lists import html_numbering, label_numbering, ol_attributes, preferred
from translator.formats.publication import EditionInfo, ParallelPublication, ParallelRow

__all__ = ["parallel_body", "render_parallel_page", "write_parallel_html"]

_ROWS_PER_TABLE = 40


def parallel_body(publication: ParallelPublication) -> str:
    """The editions' headers and notices, then the rows as tables of one column per
    edition, cut every ``_ROWS_PER_TABLE`` rows or so at a block's start (many small
    tables lay out and paginate fast; one huge table does not)."""
    infos = publication.infos
    notices = [*publication.notices[: len(infos)], *[None] * len(infos)][: len(infos)]
    rows = list(publication.rows)
    titles = [html.escape(info.title, quote=False) for info in infos]
    if rows and rows[0].role is BlockRole.HEADING and rows[0].level == 1:
        titles = [cell or title for cell, title in zip(rows.pop(0).cells, titles, strict=False)]
    headers = "".join(
        f'<div class="edition-meta" {language_attributes(info.language)}>'
        f"{edition_header(info, title)}{notice_box(notice, info.language)}</div>"
        for info, title, notice in zip(infos, titles, notices, strict=True)
    )
    labels = {row.label for row in publication.rows if row.role is BlockRole.FOOTNOTE and row.label}
    linkers = [
        FootnoteLinker(labels, prefix=f"{index}-", language=info.language)
        for index, info in enumerate(infos)
    ]
    tables: list[str] = []
    chunk: list[str] = []
    previous: ParallelRow | None = None
    for row, marks in zip(rows, parallel_marks(rows), strict=True):
        starts_block = previous is None or row.paragraph != previous.paragraph
        after_heading = previous is not None and previous.role is BlockRole.HEADING
        if len(chunk) >= _ROWS_PER_TABLE and starts_block and not after_heading:
            tables.append(_parallel_table(infos, chunk))
            chunk = []
        chunk.append(_parallel_row(row, marks or (), infos, linkers, starts_block))
        previous = row
    if chunk:
        tables.append(_parallel_table(infos, chunk))
    body = "\n".join(tables)
    header = f'<header class="editions columns-{len(infos)}">{headers}</header>'
    return f"{header}\n<main>\n{body}\n</main>"


def _parallel_table(infos: tuple[EditionInfo, ...], rows: list[str]) -> str:
    width = 100 / max(len(infos), 1)
    columns = "".join(f'<col style="width:{width:.2f}%">' for _ in infos)
    names = "".join(
        f'<th scope="col" {language_attributes(info.language)}>'
        f"{html.escape(language_name(info.language))}</th>"
        for info in infos
    )
    body = "\n".join(rows)
    return (
        f'<table class="parallel"><colgroup>{columns}</colgroup>'
        f"<thead><tr>{names}</tr></thead><tbody>\n{body}\n</tbody></table>"
    )


def _parallel_row(
    row: ParallelRow,
    marks: tuple[ItemMark, ...],
    infos: tuple[EditionInfo, ...],
    linkers: list[FootnoteLinker],
    starts_block: bool,
) -> str:
    cells: list[str] = []
    for index, info in enumerate(infos):
        text = row.cells[index] if index < len(row.cells) else ""
        attributes = language_attributes(info.language)
        if not text.strip():
            cells.append(f'<td class="empty" {attributes}></td>')
            continue
        linker = linkers[index]
        if row.role is BlockRole.HEADING:
            level = min(max(row.level or 2, 1), 6)
            content = f"<h{level}>{linker.link(text)}</h{level}>"
        elif row.role is BlockRole.QUOTE:
            content = f"<blockquote><p>{linker.link(text)}</p></blockquote>"
        elif row.role is BlockRole.LIST_ITEM:
            content = _parallel_item(marks[index], linker.link(text))
        elif row.role is BlockRole.FOOTNOTE:
            label = row.label or ""
            attributes += f' id="{linker.note_id(label)}"'
            content = f'<p class="footnote">{linker.note(label, text)}</p>'
        else:
            content = f"<p>{linker.link(text)}</p>"
        cells.append(f"<td {attributes}>{content}</td>")
    kind = f"{row.role.value.replace('_', '-')}{' start' if starts_block else ''}"
    return f'<tr class="{kind}">{"".join(cells)}</tr>'


def _parallel_item(mark: ItemMark, text: str) -> str:
    """A list item alone in its cell (``list_marks``): a bullet, its number as the
    original shows it (``<ol start type>`` when HTML can count it, the label as text
    otherwise), or the rest of an item: a paragraph at the item's indent, unmarked."""
    depth = min(mark.depth, 6)
    if mark.bullet:
        return f'<ul class="depth-{depth}"><li>{text}</li></ul>'
    if not mark.label:
        return f'<p class="list-continue depth-{depth}">{text}</p>'
    numbering = html_numbering(preferred(label_numbering(mark.label)))
    attributes = ol_attributes(numbering, f"depth-{depth}")
    shown = "" if numbering else f'<span class="list-label">{html.escape(mark.label)}</span> '
    return f"<ol{attributes}><li>{shown}{text}</li></ol>"


def language_name(language: str) -> str:
    """The language's name in itself ("français"), or the tag when unknown."""
    try:
        name = Locale.parse(language, sep="-").get_display_name()
    except (ValueError, UnknownLocaleError):
        return language
    return name or language


def render_parallel_page(publication: ParallelPublication, css: str) -> str:
    """Editions side by side as an HTML page with the stylesheet ``css``."""
    title = " / ".join(info.title for info in publication.infos)
    return document(publication.infos, title, css, parallel_body(publication), "parallel")


def write_parallel_html(publication: ParallelPublication, options: ExportOptions) -> bytes:
    """Two or three editions side by side as a standalone HTML5 page (UTF-8)."""
    css = stylesheet("page.css", "parallel.css") + extra_css(options)
    return render_parallel_page(publication, css).encode("utf-8")


register(
    ExportFormat(
        name="parallel-html",
        kind=ExportKind.PARALLEL,
        extension="html",
        media_type="text/html; charset=utf-8",
        write=write_parallel_html,
        label="Web page, editions side by side",
    )
)
