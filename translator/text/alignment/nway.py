"""N-way alignment: every edition aligned to a pivot edition, then merged into units.

Each non-pivot edition is aligned to the pivot with :func:`.align_sentences` (blocks
first when both have blocks). The pair alignments are merged into the coarsest common
partition of the pivot: two pivot sentences are in the same unit when some pair
alignment puts them in the same bead, so if EN-FR groups pivot sentences 3 and 4 and
EN-PT groups 4 and 5, then 3, 4 and 5 form one unit, with every FR and PT sentence linked
to them. Every sentence of every edition lands in exactly one unit, in order.

A sentence that has no pivot counterpart (a 0-1 bead) becomes a unit of its own, placed
where it sits between the pivot's units (several at the same place: in the order of the
editions, then of the sentences), unless another edition merged the pivot sentences
around it, in which case it belongs to that unit. A unit's confidence is the lowest
confidence of the pair beads it is made of.

Each unit also carries where it comes from, for rebuilding headings and paragraphs:
``role`` and ``block``, the role and index of the pivot block of its first pivot
sentence (for a unit without pivot sentence, the role of its sentence's block in its
own edition, and ``block`` None), and ``blocks``, the block indices of its sentences in
every edition.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from translator.errors import InputError
from translator.text.alignment.beads import Bead, BlockInfo
from translator.text.alignment.pair import align_sentences

__all__ = ["EditionText", "NWayUnit", "align_editions", "merge_pair_alignments"]


@dataclass
class EditionText:
    """One edition to align: its language (BCP 47, unique among the editions), its
    sentences and its blocks (in order, partitioning the sentences; empty: no blocks)."""

    language: str
    sentences: list[str]
    blocks: list[BlockInfo] = field(default_factory=list)


@dataclass
class NWayUnit:
    """One aligned row: the sentence indices of each edition (every language is a key,
    possibly with no sentence), the confidence, and where the unit comes from (see the
    module docstring)."""

    cells: dict[str, tuple[int, ...]]
    confidence: float
    role: str = "paragraph"
    block: int | None = None
    blocks: dict[str, tuple[int, ...]] = field(default_factory=dict)


def align_editions(
    editions: Sequence[EditionText],
    pivot: str,
    progress: Callable[[float], None] | None = None,
    **options: Any,
) -> list[NWayUnit]:
    """Align N editions through the one whose language is ``pivot`` into units (see the
    module docstring). ``options`` go to :func:`.align_sentences` (``dictionary``,
    ``scorer``, ``params``). Raises :class:`InputError` for a missing pivot or a language
    given twice."""
    languages = [e.language for e in editions]
    if len(set(languages)) != len(languages):
        raise InputError("each edition needs a language of its own", field="editions")
    if pivot not in languages:
        raise InputError(f"no edition in the pivot language {pivot!r}", field="pivot")
    base = editions[languages.index(pivot)]
    others = [e for e in editions if e.language != pivot]
    pairs: dict[str, list[Bead]] = {}
    for done, edition in enumerate(others):
        share = None if progress is None else _share(progress, done, len(others))
        pairs[edition.language] = align_sentences(
            base.sentences,
            edition.sentences,
            base.language,
            edition.language,
            src_blocks=base.blocks or None,
            tgt_blocks=edition.blocks or None,
            progress=share,
            **options,
        )
    units = merge_pair_alignments(len(base.sentences), pivot, pairs)
    _attach_blocks(units, {e.language: e for e in editions}, pivot, languages)
    if progress is not None:
        progress(1.0)
    return units


def merge_pair_alignments(n_pivot: int, pivot: str, pairs: dict[str, list[Bead]]) -> list[NWayUnit]:
    """Merge pivot-to-edition alignments (``pairs[language]``, the pivot as source)
    into units, the coarsest common partition of the pivot (module docstring)."""
    # Pivot sentence k and k + 1 are joined when some bead holds both.
    joined = [False] * max(n_pivot - 1, 0)
    for beads in pairs.values():
        for bead in beads:
            for k in bead.src[:-1]:
                joined[k] = True
    starts = [k for k in range(n_pivot) if k == 0 or not joined[k - 1]]
    ends = [*starts[1:], n_pivot] if starts else []
    units = [NWayUnit({pivot: tuple(range(a, b))}, 1.0) for a, b in zip(starts, ends, strict=True)]
    gaps: dict[int, list[NWayUnit]] = {}  # pivot position -> units of lone sentences
    for language, beads in pairs.items():
        for unit in units:
            unit.cells[language] = ()
        position = 0  # pivot sentences before the current bead
        for bead in beads:
            if bead.src:
                unit = units[bisect_right(starts, bead.src[0]) - 1]
                _add(unit, language, bead)
                position = bead.src[-1] + 1
            elif position in (0, n_pivot) or not joined[position - 1]:
                lone = NWayUnit({language: bead.tgt}, bead.score)
                gaps.setdefault(position, []).append(lone)
            else:  # between two pivot sentences of one unit
                _add(units[bisect_right(starts, position) - 1], language, bead)
    ordered: list[NWayUnit] = []
    for start, unit in zip(starts, units, strict=True):
        ordered.extend(gaps.get(start, ()))
        ordered.append(unit)
    ordered.extend(gaps.get(n_pivot, ()))
    everyone = [pivot, *pairs]
    for unit in ordered:
        unit.cells = {language: unit.cells.get(language, ()) for language in everyone}
    return ordered


def _share(progress: Callable[[float], None], done: int, total: int) -> Callable[[float], None]:
    return lambda x: progress((done + x) / total)


def _add(unit: NWayUnit, language: str, bead: Bead) -> None:
    unit.cells[language] = unit.cells.get(language, ()) + bead.tgt
    unit.confidence = min(unit.confidence, bead.score)


def _attach_blocks(
    units: list[NWayUnit],
    editions: dict[str, EditionText],
    pivot: str,
    languages: list[str],
) -> None:
    """Fill ``role``, ``block`` and ``blocks`` from each edition's blocks."""
    starts = {
        language: list(accumulate((b.n_sentences for b in edition.blocks), initial=0))
        for language, edition in editions.items()
    }

    def block_of(language: str, sentence: int) -> int:
        """Index of the block of ``language`` that holds ``sentence``."""
        return bisect_right(starts[language], sentence) - 1

    for unit in units:
        unit.blocks = {
            language: tuple(dict.fromkeys(block_of(language, s) for s in unit.cells[language]))
            if editions[language].blocks
            else ()
            for language in languages
        }
        if unit.cells[pivot] and unit.blocks[pivot]:
            unit.block = unit.blocks[pivot][0]
            unit.role = editions[pivot].blocks[unit.block].role
        else:
            unit.block = None
            for language in languages:
                if unit.blocks[language]:
                    unit.role = editions[language].blocks[unit.blocks[language][0]].role
                    break
