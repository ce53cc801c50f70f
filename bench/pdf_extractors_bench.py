"""Which PDF text extractor suits the pdftext reflow: Poppler's pdftotext (default and
-raw modes), pypdfium2, pypdf and pdfminer.six, on PDFs built from the corpus with
WeasyPrint (tests/formats/pdf_samples.py): a one-column book and a two-column one.

For each: extraction time, then the reflow's result against the source paragraphs:
paragraphs found whole in one block, found anywhere in the text (not cut nor
interleaved), and pairs of consecutive paragraphs found in the right order. The Python
libraries are not dependencies of the project: those not installed are skipped
(``pip install pypdfium2 pypdf pdfminer.six`` to compare them).

    python bench/pdf_extractors_bench.py
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import ESSAYS, ROOT

sys.path.insert(0, str(ROOT))

import itertools

from tests.formats.pdf_samples import book_html, corpus_paragraphs, render_pdf
from translator.formats.pdf import parse_pdf
from translator.formats.pdftext import parse_pdftext


def _pdftotext(*mode: str) -> Callable[[Path], str]:
    def extract(path: Path) -> str:
        command = ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"]
        return subprocess.run(command, capture_output=True, check=True).stdout.decode()

    return extract


def _pypdfium2(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return "\f".join(pages).replace("\r\n", "\n")


def _pypdf(path: Path) -> str:
    import pypdf

    return "\f".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


EXTRACTORS: dict[str, tuple[str | None, Callable[[Path], str]]] = {
    "pdftotext": (None, _pdftotext()),
    "pdftotext -raw": (None, _pdftotext("-raw")),
    "pypdfium2": ("pypdfium2", _pypdfium2),
    "pypdf": ("pypdf", _pypdf),
    "pdfminer.six": ("pdfminer", _pdfminer),
}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pdf-extractors-"))
    _headings, items = corpus_paragraphs(ESSAYS / "manifesto_en.txt")
    samples = {
        "one column, 44 pages": book_html("Manifesto", items),
        "two columns, 10 pages": book_html("Manifesto", items[:60], columns=True),
    }
    for label, document in samples.items():
        path = folder / "sample.pdf"
        path.write_bytes(render_pdf(document))
        paragraphs = [
            _normal(item) for item in (items if "one" in label else items[:60]) if item[:2] != "# "
        ]
        print(f"{label}: {len(paragraphs)} paragraphs")
        print(f"  {'extractor':16} {'time s':>7} {'whole':>6} {'found':>6} {'in order':>9}")
        for name, (module, extract) in EXTRACTORS.items():
            if module and importlib.util.find_spec(module) is None:
                print(f"  {name:16} (not installed)")
                continue
            start = time.perf_counter()
            text = extract(path)
            seconds = time.perf_counter() - start
            blocks = [_normal(html.unescape(b.text)) for b in parse_pdftext(text).blocks]
            print(_scores(name, seconds, blocks, paragraphs))
        # The import itself: pdftotext -raw plus the word boxes (sizes, first-line indents)
        start = time.perf_counter()
        parsed = parse_pdf(path.read_bytes(), path.name)
        seconds = time.perf_counter() - start
        blocks = [_normal(html.unescape(b.text)) for b in parsed.blocks]
        print(_scores("import (+boxes)", seconds, blocks, paragraphs))


def _scores(name: str, seconds: float, blocks: list[str], paragraphs: list[str]) -> str:
    joined = " ".join(blocks)
    whole = sum(1 for paragraph in paragraphs if paragraph in blocks)
    found = [joined.find(p) for p in paragraphs if p in joined]
    in_order = sum(1 for a, b in itertools.pairwise(found) if a < b)
    return (
        f"  {name:16} {seconds:7.3f} {whole:6d} {len(found):6d} "
        f"{in_order:4d}/{max(0, len(found) - 1):<4d}"
    )


if __name__ == "__main__":
    main()
