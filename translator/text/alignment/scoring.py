"""Bead scores: the Gale-Church length cost, the lexical similarity and a prior per kind
of bead, on one level of the coarse-to-fine search.

``score = lexical_weight * (similarity - similarity_offset) - length_cost - prior[kind]``
for a bead with both sides non-empty, ``-prior[kind]`` for an omission or an addition.
The offset makes a pair less similar than usual cost more than leaving both sentences
unaligned would; the priors favour the common 1-1 bead.

``similarity`` is the share of the bead's word weight that is matched on the other side:
linked types weigh their inverse sentence frequency, types that link nowhere a little
(:data:`.lexical.UNLINKED_WEIGHT`), so merging a sentence none of whose words match costs
something (see :mod:`.lexical`). A :class:`PairScorer` can replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from typing import Protocol

from translator.text.alignment.lengths import length_cost, start_ratio
from translator.text.alignment.lexical import LexicalModel

__all__ = ["AlignParams", "BeadSimilarity", "Level", "PairScorer"]


class BeadSimilarity(Protocol):
    """Similarity of one candidate bead, prepared for one pair of sentence lists."""

    def __call__(self, src_start: int, src_end: int, tgt_start: int, tgt_end: int) -> float:
        """Similarity in [0, 1] of source sentences ``[src_start, src_end)`` taken
        together and target sentences ``[tgt_start, tgt_end)``; both ranges non-empty,
        at most 3 sentences long."""
        ...


class PairScorer(Protocol):
    """A pluggable sentence similarity, e.g. cosine similarity of multilingual sentence
    embeddings (LASER, LaBSE) as in Vecalign.

    :meth:`prepare` is called once per pair of sentence lists and may precompute (embed
    every sentence and every concatenation of 2 or 3 neighbours). The function it returns
    replaces the lexical similarity on the sentence level; the coarse levels of the search
    and the length model stay. It is only called for beads near the alignment path (a few
    dozen per sentence), so it must be cheap per call."""

    def prepare(
        self, src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
    ) -> BeadSimilarity:
        """Return the bead similarity function for these two sentence lists."""
        ...


def _default_priors() -> dict[tuple[int, int], float]:
    return {
        (1, 1): 0.0,
        (1, 0): 3.0,
        (0, 1): 3.0,
        (2, 1): 2.0,
        (1, 2): 2.0,
        (2, 2): 4.0,
        (3, 1): 4.0,
        (1, 3): 4.0,
    }


def _coarse_priors() -> dict[tuple[int, int], float]:
    return {(1, 1): 0.0, (1, 0): 2.0, (0, 1): 2.0}


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Tunable constants of the aligner. The scoring defaults were chosen on Text+Berg dev
    only; the search ones (margins, coarse levels) so that the search finds what a search
    of the whole matrix finds (docs/alignment.md)."""

    priors: dict[tuple[int, int], float] = field(default_factory=_default_priors)
    coarse_priors: dict[tuple[int, int], float] = field(default_factory=_coarse_priors)
    lexical_weight: float = 10.0
    length_weight: float = 1.0
    coarse_length_weight: float = 0.3  # coarse units do not end where translations end
    similarity_offset: float = 0.2
    coarse_similarity_offset: float = 0.2
    smoothing: float = 1.0  # added to the weight of a bead: short beads are less sure
    margin: int = 1  # band half-width around the path projected from the coarser level
    coarse_margin: int = 1  # the same on the coarse levels
    coarse_types: int = 12  # heaviest types kept per unit on the coarse levels
    full_search_cells: int = 3000  # a level this small is searched whole: no coarser level
    repair_cells: int = 40000  # largest rectangle searched again around poor beads
    # A run of paragraphs (between two headings) whose rectangles cover more cells is
    # searched coarse to fine like a text without blocks: time and memory stay linear
    # when an edition is one huge paragraph (plain text without blank lines).
    segment_cells: int = 200_000


