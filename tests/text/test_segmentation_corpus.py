"""Segmentation of real text from ../shared: accuracy against sentence-per-line news, the
footnote calls of a PDF essay, and throughput (1 MB of English prose well under 2 s)."""

from __future__ import annotations

import html
import re
import time
from itertools import groupby
from pathlib import Path

import pytest

from translator.text.segmentation import split_sentences

SHARED = Path(__file__).resolve().parents[3] / "shared"
NEWS = SHARED / "corpus" / "ntrex-en-fr-pt"
ESSAYS = SHARED / "corpus" / "pd-essays-paragraph-aligned"
PDF_ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


@pytest.mark.parametrize(("suffix", "language", "floor"), [("en", "en", 0.98), ("pt", "pt", 0.95)])
def test_news_documents_split_back_into_their_lines(
    suffix: str, language: str, floor: float
) -> None:
    """newstest2019 has one sentence per line: join each document's lines (those that end
    a sentence; headlines have no stop) and count how many lines come back whole."""
    ids = need(NEWS / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split("\n")
    lines = (NEWS / f"newstest2019.{suffix}").read_text(encoding="utf-8").split("\n")
    found = total = 0
    for _document, rows in groupby(zip(ids, lines, strict=False), key=lambda row: row[0]):
        gold = [line.strip() for _, line in rows if line.strip()[-1:] in tuple('.?!…”»")')]
        paragraph = html.escape(" ".join(gold), quote=False)
        sentences = {html.unescape(s) for s in split_sentences(paragraph, language)}
        found += sum(line in sentences for line in gold)
        total += len(gold)
    assert found / total >= floor


def test_pdf_essay_footnote_calls_stay_with_their_sentence() -> None:
    text = need(PDF_ESSAY).read_text(encoding="utf-8")
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    sentences = [s for p in paragraphs for s in split_sentences(html.escape(p, quote=False), "en")]
    assert any(s.endswith("appeared today in Catalan.[1]") for s in sentences)
    assert any(s.endswith("for Marxist Unification, or POUM.2") for s in sentences)
    assert any(s.startswith("They weren’t attentive to the fascist threat") for s in sentences)


def test_a_megabyte_of_prose_takes_well_under_two_seconds() -> None:
    lines = [
        line
        for path in sorted(need(ESSAYS).glob("*_en.txt"))
        for line in path.read_text(encoding="utf-8-sig").splitlines()
    ]
    lines *= -(-1_000_000 // sum(len(line) for line in lines))
    split_sentences("Warm the caches. Please.", "en")
    started = time.perf_counter()
    count = sum(len(split_sentences(line, "en")) for line in lines)
    assert time.perf_counter() - started < 2.0
    assert count > 4000


def test_a_huge_marked_up_paragraph_is_linear() -> None:
    """Twice the paragraph takes about twice the time (a quadratic step would take four
    times); compared within the run, so a busy machine does not fail it."""

    def timed(n: int) -> float:
        paragraph = " ".join(
            f"<em>Word {i}.</em> <a href='x'>It</a> &amp; Dr. X. Smith." for i in range(n)
        )
        started = time.perf_counter()
        sentences = split_sentences(paragraph, "en")
        took = time.perf_counter() - started
        assert len(sentences) == 2 * n
        return took

    timed(1_000)  # warm the caches
    small = min(timed(10_000) for _ in range(2))
    large = min(timed(20_000) for _ in range(2))
    assert large < 3 * small + 0.1, (small, large)
