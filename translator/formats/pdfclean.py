"""Character-level repairs of text extracted from a PDF: typographic ligatures kept as
such, and ligatures lost by the extraction.

* ``expand_ligatures``: "ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬄ", "ﬅ", "ﬆ" (U+FB00-FB06) become their
  letters, the compatibility normalisation (NFKC) of those code points only: the rest
  of the text (no-break spaces, superscript note calls, "½") is left as it is.
* ``repair_lost_ligatures``: a font whose ligature glyphs ("ti", "ft", "fi", "fl",
  "ff", "ffi", "ffl") have no Unicode mapping extracts them as a space ("na onal",
  "a er", "de nition") or as nothing ("rst", "ofce"). A cut word is joined with the
  ligature's letters only where the language's word list knows the result and does
  not know the pieces better; and only when the document shows the fault at least
  twice (two different words repaired), so that a text without it is never touched.

The word lists are pyspellchecker's (MIT; word frequencies of OpenSubtitles for en, fr,
pt and nine other languages, 0.1-1.3 MB each, loaded once per process on first use).
"""

from __future__ import annotations

import dataclasses
import gzip
import itertools
import json
import re
from functools import lru_cache
from importlib import resources

from translator.formats.base import ParsedText

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
# The letters a lost ligature glyph stood for, most frequent first.
_LOST = ("ti", "ft", "fi", "fl", "ff", "ffi", "ffl")
# A word of letters, not the name of an entity ("&amp;" holds "amp").
_WORD = re.compile(r"(?<![&\w])[^\W\d_]+(?![\w;])")
_MIN_REPAIRS = 2
_MIN_FILLED_COUNT = 100  # a word rebuilt from a lone fragment must be a common one
_MORE_FREQUENT = 10  # "a er" → "after": far more frequent than "er" alone
_RARE = 1000  # a known word this rare ("sta") may still be a cut one ("staff") ...
_MUCH_MORE_FREQUENT = 100  # ... when the whole word is this much more frequent


def expand_ligatures(text: str) -> str:
    """``text`` with U+FB00-FB06 replaced by their letters (NFKC of those only)."""
    return text.translate(_LIGATURES)


@lru_cache(maxsize=4)
def word_counts(language: str) -> dict[str, int] | None:
    """The word list (word → frequency) for a language code ("pt-BR" reads "pt"), or
    None when pyspellchecker ships none for it."""
    base = language.lower().replace("_", "-").split("-")[0]
    if not base.isalpha():
        return None
    resource = resources.files("spellchecker") / "resources" / f"{base}.json.gz"
    if not resource.is_file():
        return None
    counts: dict[str, int] = json.loads(gzip.decompress(resource.read_bytes()))
    return counts


def repair_lost_ligatures(result: ParsedText, language: str) -> ParsedText:
    """Join words cut by a lost ligature in every block (see the module docstring);
    ``result`` unchanged when the language has no word list or the document shows no
    such fault. A warning says how many words were repaired."""
    counts = word_counts(language)
    if counts is None:
        return result
    planned = [_repairs(block.text, counts) for block in result.blocks]
    repaired_words = {new for repairs in planned for _start, _end, new in repairs}
    if len(repaired_words) < _MIN_REPAIRS:
        return result
    blocks = [
        dataclasses.replace(block, text=_apply(block.text, repairs)) if repairs else block
        for block, repairs in zip(result.blocks, planned, strict=True)
    ]
    total = sum(len(repairs) for repairs in planned)
    examples = ", ".join(sorted(repaired_words, key=str.lower)[:5])
    warning = (
        f"repaired {total} words cut by ligatures the PDF had lost ({examples}…): "
        "check them in the editor"
    )
    return dataclasses.replace(result, blocks=blocks, warnings=[*result.warnings, warning])


def _repairs(text: str, counts: dict[str, int]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every cut word found in ``text``, in order."""
    words = list(_WORD.finditer(text))
    joins = [
        _join_split(word.group(), following.group(), counts)
        if text[word.end() : following.start()] == " "
        else None
        for word, following in itertools.pairwise(words)
    ]
    repairs: list[tuple[int, int, str]] = []
    index = 0
    while index < len(words):
        join = joins[index] if index < len(joins) else None
        after = joins[index + 1] if index + 1 < len(joins) else None
        if join is not None and (after is None or after[1] <= join[1]):
            repairs.append((words[index].start(), words[index + 1].end(), join[0]))
            index += 2
            continue
        filled = _fill_gap(words[index].group(), counts)
        if filled is not None:
            repairs.append((words[index].start(), words[index].end(), filled))
        index += 1
    return repairs


def _join_split(first: str, second: str, counts: dict[str, int]) -> tuple[str, int] | None:
    """ "na" + "onal" → "national": the ligature became a space. Returns the word and
    how sure the join is (its pieces unknown to the list first), or None."""
    if not second.islower():
        return None
    known_first, known_second = counts.get(first.lower(), 0), counts.get(second, 0)
    best, best_count = None, 0
    for letters in _LOST:
        candidate = first + letters + second
        count = counts.get(candidate.lower(), 0)
        if count > best_count:
            best, best_count = candidate, count
    least_known = min(known_first, known_second)
    if best is None or best_count <= _MORE_FREQUENT * least_known:
        return None
    return best, (known_first == 0) + (known_second == 0)


def _fill_gap(word: str, counts: dict[str, int]) -> str | None:
    """ "rst" → "first", "ofce" → "office", "sta" → "staff": the ligature became
    nothing. Lowercase words only (names are capitalised), unknown or rare ones."""
    known = counts.get(word, 0)
    if len(word) < 3 or not word.islower() or known >= _RARE:
        return None
    best, best_count = None, 0
    for position in range(len(word) + 1):
        for letters in _LOST:
            candidate = word[:position] + letters + word[position:]
            count = counts.get(candidate, 0)
            if count > best_count:
                best, best_count = candidate, count
    if best_count < max(_MIN_FILLED_COUNT, _MUCH_MORE_FREQUENT * known):
        return None
    return best


def _apply(text: str, repairs: list[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, new in repairs:
        pieces.append(text[last:start])
        pieces.append(new)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
