"""parse_markdown on the real three-language Markdown document (see its SOURCE.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from translator.formats.base import BlockRole, ParsedText
from translator.formats.markdown import parse_markdown
from translator.formats.plaintext import decode_text

FOLDER = "corpus/markdown-art-of-command-line/"
# From SOURCE.md: top-level bullets per `##` section (the first count is the table of
# contents before "## Meta"); EN and FR correspond 1:1.
BULLETS_PER_SECTION = [11, 6, 12, 44, 35, 20, 8, 72, 7, 13, 6, 0, 0]


@pytest.fixture(scope="module")
def readmes(shared_bytes: Callable[[str], bytes]) -> dict[str, ParsedText]:
    return {
        lang: parse_markdown(decode_text(shared_bytes(FOLDER + name), name))
        for lang, name in (("en", "README.md"), ("fr", "README-fr.md"), ("pt", "README-pt.md"))
    }


def headings(result: ParsedText, level: int) -> list[str]:
    return [b.text for b in result.blocks if b.role is BlockRole.HEADING and b.level == level]


def bullets_per_section(result: ParsedText) -> list[int]:
    counts = [0]
    for block in result.blocks:
        if block.role is BlockRole.HEADING and block.level == 2:
            counts.append(0)
        elif block.role is BlockRole.LIST_ITEM and block.level == 1:
            counts[-1] += 1
    return counts


def test_section_headings_match_across_languages(readmes: dict[str, ParsedText]) -> None:
    assert len(headings(readmes["en"], 2)) == len(headings(readmes["fr"], 2)) == 12
    assert len(headings(readmes["pt"], 2)) == 10  # an older translation, two sections short
    assert headings(readmes["en"], 2)[:3] == ["Meta", "Basics", "Everyday use"]
    assert headings(readmes["fr"], 2)[1] == "Notions de base"
    assert len(headings(readmes["en"], 3)) == len(headings(readmes["fr"], 3)) == 3


def test_bullets_correspond_section_by_section(readmes: dict[str, ParsedText]) -> None:
    assert bullets_per_section(readmes["en"]) == BULLETS_PER_SECTION
    assert bullets_per_section(readmes["fr"]) == BULLETS_PER_SECTION
    nested = [b for b in readmes["en"].blocks if b.role is BlockRole.LIST_ITEM and b.level == 2]
    assert len(nested) == 3
    assert nested[0].text.startswith("Know how to read official documentation with <code>man")


def test_titles_come_from_the_only_h1(readmes: dict[str, ParsedText]) -> None:
    assert readmes["en"].title == "The Art of Command Line"
    assert readmes["fr"].title == "L'art de la ligne de commande"
    assert readmes["pt"].title == "A arte da linha de comando"


def test_code_stays_out_and_is_reported(readmes: dict[str, ParsedText]) -> None:
    for result in readmes.values():
        assert result.warnings
        assert all("code block kept out of translation" in w for w in result.warnings)
        assert not [b for b in result.blocks if "```" in b.text]


def test_every_block_is_safe_inline_html(
    readmes: dict[str, ParsedText], assert_inline_html: Callable[[str], None]
) -> None:
    for result in readmes.values():
        for block in result.blocks:
            assert block.text.strip()
            assert_inline_html(block.text)
            assert block.line is not None


def test_inline_markup_of_a_real_bullet(readmes: dict[str, ParsedText]) -> None:
    expected = (
        'Use <a href="http://explainshell.com/">Explainshell</a> '
        "to get a helpful breakdown of what commands, options, pipes etc. do."
    )
    matches = [b for b in readmes["en"].blocks if b.text == expected]
    assert [(b.role, b.level) for b in matches] == [(BlockRole.LIST_ITEM, 1)]
