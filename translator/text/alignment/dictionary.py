"""Bilingual dictionaries for the aligner: FreeDict's dictd files, read at run time.

Debian's ``freedict-*`` packages install ``/usr/share/dictd/freedict-<src>-<tgt>.index``
(one ``headword<TAB>offset<TAB>length`` line per entry, offsets in dictd's base64
alphabet) and ``.dict.dz`` (dictzip, which gzip reads). An entry is a headword line
(``Berg /bɛʁk/ <n, masc>``), then translation lines (``1. montagne, mont``) that may each
be followed by a gloss in the source language, which is skipped: a translation line is the
first line after the headword or one that starts with a sense number.

Nothing is vendored and nothing is parsed up front: opening a dictionary reads its index
(about 0.1 s for 47 000 headwords), the data file is decompressed on the first look-up and
each entry is parsed when a word of a text asks for it. ``TRANSLATOR_DICTD_DIR`` overrides
the directory. A pair needs only one of the two files: the aligner looks source words up
in ``src-tgt`` and target words up in ``tgt-src``, whichever exist.
"""

from __future__ import annotations

import gzip
import os
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

__all__ = ["DICTD_DIR_VARIABLE", "BilingualDictionary", "DictdFile", "load_dictionary"]

DICTD_DIR_VARIABLE = "TRANSLATOR_DICTD_DIR"
DEFAULT_DICTD_DIR = "/usr/share/dictd"

_B64 = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}
# ISO 639-1 -> the ISO 639-3 codes FreeDict names its files with.
_ISO3 = {
    "af": "afr", "ar": "ara", "bg": "bul", "br": "bre", "ca": "cat", "cs": "ces", "cy": "cym",
    "da": "dan", "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est",
    "eu": "eus", "fi": "fin", "fr": "fra", "ga": "gle", "gd": "gla", "he": "heb", "hi": "hin",
    "hr": "hrv", "hu": "hun", "is": "isl", "it": "ita", "ja": "jpn", "ko": "kor", "la": "lat",
    "lt": "lit", "lv": "lav", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv", "sr": "srp", "sv": "swe",
    "sw": "swa", "tr": "tur", "uk": "ukr", "zh": "zho",
}  # fmt: skip
_SENSE = re.compile(r"^\d+\.\s+")
_TRAILING_SENSE = re.compile(r"\s+\d+\.$")
_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}")
_HEADWORD_DROPS = re.compile(r"[^\w ]+")


class WordLookup(Protocol):
    """Anything that gives the translations of a word (a site's own glossary, say)."""

    def lookup(self, word: str) -> frozenset[str]:
        """The lowercase translations of ``word`` (any case); empty if unknown."""
        ...


class DictdFile:
    """One dictd dictionary (``name.index`` + ``name.dict.dz`` or ``name.dict``).

    :meth:`lookup` gives the lowercase translations of a headword; entries are parsed on
    demand and the found ones cached. Safe to share between threads."""

    def __init__(self, index_path: Path) -> None:
        self.index_path = index_path
        # headword -> "offset<TAB>length" lines, as read (compact: one string per headword)
        self._index: dict[str, str] = {}
        with index_path.open(encoding="utf-8") as handle:
            for line in handle:
                headword, _, place = line.rstrip("\n").partition("\t")
                if place and not headword.startswith("00database"):
                    known = self._index.get(headword)
                    self._index[headword] = place if known is None else known + "\n" + place
        self._data: bytes | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, frozenset[str]] = {}

    def __contains__(self, word: str) -> bool:
        return _headword_key(word) in self._index

    def lookup(self, word: str) -> frozenset[str]:
        """Translations of ``word`` (any case), lowercase, without grammar notes; empty
        when the word is not a headword."""
        key = word.lower()
        if not key.isalpha():
            key = _headword_key(key)
        found = self._cache.get(key)
        if found is not None:
            return found
        places = self._index.get(key)
        if places is None:
            return frozenset()
        data = self._load()
        translations: set[str] = set()
        for place in places.split("\n"):
            offset, _, length = place.partition("\t")
            start = _decode(offset)
            entry = data[start : start + _decode(length)].decode("utf-8", "replace")
            translations.update(parse_entry(entry))
        found = self._cache[key] = frozenset(translations)
        return found

    def _load(self) -> bytes:
        if self._data is None:
            with self._lock:
                if self._data is None:
                    base = str(self.index_path)[: -len(".index")]
                    if Path(base + ".dict.dz").exists():
                        with gzip.open(base + ".dict.dz") as handle:
                            self._data = handle.read()
                    else:
                        self._data = Path(base + ".dict").read_bytes()
        return self._data


