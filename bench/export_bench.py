"""Exports of a 100 000-word book: our EPUB and PDF writers against pandoc converting
the same content in the same run (Markdown -> EPUB 3; Markdown -> PDF through pandoc's
WeasyPrint engine), each in a fresh process, with its peak memory.

The book is made of the public-domain essays of ../shared/corpus (Descartes, Marx and
Engels, Wilde) and the sample essay, split into sentences by our segmenter, repeated
under new chapter headings until it has --words words; the Markdown pandoc reads is
what our own Markdown writer makes of that book, so both sides convert the same text.

    python bench/export_bench.py [--words 100000] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ESSAYS = SHARED / "corpus" / "pd-essays-paragraph-aligned"
SOURCES = [
    ESSAYS / "discours_de_la_methode_en.txt",
    ESSAYS / "manifesto_en.txt",
    ESSAYS / "the_canterville_ghost_en.txt",
]
SAMPLE = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"


def build_book(words: int):  # type: ignore[no-untyped-def]
    """A Publication of about ``words`` words, in chapters of the corpus' paragraphs."""
    import re

    from translator.formats import parse
    from translator.formats.base import BlockRole
    from translator.formats.publication import EditionInfo, Passage, Person, Publication
    from translator.text.segmentation import split_sentences

    paragraphs: list[str] = []
    for path in SOURCES:
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        paragraphs += [line.strip() for line in text.splitlines() if len(line.split()) > 3]
    parsed = parse(SAMPLE.read_bytes(), SAMPLE.name, format="pdftext")
    paragraphs += [b.text for b in parsed.blocks if b.role is BlockRole.PARAGRAPH]
    passages: list[Passage] = [Passage(BlockRole.HEADING, ("A Book of Essays",), level=1)]
    count, chapter = 0, 0
    while count < words:
        chapter += 1
        passages.append(Passage(BlockRole.HEADING, (f"Chapter {chapter}",), level=2))
        for index, paragraph in enumerate(paragraphs[(chapter * 37) % 50 :][:60]):
            escaped = paragraph.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            sentences = tuple(split_sentences(escaped, "en"))
            role = BlockRole.QUOTE if index % 17 == 5 else BlockRole.PARAGRAPH
            passages.append(Passage(role, sentences))
            count += len(paragraph.split())
            if count >= words:
                break
    info = EditionInfo(
        language="en",
        title="A Book of Essays",
        document_title="A Book of Essays",
        slug="book",
        identifier="urn:uuid:9b1e4c0a-3a7e-4c55-9d7e-2f1f6b0d7a11",
        people=(Person("Various authors", "aut"), Person("The collective", "trl")),
        modified="2026-12-03T00:00:00Z",
    )
    return Publication(info, tuple(passages)), count


def _child(kind: str, book_path: str, out: str) -> None:
    """In a fresh process: load the book, run our writer, print seconds and peak RSS."""
    from translator.formats.exports import ExportOptions, export_format

    with open(book_path, "rb") as handle:
        book = pickle.load(handle)
    writer = export_format(kind)
    started = time.perf_counter()
    data = writer.write(book, ExportOptions())
    seconds = time.perf_counter() - started
    Path(out).write_bytes(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "bytes": len(data)}))


def measured(argv: list[str]) -> tuple[float, float, str]:
    """Run ``argv``; its wall time, its own peak RSS in MB (wait4) and its stdout."""
    import os

    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({process.returncode})")
    return seconds, usage.ru_maxrss / 1024, output


def ours(kind: str, book_path: Path, out: Path) -> dict[str, float]:
    wall, peak, output = measured(
        [sys.executable, __file__, "--child", kind, str(book_path), str(out)]
    )
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    figures["peak_mb"] = peak
    figures["process_seconds"] = wall  # with Python's start-up and loading the book
    return figures


def pandoc(args: list[str]) -> dict[str, float]:
    seconds, peak, _ = measured(["pandoc", *args])
    return {"seconds": seconds, "peak_mb": peak}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    from translator.formats.exports import ExportOptions, export_format

    book, words = build_book(args.words)
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    book_path = folder / "book.pickle"
    book_path.write_bytes(pickle.dumps(book))
    markdown = folder / "book.md"
    markdown.write_bytes(export_format("md").write(book, ExportOptions()))
    print(f"book: {words} words, {len(book.passages)} passages ({folder})")
    weasyprint = Path(sys.executable).with_name("weasyprint")
    rows = []
    for run in range(args.runs):
        epub = ours("epub", book_path, folder / "ours.epub")
        base_epub = pandoc(
            ["-f", "markdown", "-t", "epub3", "-o", str(folder / "pandoc.epub"), str(markdown)]
        )
        pdf = ours("pdf", book_path, folder / "ours.pdf")
        base_pdf = pandoc(
            [
                "-f",
                "markdown",
                "-t",
                "html5",
                f"--pdf-engine={weasyprint}",
                "-o",
                str(folder / "pandoc.pdf"),
                str(markdown),
            ]
        )
        rows.append((run, epub, base_epub, pdf, base_pdf))
    print(f"{'what':<34}{'seconds':>9}{'peak MB':>9}{'ratio':>8}")
    for _, epub, base_epub, pdf, base_pdf in rows:
        for name, mine, base in (("EPUB", epub, base_epub), ("PDF", pdf, base_pdf)):
            ratio = mine["seconds"] / base["seconds"]
            print(
                f"{'ours ' + name:<34}{mine['seconds']:>9.2f}{mine['peak_mb']:>9.0f}{ratio:>8.2f}"
            )
            label = "pandoc " + name + (" (weasyprint engine)" if name == "PDF" else "")
            print(f"{label:<34}{base['seconds']:>9.2f}{base['peak_mb']:>9.0f}{1:>8.2f}")
    pdf_seconds = max(row[3]["seconds"] for row in rows)
    print(f"goal: EPUB ratio <= 1.00; PDF of {words} words <= 60 s (worst run {pdf_seconds:.1f} s)")


if __name__ == "__main__":
    main()