class Side:
    """The units of one side on one level: for each unit, its linked types (a set, and
    the same types in a fixed order with what each links to and its weight), its
    lexical mass (the weights summed), the weight of its types that link nowhere, the
    total of both, and its length in characters."""

    def __init__(
        self,
        units: list[list[str]],
        links: dict[str, frozenset[str]],
        weight: dict[str, float],
        lengths: Sequence[int],
        unlinked: Sequence[float],
    ) -> None:
        self.units = units
        self.types = [frozenset(u) for u in units]
        self.links = [tuple(map(links.__getitem__, u)) for u in units]
        self.weights = [tuple(map(weight.__getitem__, u)) for u in units]
        self.mass = [sum(w) for w in self.weights]
        self.unlinked = list(unlinked)
        self.total = [a + b for a, b in zip(self.mass, self.unlinked, strict=True)]
        self.lengths = list(lengths)
        self.cum = [0, *accumulate(self.lengths)]
        self._all_links = links
        self._all_weights = weight

    def __len__(self) -> int:
        return len(self.units)

    def merge(self, spans: Sequence[tuple[int, int]], cap: int) -> Side:
        """A side whose units are the runs ``[start, end)`` of these units, each keeping
        its ``cap`` heaviest types."""
        weight = self._all_weights
        merged: list[list[str]] = []
        for start, end in spans:
            types = list(dict.fromkeys(chain.from_iterable(self.units[start:end])))
            if len(types) > cap:  # a stable sort of a list in a fixed order: deterministic
                types = sorted(types, key=weight.__getitem__)[-cap:]
            merged.append(types)
        lengths = [self.cum[end] - self.cum[start] for start, end in spans]
        unlinked = [sum(self.unlinked[start:end]) for start, end in spans]
        return Side(merged, self._all_links, weight, lengths, unlinked)

    def coarser(self, cap: int) -> Side:
        """Consecutive pairs of units merged (the last may stay single)."""
        n = len(self.units)
        return self.merge([(k, min(k + 2, n)) for k in range(0, n, 2)], cap)

    def slice(self, start: int, end: int) -> Side:
        """Units ``[start, end)`` only."""
        return Side(
            self.units[start:end],
            self._all_links,
            self._all_weights,
            self.lengths[start:end],
            self.unlinked[start:end],
        )


class Level:
    """Both sides on one level of the search (sentences, or on coarser levels runs of 2,
    4, 8... sentences), with the length ratio and variance of the length model."""

    def __init__(self, src: Side, tgt: Side, variance: float, ratio: float | None = None) -> None:
        self.src, self.tgt = src, tgt
        self.n, self.m = len(src), len(tgt)
        self.variance = variance
        if ratio is None:
            total_src, total_tgt = src.cum[-1], tgt.cum[-1]
            ratio = total_tgt / total_src if total_src and total_tgt else 1.0
        self.ratio = ratio

    @classmethod
    def sentences(
        cls, model: LexicalModel, src_len: Sequence[int], tgt_len: Sequence[int], variance: float
    ) -> Level:
        """The sentence level of a lexical model (length ratio: :func:`.start_ratio`)."""
        return cls(
            Side(model.src_units, model.src_to_tgt, model.src_weight, src_len, model.src_unlinked),
            Side(model.tgt_units, model.tgt_to_src, model.tgt_weight, tgt_len, model.tgt_unlinked),
            variance,
            start_ratio(src_len, tgt_len, model.anchors),
        )

    def coarser(self, cap: int) -> Level:
        """The level above (see :meth:`Side.coarser`)."""
        return Level(self.src.coarser(cap), self.tgt.coarser(cap), self.variance, self.ratio)

    def slice(self, i0: int, i1: int, j0: int, j1: int) -> Level:
        """Source units ``[i0, i1)`` and target units ``[j0, j1)``, same length ratio."""
        return Level(self.src.slice(i0, i1), self.tgt.slice(j0, j1), self.variance, self.ratio)


