"""Refitting the confidence's coefficients (``confidence_bench.py --fit``).

Every pair alignment the aligner makes on the chosen sets is recorded (the scorer that
found the path, and the path); each bead of the path gets its features
(``confidence.link_features`` / ``confidence.skip_features``) and its label from the
gold (right or wrong, as the bench judges rows), and a logistic regression is fitted per
kind of bead, each set weighing the same (so that the big news sets do not outvote the
literary ones).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench._alignment_sets import SETS, WRONG_PAIRINGS, Case
from translator.text.alignment import align_editions
from translator.text.alignment import pair as pair_module
from translator.text.alignment.confidence import lengths_path, link_features, skip_features

# The wrong pairings weigh a third of a gold set: enough for the fit to see beads between
# unrelated sentences, not so much that it flags every weak but right bead of a real text.
PAIRING_WEIGHT = 333.0


def _label(case: Case, lang: str, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool | None:
    if case.beads:
        return (src, tgt) in case.beads[lang]
    keys_src = frozenset(case.keys[case.pivot][k] for k in src)
    keys_tgt = frozenset(case.keys[lang][k] for k in tgt)
    if case.lines:
        return bool(src) and keys_src == keys_tgt
    if not src or not tgt:
        return None
    return keys_src == keys_tgt


Extra = Callable[[Any, list[tuple[int, int, int, int]], int, Any], list[float]]


def collect(
    names: list[str], extra: Extra | None = None
) -> dict[str, list[tuple[list[float], bool, str]]]:
    """kind ("link" or "skip") -> (features, right, set name) for every judged bead.
    ``extra(scorer, path, k, boundaries)``: further features appended to each bead's."""
    recorded: list[tuple[Any, list[tuple[int, int, int, int]], Any]] = []
    original = pair_module.bead_confidences

    def spy(scorer: Any, path: list[Any], boundaries: Any = ()) -> list[float]:
        recorded.append((scorer, path, boundaries))
        return original(scorer, path, boundaries)

    pair_module.bead_confidences = spy  # type: ignore[assignment]
    data: dict[str, list[tuple[list[float], bool, str]]] = {"link": [], "skip": []}
    try:
        for name in names:
            for case in {**SETS, **WRONG_PAIRINGS}[name]():
                recorded.clear()
                align_editions(case.editions, case.pivot)
                others = [e.language for e in case.editions[1:]]
                for lang, (scorer, path, ends) in zip(others, recorded, strict=True):
                    by_lengths = lengths_path(scorer, path, ends)
                    for k, (i0, i1, j0, j1) in enumerate(path):
                        right = _label(case, lang, tuple(range(i0, i1)), tuple(range(j0, j1)))
                        if right is None:
                            continue
                        link = i0 < i1 and j0 < j1
                        features = (link_features if link else skip_features)(
                            scorer, path, k, ends, by_lengths
                        )
                        if extra is not None:
                            features += extra(scorer, path, k, ends)
                        data["link" if link else "skip"].append((features, right, name))
    finally:
        pair_module.bead_confidences = original  # type: ignore[assignment]
    return data


def fit(names: list[str]) -> None:
    """Print the refitted LINK and SKIP coefficients."""
    data = collect(names)
    for kind, samples in data.items():
        print(f"{kind.upper()} =", _weighted_fit(samples))


def logistic_fit(data: list[tuple[list[float], bool, float]], l2: float = 0.1) -> tuple[float, ...]:
    """Weighted logistic regression by Newton's method (a few features)."""
    k = len(data[0][0])
    w = [0.0] * k
    for _ in range(30):
        grad = [l2 * w[a] for a in range(k)]
        hess = [[l2 * (a == b) for b in range(k)] for a in range(k)]
        for x, y, weight in data:
            z = sum(a * b for a, b in zip(w, x, strict=True))
            p = 1 / (1 + math.exp(-max(min(z, 40), -40)))
            for a in range(k):
                grad[a] += weight * (p - y) * x[a]
                for b in range(k):
                    hess[a][b] += weight * p * (1 - p) * x[a] * x[b]
        rows = [hess[a] + [grad[a]] for a in range(k)]  # solve hess . step = grad
        for c in range(k):
            pivot = max(range(c, k), key=lambda r, c=c: abs(rows[r][c]))
            rows[c], rows[pivot] = rows[pivot], rows[c]
            for r in range(k):
                if r != c:
                    f = rows[r][c] / rows[c][c]
                    rows[r] = [x - f * y for x, y in zip(rows[r], rows[c], strict=True)]
        w = [w[a] - rows[a][k] / rows[a][a] for a in range(k)]
    return tuple(round(x, 2) for x in w)


def leave_one_out(names: list[str]) -> None:
    """Each gold set judged with coefficients fitted on the other sets only (beads of
    every pair alignment, flagged under 0.5), with and without the agreement with the
    alignment by lengths (:func:`confidence.lengths_path`): the gain must hold on sets
    the fit did not see."""
    data = collect(names)
    agreement = {"link": -3, "skip": -3}  # its position in the features
    header = f"{'held out':15} {'variant':9} {'beads':>6} {'wrong':>6} {'flagged':>7}"
    print(header + f" {'prec':>6} {'rec':>6}")
    totals: dict[str, list[int]] = {}
    for held in [n for n in names if n not in WRONG_PAIRINGS]:
        for variant in ("without", "with"):
            counts = [0, 0, 0, 0]
            for kind, samples in data.items():
                drop = None if variant == "with" else agreement[kind]

                def x(features: list[float], drop: int | None = drop) -> list[float]:
                    return features if drop is None else features[:drop] + features[drop + 1 :]

                train = [(x(f), y, name) for f, y, name in samples if name != held]
                weights = _weighted_fit(train)
                for features, right, name in samples:
                    if name != held:
                        continue
                    z = sum(a * b for a, b in zip(weights, x(features), strict=True))
                    flagged = z < 0  # probability under 0.5
                    counts[0] += 1
                    counts[1] += not right
                    counts[2] += flagged
                    counts[3] += flagged and not right
            total = totals.setdefault(variant, [0, 0, 0, 0])
            totals[variant] = [a + b for a, b in zip(total, counts, strict=True)]
            print(_loo_line(held, variant, counts))
    for variant, counts in totals.items():
        print(_loo_line("overall", variant, counts))


def _loo_line(held: str, variant: str, counts: list[int]) -> str:
    beads, wrong, flagged, hits = counts
    precision = f"{hits / flagged:.3f}" if flagged else "-"
    recall = f"{hits / wrong:.3f}" if wrong else "-"
    return f"{held:15} {variant:9} {beads:>6} {wrong:>6} {flagged:>7} {precision:>6} {recall:>6}"


def set_weights(names: list[str]) -> list[float]:
    """The weight of each sample, given its set's name: each gold set weighs the same in
    all, a set of wrong pairings ``PAIRING_WEIGHT`` out of 1000."""
    per_set = Counter(names)
    return [(PAIRING_WEIGHT if n in WRONG_PAIRINGS else 1000.0) / per_set[n] for n in names]


def _weighted_fit(samples: list[tuple[list[float], bool, str]]) -> tuple[float, ...]:
    weights = set_weights([name for _, _, name in samples])
    return logistic_fit(
        [(x, y, weight) for (x, y, _), weight in zip(samples, weights, strict=True)]
    )
