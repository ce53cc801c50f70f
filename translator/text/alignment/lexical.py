"""Lexical anchors between the sentences of two editions, without any trained model.

Each word type of a document gets a set of *keys*; a source type and a target type are
linked when their keys meet. The keys of a word are:

- its own spelling, accent-stripped, lowercase, cut to a 5-letter prefix if longer
  (``Expedition`` and ``expédition`` share ``exped``): identical tokens, names and
  cognates, which EN, FR, PT and DE share plenty of; a short word is kept whole
  (``comme`` must not meet ``comment``);
- the same for each of its dictionary translations (``Gipfel`` -> ``sommet``), looked up
  as written, else as a shorter stem (``Gipfeln``), else as the head of a compound
  (``Höhenzahlen`` -> ``zahlen``); words under 4 letters, mostly function words, are
  not looked up;
- numbers, digits only (``8 848``, ``8848`` and ``8,848`` are one number), and the
  punctuation that survives translation: ``? ! : ;``, parentheses, quotation marks of any
  national style (``„“ « » “”`` are one key), ``%``, ``§``, ``…``.

A sentence is the set of its types. The weight of a type is its inverse sentence frequency
in the document (0 if it links to nothing on the other side), so a word that occurs
everywhere counts for little. Types in more than a fifth of the sentences, and types that
would link to more than 20 types of the other side, are not linked at all: they cost time
and say nothing about where a sentence goes.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from sys import intern
from weakref import WeakKeyDictionary

from translator.text.alignment.dictionary import BilingualDictionary
from translator.text.inline import plain_view

__all__ = ["LexicalModel", "build_lexical_model", "normalize_word", "tokenize"]

PREFIX = 5  # letters of a long word that make its key
MIN_OWN = 3  # shorter words (unless capitalised) only link through the dictionary
MIN_DICT = 4  # shorter words are not looked up
MAX_DF_SHARE = 0.2  # types in more sentences than this share are not linked...
MIN_DF_CAP = 3  # ...unless in at most this many sentences (short documents)
MAX_FANOUT = 20  # a type linked to more types than this is ambiguous: not linked
WEIGHT_BASE = 0.5  # added to log(n / df)
UNLINKED_WEIGHT = 0.5  # of a type that links to nothing: it still says "not translated here"
KEY_CACHE_SIZE = 200_000  # words whose keys are kept between documents, per side

_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,'’]\d+)*")
_HAS_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
_QUOTES = '«»“”„"‹›'
_KEPT_PUNCTUATION = "?!:;()¿¡%§…" + _QUOTES
_PUNCT = re.compile(f"[{re.escape(_KEPT_PUNCTUATION)}]")
_PUNCT_KEYS = {p: "\x01" + ("Q" if p in _QUOTES else p) for p in _KEPT_PUNCTUATION}
_FOLD = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_STEM_ENDINGS = ("s", "es", "e", "en", "n", "er", "ern", "em", "x", "os", "as", "ões")


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """Lowercase, accents stripped, ``ß`` -> ``ss``: the form words are compared in."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """Tokens of a sentence for lexical matching, in no particular order: words as
    written; numbers as ``#`` and their digits; kept punctuation as a control character
    U+0001 and the mark (``Q`` for any quotation mark). Inline markup is dropped first."""
    if "<" in text or "&" in text:
        text = plain_view(text).text
    tokens = _WORD.findall(text)
    if _HAS_DIGIT.search(text):
        tokens += ["#" + _NOT_DIGIT.sub("", number) for number in _NUMBER.findall(text)]
    tokens += [_PUNCT_KEYS[p] for p in _PUNCT.findall(text)]
    return tokens


def _key(normalized: str) -> str:
    return normalized[:PREFIX] if len(normalized) > PREFIX else normalized + "$"


class _KeyMaker:
    """The keys of the types of one side, the dictionary looked up once per type; kept
    between documents (see :func:`_key_makers`)."""

    def __init__(self, translate: Callable[[str], frozenset[str]] | None) -> None:
        self._translate = translate
        self._cache: dict[str, frozenset[str]] = {}

    def keys(self, token: str) -> frozenset[str]:
        """The keys of a token (see the module docstring), cached."""
        found = self._cache.get(token)
        if found is None:
            if len(self._cache) >= KEY_CACHE_SIZE:
                self._cache.clear()
            found = self._cache[token] = self._make(token)
        return found

    def _make(self, token: str) -> frozenset[str]:
        if token[0] in "#\x01":
            return frozenset((token,))
        norm = normalize_word(token)
        keys = {_key(norm)} if len(norm) >= MIN_OWN or token[:1].isupper() else set()
        if self._translate is not None and len(token) >= MIN_DICT:
            for translation in self._translations(token.lower(), self._translate):
                parts = _WORD.findall(translation)
                for part in parts:
                    if len(part) >= MIN_OWN or len(parts) == 1:
                        keys.add(_key(normalize_word(part)))
        return frozenset(keys)

    @staticmethod
    def _translations(word: str, translate: Callable[[str], frozenset[str]]) -> frozenset[str]:
        found = translate(word)
        if found or len(word) < 5:
            return found
        for ending in _STEM_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                found = translate(word[: -len(ending)])
                if found:
                    return found
        for start in range(2, len(word) - 3):  # the head of a compound
            found = translate(word[start:])
            if found:
                return found
        return frozenset()


@dataclass(slots=True)
class LexicalModel:
    """The linked types of each sentence (the types that link to nothing are left out),
    the weight of each type and the links between the types of the two sides, for one
    pair of sentence lists."""

    src_units: list[list[str]]
    tgt_units: list[list[str]]
    src_weight: dict[str, float]
    tgt_weight: dict[str, float]
    src_to_tgt: dict[str, frozenset[str]]
    tgt_to_src: dict[str, frozenset[str]]
    anchors: list[tuple[int, int]]  # sentence pairs (i, j) sharing a pair of hapaxes
    src_unlinked: list[float]  # UNLINKED_WEIGHT per type of the sentence that links nowhere
    tgt_unlinked: list[float]


def build_lexical_model(
    src: Sequence[str], tgt: Sequence[str], dictionary: BilingualDictionary | None
) -> LexicalModel:
    """Tokenize both sides, link their types and weigh them (see the module docstring)."""
    # Interned: one string object per type instead of one per occurrence.
    src_sets = [frozenset(map(intern, tokenize(s))) for s in src]
    tgt_sets = [frozenset(map(intern, tokenize(t))) for t in tgt]
    src_df = Counter(chain.from_iterable(src_sets))
    tgt_df = Counter(chain.from_iterable(tgt_sets))
    src_to_tgt, tgt_to_src = _link_types(src_df, tgt_df, len(src), len(tgt), dictionary)
    anchors = _hapax_anchors(src_sets, tgt_sets, src_df, tgt_df, src_to_tgt, tgt_to_src)
    return LexicalModel(
        # Sorted: sums over a sentence's types, hence ties, never depend on hash seeds.
        [sorted(t for t in s if t in src_to_tgt) for s in src_sets],
        [sorted(t for t in s if t in tgt_to_src) for s in tgt_sets],
        _weights(src_df, len(src), src_to_tgt),
        _weights(tgt_df, len(tgt), tgt_to_src),
        src_to_tgt,
        tgt_to_src,
        anchors,
        [UNLINKED_WEIGHT * sum(t not in src_to_tgt for t in s) for s in src_sets],
        [UNLINKED_WEIGHT * sum(t not in tgt_to_src for t in s) for s in tgt_sets],
    )


def _hapax_anchors(
    src_sets: list[frozenset[str]],
    tgt_sets: list[frozenset[str]],
    src_df: Counter[str],
    tgt_df: Counter[str],
    src_to_tgt: dict[str, frozenset[str]],
    tgt_to_src: dict[str, frozenset[str]],
) -> list[tuple[int, int]]:
    """Sentence pairs almost surely translations of each other: a source type found in
    one sentence only, linked to exactly one target type, itself found in one sentence
    only and linked to nothing else (a rare name, number or word, in both editions)."""
    partner: dict[str, str] = {}
    for t, linked in src_to_tgt.items():
        if src_df[t] == 1 and len(linked) == 1:
            (other,) = linked
            if tgt_df[other] == 1 and len(tgt_to_src[other]) == 1:
                partner[t] = other
    if not partner:
        return []
    wanted = set(partner.values())
    tgt_sentence = {t: j for j, types in enumerate(tgt_sets) for t in wanted.intersection(types)}
    return sorted(
        {
            (i, tgt_sentence[partner[t]])
            for i, types in enumerate(src_sets)
            for t in partner.keys() & types
        }
    )


_NO_DICTIONARY = _KeyMaker(None)
_key_maker_cache: WeakKeyDictionary[BilingualDictionary, tuple[_KeyMaker, _KeyMaker]] = (
    WeakKeyDictionary()
)
_key_maker_lock = threading.Lock()


def _key_makers(dictionary: BilingualDictionary | None) -> tuple[_KeyMaker, _KeyMaker]:
    """The source and target key makers of a dictionary, the same for every document
    aligned with it (a dictionary is immutable), so a word's keys are made once."""
    if dictionary is None:
        return _NO_DICTIONARY, _NO_DICTIONARY
    with _key_maker_lock:
        makers = _key_maker_cache.get(dictionary)
        if makers is None:
            makers = (_KeyMaker(dictionary.translate), _KeyMaker(dictionary.translate_back))
            _key_maker_cache[dictionary] = makers
    return makers


