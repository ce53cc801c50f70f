"""The Gale-Church length model (Gale and Church 1993): the length in characters of a
translation is about proportional to the length of its source, with a variance that
grows with the length.

``delta = (c * l_src - l_tgt) / sqrt(s2 * c * mean)``, ``mean = (l_src + l_tgt / c) / 2``,
and the cost of a bead is ``-log P(|delta| or more) = -log erfc(|delta| / sqrt 2)``.
Unlike NLTK's fixed ``c = 1``, the ratio ``c`` is measured, so the model fits any
language pair and any edition (a summary, a padded translation):

- it starts as the ratio of the two sides' total lengths (:func:`start_ratio`), unless
  the sentence pairs that share a rare word say otherwise by more than a quarter: then
  one side lacks whole stretches of the other (a translation in progress) and their
  median ratio is the better start;
- it is measured again on the beads found (:func:`measured_ratio`), and the search redone
  while it moves (:func:`.coarse.align_level`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

from translator.text.inline import plain_view

__all__ = [
    "MAX_COST",
    "VARIANCE",
    "char_length",
    "length_cost",
    "measured_ratio",
    "start_ratio",
]

VARIANCE = 6.8  # Gale and Church's s^2, measured on English-French-German
MAX_COST = 40.0  # -log of the smallest probability told apart (erfc underflows near 1e-17)
MIN_ANCHORS = 5  # sentence pairs sharing a rare word needed to overrule the totals
ANCHOR_DISAGREEMENT = math.log(1.25)


def char_length(text: str) -> int:
    """Characters of a sentence without its markup or spaces (OCR and tokenised text put
    spaces around punctuation, which says nothing about the translation)."""
    if "<" in text or "&" in text:
        text = plain_view(text).text
    return len(text) - text.count(" ")


def length_cost(src_chars: float, tgt_chars: float, ratio: float, variance: float) -> float:
    """Gale-Church ``-log P`` of a bead with these lengths (0 when both are empty)."""
    mean = (src_chars + tgt_chars / ratio) / 2
    if mean <= 0:
        return 0.0
    delta = abs(ratio * src_chars - tgt_chars) / math.sqrt(variance * mean * ratio)
    p = math.erfc(delta * 0.7071067811865476)
    return -math.log(p) if p > 1e-17 else MAX_COST


def start_ratio(
    src_len: Sequence[int], tgt_len: Sequence[int], anchors: Sequence[tuple[int, int]]
) -> float:
    """The length ratio to start from (see the module docstring); ``anchors`` are
    sentence pairs ``(i, j)`` almost surely translations of each other."""
    total_src, total_tgt = sum(src_len), sum(tgt_len)
    ratio = total_tgt / total_src if total_src and total_tgt else 1.0
    ratios = [tgt_len[j] / src_len[i] for i, j in anchors if src_len[i] and tgt_len[j]]
    if len(ratios) >= MIN_ANCHORS:
        anchored = median(ratios)
        if abs(math.log(anchored / ratio)) > ANCHOR_DISAGREEMENT:
            return anchored
    return ratio


def measured_ratio(
    src_cum: Sequence[int], tgt_cum: Sequence[int], path: Sequence[tuple[int, int, int, int]]
) -> float | None:
    """Target characters per source character in the beads ``(i0, i1, j0, j1)`` of
    ``path`` that have both sides (None if none has); ``*_cum`` are prefix sums of the
    sentence lengths."""
    src_chars = tgt_chars = 0
    for i0, i1, j0, j1 in path:
        if i0 < i1 and j0 < j1:
            src_chars += src_cum[i1] - src_cum[i0]
            tgt_chars += tgt_cum[j1] - tgt_cum[j0]
    return tgt_chars / src_chars if src_chars and tgt_chars else None
