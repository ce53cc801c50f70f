"""How far any flag built on the aligner's evidence can go (``confidence_bench.py
--ceiling``; needs scikit-learn: ``pip install -e .[bench]``).

The issue's goal is a flag with precision and recall of 0.8 each. The shipped confidence
is a logistic function of a dozen terms. This asks whether a better model of the same
evidence, or one more kind of evidence, would get there:

- the **posterior** of each bead: the share of all the ways of aligning its window (the
  bead and ``width`` neighbours on each side, as for the path margin) that go through it,
  each way weighted by ``exp(score / temperature)`` (forward-backward over the window's
  rectangle). The path margin compares the best way with the best other way; the
  posterior sums over every way;
- a **nonlinear model** (gradient-boosted trees) besides the logistic regression.

Each gold set is judged by a model fitted on the others (as ``--leave-one-out``), and
the flag is read at every threshold: precision and recall at 0.5, the best F1, and the
precision where recall reaches 0.8.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any

from bench._alignment_sets import WRONG_PAIRINGS
from bench._confidence_fit import collect, set_weights
from translator.text.alignment.confidence import margin_window

Bead = tuple[int, int, int, int]
TERMS = ((2, 1.0), (2, 2.0), (2, 4.0), (4, 1.0), (4, 2.0))  # (width, temperature)


def _logsumexp(values: list[float]) -> float:
    top = max(values, default=-math.inf)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def posterior_log_odds(
    scorer: Any,
    path: Sequence[Bead],
    k: int,
    ends: Collection[tuple[int, int]],
    width: int,
    temperature: float,
) -> float:
    """log(p / (1 - p)), p the posterior of bead ``k`` within its window."""
    window = margin_window(path, k, ends, width)
    si, sj = window[0][0], window[0][2]
    n, m = window[-1][1] - si, window[-1][3] - sj
    kinds = [(a, b) for a, b in scorer.kinds if a or b]

    def score(i: int, j: int, a: int, b: int) -> float:
        return scorer.score(si + i, si + i + a, sj + j, sj + j + b) / temperature

    forward = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    forward[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i or j:
                forward[i][j] = _logsumexp(
                    [
                        forward[i - a][j - b] + score(i - a, j - b, a, b)
                        for a, b in kinds
                        if i >= a and j >= b
                    ]
                )
    backward = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i < n or j < m:
                backward[i][j] = _logsumexp(
                    [
                        backward[i + a][j + b] + score(i, j, a, b)
                        for a, b in kinds
                        if i + a <= n and j + b <= m
                    ]
                )
    i0, i1, j0, j1 = path[k]
    log_p = forward[i0 - si][j0 - sj] + score(i0 - si, j0 - sj, i1 - i0, j1 - j0)
    log_p += backward[i1 - si][j1 - sj] - forward[n][m]
    p = min(math.exp(log_p), 1 - 1e-9)
    return math.log(p / (1 - p)) if p > 0 else -30.0


def posteriors(
    scorer: Any, path: Sequence[Bead], k: int, ends: Collection[tuple[int, int]]
) -> list[float]:
    return [posterior_log_odds(scorer, path, k, ends, w, t) for w, t in TERMS]


def ceiling(names: list[str]) -> None:
    """Print, for each evidence and model, the held-out flag at 0.5 and at its best."""
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("--ceiling needs scikit-learn: pip install -e .[bench]") from None
    data = collect(names, extra=posteriors)
    extra = len(TERMS)
    evidence = {
        "aligner's": lambda f: f[:-extra],
        "+posterior": lambda f: f,
        "posterior": lambda f: [1.0, *f[-extra:]],
    }
    models = {
        "logistic": lambda: LogisticRegression(C=10, max_iter=2000),
        "trees": lambda: HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=20,
            random_state=0,  # its early stopping holds out a random tenth
        ),
    }
    held_out = sorted(
        {name for samples in data.values() for _, _, name in samples} - set(WRONG_PAIRINGS)
    )
    print(
        f"{'evidence':11} {'model':9} {'wrong':>5} {'flagged':>7} {'prec':>6} {'rec':>6}"
        f" {'best F1':>7} {'(prec':>6} {'rec)':>5} {'prec@rec0.8':>11}"
    )
    for ev_name, pick in evidence.items():
        for model_name, make in models.items():
            probs: list[float] = []
            wrong: list[bool] = []
            for held in held_out:
                for samples in data.values():
                    train = [(pick(f), y, s) for f, y, s in samples if s != held]
                    test = [(pick(f), y) for f, y, s in samples if s == held]
                    if not test:
                        continue
                    weights = set_weights([s for _, _, s in train])
                    model = make()
                    model.fit(
                        np.array([x for x, _, _ in train]),
                        np.array([y for _, y, _ in train]),
                        sample_weight=np.array(weights),
                    )
                    probs += list(model.predict_proba(np.array([x for x, _ in test]))[:, 1])
                    wrong += [not y for _, y in test]
            print(_ceiling_line(ev_name, model_name, np.array(probs), np.array(wrong)))


def _ceiling_line(evidence: str, model: str, probs: Any, wrong: Any) -> str:
    import numpy as np

    flagged = probs < 0.5
    hits = int((flagged & wrong).sum())
    order = np.argsort(probs, kind="stable")
    found = np.cumsum(wrong[order])
    precision = found / np.arange(1, len(probs) + 1)
    recall = found / wrong.sum()
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    best = int(f1.argmax())
    at_08 = precision[min(int(np.searchsorted(recall, 0.8)), len(precision) - 1)]
    return (
        f"{evidence:11} {model:9} {int(wrong.sum()):>5} {int(flagged.sum()):>7}"
        f" {hits / max(int(flagged.sum()), 1):>6.3f} {hits / wrong.sum():>6.3f}"
        f" {f1[best]:>7.3f} {precision[best]:>6.3f} {recall[best]:>5.3f} {at_08:>11.3f}"
    )
