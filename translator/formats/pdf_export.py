"""PDF export: one edition as a book (``pdf``), editions side by side (``parallel-pdf``).

WeasyPrint renders the web page of ``html_export`` with a print stylesheet
(``styles/book.css``: A5, folios, running title, hyphenation by ``lang``; the parallel
one is landscape A4). Fonts are the system's (DejaVu Serif, Liberation Serif), found by
family name through fontconfig and embedded, subset, in the PDF. Nothing is fetched:
the URL fetcher refuses every URL but ``data:`` ones, so a link in a text, or an extra
stylesheet, can never make the renderer reach the network or read a local file.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.html_export import extra_css, render_page, stylesheet
from translator.formats.html_parallel import render_parallel_page
from translator.formats.publication import ParallelPublication, Publication

__all__ = ["offline_fetcher", "render_pdf", "write_parallel_pdf", "write_pdf"]


@cache
def _offline_fetcher_class() -> Any:
    """The fetcher class, made on first use: WeasyPrint takes a second to import, and
    the registry loads this module for every export, web page and Markdown too."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                self.refused.append(url)
                raise ValueError(f"export refuses to fetch {url!r}")
            return super().fetch(url, headers)

    return OfflineFetcher


def offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses everything else;
    the refused URLs are kept in its ``refused`` list (tests check nothing was asked)."""
    return _offline_fetcher_class()()


def render_pdf(page: str, fetcher: Any = None) -> bytes:
    """An HTML page as PDF bytes, fetching nothing (``data:`` URLs aside)."""
    from weasyprint import HTML

    document = HTML(string=page, base_url=None, url_fetcher=fetcher or offline_fetcher())
    # the hints make WeasyPrint honour <ol start> and <li value>: numbered lists that
    # start at 3 (the list types are classes, see page.css)
    pdf: bytes = document.write_pdf(presentational_hints=True)
    return pdf


def write_pdf(publication: Publication, options: ExportOptions) -> bytes:
    """One edition as a PDF book (A5)."""
    css = stylesheet("page.css", "book.css") + extra_css(options)
    return render_pdf(render_page(publication, css))


def write_parallel_pdf(publication: ParallelPublication, options: ExportOptions) -> bytes:
    """Two or three editions side by side as a landscape PDF."""
    css = stylesheet("page.css", "parallel.css", "book.css", "parallel-book.css")
    return render_pdf(render_parallel_page(publication, css + extra_css(options)))


register(
    ExportFormat(
        name="pdf",
        kind=ExportKind.EDITION,
        extension="pdf",
        media_type="application/pdf",
        write=write_pdf,
        label="PDF book",
    )
)
register(
    ExportFormat(
        name="parallel-pdf",
        kind=ExportKind.PARALLEL,
        extension="pdf",
        media_type="application/pdf",
        write=write_parallel_pdf,
        label="PDF, editions side by side",
    )
)
