"""The confidence of each bead, in [0, 1]: how likely it is to be right.

A logistic function of what the aligner saw, fitted on the beads it finds on every gold
set of ../shared/corpus (``python bench/confidence_bench.py --fit``: Text+Berg DE-FR,
NTREX EN-FR/EN-PT, newstest2019 three ways, the UDHR, the paragraph-aligned essays, plus
newstest documents with one side shuffled as wrong pairings), labelled right or wrong by
the gold, each set weighing the same. The evidence:

- the **path margin**, the strongest by far: how much better the bead and its two
  neighbours on each side score than the best other way of aligning the same sentences
  without that bead (:func:`path_margin`), in the units of the aligner's own score
  (similarity, lengths, the prior of the bead's kind). A bead that wins by a wide margin
  is right whatever its similarity ("Article 1 / Article premier" between two articles);
  a near tie (an omission that could sit one sentence earlier, a 2-1 that could be 1-1
  plus 1-0) is where the aligner's mistakes are;
- a bead with both sides: its similarity, its margin over the best 1-1 pair of one of
  its sentences with a neighbour just outside it, its Gale-Church length cost and whether
  it groups several sentences;
- an omission or an addition (1-0, 0-1): how similar the lone sentence is to the
  sentences next to where it sits on the other side.
- the agreement of a second, independent alignment by lengths alone
  (:func:`lengths_path`): where the words overruled the lengths, the bead is less sure.

A mislabelled or unrelated pair of texts has no margin anywhere, hence low confidences.
A row is listed as "needs review" under :data:`REVIEW_THRESHOLD`, where it is more likely
wrong than right; docs/alignment.md gives the flag's precision and recall per set.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Sequence

from translator.text.alignment.scoring import BeadScorer
from translator.text.alignment.search import scored_search

__all__ = ["REVIEW_THRESHOLD", "bead_confidences"]

REVIEW_THRESHOLD = 0.5  # under it a bead is more likely wrong than right: "needs review"

# Logistic coefficients, fitted by: python bench/confidence_bench.py --fit
LINK = (0.59, -0.54, 2.96, -0.45, -1.36, -1.18, -1.1, 1.88, 3.15, 0.33)  # link_features' weights
SKIP = (0.29, -4.29, -1.62, 3.96, 0.42)  # the weights of skip_features

WEAK_SUPPORT = 0.3  # a sentence sharing this share of its words' weight is supported
MARGIN_CAP = 8.0  # a bead this far ahead of any other way is as sure as it gets
MARGIN_WIDTH = 2  # neighbours on each side re-aligned to measure a bead's path margin
AGREE_WIDTH = 1  # half-width of the band around the path that lengths alone search
Path = Sequence[tuple[int, int, int, int]]
Beads = Collection[tuple[int, int, int, int]]


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -40 else 0.0


def bead_confidences(
    scorer: BeadScorer, path: Path, boundaries: Collection[tuple[int, int]] = ()
) -> list[float]:
    """One confidence per bead of ``path`` (beads ``(i0, i1, j0, j1)`` on the sentence
    level ``scorer`` scores; the scorer that found the path has its pairs cached).
    ``boundaries``: points ``(i, j)`` of the path that the search could not cross (the
    headings of block alignment); no other way of aligning crosses them either.

    The path margin costs a small search per bead, so it is only measured where it can
    decide the flag: the confidence grows with the margin, and a bead whose confidence
    with no margin at all is already over :data:`REVIEW_THRESHOLD` gets the margin's
    upper bound instead (all its sentences left unaligned is one other way)."""
    out = []
    by_lengths = lengths_path(scorer, path, boundaries)
    for k, (i0, i1, j0, j1) in enumerate(path):
        link = i0 < i1 and j0 < j1
        weights = LINK if link else SKIP
        evidence = link_evidence(scorer, path, k) if link else skip_evidence(scorer, path, k)
        evidence.append(_agreement(evidence, link, path[k] in by_lengths))
        if link and _confidence(weights, evidence, 0.0) >= REVIEW_THRESHOLD:
            margin = skip_margin(scorer, i0, i1, j0, j1)
        else:
            margin = path_margin(scorer, path, k, boundaries)
        value = _confidence(weights, evidence, margin)
        out.append(round(value, 4))
    return out


def _confidence(weights: Sequence[float], evidence: list[float], margin: float) -> float:
    features = [*evidence, *_margin_terms(margin)]
    return _logistic(sum(w * f for w, f in zip(weights, features, strict=True)))


def _margin_terms(margin: float) -> list[float]:
    """The path margin, capped and scaled, and its logarithm (a small margin matters more
    than the difference between two large ones)."""
    margin = max(min(margin, MARGIN_CAP), 0.0)
    return [margin / MARGIN_CAP, math.log(margin + 0.25)]


def link_evidence(scorer: BeadScorer, path: Path, k: int) -> list[float]:
    """Bias, similarity, margin over the neighbours, length cost, several sentences, the
    weakest part (:func:`weakest_part`), and whether a neighbouring bead leaves a sentence
    unaligned (which the bead might have held)."""
    i0, i1, j0, j1 = path[k]
    beside = [path[b] for b in (k - 1, k + 1) if 0 <= b < len(path)]
    lone = any(b[0] == b[1] or b[2] == b[3] for b in beside)
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
        weakest_part(scorer, i0, i1, j0, j1),
        float(lone),
    ]


def weakest_part(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> float:
    """For a bead grouping several sentences on a side: how little the least supported
    of them shares with the other side (1: nothing, a sentence that only rides along;
    0: a good share, or a bead of one sentence a side)."""
    if scorer.custom is not None:
        return 0.0
    level = scorer.level
    supports = []
    if j1 - j0 > 1:
        for j in range(j0, j1):
            matched = sum(scorer.pair(i, j)[1] for i in range(i0, i1))
            supports.append(min(matched, level.tgt.mass[j]) / (level.tgt.total[j] + 0.5))
    if i1 - i0 > 1:
        for i in range(i0, i1):
            matched = sum(scorer.pair(i, j)[0] for j in range(j0, j1))
            supports.append(min(matched, level.src.mass[i]) / (level.src.total[i] + 0.5))
    if not supports:
        return 0.0
    return max(0.0, 1.0 - min(supports) / WEAK_SUPPORT)


def skip_evidence(scorer: BeadScorer, path: Path, k: int) -> list[float]:
    """Bias, best similarity of the lone sentence of bead ``k`` (a 1-0 or 0-1) with the
    sentences around where it sits."""
    return [1.0, neighbour_similarity(scorer, *path[k])]


def link_features(
    scorer: BeadScorer,
    path: Path,
    k: int,
    boundaries: Collection[tuple[int, int]] = (),
    by_lengths: Beads = (),
) -> list[float]:
    """:func:`link_evidence`, its agreement with :func:`lengths_path` (given as
    ``by_lengths``; :func:`_agreement`) and the path margin (two terms) of bead ``k``."""
    margin = path_margin(scorer, path, k, boundaries)
    evidence = link_evidence(scorer, path, k)
    agreement = _agreement(evidence, True, path[k] in by_lengths)
    return [*evidence, agreement, *_margin_terms(margin)]


def skip_features(
    scorer: BeadScorer,
    path: Path,
    k: int,
    boundaries: Collection[tuple[int, int]] = (),
    by_lengths: Beads = (),
) -> list[float]:
    """:func:`skip_evidence`, its agreement with ``by_lengths`` (:func:`_agreement`) and
    the path margin (two terms) of bead ``k`` of ``path``."""
    margin = path_margin(scorer, path, k, boundaries)
    evidence = skip_evidence(scorer, path, k)
    agreement = _agreement(evidence, False, path[k] in by_lengths)
    return [*evidence, agreement, *_margin_terms(margin)]


def _agreement(evidence: list[float], link: bool, agreed: bool) -> float:
    """The agreement term: for a linking bead, its similarity if the alignment by lengths
    has it too, else 0 (lengths alone agree with a link that no word supports whenever
    the lexical evidence is missing: that agreement says nothing); for a 1-0 / 0-1, 1
    when the alignment by lengths lacks it."""
    if link:
        return evidence[1] if agreed else 0.0
    return float(not agreed)


def lengths_path(
    scorer: BeadScorer,
    path: Path,
    boundaries: Collection[tuple[int, int]] = (),
    width: int = AGREE_WIDTH,
) -> set[tuple[int, int, int, int]]:
    """The beads of a second, independent alignment: Gale-Church, sentence lengths and
    the priors of bead kinds only (no lexical evidence), searched in a band of ``width``
    sentences around ``path`` and between its ``boundaries``. Where the two disagree, the
    lexical evidence had to overrule the lengths (or both are unsure): a bead missing
    from this path is more often wrong."""
    params = dataclasses.replace(scorer.params, lexical_weight=0.0)
    lengths = BeadScorer(scorer.level, params, similarity=_no_similarity)
    found: set[tuple[int, int, int, int]] = set()
    start = 0
    for k, (_, i1, _, j1) in enumerate(path):
        if k + 1 < len(path) and (i1, j1) not in boundaries:
            continue
        segment = path[start : k + 1]
        si, sj = segment[0][0], segment[0][2]
        band = _band(segment, si, sj, i1 - si, j1 - sj, width)
        found.update(scored_search(lengths, band, (si, sj), (i1, j1)))
        start = k + 1
    return found


def _no_similarity(src_start: int, src_end: int, tgt_start: int, tgt_end: int) -> float:
    return 0.0  # weighs nothing: spares the search computing similarities


def _band(segment: Path, si: int, sj: int, n: int, m: int, width: int) -> list[tuple[int, int]]:
    """Target prefixes allowed after each source prefix (relative to ``si``): the
    segment's points, ``width`` sentences wider in both directions, monotone."""
    lo, hi = [m] * (n + 1), [0] * (n + 1)
    points = [(b[0] - si, b[2] - sj) for b in segment] + [(n, m)]
    for i, j in points:
        for row in range(max(i - width, 0), min(i + width, n) + 1):
            lo[row] = min(lo[row], max(j - width, 0))
            hi[row] = max(hi[row], min(j + width, m))
    for row in range(1, n + 1):
        hi[row] = max(hi[row], hi[row - 1])
    for row in range(n - 1, -1, -1):
        lo[row] = min(lo[row], lo[row + 1])
    return [(sj + a, sj + b) for a, b in zip(lo, hi, strict=True)]


