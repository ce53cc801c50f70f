"""The plain-text writer: unescaped text, underlined headings, notes at the end."""

from __future__ import annotations

from collections import Counter

from tests.formats.publications import essay, info, noted, udhr
from translator.formats.base import BlockRole
from translator.formats.exports import ExportOptions
from translator.formats.publication import Notice, Passage, Publication
from translator.formats.text_export import notice_lines, rows_text, write_text

OPTIONS = ExportOptions()


def test_noted_as_plain_text() -> None:
    text = write_text(noted(), OPTIONS).decode("utf-8")
    assert text.startswith("A Noted Essay\n=============\n\nAuthor: Ada Author\n")
    assert "\n\nFirst part\n----------\n\n" in text
    assert "The first paragraph cites a source.[1] It goes on & on with <care>.\n" in text
    assert "\n    A quoted passage, with emphasis and a second note.[note]\n" in text
    assert "\n- an item\n  - a nested item\n- another item\n" in text
    notes = text.split("Notes\n-----\n\n", 1)[1]
    assert notes == (
        "[1] The first footnote, with a link (https://example.org/).\n[note] The second footnote.\n"
    )
    assert "<" not in text.replace("<care>", "") and "&amp;" not in text


def test_essay_blocks_are_unwrapped_paragraphs() -> None:
    publication = essay()
    text = write_text(publication, OPTIONS).decode("utf-8")
    blocks = text.rstrip("\n").split("\n\n")
    roles = Counter(passage.role for passage in publication.passages)
    # title, credits, then one block per heading and paragraph
    assert len(blocks) == 2 + roles[BlockRole.HEADING] + roles[BlockRole.PARAGRAPH]
    headings = [b for b in blocks if b.endswith("---") and "\n" in b]
    assert len(headings) == 5
    assert "Catalan.[1]" in text and "POUM.2" in text


def test_udhr_french_keeps_its_characters() -> None:
    text = write_text(udhr("fr"), OPTIONS).decode("utf-8")
    assert text.startswith("Déclaration universelle des droits de l")
    assert "Article premier" in text


def test_notice_and_links() -> None:
    passages = (
        Passage(
            BlockRole.PARAGRAPH, ('See <a href="https://example.org/">https://example.org/</a>.',)
        ),
        Passage(BlockRole.PARAGRAPH, ("One<br>two <code>x &lt; y</code>",)),
    )
    publication = Publication(info("en", "T"), passages, Notice(drafts=(2, 4, 5, 6)))
    text = write_text(publication, OPTIONS).decode("utf-8")
    assert "*** This edition is not finished.\nDrafts not yet confirmed: 4 (rows 2, 4–6)." in text
    assert "See https://example.org/.\n" in text  # a link whose text is its URL: once
    assert "One\ntwo x < y" in text


def test_notice_wording() -> None:
    assert notice_lines(None, "en") == []
    assert notice_lines(Notice(), "en") == ["This edition is not finished."]
    assert notice_lines(Notice(), "pt-BR") == ["Esta edição não está terminada."]
    assert rows_text([9, 1, 2, 3, 5, 3]) == "1–3, 5, 9"
    assert rows_text(range(1, 100, 2)) == ", ".join(str(n) for n in range(1, 40, 2)) + ", …"
