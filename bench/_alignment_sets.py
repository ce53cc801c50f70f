"""The gold sets of ../shared/corpus as alignment cases for the confidence bench.

A case is what the aligner gets (editions of sentences, with blocks where the source has
structure) plus the gold that says, for each row the aligner produces, whether it is
right. Gold kinds:

- sentence gold (Text+Berg, NTREX perturbed): a pair bead is right when the gold has
  exactly that bead (the strict criterion of ``score_alignment.py``);
- line = line (newstest2019 en/fr/pt, three-way per document): a row is right when every
  edition holds the same line numbers;
- structure gold (UDHR: article and paragraph; essays: paragraph line): each sentence
  carries the key of the gold unit it belongs to; a row with two sides is right when its
  sides hold the same keys. A row with one side cannot be judged by a paragraph gold (a
  translator may split a sentence) and is left out of the flag's figures.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from translator.text.alignment import BlockInfo, EditionText
from translator.text.segmentation import split_sentences

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Case:
    """One document to align: its editions (the first is the pivot), and either a gold
    bead set per pair (``beads[language]``: (src ids, tgt ids) with the pivot as source),
    or a key per sentence (``keys[language][k]``) to judge rows by."""

    name: str
    editions: list[EditionText]
    beads: dict[str, set[tuple[tuple[int, ...], tuple[int, ...]]]] = field(default_factory=dict)
    keys: dict[str, list[object]] = field(default_factory=dict)
    lines: bool = False  # keys are line numbers, every line has partners (no 1-0 is right)
    gold_paths: dict[str, Path] = field(default_factory=dict)

    @property
    def pivot(self) -> str:
        return self.editions[0].language


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _gold(path: Path) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    beads = set()
    for line in _lines(path):
        if not line.strip():
            continue
        left, right = line.split(":")[:2]
        src = tuple(int(x) for x in left.strip("[] ").split(",") if x.strip())
        tgt = tuple(int(x) for x in right.strip("[] ").split(",") if x.strip())
        beads.add((src, tgt))
    return beads


def pair_set(folder: str, src: str, tgt: str) -> Iterator[Case]:
    """A sentence-gold set: one case per ``*.gold`` file."""
    for gold in sorted((CORPUS / folder).glob("*.gold")):
        yield Case(
            f"{folder}/{gold.stem}",
            [
                EditionText(src, _lines(gold.with_suffix(f".{src}"))),
                EditionText(tgt, _lines(gold.with_suffix(f".{tgt}"))),
            ],
            beads={tgt: _gold(gold)},
            gold_paths={tgt: gold},
        )


def newstest_three_way() -> Iterator[Case]:
    """newstest2019 en/fr/pt, one case per document (line = line)."""
    base = CORPUS / "ntrex-en-fr-pt"
    ids = _lines(base / "DOCUMENT_IDS.tsv")
    texts = {lang: _lines(base / f"newstest2019.{lang}") for lang in ("en", "fr", "pt")}
    start = 0
    while start < len(ids):
        end = start
        while end < len(ids) and ids[end] == ids[start]:
            end += 1
        n = end - start
        yield Case(
            f"newstest2019/{ids[start]}",
            [EditionText(lang, texts[lang][start:end]) for lang in ("en", "fr", "pt")],
            keys={lang: list(range(n)) for lang in ("en", "fr", "pt")},
            lines=True,
        )
        start = end


def shuffled() -> Iterator[Case]:
    """Wrong pairings: newstest2019 documents of 8 lines or more, EN against their FR
    lines in a random order (seeded); a row is right only where the shuffle left a line
    in step. The aligner should flag nearly everything."""
    rng = random.Random(11)
    for number, case in enumerate(newstest_three_way()):
        en, fr = case.editions[0], case.editions[1]
        if number % 3 or len(en.sentences) < 8:
            continue
        order = list(range(len(fr.sentences)))
        rng.shuffle(order)
        yield Case(
            case.name.replace("newstest2019", "shuffled"),
            [en, EditionText("fr", [fr.sentences[k] for k in order])],
            keys={"en": list(range(len(order))), "fr": order},
            lines=True,
        )


def _structured(
    language: str, blocks: list[tuple[str, str, object]]
) -> tuple[EditionText, list[object]]:
    """An edition from (role, text, gold key) blocks, sentences split as on import, and
    the gold key of each of its sentences."""
    sentences: list[str] = []
    infos: list[BlockInfo] = []
    keys: list[object] = []
    for role, text, key in blocks:
        parts = [text] if role == "heading" else split_sentences(text, language)
        if not parts:
            continue
        sentences.extend(parts)
        keys.extend([key] * len(parts))
        infos.append(BlockInfo(role, len(parts)))
    return EditionText(language, sentences, infos), keys


def udhr() -> Iterator[Case]:
    """The UDHR in en, fr and pt-PT: titles as headings, paragraphs and list items as
    paragraphs; the gold key of a sentence is (article, position in the article); the
    preamble's paragraphs differ between editions, so they share one key."""
    editions, keys = [], {}
    for lang, name in (("en", "udhr_eng.xml"), ("fr", "udhr_fra.xml"), ("pt", "udhr_por_PT.xml")):
        xml = (CORPUS / "udhr" / name).read_text(encoding="utf-8")
        blocks: list[tuple[str, str, object]] = []
        head, _, body = xml.partition("<article")
        for tag, inner in re.findall(r"<(title|para)>(.*?)</\1>", head, flags=re.S):
            text = " ".join(_TAG.sub(" ", inner).split())
            blocks.append(("heading" if tag == "title" else "paragraph", text, ("preamble",)))
        for number, article in re.findall(
            r'number="(\d+)"[^>]*>(.*?)</article>', "<article" + body, flags=re.S
        ):
            parts = re.findall(r"<(title|para)>(.*?)</\1>", article, flags=re.S)
            for position, (tag, inner) in enumerate(parts):
                text = " ".join(_TAG.sub(" ", inner).split())
                role = "heading" if tag == "title" else "paragraph"
                blocks.append((role, text, (int(number), position)))
        edition, keys[lang] = _structured(lang, blocks)
        editions.append(edition)
    yield Case("udhr", editions, keys=keys)


