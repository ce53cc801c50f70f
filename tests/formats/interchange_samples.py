"""Interchange files for the writer/reader tests: the Universal Declaration in en/fr/pt
(real text, from ``publications.udhr_parallel``) plus rows that exercise markup,
entities, statuses, outdated cells and comments."""

from __future__ import annotations

import html
import re
from pathlib import Path

from translator.formats.base import BlockRole
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit

from .publications import udhr_parallel

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
_TAG = re.compile(r"<[^>]*>")

TRICKY = [
    InterchangeUnit(
        "9001",
        {
            "en": InterchangeSegment(
                "AT&amp;T &lt;b&gt; <em>is <strong>bold</strong></em> now<br>ok", base="a1"
            ),
            "fr": InterchangeSegment("AT&amp;T <em>est</em> ici", "draft", base="b1"),
            "pt": InterchangeSegment("", "empty", base="c1"),
        },
        BlockRole.HEADING,
        ("Check the brand & the tags", "second note"),
    ),
    InterchangeUnit(
        "9002",
        {
            "en": InterchangeSegment(
                'See <a href="https://example.org/?a=1&amp;b=2">this</a> "quoted"', base="a2"
            ),
            "fr": InterchangeSegment(
                "Voir <code>ceci</code> «\u00a0cité\u00a0»", "translated", True, "b2"
            ),
            "pt": InterchangeSegment("Veja <sup>1</sup> e <sub>2</sub>", "reviewed", base="c2"),
        },
        BlockRole.LIST_ITEM,
    ),
    InterchangeUnit(
        "9003",
        {
            "en": InterchangeSegment("A sentence cut inside <em>an emphasis", base="a3"),
            "fr": InterchangeSegment("une emphase</em> coupée", "reviewed", True, "b3"),
            "pt": InterchangeSegment("use &lt;em&gt; as text", "draft", True, "c3"),
        },
        BlockRole.FOOTNOTE,
    ),
]


def sample_file(rows: int = 40) -> InterchangeFile:
    """UDHR rows (ids 1..rows) then the tricky ones, languages en, fr, pt."""
    parallel = udhr_parallel(("en", "fr", "pt"))
    units = [
        InterchangeUnit(
            str(number),
            {
                lang: InterchangeSegment(
                    text, "translated" if text else "empty", base=f"h{number}{lang}"
                )
                for lang, text in zip(("en", "fr", "pt"), row.cells, strict=True)
            },
            row.role,
        )
        for number, row in enumerate(parallel.rows[:rows], start=1)
    ]
    return InterchangeFile(["en", "fr", "pt"], [*units, *TRICKY], slug="udhr", title="UDHR & co")


def plain(text: str) -> str:
    """What a tool that drops markup shows of stored text."""
    return html.unescape(_TAG.sub("", text))


def shown_alike(got: str | None, text: str) -> bool:
    """Whether a tool that shows ``text`` (stored) as ``got`` read it right: as plain
    text, or with the tags shown as text (native codes, as translate-toolkit shows a
    ``<bpt>``), entities decoded either way."""
    got = got or ""
    return got in (plain(text), html.unescape(text)) or plain(got) == plain(text)