def _link_types(
    src_df: Counter[str],
    tgt_df: Counter[str],
    n_src: int,
    n_tgt: int,
    dictionary: BilingualDictionary | None,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Which target types each source type links to, and the other way round."""
    src_keys, tgt_keys = _key_makers(dictionary)
    src_cap = max(MIN_DF_CAP, MAX_DF_SHARE * n_src)
    tgt_cap = max(MIN_DF_CAP, MAX_DF_SHARE * n_tgt)
    by_key: dict[str, list[str]] = {}
    for token, count in tgt_df.items():
        if count <= tgt_cap:
            for key in tgt_keys.keys(token):
                by_key.setdefault(key, []).append(token)
    empty: frozenset[str] = frozenset()
    src_to_tgt: dict[str, frozenset[str]] = {}
    tgt_to_src: dict[str, set[str]] = {}
    for token, count in src_df.items():
        if count > src_cap:
            continue
        linked = empty.union(*[by_key[key] for key in src_keys.keys(token) if key in by_key])
        if linked and len(linked) <= MAX_FANOUT:
            src_to_tgt[token] = linked
            for other in linked:
                tgt_to_src.setdefault(other, set()).add(token)
    return src_to_tgt, {token: frozenset(links) for token, links in tgt_to_src.items()}


def _weights(
    df: Counter[str], n_sentences: int, links: dict[str, frozenset[str]]
) -> dict[str, float]:
    """Inverse sentence frequency of each linked type."""
    n = n_sentences + 1
    return {t: math.log(n / df[t]) + WEIGHT_BASE for t in links}