def parse_entry(entry: str) -> list[str]:
    """The translations in one dictd entry: the lines after the headword that are the
    first one or start with a sense number, split at commas and semicolons, with
    bracketed notes removed, lowercase."""
    lines = entry.split("\n")[1:]
    out: list[str] = []
    for number, line in enumerate(lines):
        if number and not _SENSE.match(line):
            continue
        line = _TRAILING_SENSE.sub("", _SENSE.sub("", line))
        for part in re.split(r"[,;]", _NOTES.sub(" ", line)):
            part = " ".join(part.split()).lower()
            if part and len(part) < 60:
                out.append(part)
    return out


def _decode(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64[char]
    return value


def _headword_key(word: str) -> str:
    """dictd's index form of a headword: lowercase, letters, digits and spaces only."""
    return _HEADWORD_DROPS.sub("", word.lower())


class _MemoryLookup:
    def __init__(self, table: dict[str, frozenset[str]]) -> None:
        self._table = table

    def lookup(self, word: str) -> frozenset[str]:
        """The translations of ``word`` (any case); empty if unknown."""
        return self._table.get(word.lower(), frozenset())


class BilingualDictionary:
    """Word translations between two languages, in either direction.

    ``forward`` translates source words into the target language, ``backward`` target
    words into the source language; either may be missing (only ``fra-eng`` installed for
    an EN->FR alignment is fine: the aligner then only looks target words up)."""

    def __init__(
        self,
        src_lang: str,
        tgt_lang: str,
        forward: WordLookup | None = None,
        backward: WordLookup | None = None,
    ) -> None:
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.forward = forward
        self.backward = backward

    @classmethod
    def from_pairs(
        cls, src_lang: str, tgt_lang: str, pairs: Iterable[tuple[str, str]]
    ) -> BilingualDictionary:
        """A dictionary from ``(source word, target word)`` pairs, usable both ways (for
        tests, or a site's own glossary)."""
        forward: dict[str, set[str]] = {}
        backward: dict[str, set[str]] = {}
        for src, tgt in pairs:
            forward.setdefault(src.lower(), set()).add(tgt.lower())
            backward.setdefault(tgt.lower(), set()).add(src.lower())
        return cls(
            src_lang,
            tgt_lang,
            _MemoryLookup({k: frozenset(v) for k, v in forward.items()}),
            _MemoryLookup({k: frozenset(v) for k, v in backward.items()}),
        )

    def translate(self, word: str) -> frozenset[str]:
        """Target-language translations of a source word (empty if unknown)."""
        return self.forward.lookup(word) if self.forward else frozenset()

    def translate_back(self, word: str) -> frozenset[str]:
        """Source-language translations of a target word (empty if unknown)."""
        return self.backward.lookup(word) if self.backward else frozenset()

    def reversed(self) -> BilingualDictionary:
        """The same dictionary seen from the target language."""
        return BilingualDictionary(self.tgt_lang, self.src_lang, self.backward, self.forward)


def iso639_3(language: str) -> str:
    """FreeDict's three-letter code for a BCP 47 tag (``pt-BR`` -> ``por``)."""
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ISO3.get(primary, primary)


def load_dictionary(
    src_lang: str, tgt_lang: str, directory: str | Path | None = None
) -> BilingualDictionary | None:
    """The FreeDict dictionary between two languages, or ``None`` if neither
    ``freedict-<src>-<tgt>`` nor ``freedict-<tgt>-<src>`` is installed in ``directory``
    (default: ``$TRANSLATOR_DICTD_DIR`` or ``/usr/share/dictd``). The same languages and
    directory give the same object: dictionaries are cached for the life of the process
    (install a new one: restart)."""
    folder = Path(directory or os.environ.get(DICTD_DIR_VARIABLE) or DEFAULT_DICTD_DIR)
    return _load(src_lang, tgt_lang, folder)


@lru_cache(maxsize=64)
def _load(src_lang: str, tgt_lang: str, folder: Path) -> BilingualDictionary | None:
    src, tgt = iso639_3(src_lang), iso639_3(tgt_lang)
    if src == tgt:
        return None
    forward = _open(folder / f"freedict-{src}-{tgt}.index")
    backward = _open(folder / f"freedict-{tgt}-{src}.index")
    if forward is None and backward is None:
        return None
    return BilingualDictionary(src_lang, tgt_lang, forward, backward)


@lru_cache(maxsize=32)
def _open(index_path: Path) -> DictdFile | None:
    return DictdFile(index_path) if index_path.is_file() else None