def skip_margin(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> float:
    """An upper bound of a linking bead's path margin: its score over leaving all its
    sentences unaligned (one of the other ways)."""
    priors = scorer.priors
    unlinked = (i1 - i0) * priors[(1, 0)] + (j1 - j0) * priors[(0, 1)]
    return scorer.score(i0, i1, j0, j1) + unlinked


def path_margin(
    scorer: BeadScorer,
    path: Path,
    k: int,
    boundaries: Collection[tuple[int, int]] = (),
    width: int = MARGIN_WIDTH,
) -> float:
    """How much better bead ``k`` of ``path`` scores, with ``width`` neighbours on each
    side (not beyond a boundary), than the best other way of aligning the same
    sentences: the score of those beads minus the best score of a path through their
    rectangle that avoids bead ``k`` (the aligner's own evidence that this bead, and not
    another, belongs here). :data:`MARGIN_CAP` when there is no other way."""
    window = margin_window(path, k, boundaries, width)
    si, sj = window[0][0], window[0][2]
    n, m = window[-1][1] - si, window[-1][3] - sj
    bead = path[k]
    chosen = sum(scorer.score(*b) for b in window)

    def forbid(i0: int, i1: int, j0: int, j1: int) -> float:
        return -math.inf if (i0, i1, j0, j1) == bead else 0.0

    other = BeadScorer(scorer.level, scorer.params, similarity=scorer.custom, bonus=forbid)
    other._pairs = scorer._pairs  # the pairs the search already scored
    try:
        alternative = scored_search(other, [(sj, sj + m)] * (n + 1), (si, sj), (si + n, sj + m))
    except ValueError:
        return MARGIN_CAP
    best = sum(scorer.score(*b) for b in alternative if b != bead)
    if len(alternative) and bead in alternative:
        return MARGIN_CAP
    return min(chosen - best, MARGIN_CAP)


def margin_window(
    path: Path, k: int, boundaries: Collection[tuple[int, int]], width: int = MARGIN_WIDTH
) -> Path:
    """Bead ``k`` of ``path`` and up to ``width`` beads on each side, not across a
    boundary: the beads :func:`path_margin` aligns again."""
    first = k
    while first > max(k - width, 0) and (path[first][0], path[first][2]) not in boundaries:
        first -= 1
    last = k
    while last < min(k + width, len(path) - 1) and (path[last][1], path[last][3]) not in boundaries:
        last += 1
    return path[first : last + 1]


def neighbour_similarity(scorer: BeadScorer, i0: int, i1: int, j0: int, j1: int) -> float:
    """For a 1-0 or 0-1 bead: the best 1-1 similarity of the lone sentence with the two
    sentences on either side of where it sits."""
    n, m = scorer.level.n, scorer.level.m
    if i0 < i1:
        others = [(i0, i0 + 1, j, j + 1) for j in (j0 - 1, j0) if 0 <= j < m]
    else:
        others = [(i, i + 1, j0, j0 + 1) for i in (i0 - 1, i0) if 0 <= i < n]
    return max((scorer.similarity(*bead) for bead in others), default=0.0)
