"""DOCX import speed (issue 13: a DOCX of 100 000 words in <= 10 s).

Builds a DOCX of about ``--words`` words with python-docx from the English texts of
``../shared/corpus/pd-essays-paragraph-aligned`` (repeated as needed): a heading every
25 paragraphs, each paragraph in three runs (the middle one, three words, in italics:
emphasis is short, and a sentence end inside it is not split), a numbered
list of three items every 40 paragraphs. Then times, in the same run:

- the DOCX import: parse (``formats.parse``), parse + segmentation (``prepare_import``),
  and storing the edition (``store_import``, SQLite unless TRANSLATOR_BENCH_DATABASE_URL);
- the plain-text import of the same paragraphs (blank-line separated), the baseline.

    python bench/docx_import_bench.py [--words 100000]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys

import docx
from _common import ESSAYS, TAG_RE, bench_app, pg_url, timed

from translator.extensions import db
from translator.formats import parse
from translator.services.imports import prepare_import, store_import


def english_paragraphs(words: int) -> list[str]:
    """Paragraphs of the English essays, repeated until they hold ``words`` words."""
    source = []
    for path in sorted(ESSAYS.glob("*_en.txt")):
        raw = TAG_RE.sub("", path.read_text(encoding="utf-8-sig")).replace("<delimiter>", "\n")
        source.extend(" ".join(line.split()) for line in raw.split("\n") if line.strip())
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for paragraph in source:
            paragraphs.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return paragraphs


def build_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading("A hundred thousand words", 0)
    for index, paragraph in enumerate(paragraphs):
        if index % 25 == 0:
            document.add_heading(f"Chapter {index // 25 + 1}", 1)
        words = paragraph.split(" ")
        third = max(1, len(words) // 3)
        block = document.add_paragraph(" ".join(words[:third]) + " ")
        block.add_run(" ".join(words[third : third + 3])).italic = True
        block.add_run(" " + " ".join(words[third + 3 :]))
        if index % 40 == 39:
            for item in ("First point.", "Second point.", "Third point."):
                document.add_paragraph(item, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=100_000, help="words in the DOCX")
    args = parser.parse_args()
    paragraphs = english_paragraphs(args.words)
    build_s, data = timed(lambda: build_docx(paragraphs))
    text = "\n\n".join(paragraphs).encode("utf-8")
    words = sum(len(p.split()) for p in paragraphs)
    app = bench_app(pg_url())
    with app.app_context():
        parse_s, parsed = timed(lambda: parse(data, "book.docx"), 3)
        prepare_s, prepared = timed(lambda: prepare_import(data, "book.docx", "en"), 3)
        store_s, summary = timed(lambda: store_import(prepared))
        db.session.commit()
        text_s, text_prepared = timed(lambda: prepare_import(text, "book.txt", "en", "text"), 3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend = "postgresql" if pg_url() else "sqlite"
    print(
        f"DOCX of {words:,} words, {len(data) / 1e6:.2f} MB ({build_s:.1f} s to build): "
        f"{len(parsed.blocks):,} blocks, {summary.segments:,} segments"
    )
    print(f"  parse                 {parse_s:6.2f} s")
    print(f"  parse + segment       {prepare_s:6.2f} s")
    print(f"  store ({backend:10})   {store_s:6.2f} s")
    print(f"  total                 {prepare_s + store_s:6.2f} s   (goal <= 10 s)")
    print(
        f"  plain text, same paragraphs: parse + segment {text_s:6.2f} s "
        f"({text_prepared.sentence_count:,} segments)"
    )
    print(f"  ratio DOCX / plain text (parse + segment) {prepare_s / text_s:.2f}x")
    print(f"  peak RSS              {peak_mb:6.0f} MB (whole process)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
