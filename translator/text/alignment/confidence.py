"""The confidence of each bead, in [0, 1]: how likely it is to be right.

A logistic function of what the aligner saw, fitted on the beads it finds on Text+Berg
dev (the only set used for tuning), labelled right or wrong by the gold, plus about a
third as many 1-1 pairs shifted 3 or 4 sentences off the path as wrong examples (without
them the fit never sees a bead between unrelated sentences):

- a bead with both sides: its similarity, its margin over the best 1-1 pair of one of
  its sentences with a neighbour just outside it (unrelated texts have no margin, however
  similar their words), its Gale-Church length cost and whether it groups several
  sentences;
- an omission or an addition (1-0, 0-1): how similar the lone sentence is to the
  sentences next to where it sits on the other side; a good match there makes the
  omission doubtful.

A mislabelled or unrelated pair of texts gets low similarities everywhere, hence low
confidences; the caller can flag beads under a threshold for review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from translator.text.alignment.scoring import BeadScorer

__all__ = ["bead_confidences"]

# Logistic coefficients, fitted on Text+Berg dev: python bench/align_bench.py --fit-confidence
LINK = (-0.88, 2.6, 5.64, -0.82, -1.56)  # the weights of link_features
SKIP = (2.27, -19.43)  # bias, best similarity of the lone sentence with its neighbours


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -40 else 0.0


def bead_confidences(scorer: BeadScorer, path: Sequence[tuple[int, int, int, int]]) -> list[float]:
    """One confidence per bead of ``path`` (beads ``(i0, i1, j0, j1)`` on the sentence
    level ``scorer`` scores; the scorer that found the path has its pairs cached)."""
    out = []
    for i0, i1, j0, j1 in path:
        if i0 < i1 and j0 < j1:
            x = sum(w * f for w, f in zip(LINK, link_features(scorer, i0, i1, j0, j1), strict=True))
        else:
            x = SKIP[0] + SKIP[1] * neighbour_similarity(scorer, i0, i1, j0, j1)
        out.append(round(_logistic(x), 4))
    return out


def link_features(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> list[float]:
    """Bias, similarity, margin over the neighbours, length cost, several sentences."""
    similarity = scorer.similarity(i0, i1, j0, j1)
    n, m = scorer.level.n, scorer.level.m
    rivals = [(i0, i0 + 1, j, j + 1) for j in (j0 - 1, j1) if 0 <= j < m]
    rivals += [(i, i + 1, j0, j0 + 1) for i in (i0 - 1, i1) if 0 <= i < n]
    best_rival = max((scorer.similarity(*bead) for bead in rivals), default=0.0)
    return [
        1.0,
        similarity,
        similarity - best_rival,
        scorer.length_cost(i0, i1, j0, j1),
        float(i1 - i0 + j1 - j0 > 2),
    ]


def neighbour_similarity(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> float:
    """For a 1-0 or 0-1 bead: the best 1-1 similarity of the lone sentence with the two
    sentences on either side of where it sits."""
    n, m = scorer.level.n, scorer.level.m
    if i0 < i1:
        others = [(i0, i0 + 1, j, j + 1) for j in (j0 - 1, j0) if 0 <= j < m]
    else:
        others = [(i, i + 1, j0, j0 + 1) for i in (i0 - 1, i0) if 0 <= i < n]
    return max((scorer.similarity(*bead) for bead in others), default=0.0)
