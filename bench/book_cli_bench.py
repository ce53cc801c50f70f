"""A printed book through the real command line (issue 13: the 352-page book, about
123 000 words, imported in ≤ 5 s whole process, ≤ 300 MB).

The book: the 299-page three-works book of ``pdf_import_bench.py`` (contents, running
heads, a printer's slug, a 600-term index), then the English *Manifesto* booklet, then
the first pages of the French one, joined with Poppler's ``pdfunite`` up to ``--pages``
pages. Each run is a fresh ``translator import BOOK --lang en`` process on a database
set up once with ``translator init`` (SQLite in a temporary instance, or
``--database-url``): wall time and the process's peak RSS (``wait4``). Baselines in the
same run: ``translator --help`` (the command's own start) and ``pdftotext -raw`` of the
book (the text extraction alone, the least any import does).

    python bench/pdf_import_bench.py --keep /tmp/pdfbench   # builds the PDFs once
    python bench/book_cli_bench.py --pdfs /tmp/pdfbench [--database-url URL] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PARTS = ("three-works-en-fr-book.pdf", "manifesto-en-toc-index.pdf", "manifesto-fr-toc-index.pdf")


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def build_book(pdfs: Path, pages: int, folder: Path) -> Path:
    """The parts, whole, then the pages of the last one needed to reach ``pages``."""
    chosen: list[str] = []
    left = pages
    for name in PARTS:
        part = pdfs / name
        if not part.exists():
            sys.exit(f"{part} is missing: run bench/pdf_import_bench.py --keep {pdfs} first")
        count = _pages(part)
        if count <= left:
            chosen.append(str(part))
            left -= count
        else:
            if left:
                pattern = str(folder / "page-%d.pdf")
                subprocess.run(
                    ["pdfseparate", "-f", "1", "-l", str(left), str(part), pattern], check=True
                )
                chosen += [pattern % k for k in range(1, left + 1)]
            left = 0
        if not left:
            break
    book = folder / f"book-{pages}.pdf"
    subprocess.run(["pdfunite", *chosen, str(book)], check=True)
    return book


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(
            f"{' '.join(argv)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pdfs", type=Path, required=True, help="pdf_import_bench's --keep DIR")
    parser.add_argument("--pages", type=int, default=352)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="default: SQLite in a temporary instance")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="book-bench-"))
    book = build_book(args.pdfs, args.pages, folder)
    text = subprocess.run(["pdftotext", str(book), "-"], check=True, capture_output=True).stdout
    words = len(text.split())
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env["TRANSLATOR_INSTANCE_PATH"] = str(folder / "instance")
    if args.database_url:
        env["TRANSLATOR_DATABASE_URL"] = args.database_url
    subprocess.run([str(BIN / "translator"), "init"], env=env, check=True, capture_output=True)
    cases = {
        "pdftotext -raw (baseline)": ["pdftotext", "-raw", str(book), str(folder / "out.txt")],
        "translator --help": [str(BIN / "translator"), "--help"],
        "translator import BOOK --lang en": [
            str(BIN / "translator"),
            "import",
            str(book),
            "--lang",
            "en",
        ],
    }
    print(f"book: {_pages(book)} pages, {words} words; {args.database_url or 'SQLite'}")
    baseline = None
    for name, argv in cases.items():
        figures = [run(argv, env) for _ in range(args.runs)]
        seconds = statistics.median(s for s, _ in figures)
        peak = max(m for _, m in figures)
        baseline = baseline or seconds
        print(
            f"{name:34s} {seconds:6.2f} s (runs: {', '.join(f'{s:.2f}' for s, _ in figures)})"
            f"  peak {peak:5.0f} MB  ×{seconds / baseline:5.1f} baseline"
        )
    print("load average:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
