"""Sentence alignment of two or more editions of a document, without any trained model.

Pure (no Flask, no database): sentences in, beads out. :func:`align_sentences` aligns
two lists of sentences (optionally block first: headings, paragraphs...);
:func:`align_editions` aligns N editions through a pivot into units; :func:`align_files`
is what ``translator align-files`` runs. Design notes and figures: ``docs/alignment.md``.

How a pair is aligned: each bead's score combines the Gale-Church length model, lexical
anchors (identical words and names, cognates, numbers, punctuation, FreeDict dictionary
translations when installed) and a prior per kind of bead (:mod:`.scoring`); the best
sequence of beads is found by a coarse-to-fine dynamic programme whose time and memory
grow linearly with the length (:mod:`.coarse`). A site with a multilingual sentence
encoder can plug it in as a :class:`PairScorer`.
"""

from __future__ import annotations

from translator.text.alignment.beads import (
    Bead,
    BlockInfo,
    check_alignment,
    format_beads,
    parse_beads,
)
from translator.text.alignment.dictionary import BilingualDictionary, load_dictionary
from translator.text.alignment.nway import EditionText, NWayUnit, align_editions
from translator.text.alignment.pair import align_files, align_sentences
from translator.text.alignment.scoring import AlignParams, BeadSimilarity, PairScorer

__all__ = [
    "AlignParams",
    "Bead",
    "BeadSimilarity",
    "BilingualDictionary",
    "BlockInfo",
    "EditionText",
    "NWayUnit",
    "PairScorer",
    "align_editions",
    "align_files",
    "align_sentences",
    "check_alignment",
    "format_beads",
    "load_dictionary",
    "parse_beads",
]
