"""Aligning two editions: :func:`align_sentences` and :func:`align_files`."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from translator.errors import InputError
from translator.text.alignment.beads import Bead, BlockInfo
from translator.text.alignment.blocks import align_with_blocks
from translator.text.alignment.coarse import align_level
from translator.text.alignment.confidence import bead_confidences
from translator.text.alignment.dictionary import BilingualDictionary, load_dictionary
from translator.text.alignment.lengths import VARIANCE, char_length
from translator.text.alignment.lexical import build_lexical_model
from translator.text.alignment.scoring import AlignParams, Level, PairScorer

__all__ = ["DictionaryChoice", "align_files", "align_sentences"]

DictionaryChoice = BilingualDictionary | None | Literal["auto"]


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    src_blocks: Sequence[BlockInfo] | None = None,
    tgt_blocks: Sequence[BlockInfo] | None = None,
    dictionary: DictionaryChoice = "auto",
    scorer: PairScorer | None = None,
    progress: Callable[[float], None] | None = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align two lists of sentences (inline markup allowed) into beads.

    The beads cover every sentence of both sides exactly once, in order; their kinds are
    1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3, and ``Bead.score`` is the confidence in
    [0, 1] (see :mod:`.confidence`). With ``src_blocks`` and ``tgt_blocks`` (both, each
    partitioning its side's sentences in order) blocks are aligned first and sentences
    only within aligned blocks (:mod:`.blocks`); with one side's blocks only, they are
    ignored. ``dictionary="auto"`` loads the installed FreeDict dictionary of the pair if
    any (:func:`load_dictionary`), ``None`` uses none. ``scorer`` replaces the lexical
    similarity on the sentence level. ``progress`` gets fractions of the work done, the
    last one 1.0. Raises :class:`InputError` for blocks that do not fit the sentences."""
    params = params or AlignParams()
    if dictionary == "auto":
        dictionary = load_dictionary(src_lang, tgt_lang)
    with _paused_gc():
        model = build_lexical_model(src, tgt, dictionary)
        level = Level.sentences(
            model, [char_length(s) for s in src], [char_length(t) for t in tgt], VARIANCE
        )
        if progress is not None:
            progress(0.3)
        similarity = scorer.prepare(src, tgt, src_lang, tgt_lang) if scorer else None
        if src_blocks is not None and tgt_blocks is not None:
            path, boundaries, found_by = align_with_blocks(
                level, src_blocks, tgt_blocks, params, similarity
            )
        else:
            share = None if progress is None else _scaled(progress, 0.3, 0.95)
            path, found_by = align_level(level, params, similarity, share)
            boundaries = set()
        confidences = bead_confidences(found_by, path, boundaries)
        beads = [
            Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), score)
            for (i0, i1, j0, j1), score in zip(path, confidences, strict=True)
        ]
    if progress is not None:
        progress(1.0)
    return beads


def align_files(
    src_path: str | Path,
    tgt_path: str | Path,
    src_lang: str,
    tgt_lang: str,
    *,
    dictionary: DictionaryChoice = "auto",
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align two files of one sentence per line (UTF-8): line k is sentence k, blank
    lines included, so the beads' indices are 0-based line numbers (the gold format).
    Raises :class:`InputError` naming a file that cannot be read."""
    src, tgt = _read_lines(src_path), _read_lines(tgt_path)
    return align_sentences(src, tgt, src_lang, tgt_lang, dictionary=dictionary, params=params)


def _read_lines(path: str | Path) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(path)) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def _scaled(progress: Callable[[float], None], low: float, high: float) -> Callable[[float], None]:
    return lambda share: progress(low + (high - low) * share)


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_restore = False


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the aligner allocates millions of small
    objects, none in a cycle, and the collector would scan them again and again (a third
    of the run time on 10 000 sentences). Reference counting still frees everything."""
    global _gc_holders, _gc_restore
    with _gc_lock:
        if _gc_holders == 0:
            _gc_restore = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_restore:
                gc.enable()
