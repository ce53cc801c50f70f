"""Coarse-to-fine search: time and memory linear in the length of the texts.

The search of Vecalign (Thompson and Koehn 2019), over lexical units instead of
embeddings. The units of both sides are merged two by two, recursively, until the whole
matrix is small (``full_search_cells``); the best path found there is projected one level
down, where only a band of ``margin`` units around it (in both directions) is searched,
and so on down to single sentences. Coarse levels keep only the heaviest types of each
unit, only 1-1, 1-0 and 0-1 beads and a light length cost: their units do not end where
translations end.

Three safeguards make a narrow band safe:

- a path that touches the edge of its band is searched again in a band twice as wide;
- on the sentence level, stretches of poor beads (omissions, additions, beads with hardly
  any lexical match) are searched again over their whole rectangle (:func:`repair`): a
  long omission placed a few rows off by the coarse level gets its best place back;
- the length ratio is measured again on the beads found (:func:`align_level`): a long
  omission skews the ratio of the total lengths the length model starts from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

from translator.text.alignment.lengths import measured_ratio
from translator.text.alignment.scoring import AlignParams, BeadScorer, BeadSimilarity, Level
from translator.text.alignment.search import Band, Path, full_band, scored_search

__all__ = [
    "align_level",
    "coarse_to_fine",
    "diagonals_band",
    "project",
    "repair",
    "search_around",
    "widen",
]

REPAIR_CONTEXT = 3  # good beads kept on each side of a stretch of poor ones, as anchors
RATIO_PASSES = 3
Bonus = Callable[[int, int, int, int], float]


def project(path: Path, n: int, m: int, margin: int) -> Band:
    """The band on the level below a coarse path. Each coarse unit is two units here (the
    last may be one); within each coarse bead the path is taken as the straight line
    between its corners, and every cell within ``margin`` units of it, in either
    direction, is searched."""
    below = [
        (min(2 * i0, n), min(2 * i1, n), min(2 * j0, m), min(2 * j1, m)) for i0, i1, j0, j1 in path
    ]
    return diagonals_band(below, n, m, margin)


def diagonals_band(rectangles: Path, n: int, m: int, margin: int) -> Band:
    """The band along the diagonals of ``rectangles`` ``(i0, i1, j0, j1)`` (in order,
    covering the matrix): within each, the path is taken as the straight line between
    its corners, and every cell within ``margin`` units of it, in either direction, is
    searched."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for i0, i1, j0, j1 in rectangles:
        if i0 == i1:
            lo[i0] = min(lo[i0], j0)
            hi[i0] = max(hi[i0], j1)
            continue
        slope = (j1 - j0) / (i1 - i0)
        for i in range(i0, i1 + 1):
            centre = j0 + (i - i0) * slope
            lo[i] = min(lo[i], math.floor(centre))
            hi[i] = max(hi[i], math.ceil(centre))
    return widen(lo, hi, m, margin)


def widen(lo: list[int], hi: list[int], m: int, margin: int) -> Band:
    """Row ranges ``lo[i]..hi[i]`` widened by ``margin`` rows and columns each way."""
    n = len(lo) - 1
    window_lo = [min(lo[max(0, i - margin) : i + margin + 1]) for i in range(n + 1)]
    window_hi = [max(hi[max(0, i - margin) : i + margin + 1]) for i in range(n + 1)]
    return [(max(0, window_lo[i] - margin), min(m, window_hi[i] + margin)) for i in range(n + 1)]


def search_around(
    scorer: BeadScorer,
    make_band: Callable[[int], Band],
    margin: int,
    repair_cells: int,
    start: tuple[int, int] = (0, 0),
    end: tuple[int, int] | None = None,
) -> Path:
    """Search the band ``make_band(margin)``; again with twice the margin (twice at
    most) while the path touches the edge of its band; then :func:`repair` it.
    ``start`` and ``end`` bound a sub-rectangle of the level, as in :func:`scored_search`
    (then the band's rows start at row ``start[0]``)."""
    end = end if end is not None else (scorer.level.n, scorer.level.m)
    for _attempt in range(3):
        band = make_band(margin)
        path = scored_search(scorer, band, start, end)
        if not _touches_edge(path, band, start, end):
            break
        margin *= 2
    return repair(path, scorer, repair_cells)


