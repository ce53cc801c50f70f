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
    repairs: list[tuple[int, int, str]] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and text[word.end() : following.start()] == " ":
            joined = _join_split(word.group(), following.group(), counts)
            if joined is not None:
                repairs.append((word.start(), following.end(), joined))
                index += 2
                continue
        filled = _fill_gap(word.group(), counts)
        if filled is not None:
            repairs.append((word.start(), word.end(), filled))
        index += 1
    return repairs


def _join_split(first: str, second: str, counts: dict[str, int]) -> str | None:
    """ "na" + "onal" → "national": the ligature became a space."""
    if not second.islower():
        return None
    known_first, known_second = counts.get(first.lower(), 0), counts.get(second, 0)
    best, best_count = None, 0
    for letters in _LOST:
        candidate = first + letters + second
        count = counts.get(candidate.lower(), 0)
        if count > best_count:
            best, best_count = candidate, count
    if best is None or best_count <= min(known_first, known_second):
        return None
    return best


def _fill_gap(word: str, counts: dict[str, int]) -> str | None:
    """ "rst" → "first", "ofce" → "office": the ligature became nothing. Lowercase
    unknown words only (names are capitalised)."""
    if len(word) < 3 or not word.islower() or word in counts:
        return None
    best, best_count = None, 0
    for position in range(len(word) + 1):
        for letters in _LOST:
            candidate = word[:position] + letters + word[position:]
            count = counts.get(candidate, 0)
            if count > best_count:
                best, best_count = candidate, count
    return best if best_count >= _MIN_FILLED_COUNT else None


def _apply(text: str, repairs: list[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, new in repairs:
        pieces.append(text[last:start])
        pieces.append(new)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
