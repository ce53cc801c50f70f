"""The Gale-Church length model (Gale and Church 1993): the length in characters of a
translation is about proportional to the length of its source, with a variance that
grows with the length.

``delta = (c * l_src - l_tgt) / sqrt(s2 * c * mean)``, ``mean = (l_src + l_tgt / c) / 2``,
and the cost of a bead is ``-log P(|delta| or more) = -log erfc(|delta| / sqrt 2)``.
Unlike NLTK's fixed ``c = 1``, ``c`` is measured: the ratio of the two sides' total
lengths, then of the lengths of the beads found (see :func:`.search.align_level`), so the
model fits any language pair and any edition (a summary, a padded translation).
"""

from __future__ import annotations

import math

from translator.text.inline import plain_view

__all__ = ["MAX_COST", "VARIANCE", "char_length", "length_cost"]

VARIANCE = 6.8  # Gale and Church's s^2, measured on English-French-German
MAX_COST = 40.0  # -log of the smallest probability told apart (erfc underflows near 1e-17)


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
