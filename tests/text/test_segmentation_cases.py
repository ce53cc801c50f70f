"""Sentence segmentation on hard real cases: 150+ paragraphs per language (en, fr, pt)
of consecutive sentences from the corpus (TICO-19, NTREX), picked for what trips
segmenters (abbreviations, initials, acronyms, ellipses, quotes and brackets around
sentence ends, numbers, URLs, ordinals, guillemets, dashes), kept in
``segmentation_cases/<lang>.txt`` with the expected splits. The goal: 97 % of the
paragraphs split exactly right in each language."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from translator.text.segmentation import split_sentences

CASES = Path(__file__).parent / "segmentation_cases"
GOAL = 0.97


def load_cases(language: str) -> list[tuple[str, list[str]]]:
    """(source, expected sentences) of each case of ``<language>.txt``."""
    cases: list[tuple[str, list[str]]] = []
    source, sentences = "", []
    lines = (CASES / f"{language}.txt").read_text(encoding="utf-8").split("\n")
    for line in [*lines, ""]:
        if line.startswith("# "):
            source = line[2:]
        elif line:
            sentences.append(line)
        elif sentences:
            cases.append((source, sentences))
            sentences = []
    return cases


@pytest.mark.parametrize("language", ["en", "fr", "pt"])
def test_hard_real_cases_split_right(language: str) -> None:
    cases = load_cases(language)
    assert len(cases) >= 150
    wrong = []
    for source, expected in cases:
        paragraph = html.escape(" ".join(expected), quote=False)
        got = [html.unescape(s) for s in split_sentences(paragraph, language)]
        if got != expected:
            wrong.append((source, got))
    exact = 1 - len(wrong) / len(cases)
    print(f"{language}: {exact:.1%} of {len(cases)} paragraphs exactly right")
    assert exact >= GOAL, wrong
    # And the misses are the known ones, not new ones (a rule that broke would show here
    # before the share fell under the goal).
    assert len(wrong) <= 3, wrong
