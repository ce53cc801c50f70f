"""Realistic PDFs built with WeasyPrint for the PDF-import tests and bench/pdf_import_bench.py.

Each builder renders HTML + CSS the way printed books and papers are laid out: a running
head and a printer's slug on every page (``@page`` margin boxes), page numbers, two
columns (``column-count: 2``), a serif font with its ligatures on (DejaVu Serif through
fontconfig: "ﬁ", "ﬂ", "ﬀ" glyphs), a table of contents with dot leaders and a
back-of-book index. The texts are the corpus's public-domain works
(../shared/corpus/pd-essays-paragraph-aligned) or short paragraphs written here.
Nothing is downloaded: WeasyPrint and the fonts are on the machine (see .ci/run).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_TAG = re.compile(r"<(?!delimiter>)[^>]+>")

STYLE = """
@page {
  size: A5; margin: 22mm 16mm 20mm 16mm;
  @top-center { content: "%(running_head)s"; font: 8pt "DejaVu Serif"; }
  @bottom-center { content: counter(page); font: 9pt "DejaVu Serif"; }
  @bottom-left { content: "%(slug)s"; font: 6pt "DejaVu Sans"; }
}
body { font: 10pt/1.35 "DejaVu Serif"; font-variant-ligatures: common-ligatures;
       text-align: justify; hyphens: manual; }
h1 { font-size: 15pt; text-align: left; }
h2 { font-size: 12pt; text-align: left; page-break-after: avoid; }
p { margin: 0; text-indent: 1.2em; }
h1 + p, h2 + p { text-indent: 0; }
.columns { column-count: 2; column-gap: 7mm; }
.toc p, .index p { text-indent: 0; text-align: left; }
.toc .page::before { content: leader(". "); }
.index { column-count: 2; font-size: 8.5pt; }
.index p { padding-left: 1em; text-indent: -1em; }
"""


def corpus_paragraphs(path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(headings, paragraphs in order with headings marked "# ...") of a corpus file."""
    items: list[str] = []
    headings: list[str] = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("<h1>") or line.startswith("<h2>"):
            heading = _TAG.sub("", line).strip()
            headings.append(heading)
            items.append("# " + heading)
            continue
        for part in line.split("<delimiter>"):
            text = _TAG.sub("", part).strip()
            if text:
                items.append(text)
        if limit and len(items) >= limit:
            break
    return headings, items


def book_html(
    title: str,
    items: list[str],
    *,
    slug: str = "book_proof.indd   12/03/2024   14:27",
    columns: bool = False,
    toc: bool = False,
    index_terms: list[str] | None = None,
    lang: str = "en",
) -> str:
    """A book: title, optional table of contents (dot leaders), the text (one or two
    columns), an optional back-of-book index of ``index_terms``."""
    style = STYLE % {"running_head": title.replace('"', ""), "slug": slug}
    body = [f"<h1>{html.escape(title)}</h1>"]
    headings = [item[2:] for item in items if item.startswith("# ")]
    if toc and headings:
        body.append('<section class="toc"><h2>Contents</h2>')
        for number, heading in enumerate(headings, start=1):
            body.append(f'<p>{html.escape(heading)}<span class="page">{number * 7 + 3}</span></p>')
        body.append("</section>")
    body.append('<section class="columns">' if columns else "<section>")
    for item in items:
        if item.startswith("# "):
            body.append(f"<h2>{html.escape(item[2:])}</h2>")
        else:
            body.append(f"<p>{html.escape(item)}</p>")
    body.append("</section>")
    if index_terms:
        body.append('<h2 style="page-break-before: always">Index</h2><section class="index">')
        for number, term in enumerate(sorted(set(index_terms), key=str.lower)):
            pages = ", ".join(str(7 + (number * k) % 140) for k in (3, 5, 11)[: 1 + number % 3])
            body.append(f"<p>{html.escape(term)}, {pages}</p>")
        body.append("</section>")
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def render_pdf(document_html: str) -> bytes:
    """The PDF WeasyPrint renders from ``document_html`` (fonts through fontconfig)."""
    import weasyprint  # slow to import: only the tests that build PDFs need it

    pdf: bytes = weasyprint.HTML(string=document_html).write_pdf()
    return pdf


def index_terms(items: list[str], count: int = 120) -> list[str]:
    """Capitalised words of the text, as a back-of-book index would list them."""
    seen: dict[str, None] = {}
    for item in items:
        for word in re.findall(r"\b[A-Z][a-z]{4,}\b", item):
            seen.setdefault(word, None)
    return list(seen)[:count]


REAL_PDFS = Path(__file__).parent / "files" / "real"
# The headings a reader sees in each real PDF (tests/formats/files/real/README.md).
REAL_HEADINGS = {
    "acl-naacl2018-literature-graph.pdf": [
        "Construction of the Literature Graph in Semantic Scholar",
        "Abstract",
        "1 Introduction",
        "2 Structure of The Literature Graph",
        "2.1 Node Types",
        "2.2 Edge Types",
        "3 Extracting Metadata",
        "4 Entity Extraction and Linking",
        "4.1 Approaches",
        "4.2 Entity Extraction Models",
        "4.3 Knowledge Bases",
        "4.4 Entity Linking Models",
        "5 Other Research Problems",
        "6 Conclusion and Future Work",
        "References",
    ],
    "war-of-the-worlds-ch1-2.pdf": ["CHAPTER TWO THE FALLING STAR"],
    # "I": the number of the story's first part, in bold over its drop cap
    "sherlock-scandal-in-bohemia.pdf": ["Contents", "Adventure I A Scandal In Bohemia", "I"],
}