def essays() -> Iterator[Case]:
    """The paragraph-aligned essays EN-FR: line N of one is line N of the other (from
    line 3 on); ``<delimiter>`` is a paragraph break inside one gold unit."""
    folder = CORPUS / "pd-essays-paragraph-aligned"
    for name in ("discours_de_la_methode", "manifesto", "the_canterville_ghost"):
        editions, keys = [], {}
        for lang in ("en", "fr"):
            blocks: list[tuple[str, str, object]] = []
            for number, line in enumerate(_lines(folder / f"{name}_{lang}.txt")[2:]):
                role = "heading" if "<h1>" in line else "paragraph"
                for piece in line.split("<delimiter>"):
                    text = " ".join(_TAG.sub(" ", piece).split())
                    if text:
                        blocks.append((role, text, number))
            edition, keys[lang] = _structured(lang, blocks)
            editions.append(edition)
        yield Case(f"essays/{name}", editions, keys=keys)


SETS = {
    "textberg-test": lambda: pair_set("textberg-de-fr/test", "de", "fr"),
    "textberg-dev": lambda: pair_set("textberg-de-fr/dev", "de", "fr"),
    "ntrex-en-fr": lambda: pair_set("ntrex-en-fr-pt/perturbed-en-fr", "en", "fr"),
    "ntrex-en-pt": lambda: pair_set("ntrex-en-fr-pt/perturbed-en-pt", "en", "pt"),
    "newstest-3way": newstest_three_way,
    "udhr-3way": udhr,
    "essays-en-fr": essays,
}
WRONG_PAIRINGS = {"shuffled-en-fr": shuffled}  # reported apart: not a real alignment