class BeadScorer:
    """``score(i0, i1, j0, j1)`` of the beads of one level (see the module docstring).

    ``coarse`` selects the coarse-level constants; ``priors`` (default: the parameters'
    fine or coarse ones) also says which bead kinds exist. ``bonus``, if given, is added
    to every bead's score and never exceeds ``bonus_ceiling`` (the block level uses it for
    the roles of blocks)."""

    def __init__(
        self,
        level: Level,
        params: AlignParams,
        *,
        coarse: bool = False,
        priors: dict[tuple[int, int], float] | None = None,
        similarity: BeadSimilarity | None = None,
        bonus: Callable[[int, int, int, int], float] | None = None,
        bonus_ceiling: float = 0.0,
    ) -> None:
        self.level = level
        self.params = params
        if priors is None:
            priors = params.coarse_priors if coarse else params.priors
        self.priors = priors
        self.kinds = tuple(priors)
        self.custom = similarity
        self.bonus = bonus
        self.bonus_ceiling = bonus_ceiling
        self.length_weight = params.coarse_length_weight if coarse else params.length_weight
        self.offset = params.coarse_similarity_offset if coarse else params.similarity_offset
        self._pairs: dict[int, tuple[float, float]] = {}
        self._stride = level.m + 1

    def pair(self, i: int, j: int) -> tuple[float, float]:
        """Matched weight of source unit i in target unit j, and of j in i (cached)."""
        key = i * self._stride + j
        found = self._pairs.get(key)
        if found is None:
            src, tgt = self.level.src, self.level.tgt
            # matched = mass - the weight of the types linked to nothing on the other side;
            # links go both ways, so when no source type is matched no target type is.
            src_types, tgt_types = src.types[i], tgt.types[j]
            a = src.mass[i] - sum(compress(src.weights[i], map(tgt_types.isdisjoint, src.links[i])))
            if a > 1e-9:
                b = tgt.mass[j] - sum(
                    compress(tgt.weights[j], map(src_types.isdisjoint, tgt.links[j]))
                )
            else:
                a = b = 0.0
            found = self._pairs[key] = (a, b)
        return found

    def similarity(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Lexical (or custom) similarity in [0, 1] of a bead with both sides non-empty."""
        if self.custom is not None:
            return self.custom(i0, i1, j0, j1)
        lv = self.level
        if i1 - i0 == 1 and j1 - j0 == 1:
            a, b = self.pair(i0, j0)
            return (a + b) / (lv.src.total[i0] + lv.tgt.total[j0] + self.params.smoothing)
        matched = 0.0
        mass = self.params.smoothing
        tgt_matched = [0.0] * (j1 - j0)
        for i in range(i0, i1):
            src_matched = 0.0
            for j in range(j0, j1):
                a, b = self.pair(i, j)
                src_matched += a
                tgt_matched[j - j0] += b
            matched += min(src_matched, lv.src.mass[i])
            mass += lv.src.total[i]
        for j in range(j0, j1):
            matched += min(tgt_matched[j - j0], lv.tgt.mass[j])
            mass += lv.tgt.total[j]
        return matched / mass

    def length_cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Gale-Church ``-log P`` of the bead's length difference."""
        lv = self.level
        return length_cost(
            lv.src.cum[i1] - lv.src.cum[i0], lv.tgt.cum[j1] - lv.tgt.cum[j0], lv.ratio, lv.variance
        )

    def score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The bead's score (higher is better)."""
        value = -self.priors[(i1 - i0, j1 - j0)]
        if self.bonus is not None:
            value += self.bonus(i0, i1, j0, j1)
        if i0 == i1 or j0 == j1:
            return value
        similarity = self.similarity(i0, i1, j0, j1)
        return (
            value
            + self.params.lexical_weight * (similarity - self.offset)
            - self.length_weight * self.length_cost(i0, i1, j0, j1)
        )
