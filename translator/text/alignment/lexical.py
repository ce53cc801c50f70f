"""Lexical anchors between the sentences of two editions, without any trained model.

Each word type of a document gets a set of *keys*; a source word and a target word are
linked when their keys meet. The keys of a word are:

- its own spelling, accent-stripped, lowercase and cut to a prefix (``Expedition`` and
  ``expédition`` share ``exped``): identical tokens, names and cognates, which EN, FR,
  PT and DE share plenty of;
- the same prefix of each of its dictionary translations (``Gipfel`` -> ``somme``), looked
  up as written, then as a shorter stem (``Gipfeln``) or as the head of a compound
  (``Höhenzahlen`` -> ``zahlen``) when the word itself is not a headword;
- numbers (digits only: ``8 848``, ``8848`` and ``8,848`` are one number) and the
  punctuation that survives translation: ``? ! :``, parentheses, quotation marks of any
  national style (``„“ « » “”`` are one key).

A sentence is then the set of its word types, and the lexical evidence for a sentence pair
is the weight of the source types that have a linked type in the target sentence, and of
the target types linked into the source one. Weights are inverse document frequencies, so
an article or a comma-like word that links everywhere counts for little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from translator.text.alignment.dictionary import BilingualDictionary
from translator.text.inline import plain_view

__all__ = ["LexicalModel", "build_lexical_model", "normalize_word", "tokenize"]

_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,'’]\d+)*)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>[?!:;()«»“”„\"‹›¿¡%§…])"
)
_QUOTES = frozenset("«»“”„\"‹›")
_FOLD = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
PREFIX = 5  # characters of a word that make its key
MIN_OWN = 3  # shorter words only link through the dictionary
_STEM_ENDINGS = ("s", "es", "e", "en", "n", "er", "ern", "em", "x", "es", "os", "as", "ões")


def normalize_word(word: str) -> str:
    """Lowercase, accents stripped, ``ß`` -> ``ss``: the form words are compared in."""
    decomposed = unicodedata.normalize("NFD", word.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """Tokens of a sentence for lexical matching: words as written, numbers as digits
    only, ``"Q"`` for any quotation mark and the other kept punctuation as itself. Inline
    markup is dropped first."""
    if "<" in text or "&" in text:
        text = plain_view(text).text
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "num":
            out.append("#" + "".join(c for c in token if c.isdigit()))
        elif kind == "word":
            out.append(token)
        else:
            out.append("\x01Q" if token in _QUOTES else "\x01" + token)
    return out


def _key(normalized: str) -> str:
    return normalized[:PREFIX]


class _KeyMaker:
    """Keys of the word types of one side, with the dictionary looked up once per type."""

    def __init__(self, translate: object | None) -> None:
        self._translate = translate
        self.cache: dict[str, frozenset[str]] = {}

    def keys(self, token: str) -> frozenset[str]:
        found = self.cache.get(token)
        if found is not None:
            return found
        if token[0] in "#\x01":
            found = frozenset((token,))
        else:
            norm = normalize_word(token)
            keys = {_key(norm)} if len(norm) >= MIN_OWN or token[:1].isupper() else set()
            for translation in self._translations(token):
                for part in translation.split():
                    if len(part) >= MIN_OWN or " " not in translation:
                        keys.add(_key(normalize_word(part)))
            found = frozenset(keys)
        self.cache[token] = found
        return found

    def _translations(self, word: str) -> frozenset[str]:
        translate = self._translate
        if translate is None:
            return frozenset()
        found: frozenset[str] = translate(word)  # type: ignore[operator]
        if found or len(word) < 5:
            return found
        lower = word.lower()
        for ending in _STEM_ENDINGS:
            if lower.endswith(ending) and len(lower) - len(ending) >= 4:
                found = translate(lower[: -len(ending)])  # type: ignore[operator]
                if found:
                    return found
        for start in range(2, len(lower) - 3):  # the head of a compound
            found = translate(lower[start:])  # type: ignore[operator]
            if found:
                return found
        return frozenset()


@dataclass(slots=True)
class LexicalModel:
    """Per-sentence sets of type ids and links, and per-type weights, for one document.

    ``src_types[i]``: the source types of sentence i; ``src_links[i]``: the target types
    linked to any of them (likewise for the target side). ``src_mass[i]``: the weight of
    the linkable types of sentence i."""

    src_types: list[frozenset[int]]
    tgt_types: list[frozenset[int]]
    src_links: list[frozenset[int]]
    tgt_links: list[frozenset[int]]
    src_weight: list[float]
    tgt_weight: list[float]
    src_mass: list[float]
    tgt_mass: list[float]

    def pair(self, i: int, j: int) -> tuple[float, float]:
        """Matched weight of sentence i's types in j, and of j's types in i."""
        sw, tw = self.src_weight, self.tgt_weight
        a = sum([sw[t] for t in self.src_types[i] & self.tgt_links[j]])
        b = sum([tw[t] for t in self.tgt_types[j] & self.src_links[i]])
        return a, b


def build_lexical_model(
    src: Sequence[str], tgt: Sequence[str], dictionary: BilingualDictionary | None
) -> LexicalModel:
    """Tokenize both sides, link their word types and weigh them (see the module doc)."""
    src_tokens = [tokenize(s) for s in src]
    tgt_tokens = [tokenize(t) for t in tgt]
    src_keys = _KeyMaker(dictionary.translate if dictionary else None)
    tgt_keys = _KeyMaker(dictionary.translate_back if dictionary else None)
    src_ids: dict[str, int] = {}
    tgt_ids: dict[str, int] = {}
    src_types = [frozenset(src_ids.setdefault(t, len(src_ids)) for t in s) for s in src_tokens]
    tgt_types = [frozenset(tgt_ids.setdefault(t, len(tgt_ids)) for t in s) for s in tgt_tokens]
    # Link types through their keys: an inverted index on the target side.
    by_key: dict[str, list[int]] = {}
    for token, tid in tgt_ids.items():
        for key in tgt_keys.keys(token):
            by_key.setdefault(key, []).append(tid)
    src_to_tgt: list[frozenset[int]] = []
    tgt_to_src: list[list[int]] = [[] for _ in tgt_ids]
    for token, sid in src_ids.items():
        linked: set[int] = set()
        for key in src_keys.keys(token):
            linked.update(by_key.get(key, ()))
        src_to_tgt.append(frozenset(linked))
        for tid in linked:
            tgt_to_src[tid].append(sid)
    src_weight = _weights(src_types, len(src_ids), [bool(x) for x in src_to_tgt])
    tgt_weight = _weights(tgt_types, len(tgt_ids), [bool(x) for x in tgt_to_src])
    empty: frozenset[int] = frozenset()
    src_links = [empty.union(*(src_to_tgt[t] for t in s)) for s in src_types]
    tgt_links = [empty.union(*(tgt_to_src[t] for t in s)) for s in tgt_types]
    return LexicalModel(
        src_types,
        tgt_types,
        src_links,
        tgt_links,
        src_weight,
        tgt_weight,
        [sum(src_weight[t] for t in s) for s in src_types],
        [sum(tgt_weight[t] for t in s) for s in tgt_types],
    )


def _weights(sentences: list[frozenset[int]], n_types: int, linkable: list[bool]) -> list[float]:
    """Inverse sentence frequency of each linkable type; 0 for a type with no link."""
    df = [0] * n_types
    for types in sentences:
        for t in types:
            df[t] += 1
    n = len(sentences) + 1
    return [math.log(n / d) + 0.5 if ok else 0.0 for d, ok in zip(df, linkable, strict=True)]
