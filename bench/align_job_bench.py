"""The alignment job inside the service against ``translator align-files`` on the same
sentences (issue 13: the whole job within 2× of align-files, memory bounded).

Texts: newstest2019 EN-FR repeated to ``--sentences`` sentences a side (default 10 000),
imported as plain text in two shapes: ``paragraphs`` (a blank line every 8 sentences)
and ``a line each`` (no blank line at all: one paragraph per line since the plain-text
adapter tells ragged lines from hard-wrapped ones; before, one block of every sentence).
Each edition is imported (not timed), then the alignment job runs in this process
(``translator align --local``'s path: ``services.alignment.align_document`` and the
commit). Baselines, measured in the same run and process: ``align_sentences`` (what
``align-files`` runs) on the corpus lines, and on the sentences the job aligns (the
editions' segments: the import splits a few lines in two, 10 035 + 10 340 sentences for
10 000 lines a side, and these cost align-files about twice the lines' time). Peak RSS
is the process's (VmHWM).
Wall and CPU time (this process's) are both printed: on a machine shared with other
work the CPU ratio is the steadier one (the database server's time is only in the wall).

    python bench/align_job_bench.py [--sentences 10000]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/bench \\
        python bench/align_job_bench.py
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import SHARED, bench_app, pg_url

from translator.app import freeze_loaded_objects
from translator.extensions import db
from translator.services.alignment import align_document
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.text.alignment import align_sentences

NEWS = SHARED / "corpus" / "ntrex-en-fr-pt" / "newstest2019"


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _lines(language: str, n: int) -> list[str]:
    lines = [x for x in (NEWS.parent / f"{NEWS.name}.{language}").read_text().splitlines() if x]
    return (lines * (n // len(lines) + 1))[:n]


def _text(lines: list[str], per_paragraph: int | None) -> str:
    if per_paragraph is None:
        return "\n".join(lines) + "\n"
    return "\n\n".join(
        " ".join(lines[k : k + per_paragraph]) for k in range(0, len(lines), per_paragraph)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=10_000)
    args = parser.parse_args()
    en, fr = _lines("en", args.sentences), _lines("fr", args.sentences)

    start, cpu = time.perf_counter(), time.process_time()
    align_sentences(en, fr, "en", "fr")
    baseline, baseline_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"align_sentences (align-files), {args.sentences} a side: {baseline:.2f} s "
          f"(CPU {baseline_cpu:.2f} s, peak {_peak_mb():.0f} MB)")  # fmt: skip

    app = bench_app(pg_url())
    freeze_loaded_objects()  # as a worker does once its app is loaded
    with app.app_context():
        for shape, per in (("paragraphs of 8", 8), ("a line each", None)):
            slug = "p8" if per else "one"
            sentences = {}
            for language, lines in (("en", en), ("fr", fr)):
                data = _text(lines, per).encode()
                prepared = prepare_import(data, f"{slug}.{language}.txt", language, "text")
                sentences[language] = [s for b in prepared.blocks for s in b.sentences]
                document = get_document(slug) if language == "fr" else None
                store_import(prepared, document=document, slug=slug if not document else None)
                db.session.commit()
            # align-files on the sentences the job aligns (the editions' segments, one
            # per line): the import splits some lines in two, which the lines lack.
            start, cpu = time.perf_counter(), time.process_time()
            align_sentences(sentences["en"], sentences["fr"], "en", "fr")
            same, same_cpu = time.perf_counter() - start, time.process_time() - cpu
            document = get_document(slug)
            units_before = sum(1 for _ in document.editions)
            start, cpu = time.perf_counter(), time.process_time()
            summary = align_document(document)
            db.session.commit()
            took, took_cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"job, {shape:16s}: {took:6.2f} s  ×{took / baseline:4.2f} align-files  "
                f"(CPU {took_cpu:6.2f} s ×{took_cpu / baseline_cpu:4.2f})  "
                f"{summary.units} units ({units_before} editions), peak {_peak_mb():.0f} MB\n"
                f"  align-files on the job's {len(sentences['en'])} + "
                f"{len(sentences['fr'])} sentences: {same:.2f} s (CPU {same_cpu:.2f} s); "
                f"job ×{took / same:4.2f} (CPU ×{took_cpu / same_cpu:4.2f})"
            )
    print("load average:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
