"""The dynamic programming kernel: the best monotone path through a band of the
alignment matrix.

A cell (i, j) of the matrix is the state "i source and j target units aligned"; a bead of
kind (a, b) goes from (i - a, j - b) to (i, j) and adds its score. ``band[i] = (lo, hi)``
lists the cells searched in row i, so time and memory are linear in the number of cells.
:func:`banded_search` takes any score function (it is the reference the tests compare
with); :func:`scored_search` is the same search with :class:`.BeadScorer`'s score written
inline, several times faster, which is what the aligner runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from translator.text.alignment.lengths import MAX_COST
from translator.text.alignment.scoring import BeadScorer

__all__ = ["Band", "BeadScore", "Path", "banded_search", "full_band", "scored_search"]

BeadScore = Callable[[int, int, int, int], float]
Path = list[tuple[int, int, int, int]]  # beads as (i0, i1, j0, j1): [i0, i1) x [j0, j1)
Band = list[tuple[int, int]]
_NEG = float("-inf")


def full_band(n: int, m: int) -> Band:
    """Every cell of the matrix."""
    return [(0, m)] * (n + 1)


def banded_search(
    n: int,
    m: int,
    band: Sequence[tuple[int, int]],
    kinds: Sequence[tuple[int, int]],
    score: BeadScore,
) -> Path:
    """Best monotone path from (0, 0) to (n, m) through the band, as beads
    ``(i0, i1, j0, j1)``: ``band[i] = (lo, hi)`` are the target prefixes allowed after i
    source units (inclusive), ``kinds`` the bead kinds ``(a, b)`` and ``score(i0, i1, j0,
    j1)`` is added per bead. Raises ``ValueError`` if no path fits the band."""
    best: list[list[float]] = []
    back: list[list[int]] = []
    for i in range(n + 1):
        lo, hi = band[i]
        row = [_NEG] * (hi - lo + 1)
        brow = [-1] * (hi - lo + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            top = _NEG
            arg = -1
            for k, (a, b) in enumerate(kinds):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                plo, phi = band[pi]
                if pj < plo or pj > phi:
                    continue
                prev = best[pi][pj - plo] if a else row[pj - lo]
                if prev == _NEG:
                    continue
                value = prev + score(pi, i, pj, j)
                if value > top:
                    top, arg = value, k
            row[j - lo] = top
            brow[j - lo] = arg
        best.append(row)
        back.append(brow)
    return _trace(back, band, kinds, (0, 0), (n, m))


def _trace(
    back: list[list[int]],
    band: Sequence[tuple[int, int]],
    kinds: Sequence[tuple[int, int]],
    start: tuple[int, int],
    end: tuple[int, int],
) -> Path:
    path = []
    i, j = end
    while (i, j) != start:
        k = back[i - start[0]][j - band[i - start[0]][0]]
        if k < 0:
            raise ValueError("no path through the band")
        a, b = kinds[k]
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    path.reverse()
    return path


def scored_search(
    scorer: BeadScorer,
    band: Sequence[tuple[int, int]],
    start: tuple[int, int] = (0, 0),
    end: tuple[int, int] | None = None,
) -> Path:
    """:func:`banded_search` with :class:`BeadScorer`'s score written inline, and the
    similarity of a bead only computed when the rest of its score leaves it a chance to
    beat the best bead found so far for the cell: the same result, several times faster.

    ``start`` and ``end`` (default: the whole matrix) bound a sub-rectangle; then
    ``band[k]`` is the band of row ``start[0] + k``."""
    lv = scorer.level
    params = scorer.params
    i_start, j_start = start
    i_end, j_end = end if end is not None else (lv.n, lv.m)
    custom = scorer.custom
    pair = scorer.pair
    similarity = scorer.similarity
    smass, tmass = lv.src.mass, lv.tgt.mass
    stotal, ttotal = lv.src.total, lv.tgt.total
    scum, tcum = lv.src.cum, lv.tgt.cum
    ratio = lv.ratio
    inv_ratio = 1.0 / ratio
    var_ratio = lv.variance * ratio
    wl = params.lexical_weight
    offset = scorer.offset
    smooth = params.smoothing
    lw = scorer.length_weight
    bonus = scorer.bonus
    ceiling = wl * (1.0 - offset) + scorer.bonus_ceiling
    pairs = scorer._pairs
    stride = scorer._stride
    erfc, log, sqrt = math.erfc, math.log, math.sqrt
    kinds = scorer.kinds
    order = sorted(range(len(kinds)), key=lambda k: (kinds[k] != (1, 1), min(kinds[k]) > 0))
    plan = [(k, kinds[k][0], kinds[k][1], scorer.priors[kinds[k]]) for k in order]
    best: list[list[float]] = []
    back: list[list[int]] = []
    for i in range(i_start, i_end + 1):
        lo, hi = band[i - i_start]
        row = [_NEG] * (hi - lo + 1)
        brow = [-1] * (hi - lo + 1)
        # What each kind of bead ending on this row takes from the row it starts on
        # (worked out once per row, not once per cell): that row's scores and band, the
        # columns it can end on, and its source characters.
        steps = []
        for k, a, b, prior in plan:
            pi = i - a
            if pi < i_start:
                continue
            plo, phi = band[pi - i_start] if a else (lo, hi)
            steps.append(
                (
                    k,
                    a,
                    b,
                    prior,
                    pi,
                    best[pi - i_start] if a else row,
                    plo,
                    max(plo, j_start) + b,
                    phi + b,
                    scum[i] - scum[pi],
                )
            )
        for j in range(lo, hi + 1):
            if i == i_start and j == j_start:
                row[j - lo] = 0.0
                continue
            top = _NEG
            arg = -1
            for k, a, b, prior, pi, prow, plo, first, last, ls in steps:
                if j < first or j > last:
                    continue
                pj = j - b
                prev = prow[pj - plo]
                if prev == _NEG:
                    continue
                if bonus is not None:
                    prev += bonus(pi, i, pj, j)
                if a == 0 or b == 0:
                    value = prev - prior
                    if value > top:
                        top = value
                        arg = k
                    continue
                value = prev - prior
                if value + ceiling <= top:
                    continue
                lt = tcum[j] - tcum[pj]
                mean = (ls + lt * inv_ratio) * 0.5
                if mean > 0:
                    p = erfc(abs(ratio * ls - lt) / sqrt(var_ratio * mean) * 0.7071067811865476)
                    value -= lw * (-log(p) if p > 1e-17 else MAX_COST)
                    if value + ceiling <= top:
                        continue
                if custom is not None:
                    sim = custom(pi, i, pj, j)
                elif a == 1:
                    key = pi * stride + pj
                    p0 = pairs.get(key) or pair(pi, pj)
                    if b == 1:
                        sim = (p0[0] + p0[1]) / (stotal[pi] + ttotal[pj] + smooth)
                    elif b == 2:
                        p1 = pairs.get(key + 1) or pair(pi, pj + 1)
                        sim = (min(p0[0] + p1[0], smass[pi]) + p0[1] + p1[1]) / (
                            stotal[pi] + ttotal[pj] + ttotal[pj + 1] + smooth
                        )
                    else:
                        sim = similarity(pi, i, pj, j)
                elif a == 2 and b == 1:
                    key = pi * stride + pj
                    p0 = pairs.get(key) or pair(pi, pj)
                    p1 = pairs.get(key + stride) or pair(pi + 1, pj)
                    sim = (p0[0] + p1[0] + min(p0[1] + p1[1], tmass[pj])) / (
                        stotal[pi] + stotal[pi + 1] + ttotal[pj] + smooth
                    )
                else:
                    sim = similarity(pi, i, pj, j)
                value += wl * (sim - offset)
                if value > top:
                    top = value
                    arg = k
            row[j - lo] = top
            brow[j - lo] = arg
        best.append(row)
        back.append(brow)
    return _trace(back, band, kinds, start, (i_end, j_end))
