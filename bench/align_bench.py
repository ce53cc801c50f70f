"""Sentence-alignment quality and speed on the gold sets of ../shared/corpus.

Quality: strict and lax F1 (../shared/tools/score_alignment.py) on Text+Berg DE-FR test
(and dev, the only set the aligner was tuned on) and on NTREX perturbed EN-FR and EN-PT,
for the aligner, the aligner without dictionary, and plain Gale-Church (lexical weight 0,
a dynamic programme over the whole matrix, measured length ratio) as the baseline.

Speed: the 123 NTREX EN-FR documents aligned in-process with ``align_files`` (as the CLI
does; median of three runs, the first one also shown: it fills the per-word caches), and
newstest2019 EN-FR concatenated to 2 500, 5 000 and 10 000 sentences a side, each size in
a fresh process, three times (the median run: time including the dictionary load, and
peak RSS of the whole process, which imports the translator package). Baseline
for the speed ratios, measured in the same run: the aligner with the dictionary off
(plain Gale-Church over the whole matrix is quadratic: 10 000 x 10 000 cells would take
an hour).

Also runs ``translator align-files`` once and checks it prints the same beads (skipped
with a message if the command does not exist yet).

The confidence's coefficients are refitted by ``bench/confidence_bench.py --fit``.

    python bench/align_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "tools"))

import score_alignment  # noqa: E402

from translator.text.alignment import (  # noqa: E402
    AlignParams,
    align_files,
    align_sentences,
    format_beads,
)

SETS = [
    ("textberg-de-fr/test", "de", "fr"),
    ("textberg-de-fr/dev", "de", "fr"),
    ("ntrex-en-fr-pt/perturbed-en-fr", "en", "fr"),
    ("ntrex-en-fr-pt/perturbed-en-pt", "en", "pt"),
]
GALE_CHURCH = AlignParams(lexical_weight=0.0, full_search_cells=10**9)
VARIANTS = {
    "aligner": {},
    "no dictionary": {"dictionary": None},
    "Gale-Church": {"dictionary": None, "params": GALE_CHURCH},
}
BASELINE = "no dictionary"  # for the speed ratios
SIZES = (2500, 5000, 10000)
REPEAT = 3  # runs per size; the median is shown (the machine is shared)


def documents(folder: Path, src: str, tgt: str) -> list[tuple[Path, Path, Path]]:
    """(source, target, gold) file triples of a gold set."""
    return [
        (gold.with_suffix(f".{src}"), gold.with_suffix(f".{tgt}"), gold)
        for gold in sorted(folder.glob("*.gold"))
    ]


def score_set(folder: Path, src: str, tgt: str, options: dict[str, object]) -> tuple[dict, float]:
    """Align every document of a set, score it; also return the time spent aligning."""
    out = Path(tempfile.mkdtemp(prefix="align-bench-"))
    tests, golds, spent = [], [], 0.0
    for src_path, tgt_path, gold in documents(folder, src, tgt):
        start = time.perf_counter()
        beads = align_files(src_path, tgt_path, src, tgt, **options)  # type: ignore[arg-type]
        spent += time.perf_counter() - start
        test = out / (gold.stem + ".align")
        test.write_text(format_beads(beads), encoding="utf-8")
        tests.append(str(test))
        golds.append(str(gold))
    result, _ = score_alignment.score_files(golds, tests)
    shutil.rmtree(out)
    return result, spent


def quality(quick: bool) -> None:
    print("Quality: strict F1 (lax F1)")
    print(f"{'set':34} " + " ".join(f"{name:>16}" for name in VARIANTS))
    for name, src, tgt in SETS[:2] if quick else SETS:
        cells = []
        for options in VARIANTS.values():
            result, _ = score_set(CORPUS / name, src, tgt, options)
            cells.append(f"{result['f1_strict']:.4f} ({result['f1_lax']:.4f})")
        print(f"{name:34} " + " ".join(f"{c:>16}" for c in cells))
    print()


def speed_documents() -> None:
    folder = CORPUS / "ntrex-en-fr-pt/perturbed-en-fr"
    docs = documents(folder, "en", "fr")
    n_src = sum(len(p.read_text(encoding="utf-8").splitlines()) for p, _, _ in docs)
    n_tgt = sum(len(p.read_text(encoding="utf-8").splitlines()) for _, p, _ in docs)
    align_sentences(["Warm-up."], ["Échauffement."], "en", "fr")  # loads the dictionary
    aligner = [score_set(folder, "en", "fr", {})[1] for _ in range(REPEAT)]
    baseline = [score_set(folder, "en", "fr", VARIANTS[BASELINE])[1] for _ in range(REPEAT)]
    first, mine, base = aligner[0], sorted(aligner)[REPEAT // 2], sorted(baseline)[REPEAT // 2]
    print(
        f"NTREX perturbed EN-FR, {len(docs)} documents, {n_src} + {n_tgt} sentences "
        f"(median of {REPEAT} runs): {mine:.2f} s, {n_src / mine:,.0f} source sentences/s "
        f"({(n_src + n_tgt) / mine:,.0f} both sides; first run {first:.2f} s); "
        f"baseline ({BASELINE}) {base:.2f} s; ratio {mine / base:.2f}x"
    )


def one_size(size: int, baseline: bool) -> dict[str, float]:
    """Align newstest2019 EN-FR repeated to ``size`` sentences a side (in this process)."""
    news = CORPUS / "ntrex-en-fr-pt"
    en = (news / "newstest2019.en").read_text(encoding="utf-8").splitlines()
    fr = (news / "newstest2019.fr").read_text(encoding="utf-8").splitlines()
    src = (en * (size // len(en) + 1))[:size]
    tgt = (fr * (size // len(fr) + 1))[:size]
    options: dict[str, object] = VARIANTS[BASELINE] if baseline else {}
    start = time.perf_counter()
    beads = align_sentences(src, tgt, "en", "fr", **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    right = sum(1 for b in beads if len(b.src) == len(b.tgt) == 1 and b.src[0] == b.tgt[0])
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "right": right / size}


def peak_rss_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux carries the
    parent's ru_maxrss over fork and exec, so a child of a big parent would inherit it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_sizes() -> None:
    print(
        "newstest2019 EN-FR repeated (1-1 by construction), one fresh process per run, "
        f"baseline: {BASELINE}"
    )
    print(
        f"{'sentences/side':>14} {'time':>8} {'src sent/s':>11} {'peak RSS':>9} "
        f"{'1-1 right':>9} {'baseline':>9} {'ratio':>6}"
    )
    for size in SIZES:
        runs = {}
        for baseline in (False, True):
            command = [sys.executable, __file__, "--one-size", str(size)]
            if baseline:
                command.append("--baseline")
            tries = [
                json.loads(
                    subprocess.run(command, capture_output=True, text=True, check=True).stdout
                )
                for _ in range(REPEAT)
            ]
            runs[baseline] = sorted(tries, key=lambda run: run["seconds"])[REPEAT // 2]
        mine, base = runs[False], runs[True]
        print(
            f"{size:>14} {mine['seconds']:>7.2f}s {size / mine['seconds']:>11,.0f} "
            f"{mine['peak_mb']:>7.0f}MB {mine['right']:>9.4f} {base['seconds']:>8.2f}s "
            f"{mine['seconds'] / base['seconds']:>5.2f}x"
        )


def check_cli() -> None:
    command = shutil.which("translator") or str(Path(sys.executable).parent / "translator")
    probe = subprocess.run([command, "align-files", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("CLI check skipped: `translator align-files` does not exist yet")
        return
    folder = CORPUS / "ntrex-en-fr-pt/perturbed-en-fr"
    src, tgt, _ = documents(folder, "en", "fr")[0]
    run = subprocess.run(
        [command, "align-files", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr",
         "--format", "beads"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    same = run.stdout == format_beads(align_files(src, tgt, "en", "fr"))
    print(f"CLI check on {src.stem}: {'same beads' if same else 'DIFFERENT beads'}")
    if not same:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Text+Berg only, no sizes")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        print(json.dumps(one_size(args.one_size, args.baseline)))
        return
    quality(args.quick)
    if not args.quick:
        speed_documents()
        speed_sizes()
    check_cli()


if __name__ == "__main__":
    main()
