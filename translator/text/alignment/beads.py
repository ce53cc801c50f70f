"""The data types of an alignment and their text format.

A :class:`Bead` links a run of consecutive source sentences to a run of consecutive target
sentences (either run may be empty: an omission or an addition). A list of beads is an
alignment when it covers every sentence of both sides exactly once, in order.

The text format is the one of the gold sets and of ``score_alignment.py``: one bead per
line, ``[i, ...]:[j, ...]`` with 0-based sentence indices, optionally followed by
``:score`` (which :func:`parse_beads` accepts and :func:`format_beads` only writes when
asked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translator.errors import InputError

__all__ = ["Bead", "BlockInfo", "check_alignment", "format_beads", "parse_beads"]

_BEAD_LINE = re.compile(r"^\s*\[([^\]]*)\]\s*:\s*\[([^\]]*)\]\s*(?::\s*([-+0-9.eE]+))?\s*$")


@dataclass(frozen=True, slots=True)
class Bead:
    """Source sentence indices, target sentence indices (consecutive, possibly empty) and
    the aligner's confidence in the link, from 0 (a guess) to 1 (certain)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 1.0

    @property
    def kind(self) -> tuple[int, int]:
        """``(len(src), len(tgt))``: ``(1, 1)``, ``(2, 1)``, ``(1, 0)``..."""
        return len(self.src), len(self.tgt)


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """One structural block of an edition: its role (``heading``, ``paragraph``,
    ``quote``, ``list_item``, ``footnote``; ``title`` too; any other string is a plain
    block) and how many sentences it holds. An edition's blocks, in order, partition its
    sentences."""

    role: str
    n_sentences: int


def format_beads(beads: Iterable[Bead], *, scores: bool = False) -> str:
    """One line per bead, ``[0]:[0, 1]`` (the gold format), with ``:0.873`` appended when
    ``scores`` is true. Ends with a newline unless there is no bead."""
    lines = []
    for bead in beads:
        line = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
        lines.append(f"{line}:{bead.score:.3f}" if scores else line)
    return "".join(line + "\n" for line in lines)


def parse_beads(text: str) -> list[Bead]:
    """Read beads in the gold format (the inverse of :func:`format_beads`); blank lines
    are skipped, a missing score is 1.0. Raises :class:`InputError` naming the line."""
    beads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if match is None:
            raise InputError(f"expected '[i, ...]:[j, ...]', got {line.strip()!r}", line=number)
        try:
            src, tgt = _indices(match[1]), _indices(match[2])
        except ValueError:
            raise InputError(f"bad sentence index in {line.strip()!r}", line=number) from None
        beads.append(Bead(src, tgt, float(match[3]) if match[3] else 1.0))
    return beads


def _indices(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",")) if text.strip() else ()


def check_alignment(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ``ValueError`` unless ``beads`` cover ``range(n_src)`` and ``range(n_tgt)``
    exactly once each, in order, with no empty bead."""
    next_src = next_tgt = 0
    for bead in beads:
        if not bead.src and not bead.tgt:
            raise ValueError("empty bead")
        if bead.src != tuple(range(next_src, next_src + len(bead.src))):
            raise ValueError(f"source out of order at {bead}")
        if bead.tgt != tuple(range(next_tgt, next_tgt + len(bead.tgt))):
            raise ValueError(f"target out of order at {bead}")
        next_src += len(bead.src)
        next_tgt += len(bead.tgt)
    if (next_src, next_tgt) != (n_src, n_tgt):
        raise ValueError(f"beads cover {next_src}/{n_src} source, {next_tgt}/{n_tgt} target")
