"""The confidence of each bead, in [0, 1]: how likely it is to be right.

A logistic function of what the aligner saw, fitted on the beads it finds on Text+Berg
dev (the only set used for tuning), labelled right or wrong by the gold, plus about a
third as many 1-1 pairs shifted 3 or 4 sentences off the path as wrong examples (without
them the fit never sees a bead between unrelated sentences):

- a bead with both sides: its similarity, its Gale-Church length cost and whether it
  groups several sentences;
- an omission or an addition (1-0, 0-1): how similar the lone sentence is to the
  sentences next to where it sits on the other side; a good match there makes the
  omission doubtful.

A mislabelled or unrelated pair of texts gets low similarities everywhere, hence low
confidences; the caller can flag beads under a threshold for review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from translator.text.alignment.scoring import AlignParams, BeadScorer, BeadSimilarity, Level

__all__ = ["bead_confidences"]

# Logistic coefficients, fitted on Text+Berg dev (see docs/alignment.md).
LINK = (-0.06, 4.95, -1.02, -1.13)  # bias, similarity, length cost, several sentences
SKIP = (2.3, -19.25)  # bias, best similarity of the lone sentence with its neighbours


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -40 else 0.0


def bead_confidences(
    level: Level,
    params: AlignParams,
    path: Sequence[tuple[int, int, int, int]],
    similarity: BeadSimilarity | None = None,
) -> list[float]:
    """One confidence per bead of ``path`` (beads ``(i0, i1, j0, j1)`` on ``level``)."""
    scorer = BeadScorer(level, params, similarity=similarity)
    out = []
    for i0, i1, j0, j1 in path:
        if i0 < i1 and j0 < j1:
            x = (
                LINK[0]
                + LINK[1] * scorer.similarity(i0, i1, j0, j1)
                + LINK[2] * scorer.length_cost(i0, i1, j0, j1)
                + LINK[3] * (i1 - i0 + j1 - j0 > 2)
            )
        else:
            x = SKIP[0] + SKIP[1] * _neighbour_similarity(scorer, i0, i1, j0, j1)
        out.append(round(_logistic(x), 4))
    return out


def _neighbour_similarity(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> float:
    """Best 1-1 similarity of the lone sentence with the two sentences around it."""
    n, m = scorer.level.n, scorer.level.m
    if i0 < i1:
        others = [(i0, i0 + 1, j, j + 1) for j in (j0 - 1, j0) if 0 <= j < m]
    else:
        others = [(i, i + 1, j0, j0 + 1) for i in (i0 - 1, i0) if 0 <= i < n]
    return max((scorer.similarity(*bead) for bead in others), default=0.0)
