"""PDF import on a realistic set of PDFs built from the corpus (WeasyPrint; see
tests/formats/pdf_samples.py): running heads, a printer's slug and page numbers on every
page, a table of contents with dot leaders, a back-of-book index, two columns, typographic
ligatures kept in the text layer, ligature glyphs that extract as spaces, and a whole
~350-page book; then the real public PDFs of tests/formats/files/real (a two-column ACL
paper, two book editions). For each file: pages, segments, segments holding a control or
ligature character, bare numbers (outside headings), segments over 1 000 characters,
words repaired, the precision and recall of headings (against the headings the source
HTML had, or those listed in pdf_samples.REAL_HEADINGS), import time (pdftotext +
reflow + segmentation + storing, SQLite) and peak RSS.

    python bench/pdf_import_bench.py [--keep DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import html
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import ESSAYS, ROOT, bench_app

sys.path.insert(0, str(ROOT))

from tests.formats.pdf_samples import (
    REAL_HEADINGS,
    REAL_PDFS,
    book_html,
    corpus_paragraphs,
    index_terms,
    render_pdf,
)
from translator.extensions import db
from translator.services.imports import prepare_import, store_import

_LIGATURES = {"fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ff": "\ufb00"}
_LIGATURE_WORD = re.compile("ffi|ff|fi|fl")
_CONTROL_OR_LIGATURE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufb00-\ufb06\ufffd]")
_BARE_NUMBER = re.compile(r"[\s\d.,;:()\[\]–—-]+|[ivxlcdm]{1,6}\.?", re.IGNORECASE)


def _with_ligatures(items: list[str]) -> list[str]:
    """The text with "fi", "fl", "ffi", "ff" written as ligature code points (as a PDF
    whose ToUnicode maps the glyphs to U+FB01... extracts them)."""
    return [_LIGATURE_WORD.sub(lambda m: _LIGATURES[m.group()], item) for item in items]


def _lost_ligatures(html_text: str) -> bytes:
    """A PDF whose ligature glyphs read as spaces: its ToUnicode entries rewritten."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html_text).write_pdf(uncompressed_pdf=True)
    for code in (b"<fb00>", b"<fb01>", b"<fb02>", b"<fb03>"):
        pdf = pdf.replace(code, b"<0020>")
    return pdf


def _samples() -> dict[str, tuple[str, Callable[[], bytes], list[str]]]:
    def corpus(name: str) -> list[str]:
        return corpus_paragraphs(ESSAYS / name)[1]

    def headings(title: str, *names: str, toc: bool = False, index: bool = False) -> list[str]:
        """The headings of the built book: its title, the corpus's, Contents, Index."""
        found = [title, *(["Contents"] if toc else [])]
        found += [heading for name in names for heading in corpus_paragraphs(ESSAYS / name)[0]]
        return found + (["Index"] if index else [])

    def real(name: str) -> Callable[[], bytes]:
        return (REAL_PDFS / name).read_bytes

    def book(name: str, title: str, **options: object) -> Callable[[], bytes]:
        def build() -> bytes:
            items = corpus(name)
            terms = index_terms(items, 300) if options.pop("index", False) else None
            lang = str(options.pop("lang", "en"))
            html_text = book_html(title, items, index_terms=terms, lang=lang, **options)  # type: ignore[arg-type]
            return render_pdf(html_text)

        return build

    def ligature_book() -> bytes:
        items = _with_ligatures(corpus("the_canterville_ghost_en.txt"))
        return render_pdf(book_html("The Canterville Ghost", items, toc=True))

    def lost_book() -> bytes:
        items = _with_ligatures(corpus("discours_de_la_methode_fr.txt"))
        return _lost_ligatures(book_html("Discours de la méthode", items, lang="fr"))

    def whole() -> bytes:
        items = [
            item
            for name in sorted(path.name for path in ESSAYS.glob("*_??.txt"))
            for item in corpus(name)
        ]
        html_text = book_html("Three Works", items, toc=True, index_terms=index_terms(items, 600))
        return render_pdf(html_text)

    every_work = sorted(path.name for path in ESSAYS.glob("*_??.txt"))
    return {
        "manifesto-en-toc-index": (
            "en",
            book("manifesto_en.txt", "Manifesto", toc=True, index=True),
            headings("Manifesto", "manifesto_en.txt", toc=True, index=True),
        ),
        "manifesto-fr-toc-index": (
            "fr",
            book("manifesto_fr.txt", "Manifeste", toc=True, index=True, lang="fr"),
            headings("Manifeste", "manifesto_fr.txt", toc=True, index=True),
        ),
        "canterville-en-2-columns": (
            "en",
            book("the_canterville_ghost_en.txt", "The Canterville Ghost", columns=True),
            headings("The Canterville Ghost", "the_canterville_ghost_en.txt"),
        ),
        "canterville-en-ligatures": (
            "en",
            ligature_book,
            headings("The Canterville Ghost", "the_canterville_ghost_en.txt", toc=True),
        ),
        "discours-fr-lost-ligatures": (
            "fr",
            lost_book,
            headings("Discours de la méthode", "discours_de_la_methode_fr.txt"),
        ),
        "three-works-en-fr-book": (
            "en",
            whole,
            headings("Three Works", *every_work, toc=True, index=True),
        ),
        **{
            f"real:{name.removesuffix('.pdf')}"[:28]: ("en", real(name), expected)
            for name, expected in REAL_HEADINGS.items()
        },
    }


