"""How well the alignment's "needs review" flag finds the wrong rows, on the gold sets.

Every case of ``bench/_alignment_sets.py`` (Text+Berg DE-FR test and dev, NTREX perturbed
EN-FR and EN-PT, newstest2019 en/fr/pt three ways per document, the UDHR en/fr/pt three
ways with its headings and paragraphs, the paragraph-aligned essays EN-FR) is aligned
with ``align_editions`` as the alignment job does (blocks first where the text has
them), into rows. Each row is judged right or wrong by the gold (see that module), and
flagged when its confidence is under ``REVIEW_THRESHOLD``. Printed per set and overall:
rows, wrong rows, flagged rows, the flag's precision (flagged rows that are wrong) and
recall (wrong rows that are flagged), and the alignment's accuracy: strict F1 from
``score_alignment.py`` where the gold is a sentence alignment, else the share of judged
rows that are right.

    python bench/confidence_bench.py [--sets udhr-3way,ntrex-en-fr] [--threshold 0.5]
    python bench/confidence_bench.py --fit      # refit confidence.py's coefficients
    python bench/confidence_bench.py --leave-one-out   # each set judged by a fit without it
    python bench/confidence_bench.py --ceiling  # other models and evidence, held out (scikit-learn)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))

import score_alignment  # noqa: E402

from bench._alignment_sets import SETS, WRONG_PAIRINGS, Case  # noqa: E402
from translator.text.alignment import NWayUnit, align_editions  # noqa: E402
from translator.text.alignment.confidence import REVIEW_THRESHOLD  # noqa: E402


def judge(case: Case, unit: NWayUnit, user: bool = False) -> bool | None:
    """Whether the row is right by the case's gold; None when the gold cannot tell.
    ``user``: as a person reviewing the rows judges them (:func:`_content_only`)."""
    cells = {lang: ids for lang, ids in unit.cells.items()}
    if user:
        cells = _content_only(case, cells)
        if not any(cells.values()):
            return True  # only punctuation: nothing to merge, split or move
    if case.beads:
        pivot = cells[case.pivot]
        return all(
            (pivot, cells[lang]) in (_content_gold(case, lang) if user else gold)
            for lang, gold in case.beads.items()
        )
    filled = {
        lang: frozenset(case.keys[lang][k] for k in ids) for lang, ids in cells.items() if ids
    }
    if case.lines:  # line = line: every line has its partners
        return len(filled) == len(cells) and len(set(filled.values())) == 1
    if len(filled) < 2:
        return None
    return len(set(filled.values())) == 1


def _content(sentence: str) -> bool:
    return any(c.isalnum() for c in sentence)


def _content_only(case: Case, cells: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """The user-level view of a row: its sentences without those that hold no letter or
    digit ("» .", "--", an empty line). Where such a sentence goes is no mistake a reviewer
    would fix: the row needs review only if a sentence with words has to be merged,
    split off or moved."""
    texts = {e.language: e.sentences for e in case.editions}
    return {lang: tuple(k for k in ids if _content(texts[lang][k])) for lang, ids in cells.items()}


def _content_gold(case: Case, lang: str) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    cache = case.__dict__.setdefault("_content_gold", {})
    if lang not in cache:
        cache[lang] = set()
        for src, tgt in case.beads[lang]:
            view = _content_only(case, {case.pivot: src, lang: tgt})
            cache[lang].add((view[case.pivot], view[lang]))
    return cache[lang]


COUNTS = ("rows", "judged", "wrong", "flagged", "hits")
COUNTS += ("user_judged", "user_wrong", "user_flagged", "user_hits")


def run_set(name: str, threshold: float) -> dict[str, float]:
    """Align every case of a set; count rows, wrong, flagged, flagged wrong, strictly
    and as a user judges (``user_*``); F1."""
    counts = dict.fromkeys(COUNTS, 0)
    out = Path(tempfile.mkdtemp(prefix="confidence-bench-"))
    tests: list[str] = []
    golds: list[str] = []
    spent = 0.0
    for case in {**SETS, **WRONG_PAIRINGS}[name]():
        start = time.perf_counter()
        units = align_editions(case.editions, case.pivot)
        spent += time.perf_counter() - start
        for unit in units:
            right = judge(case, unit)
            counts["rows"] += 1
            if right is None:
                continue
            flagged = unit.confidence < threshold
            counts["judged"] += 1
            counts["wrong"] += not right
            counts["flagged"] += flagged
            counts["hits"] += flagged and not right
            user_right = judge(case, unit, user=True)
            counts["user_judged"] += user_right is not None
            counts["user_wrong"] += user_right is False
            counts["user_flagged"] += flagged and user_right is not None
            counts["user_hits"] += flagged and user_right is False
        for lang, gold in case.gold_paths.items():
            test = out / f"{len(tests)}.align"
            test.write_text(_beads(units, case.pivot, lang), encoding="utf-8")
            tests.append(str(test))
            golds.append(str(gold))
    result = dict(counts, seconds=spent)
    if tests:
        scores, _ = score_alignment.score_files(golds, tests)
        result["accuracy"] = scores["f1_strict"]
    else:
        result["accuracy"] = 1 - counts["wrong"] / max(counts["judged"], 1)
    shutil.rmtree(out)
    return result


def _beads(units: Iterable[NWayUnit], pivot: str, lang: str) -> str:
    lines = []
    for unit in units:
        src, tgt = unit.cells[pivot], unit.cells[lang]
        if src or tgt:
            lines.append(f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]\n")
    return "".join(lines)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def _figures(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:15} {r['judged']:>6} {r['wrong']:>6} {r['flagged']:>7} "
        f"{_ratio(r['hits'], r['flagged']):>9} {_ratio(r['hits'], r['wrong']):>6} "
        f"{r['user_wrong']:>6} {_ratio(r['user_hits'], r['user_flagged']):>6} "
        f"{_ratio(r['user_hits'], r['user_wrong']):>6}"
    )


def _line(name: str, r: dict[str, float]) -> str:
    kind = "F1" if name.startswith(("textberg", "ntrex")) else "rows"
    return f"{_figures(name, r)} {r['accuracy']:>9.4f} {kind:7} {r['seconds']:>5.1f}s"


def report(names: list[str], threshold: float) -> None:
    print(f"'needs review' = confidence < {threshold}")
    print("strict: a row is wrong unless the gold has it; user: sentences without a letter")
    print("or digit ignored (u-wrong, u-prec, u-rec); see docs/alignment.md")
    header = f"{'set':15} {'rows':>6} {'wrong':>6} {'flagged':>7} {'precision':>9} {'recall':>6}"
    header += f" {'u-wrong':>6} {'u-prec':>6} {'u-rec':>6}"
    print(header + f" {'accuracy':>9} {'(kind)':7} {'time':>6}")
    total = dict.fromkeys(COUNTS, 0)
    for name in names:
        r = run_set(name, threshold)
        for key in total:
            total[key] += int(r[key])
        print(_line(name, r))
    print(_figures("overall", total))
    for name in WRONG_PAIRINGS:
        print(_line(name, run_set(name, threshold)) + "  (wrong pairings, not in overall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--fit-sets", default=",".join([*SETS, *WRONG_PAIRINGS]))
    parser.add_argument("--threshold", type=float, default=REVIEW_THRESHOLD)
    parser.add_argument("--fit", action="store_true", help="refit confidence.py")
    parser.add_argument("--leave-one-out", action="store_true", help="fit without each set")
    parser.add_argument("--ceiling", action="store_true", help="other models, posteriors")
    args = parser.parse_args()
    names = [n for n in args.sets.split(",") if n]
    if args.fit:
        from bench._confidence_fit import fit

        fit(args.fit_sets.split(","))
        return
    if args.ceiling:
        from bench._confidence_ceiling import ceiling

        ceiling(args.fit_sets.split(","))
        return
    if args.leave_one_out:
        from bench._confidence_fit import leave_one_out

        leave_one_out(args.fit_sets.split(","))
        return
    report(names, args.threshold)


if __name__ == "__main__":
    main()