def _touches_edge(path: Path, band: Band, start: tuple[int, int], end: tuple[int, int]) -> bool:
    for _i0, i1, _j0, j1 in path:
        lo, hi = band[i1 - start[0]]
        if (j1 == lo and lo > start[1]) or (j1 == hi and hi < end[1]):
            return True
    return False


def repair(path: Path, scorer: BeadScorer, max_cells: int) -> Path:
    """Search again, over their whole rectangle, the stretches of the path made of poor
    beads (omissions, additions, beads less than half as similar as the similarity
    offset), with ``REPAIR_CONTEXT`` good beads on each side as anchors. The band of a
    coarse path can miss the best place of a long omission by a few rows; within the
    rectangle the search is exact, so the path only gets better. Rectangles over
    ``max_cells`` cells are left as they are; 0 turns the repair off."""
    if not max_cells:
        return path
    floor = scorer.offset / 2
    poor = [
        i0 == i1 or j0 == j1 or scorer.similarity(i0, i1, j0, j1) < floor for i0, i1, j0, j1 in path
    ]
    windows: list[tuple[int, int]] = []
    k = 0
    while k < len(path):
        if not poor[k]:
            k += 1
            continue
        first = k
        while k < len(path) and poor[k]:
            k += 1
        low, high = max(0, first - REPAIR_CONTEXT), min(len(path) - 1, k - 1 + REPAIR_CONTEXT)
        if windows and low <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    for low, high in reversed(windows):
        start = (path[low][0], path[low][2])
        end = (path[high][1], path[high][3])
        if (end[0] - start[0] + 1) * (end[1] - start[1] + 1) > max_cells:
            continue
        band = [(start[1], end[1])] * (end[0] - start[0] + 1)
        path[low : high + 1] = scored_search(scorer, band, start, end)
    return path


def align_level(
    level: Level,
    params: AlignParams,
    similarity: BeadSimilarity | None = None,
    progress: Callable[[float], None] | None = None,
    **options: Any,
) -> tuple[Path, BeadScorer]:
    """:func:`coarse_to_fine` (``options`` are its keyword arguments), with the length
    ratio made robust to long omissions.

    The length ratio of the two sides starts as the ratio of their total lengths, which
    a long omission skews (drop a third of one side and every sentence of the other looks
    too long); it is measured again on the beads found, and the search redone (up to
    3 times) while it moves by more than 5 %."""
    path, scorer = coarse_to_fine(level, params, similarity, progress, **options)
    for _attempt in range(RATIO_PASSES):
        ratio = measured_ratio(level.src.cum, level.tgt.cum, path)
        if ratio is None or abs(math.log(ratio / level.ratio)) <= 0.05:
            break
        level.ratio = ratio
        path, scorer = coarse_to_fine(level, params, similarity, progress, **options)
    return path, scorer


def coarse_to_fine(
    level: Level,
    params: AlignParams,
    similarity: BeadSimilarity | None = None,
    progress: Callable[[float], None] | None = None,
    *,
    priors: dict[tuple[int, int], float] | None = None,
    bonus: Bonus | None = None,
    bonus_ceiling: float = 0.0,
) -> tuple[Path, BeadScorer]:
    """Best path on ``level`` and the scorer that found it (see the module docstring).
    ``similarity``, ``priors`` and ``bonus`` apply to ``level`` itself, not to the coarser
    levels built above it; ``progress`` gets the share of the levels done."""
    levels = [level]
    while (levels[-1].n + 1) * (levels[-1].m + 1) > params.full_search_cells and min(
        levels[-1].n, levels[-1].m
    ) > 8:
        levels.append(levels[-1].coarser(params.coarse_types))
    path: Path = []
    for depth in range(len(levels) - 1, -1, -1):
        here = levels[depth]
        if depth:
            scorer = BeadScorer(here, params, coarse=True)
        else:
            scorer = BeadScorer(
                here,
                params,
                priors=priors,
                similarity=similarity,
                bonus=bonus,
                bonus_ceiling=bonus_ceiling,
            )
        if depth == len(levels) - 1:
            path = scored_search(scorer, full_band(here.n, here.m))
        else:
            path = search_around(
                scorer,
                partial(project, path, here.n, here.m),
                params.coarse_margin if depth else params.margin,
                params.repair_cells if depth == 0 else 0,
            )
        if progress is not None:
            progress(1.0 - depth / len(levels))
    return path, scorer
