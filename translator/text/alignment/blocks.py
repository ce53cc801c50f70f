"""Two-level alignment: the blocks of two editions (headings, paragraphs, quotations, list
items, footnotes) first, then the sentences within the aligned blocks.

Blocks are scored like sentences (the heaviest types of the block, its length), plus a
*role* term: a heading (or title, or footnote) aligned 1-1 with a block of the same role
gains :data:`ANCHOR_BONUS`, which makes headings and footnotes strong anchors; a heading
aligned with a paragraph, or merged with any other block, loses a lot (translators do
not merge headings); other role mismatches (a paragraph as a quotation) lose a little.
Block beads may be 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3: paragraphs are often
merged or split differently between editions, and merging blocks costs little, since
the sentences inside are aligned anyway.

Sentences are then aligned within the aligned blocks, with two kinds of boundaries:

- a block bead with an anchor (heading, title, footnote) is a hard boundary: its
  sentences are only aligned with each other, so no sentence is ever linked across a
  heading;
- between two anchors, the sentence search follows the paragraph beads as the
  coarse-to-fine search follows a coarse path: along each bead's diagonal, within a
  margin of ``AlignParams.margin`` + 1 sentences (searched again twice as wide while the
  path touches the band's edge), so that a sentence moved to the next paragraph by one
  edition is still found (paragraph boundaries are soft).
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.errors import InputError
from translator.text.alignment.beads import BlockInfo
from translator.text.alignment.coarse import align_level, diagonals_band, search_around
from translator.text.alignment.scoring import AlignParams, BeadScorer, BeadSimilarity, Level
from translator.text.alignment.search import Path

__all__ = ["ANCHOR_BONUS", "ANCHOR_ROLES", "BLOCK_PRIORS", "align_with_blocks", "block_spans"]

ANCHOR_ROLES = frozenset({"heading", "title", "footnote"})
ANCHOR_BONUS = 3.0  # a heading 1-1 with a heading
ANCHOR_MISMATCH = 4.0  # a heading 1-1 with a paragraph
ANCHOR_MERGED = 6.0  # a heading in a bead of several blocks
ROLE_MISMATCH = 1.0  # a paragraph 1-1 with a quotation, a list item...
BLOCK_TYPES = 48  # heaviest types kept per block
BLOCK_PRIORS = {
    (1, 1): 0.0,
    (1, 0): 3.0,
    (0, 1): 3.0,
    (2, 1): 1.5,
    (1, 2): 1.5,
    (2, 2): 2.5,
    (3, 1): 3.0,
    (1, 3): 3.0,
}


def block_spans(blocks: Sequence[BlockInfo], n_sentences: int, side: str) -> list[tuple[int, int]]:
    """The sentence range ``[start, end)`` of each block; raises :class:`InputError` if
    the blocks do not hold exactly ``n_sentences`` sentences."""
    spans = []
    start = 0
    for block in blocks:
        if block.n_sentences < 0:
            raise InputError("a block cannot hold a negative number of sentences", field=side)
        spans.append((start, start + block.n_sentences))
        start += block.n_sentences
    if start != n_sentences:
        raise InputError(f"the blocks hold {start} sentences, not {n_sentences}", field=side)
    return spans


def align_with_blocks(
    level: Level,
    src_blocks: Sequence[BlockInfo],
    tgt_blocks: Sequence[BlockInfo],
    params: AlignParams,
    similarity: BeadSimilarity | None = None,
) -> tuple[Path, set[tuple[int, int]], BeadScorer]:
    """Sentence path of ``level`` aligned block first (see the module docstring), the
    hard boundaries it passes through (the points ``(i, j)``, sentences before them on
    each side, that start or end an anchor bead, which no sentence bead crosses) and the
    scorer that found it (its pairs cached, for the confidences)."""
    src_spans = block_spans(src_blocks, level.n, "src_blocks")
    tgt_spans = block_spans(tgt_blocks, level.m, "tgt_blocks")
    src_roles = [b.role for b in src_blocks]
    tgt_roles = [b.role for b in tgt_blocks]

    def anchored(i0: int, i1: int, j0: int, j1: int) -> bool:
        """Whether a block bead holds a heading, title or footnote."""
        return any(r in ANCHOR_ROLES for r in src_roles[i0:i1]) or any(
            r in ANCHOR_ROLES for r in tgt_roles[j0:j1]
        )

    def role_bonus(i0: int, i1: int, j0: int, j1: int) -> float:
        """The role term of a block bead (see the module docstring)."""
        if i0 == i1 or j0 == j1:
            return 0.0
        anchors = anchored(i0, i1, j0, j1)
        if i1 - i0 == 1 and j1 - j0 == 1:
            if src_roles[i0] == tgt_roles[j0]:
                return ANCHOR_BONUS if anchors else 0.0
            return -ANCHOR_MISMATCH if anchors else -ROLE_MISMATCH
        if anchors:
            return -ANCHOR_MERGED
        same = len(set(src_roles[i0:i1]) | set(tgt_roles[j0:j1])) == 1
        return 0.0 if same else -ROLE_MISMATCH

    blocks = Level(
        level.src.merge(src_spans, BLOCK_TYPES),
        level.tgt.merge(tgt_spans, BLOCK_TYPES),
        level.variance,
        level.ratio,
    )
    # Blocks of one role and no anchor (plain text: paragraphs only) have no role term:
    # no call per bead then. The ceiling stays, so the search prunes exactly as before.
    uniform = len(set(src_roles) | set(tgt_roles)) == 1 and not anchored(
        0, len(src_roles), 0, len(tgt_roles)
    )
    block_path, _ = align_level(
        blocks,
        params,
        priors=BLOCK_PRIORS,
        bonus=None if uniform else role_bonus,
        bonus_ceiling=ANCHOR_BONUS,
    )
    level.ratio = blocks.ratio  # measured again on the block beads
    # Runs of paragraph beads between anchor beads, as sentence rectangles.
    segments: list[list[tuple[int, int, int, int]]] = []
    previous_anchor = True
    for bead in block_path:
        anchor = anchored(*bead)
        if anchor or previous_anchor:
            segments.append([])
        segments[-1].append(_sentences(bead, src_spans, tgt_spans, level.n, level.m))
        previous_anchor = anchor
    # One scorer on the whole sentence level for every run: the pairs one run scores
    # stay cached for the runs beside it and for the confidences.
    scorer = BeadScorer(level, params, similarity=similarity)
    path: Path = []
    boundaries = set()
    for rectangles in segments:
        boundaries.add((rectangles[0][0], rectangles[0][2]))
        path.extend(_align_segment(scorer, rectangles, params, similarity))
    return path, boundaries, scorer


def _sentences(
    bead: tuple[int, int, int, int],
    src_spans: list[tuple[int, int]],
    tgt_spans: list[tuple[int, int]],
    n: int,
    m: int,
) -> tuple[int, int, int, int]:
    """The sentence rectangle of a block bead."""
    bi0, bi1, bj0, bj1 = bead
    i0 = src_spans[bi0][0] if bi0 < len(src_spans) else n
    i1 = src_spans[bi1 - 1][1] if bi0 < bi1 else i0
    j0 = tgt_spans[bj0][0] if bj0 < len(tgt_spans) else m
    j1 = tgt_spans[bj1 - 1][1] if bj0 < bj1 else j0
    return i0, i1, j0, j1


def _align_segment(
    scorer: BeadScorer,
    rectangles: list[tuple[int, int, int, int]],
    params: AlignParams,
    similarity: BeadSimilarity | None,
) -> Path:
    """The sentences of a run of block beads, searched along their diagonals within
    the margin (``scorer`` scores the whole sentence level)."""
    i0, j0 = rectangles[0][0], rectangles[0][2]
    i1, j1 = rectangles[-1][1], rectangles[-1][3]
    if i0 == i1 or j0 == j1:
        return [(i, i + 1, j0, j0) for i in range(i0, i1)] + [
            (i1, i1, j, j + 1) for j in range(j0, j1)
        ]
    local = [(a0 - i0, a1 - i0, b0 - j0, b1 - j0) for a0, a1, b0, b1 in rectangles]
    n, m = i1 - i0, j1 - j0
    if _cells(local, n) > params.segment_cells:
        # Huge paragraphs: their rectangles would be searched cell by cell (quadratic).
        shifted = None if similarity is None else _Shifted(similarity, i0, j0)
        sub, _ = align_level(scorer.level.slice(i0, i1, j0, j1), params, shifted)
        return [(a0 + i0, a1 + i0, b0 + j0, b1 + j0) for a0, a1, b0, b1 in sub]

    def band(margin: int) -> list[tuple[int, int]]:
        return [(lo + j0, hi + j0) for lo, hi in diagonals_band(local, n, m, margin)]

    return search_around(scorer, band, params.margin + 1, params.repair_cells, (i0, j0), (i1, j1))


def _cells(rectangles: list[tuple[int, int, int, int]], n: int) -> int:
    """How many cells the rectangles' band covers (before any margin), computed from
    the rectangles alone: no band is built for a run too big to search cell by cell."""
    return sum((i1 - i0 + 1) * (j1 - j0 + 1) for i0, i1, j0, j1 in rectangles)


class _Shifted:
    """A bead similarity over a sub-rectangle, in the sub-rectangle's indices."""

    def __init__(self, similarity: BeadSimilarity, i0: int, j0: int) -> None:
        self.similarity, self.i0, self.j0 = similarity, i0, j0

    def __call__(self, src_start: int, src_end: int, tgt_start: int, tgt_end: int) -> float:
        i0, j0 = self.i0, self.j0
        return self.similarity(src_start + i0, src_end + i0, tgt_start + j0, tgt_end + j0)
