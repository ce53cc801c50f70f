"""Publications built from ../shared material, for the export writers' tests.

Pure: the import adapters and the segmenter, no database. ``essay`` is the sample essay
(5 section headings, footnotes called as ``POUM.2`` / ``[1]``); ``udhr`` the Universal
Declaration in en/fr/pt (title, preamble, 30 articles with ordered lists)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from xml.etree import ElementTree  # trusted, local corpus files

from translator.formats import parse
from translator.formats.base import BlockRole
from translator.formats.publication import (
    EditionInfo,
    Notice,
    ParallelPublication,
    ParallelRow,
    Passage,
    Person,
    Publication,
)
from translator.text.segmentation import split_sentences

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
UDHR = SHARED / "corpus" / "udhr"
UDHR_FILES = {"en": "udhr_eng.xml", "fr": "udhr_fra.xml", "pt": "udhr_por_PT.xml"}
_NS = "{http://efele.net/udhr}"


def info(language: str, title: str, slug: str = "doc", **extra: object) -> EditionInfo:
    """Metadata of an edition with an author and a translator credited."""
    return EditionInfo(
        language=language,
        title=title,
        document_title=title,
        slug=slug,
        identifier=f"urn:uuid:00000000-0000-4000-8000-{abs(hash((slug, language))) % 10**12:012d}",
        people=(Person("Ada Author", "aut"), Person("Tomás Tradutor", "trl")),
        credits="Translated by the collective.",
        date=date(2026, 12, 3),
        modified="2026-12-03T10:00:00Z",
        **extra,  # type: ignore[arg-type]
    )


@cache
def essay(notice: Notice | None = None) -> Publication:
    """The sample essay as one English edition: its blocks, split into sentences."""
    parsed = parse(ESSAY.read_bytes(), ESSAY.name, format="pdftext")
    passages = tuple(
        Passage(
            role=block.role,
            sentences=tuple(split_sentences(block.text, "en")),
            level=block.level,
            label=block.label,
        )
        for block in parsed.blocks
    )
    title = "The Bolshevik Counterrevolution"
    return Publication(info(language="en", title=title, slug="bolshevik"), passages, notice)


Section = list[tuple[BlockRole, str, int | None]]


def _udhr_sections(language: str) -> tuple[str, list[Section]]:
    """The title, then the preamble and each article as a list of blocks."""
    root = ElementTree.parse(UDHR / UDHR_FILES[language]).getroot()
    title = (root.findtext(f"{_NS}title") or "").strip()
    sections: list[Section] = []
    for section in root:
        if section.tag == f"{_NS}title":
            continue
        blocks: Section = []
        for child in section.iter():
            text = " ".join((child.text or "").split())
            if not text:
                continue
            if child.tag == f"{_NS}title":
                blocks.append((BlockRole.HEADING, text, 2))
            elif child.tag == f"{_NS}para" and not _inside_list(section, child):
                blocks.append((BlockRole.PARAGRAPH, text, None))
            elif child.tag in (f"{_NS}listitem", f"{_NS}para"):
                if child.tag == f"{_NS}para" and blocks and blocks[-1][0] is BlockRole.LIST_ITEM:
                    continue
                blocks.append((BlockRole.LIST_ITEM, text, 1))
        sections.append(blocks)
    return title, sections


def _inside_list(section: ElementTree.Element, element: ElementTree.Element) -> bool:
    for item in section.iter(f"{_NS}listitem"):
        if element is not item and any(element is sub for sub in item.iter()):
            return True
    return False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def udhr(language: str) -> Publication:
    """The Universal Declaration in ``language`` (en, fr or pt): a level-1 title, a
    heading per section and article, paragraphs, and list items."""
    title, sections = _udhr_sections(language)
    passages = [Passage(BlockRole.HEADING, (_escape(title),), level=1)]
    for role, text, level in (block for section in sections for block in section):
        sentences = tuple(split_sentences(_escape(text), language))
        passages.append(Passage(role, sentences, level=level))
    return Publication(info(language, title, slug="udhr"), tuple(passages))


@cache
def udhr_parallel(languages: tuple[str, ...] = ("en", "fr", "pt")) -> ParallelPublication:
    """The Declaration side by side: one row per block, section by section (the
    articles match block for block; the shorter preambles leave blank cells)."""
    parsed = [_udhr_sections(language) for language in languages]
    titles = tuple(_escape(title) for title, _ in parsed)
    rows = [ParallelRow(BlockRole.HEADING, titles, paragraph=0, level=1)]
    for index in range(len(parsed[0][1])):
        sections = [sections[index] for _, sections in parsed]
        for position in range(max(len(section) for section in sections)):
            blocks = [s[position] if position < len(s) else None for s in sections]
            role, _, level = next(b for b in blocks if b is not None)
            cells = tuple(_escape(b[1]) if b else "" for b in blocks)
            rows.append(ParallelRow(role, cells, paragraph=len(rows), level=level))
    infos = tuple(udhr(language).info for language in languages)
    return ParallelPublication(infos, tuple(rows))


NOTED_MARKDOWN = """# A Noted Essay

## First part

The first paragraph cites a source.[^1] It goes on & on with <care>.

> A quoted passage, with *emphasis* and a second note.[^note]

- an item
  - a nested item
- another item

## Second part

A last paragraph with **strong** words.

[^1]: The first footnote, with a [link](https://example.org/).
[^note]: The second footnote.
"""


@cache
def noted(language: str = "en") -> Publication:
    """A short edition with every structure: title, headings, a quote, a nested list,
    inline markup, escaped characters and two footnotes (labels "1" and "note")."""
    parsed = parse(NOTED_MARKDOWN.encode(), "noted.md", format="markdown")
    passages = tuple(
        Passage(block.role, tuple(split_sentences(block.text, language)), block.level, block.label)
        for block in parsed.blocks
    )
    return Publication(info(language, "A Noted Essay", slug="noted"), passages)
