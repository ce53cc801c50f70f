"""The FreeDict dictd reader, on small files written here and on the real dictionaries
of /usr/share/dictd (skipped when they are not installed, except under CI=true), and the
dictionary's effect on alignment."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest

from translator.text.alignment import BilingualDictionary, align_sentences, load_dictionary
from translator.text.alignment.dictionary import DictdFile, iso639_3, parse_entry

SYSTEM = Path("/usr/share/dictd")
IN_CI = os.environ.get("CI", "").lower() == "true"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(value: int) -> str:
    digits = ""
    while True:
        digits = B64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def write_dictd(folder: Path, name: str, entries: dict[str, str], *, compress: bool) -> None:
    """A dictd dictionary: headword -> entry text (its first line is the headword's)."""
    data = b""
    index = ["00databaseutf8\tA\tB"]
    for headword, entry in entries.items():
        raw = entry.encode("utf-8")
        index.append(f"{headword}\t{b64(len(data))}\t{b64(len(raw))}")
        data += raw
    (folder / f"{name}.index").write_text("\n".join(sorted(index)) + "\n", encoding="utf-8")
    if compress:
        (folder / f"{name}.dict.dz").write_bytes(gzip.compress(data))
    else:
        (folder / f"{name}.dict").write_bytes(data)


BERG = """Berg /bɛʁk/ <n, masc>
1. montagne, amoncellement, mont
große, steile Erhebung auf der Landoberfläche
2. mine (au sens propre)
feste Erdkruste; „im Berg“
3. montagne 2.
Haufen, Anhäufung
"""


def test_an_entry_gives_its_translations_without_glosses() -> None:
    assert parse_entry(BERG) == ["montagne", "amoncellement", "mont", "mine", "montagne"]
    assert parse_entry("full /ful/\n1. complet, entier\n2. rassasié\n") == [
        "complet",
        "entier",
        "rassasié",
    ]
    assert parse_entry("headword\n") == []


@pytest.mark.parametrize("compress", [True, False])
def test_a_dictd_file_is_read_lazily(tmp_path: Path, compress: bool) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-fra",
        {"berg": BERG, "gipfel": "Gipfel <n>\nsommet, cime\nhöchste Stelle\n"},
        compress=compress,
    )
    dictd = DictdFile(tmp_path / "freedict-deu-fra.index")
    assert "Gipfel" in dictd and "Tal" not in dictd
    assert dictd.lookup("GIPFEL") == {"sommet", "cime"}
    assert "montagne" in dictd.lookup("Berg")
    assert dictd.lookup("Tal") == frozenset()


def test_load_dictionary_uses_whichever_direction_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dictd(tmp_path, "freedict-fra-eng", {"maison": "maison\nhouse\n"}, compress=True)
    monkeypatch.setenv("TRANSLATOR_DICTD_DIR", str(tmp_path))
    english_french = load_dictionary("en", "fr-CA")
    assert english_french is not None and english_french.forward is None
    assert english_french.translate_back("Maison") == {"house"}
    assert english_french.reversed().translate("maison") == {"house"}
    assert load_dictionary("fr", "en", tmp_path) is load_dictionary("fr", "en", tmp_path)
    assert load_dictionary("en", "pt") is None
    assert load_dictionary("fr", "fr") is None
    assert iso639_3("pt-BR") == "por" and iso639_3("tlh") == "tlh"


def test_a_dictionary_links_words_nothing_else_links() -> None:
    # Made-up languages: no cognate, no number, same lengths; only the dictionary knows.
    words = [("kalomu", "sunset"), ("tiraze", "harbor"), ("wopeno", "lantern")]
    words += [("gusafi", "meadow"), ("nerubo", "thunder"), ("pileka", "orchard")]
    src = [f"{a} bela sito muna." for a, _ in words]
    tgt = [f"the {b} was near." for _, b in words]
    del tgt[2]
    pairs = BilingualDictionary.from_pairs("xx", "yy", words)
    beads = align_sentences(src, tgt, "xx", "yy", dictionary=pairs)
    assert [(b.src, b.tgt) for b in beads if not b.tgt] == [((2,), ())]
    assert ((3,), (2,)) in [(b.src, b.tgt) for b in beads]


def system_dictionaries() -> Path:
    if not (SYSTEM / "freedict-deu-fra.index").exists():
        if IN_CI:
            pytest.fail("FreeDict dictionaries are not installed in /usr/share/dictd")
        pytest.skip("FreeDict dictionaries are not installed")
    return SYSTEM


def test_the_installed_freedict_dictionaries() -> None:
    folder = system_dictionaries()
    de_fr = load_dictionary("de", "fr", folder)
    assert de_fr is not None
    assert "montagne" in de_fr.translate("Berg")
    assert "berg" in de_fr.translate_back("montagne")  # through freedict-fra-deu
    en_pt = load_dictionary("en", "pt", folder)
    assert en_pt is not None and "eleição" in en_pt.translate("election")
    pt_fr = load_dictionary("pt", "fr", folder)  # only fra-por is installed
    assert pt_fr is not None and pt_fr.forward is None
    assert "montanha" in pt_fr.translate_back("montagne")


def test_opening_the_largest_dictionary_takes_under_a_second() -> None:
    folder = system_dictionaries()
    started = time.perf_counter()
    dictd = DictdFile(folder / "freedict-deu-fra.index")
    assert dictd.lookup("Gipfel")
    assert time.perf_counter() - started < 1.0