def _heading_scores(found: list[str], expected: list[str]) -> tuple[float, float]:
    """Precision and recall of the headings found (spaces and case ignored)."""

    def key(text: str) -> str:
        return " ".join(html.unescape(text).split()).casefold()

    wanted = {key(text) for text in expected}
    got = [key(text) for text in found]
    right = sum(1 for text in got if text in wanted)
    recalled = len(wanted & set(got))
    return (right / len(got) if got else 1.0), (recalled / len(wanted) if wanted else 1.0)


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return int(match.group(1)) if match else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the PDFs into DIR (reused if there)")
    parser.add_argument("--only", help="one sample by name")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    app = bench_app()
    header = (
        f"{'file':28} {'pages':>5} {'segments':>8} {'ctrl/lig':>8} {'bare num':>8} "
        f"{'>1000':>5} {'repaired':>8} {'head P':>6} {'head R':>6} {'import s':>8}"
    )
    print(header)
    for name, (language, build, expected) in _samples().items():
        if args.only and name != args.only:
            continue
        path = folder / f"{name.replace(':', '-')}.pdf"
        if not path.exists():
            path.write_bytes(build())
        data = path.read_bytes()
        with app.app_context():
            start = time.perf_counter()
            prepared = prepare_import(data, path.name, language)
            store_import(prepared)
            db.session.commit()
            seconds = time.perf_counter() - start
        precision, recall = _heading_scores(
            [" ".join(b.sentences) for b in prepared.blocks if b.role.value == "heading"],
            expected,
        )
        segments = [sentence for block in prepared.blocks for sentence in block.sentences]
        body = [  # a chapter's number ("II") as its heading is no stray page number
            sentence
            for block in prepared.blocks
            if block.role.value != "heading"
            for sentence in block.sentences
        ]
        repaired = next(
            (
                int(match.group(1))
                for warning in prepared.warnings
                if (match := re.match(r"repaired (\d+) words", warning))
            ),
            0,
        )
        print(
            f"{name:28} {_pages(path):5d} {len(segments):8d} "
            f"{sum(1 for s in segments if _CONTROL_OR_LIGATURE.search(s)):8d} "
            f"{sum(1 for s in body if _BARE_NUMBER.fullmatch(s)):8d} "
            f"{sum(1 for s in segments if len(s) > 1000):5d} {repaired:8d} "
            f"{precision:6.2f} {recall:6.2f} {seconds:8.2f}"
        )
        sys.stdout.flush()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole process (building the PDFs included): {peak_mb:.0f} MB")
    print(f"PDFs in {folder}")


if __name__ == "__main__":
    main()
