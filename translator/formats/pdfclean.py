"""Character-level repairs of text extracted from a PDF: typographic ligatures kept as
such, and ligatures lost by the extraction.

* ``expand_ligatures``: "ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬄ", "ﬅ", "ﬆ" (U+FB00-FB06) become their
  letters, the compatibility normalisation (NFKC) of those code points only: the rest
  of the text (no-break spaces, superscript note calls, "½") is left as it is; control
  characters (unmapped symbol glyphs) are dropped.
* ``repair_lost_ligatures``: a font whose ligature glyphs ("ti", "ft", "fi", "fl",
  "ff", "ffi", "ffl") have no Unicode mapping extracts them as a space ("na onal",
  "a er", "de nition") or as nothing ("rst", "ofce"). A cut word is joined with the
  ligature's letters only where the language's word list knows the result and does
  not know the pieces better (far less frequent, or not at all); and only for the
  letters the document shows lost: no fewer cut words than intact ones with those
  letters, and two different words repaired in all. A text without the fault, or in another
  language than the list's ("des nations" is no cut "destinations"), keeps its
  intact words with those letters and is left alone.

Each word list is turned once into an index of the broken forms of its words ("na
onal" and "naonal" → "national"), so that a document costs one dictionary look-up per
word and per pair of words.

The word lists are pyspellchecker's (MIT; word frequencies of OpenSubtitles for en, fr,
pt and nine other languages, 0.1-1.3 MB each, loaded once per process on first use).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from translator.formats.base import ParsedText

_LIGATURES = str.maketrans(
    {
        **{"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"},
        **dict.fromkeys([*range(0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]),
    }
)
# The letters a lost ligature glyph stood for, most frequent first.
_LOST = ("ti", "ft", "fi", "fl", "ff", "ffi", "ffl")
# A word of letters, not the name of an entity ("&amp;" holds "amp").
_WORD = re.compile(r"(?<![&\w])[^\W\d_]+(?!\w)")
_MIN_REPAIRS = 2
_MIN_FILLED_COUNT = 100  # a word rebuilt from a lone fragment must be a common one
_MORE_FREQUENT = 10  # "a er" → "after": far more frequent than "er" alone
_RARE = 1000  # a known word this rare ("sta") may still be a cut one ("staff") ...
_MUCH_MORE_FREQUENT = 100  # ... when the whole word is this much more frequent


def expand_ligatures(text: str) -> str:
    """``text`` with U+FB00-FB06 replaced by their letters (NFKC of those only), and
    without control characters other than tabs, newlines and form feeds: glyphs of
    symbol fonts without a Unicode mapping (a LaTeX bullet, an affiliation's dagger)
    come out of pdftotext as C0 or C1 controls, which a reader never sees."""
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


_Index = dict[str, tuple[str, str, int]]  # broken form → (word, lost letters, count)
_Indexes = tuple[_Index, _Index, frozenset[str]]  # spaced and gapped forms, first parts


def repair_lost_ligatures(result: ParsedText, language: str) -> ParsedText:
    """Join words cut by a lost ligature in every block (see the module docstring);
    ``result`` unchanged when the language has no word list or the document shows no
    such fault. A warning says how many words were repaired."""
    indexes = _broken_forms(language)
    counts = word_counts(language)
    if indexes is None or counts is None:
        return result
    planned = [_repairs(block.text, counts, indexes) for block in result.blocks]
    lost = Counter(letters for repairs in planned for *_span, _word, letters in repairs)
    intact = _intact(result, counts, set(lost))
    kept = {letters for letters, number in lost.items() if number >= intact[letters]}
    planned = [[r for r in repairs if r[3] in kept] for repairs in planned]
    repaired_words = {word for repairs in planned for _s, _e, word, _l in repairs}
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


@lru_cache(maxsize=4)
def _broken_forms(language: str) -> _Indexes | None:
    """For every word of the list with ligature letters: its forms with those letters
    turned into a space ("na onal") and removed ("naonal"); the more frequent word
    wins a form two words share."""
    counts = word_counts(language)
    if counts is None:
        return None
    spaced: _Index = {}
    gapped: _Index = {}
    for word, count in counts.items():
        if "f" not in word and "ti" not in word:
            continue  # most words: no ligature letters at all
        for letters in _LOST:
            start = word.find(letters)
            while start != -1:
                head, tail = word[:start], word[start + len(letters) :]
                if head and tail:
                    _keep_best(spaced, f"{head} {tail}", (word, letters, count))
                _keep_best(gapped, head + tail, (word, letters, count))
                start = word.find(letters, start + 1)
    heads = frozenset(form.split(" ", 1)[0] for form in spaced)
    return spaced, gapped, heads


def _keep_best(index: _Index, form: str, entry: tuple[str, str, int]) -> None:
    found = index.get(form)
    if found is None or found[2] < entry[2]:
        index[form] = entry


def _intact(result: ParsedText, counts: dict[str, int], letters: set[str]) -> Counter[str]:
    """How many words of the document, known to the list, hold each of ``letters``."""
    found: Counter[str] = Counter()
    if not letters:
        return found
    for block in result.blocks:
        for word in _WORD.findall(block.text.lower()):
            if ("f" in word or "ti" in word) and word in counts:
                found.update(sequence for sequence in letters if sequence in word)
    return found


_Repair = tuple[int, int, str, str]  # start, end, the repaired word, the letters put back


def _repairs(text: str, counts: dict[str, int], indexes: _Indexes) -> list[_Repair]:
    """Every cut word found in ``text``, in order."""
    spaced, gapped, heads = indexes
    words = _WORD.findall(text)
    starts = [match.start() for match in _WORD.finditer(text)]

    def join_at(index: int) -> tuple[str, str, int] | None:
        if index + 1 >= len(words) or words[index].lower() not in heads:
            return None
        if text[starts[index] + len(words[index]) : starts[index + 1]] != " ":
            return None
        return _join_split(words[index], words[index + 1], counts, spaced)

    repairs: list[_Repair] = []
    index = 0
    join = join_at(0)
    while index < len(words):
        after = join_at(index + 1)
        if join is not None and (after is None or after[2] <= join[2]):
            end = starts[index + 1] + len(words[index + 1])
            repairs.append((starts[index], end, join[0], join[1]))
            index += 2
            join = join_at(index)
            continue
        filled = _fill_gap(words[index], counts, gapped)
        if filled is not None:
            repairs.append((starts[index], starts[index] + len(words[index]), *filled))
        index += 1
        join = after
    return repairs


def _join_split(
    first: str, second: str, counts: dict[str, int], spaced: _Index
) -> tuple[str, str, int] | None:
    """ "na" + "onal" → "national": the ligature became a space. Returns the word, its
    letters and how sure the join is (its pieces unknown to the list first), or None."""
    if not second.islower():
        return None
    found = spaced.get(f"{first.lower()} {second}")
    if found is None:
        return None
    word, letters, count = found
    known_first, known_second = counts.get(first.lower(), 0), counts.get(second, 0)
    if count <= _MORE_FREQUENT * min(known_first, known_second):
        return None
    if first[0].isupper():
        word = word[0].upper() + word[1:]
    return word, letters, (known_first == 0) + (known_second == 0)


def _fill_gap(word: str, counts: dict[str, int], gapped: _Index) -> tuple[str, str] | None:
    """ "rst" → "first", "ofce" → "office", "sta" → "staff": the ligature became
    nothing. Lowercase words only (names are capitalised), unknown or rare ones."""
    found = gapped.get(word)
    if found is None or len(word) < 3 or not word.islower():
        return None
    known = counts.get(word, 0)
    if known >= _RARE or found[2] < max(_MIN_FILLED_COUNT, _MUCH_MORE_FREQUENT * known):
        return None
    return found[0], found[1]


def _apply(text: str, repairs: list[_Repair]) -> str:
    pieces, last = [], 0
    for start, end, new, _letters in repairs:
        pieces.append(text[last:start])
        pieces.append(new)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
