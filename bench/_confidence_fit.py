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
from typing import Any

from bench._alignment_sets import SETS, WRONG_PAIRINGS, Case
from translator.text.alignment import align_editions
from translator.text.alignment import pair as pair_module
from translator.text.alignment.confidence import link_features, skip_features

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


def collect(names: list[str]) -> dict[str, list[tuple[list[float], bool, str]]]:
    """kind ("link" or "skip") -> (features, right, set name) for every judged bead."""
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
                    for k, (i0, i1, j0, j1) in enumerate(path):
                        right = _label(case, lang, tuple(range(i0, i1)), tuple(range(j0, j1)))
                        if right is None:
                            continue
                        if i0 < i1 and j0 < j1:
                            data["link"].append((link_features(scorer, path, k, ends), right, name))
                        else:
                            data["skip"].append((skip_features(scorer, path, k, ends), right, name))
    finally:
        pair_module.bead_confidences = original  # type: ignore[assignment]
    return data


def fit(names: list[str]) -> None:
    """Print the refitted LINK and SKIP coefficients."""
    data = collect(names)
    for kind, samples in data.items():
        per_set: dict[str, int] = {}
        for _, _, name in samples:
            per_set[name] = per_set.get(name, 0) + 1
        weighted = [
            (x, y, (PAIRING_WEIGHT if name in WRONG_PAIRINGS else 1000.0) / per_set[name])
            for x, y, name in samples
        ]
        print(f"{kind.upper()} =", logistic_fit(weighted))


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
