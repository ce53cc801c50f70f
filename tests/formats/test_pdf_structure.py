"""What a reader notices in the structure of an imported PDF, on small PDFs built with
WeasyPrint the way books and papers are set: chapter numbers alone on their line and
drop caps, numbered sub-headings right under a heading, an "Abstract" heading under the
affiliations of a paper, footnotes set in a smaller font at the foot of a column or a
page. The real files (test_pdf_real_files.py) show the same on PDFs made by others."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.formats.pdf_samples import book_html, corpus_paragraphs, render_pdf
from translator.formats import parse
from translator.formats.base import BlockRole, ParsedText

pytestmark = pytest.mark.usefixtures("poppler")
ESSAYS = "corpus/pd-essays-paragraph-aligned"

STORY_STYLE = """
@page { size: A5; margin: 20mm 16mm;
        @bottom-center { content: counter(page); font: 9pt "DejaVu Serif"; } }
body { font: 10pt/1.35 "DejaVu Serif"; text-align: justify; hyphens: manual; }
h1 { font-size: 16pt; } h2 { font-size: 14pt; text-align: center; }
.number { font-size: 14pt; font-weight: bold; text-align: center; margin: 18pt 0 6pt; }
p { margin: 0; text-indent: 1.2em; }
.number + p, h2 + p, .opening { text-indent: 0; }
.drop { display: inline-block; font-size: 3.2em; line-height: 1; vertical-align: top; }
.small-capitals { font-variant: small-caps; }
"""
PAPER_STYLE = """
@page { size: A4; margin: 20mm 18mm;
        @bottom-center { content: counter(page); font: 9pt "DejaVu Serif"; } }
body { font: 10pt/1.3 "DejaVu Serif"; text-align: justify; hyphens: manual; }
.title { font-size: 15pt; text-align: center; margin: 0 0 10pt; }
.authors { font-size: 12pt; text-align: center; margin: 0; }
.email { font: 9pt "DejaVu Sans Mono"; text-align: center; margin: 2pt 0; }
.affiliation { font-size: 11pt; text-align: center; margin: 0; }
.columns { column-count: 2; column-gap: 7mm; margin-top: 14pt; }
.flex { display: flex; gap: 7mm; }
.column { flex: 1; display: flex; flex-direction: column; height: 235mm; }
.foot { margin-top: auto; border-top: 0.5pt solid; padding-top: 3pt; font-size: 8pt; }
h2 { font-size: 12pt; margin: 6pt 0; } h2.abstract { text-align: center; }
p { margin: 0; text-indent: 1.2em; } h2 + p, .foot p, p.goes-on { text-indent: 0; }
.abstract-text { font-size: 9.5pt; margin: 0 6mm 10pt; text-indent: 0; }
.box { height: 30mm; border: 0.5pt solid; }
.caption, .motto { font-size: 8pt; text-indent: 0; margin: 4pt 0 8pt; }
.references p { font-size: 8pt; text-indent: 0; }
"""
LIBRARY = (
    "The reading graph links the books of the library, their authors and the places they "
    "describe, and it shows how readers move from one shelf to the next. "
)
MODELS = (
    "We describe the models that extract this information from the catalogue, and the "
    "way we evaluate them against a sample checked by hand for this purpose. "
)


def document(style: str, body: str) -> bytes:
    return render_pdf(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{style}</style>'
        f"</head><body>{body}</body></html>"
    )


def texts(result: ParsedText, role: BlockRole | None = None) -> list[str]:
    return [html.unescape(b.text) for b in result.blocks if role is None or b.role is role]


def headings(result: ParsedText) -> list[tuple[str, int | None]]:
    return [(html.unescape(b.text), b.level) for b in result.blocks if b.role is BlockRole.HEADING]


def following(result: ParsedText, heading: str) -> str:
    """The text of the block right after the heading ``heading``."""
    found = texts(result)
    return found[found.index(heading) + 1]


# --- chapter numbers and drop caps ---------------------------------------------------


@pytest.fixture(scope="module")
def canterville(shared_path: Callable[[str], Path]) -> list[str]:
    return corpus_paragraphs(shared_path(f"{ESSAYS}/the_canterville_ghost_en.txt"))[1]


def starting(paragraphs: list[str], start: str) -> str:
    return next(text for text in paragraphs if text.startswith(start))


@pytest.fixture(scope="module")
def story(canterville: list[str]) -> ParsedText:
    """Chapters numbered "I", "II", "V.", "VI" in a bold 14 pt line of their own: alone
    above their first paragraph, or above the chapter's title; drop caps (3.2 em, drawn
    in the order of the text, as LaTeX's lettrine and word processors draw them), one
    with the rest of its word in small capitals."""
    when, indeed, storm, wash, few, virginia, quarter, evident = (
        html.escape(starting(canterville, start))
        for start in (
            "When Mr. Hiram",
            "Indeed, Lord",
            "The storm raged",
            "“I don’t think it",
            "A few days after",
            "As she was running past",
            "It was about a quarter",
            "It was evident",
        )
    )
    body = f"""<h1>The Canterville Ghost</h1>
    <p class="number">I</p><p>{when}</p><p>{indeed}</p>
    <p class="number">II</p><h2>The Stain on the Floor</h2>
    <p class="opening"><span class="drop">T</span>{storm[1:]}</p><p>{wash}</p>
    <p class="number">V.</p><p>{few}</p><p>{virginia}</p>
    <p class="number">VI</p><p class="opening"><span class="drop">I</span><span
    class="small-capitals">t</span>{quarter[2:]}</p><p>{evident}</p>"""
    return parse(document(STORY_STYLE, body), "story.pdf", language="en")


def test_a_chapter_number_alone_on_its_line_is_a_heading_not_a_drop_cap(
    story: ParsedText,
) -> None:
    assert headings(story) == [
        ("The Canterville Ghost", 2),
        ("I", 3),  # set smaller than the title right above it
        ("II. The Stain on the Floor", 3),  # the number, then the chapter's title: one heading
        ("V.", 3),
        ("VI", 3),
    ]
    assert following(story, "I").startswith("When Mr. Hiram B. Otis, the American Minister")
    assert following(story, "V.").startswith("A few days after this, Virginia and her")
    assert not any(text.startswith(("I When", "V A", "VA", "V. A")) for text in texts(story))


def test_a_drop_cap_is_joined_to_the_word_it_begins(
    story: ParsedText, canterville: list[str]
) -> None:
    storm = starting(canterville, "The storm raged")
    assert following(story, "II. The Stain on the Floor") == storm
    assert following(story, "VI") == starting(canterville, "It was about a quarter")
    assert not any(text.startswith(("T he", "I t")) for text in texts(story))


# --- a numbered sub-heading right under a heading -------------------------------------


def test_a_numbered_sub_heading_under_a_heading_is_a_heading_one_level_below(
    shared_path: Callable[[str], Path],
) -> None:
    """The Manifesto's part III: "III. Socialist and Communist Literature", then right
    under it "1. Reactionary Socialism" in the same heading size, then the body line
    "a) Feudal Socialism"; each heading set bigger than the body (book_html's h2)."""
    _headings, items = corpus_paragraphs(shared_path(f"{ESSAYS}/manifesto_en.txt"))
    start = items.index("# III. Socialist and Communist Literature")
    end = items.index("# 3. Critical-Utopian Socialism and Communism") + 3
    result = parse(render_pdf(book_html("Manifesto", items[start:end])), "m.pdf", language="en")
    assert headings(result) == [
        ("III. Socialist and Communist Literature", 2),
        ("1. Reactionary Socialism", 3),
        ("2. Conservative or Bourgeois Socialism", 3),
        ("3. Critical-Utopian Socialism and Communism", 3),
    ]
    assert following(result, "1. Reactionary Socialism").startswith(
        "a) Feudal Socialism Owing to their historical position"
    )
    assert not any("Reactionary Socialism" in text for text in texts(result, BlockRole.LIST_ITEM))


def test_a_bold_numbered_sub_heading_in_the_body_size_is_a_heading_too() -> None:
    body = f"""<h1>Position of the Communists</h1>
    <h2>IV. The Opposition Parties</h2><p><b>1. In France</b></p><p>{MODELS * 4}</p>
    <p><b>2. In Switzerland</b></p><p>{LIBRARY * 3}</p>"""
    result = parse(document(PAPER_STYLE, body), "parties.pdf", language="en")
    assert headings(result)[1:] == [
        ("IV. The Opposition Parties", 3),  # set smaller than the title right above it
        ("1. In France", 4),
        ("2. In Switzerland", 4),
    ]
    assert following(result, "1. In France") == MODELS.strip() + " " + (MODELS * 3).strip()


# --- "Abstract" under the affiliations of a paper -------------------------------------


def test_the_abstract_heading_is_not_joined_to_the_affiliations_above_it() -> None:
    """As in ACL papers: the authors (lines ending with commas), an e-mail address set
    small, the affiliations in 11 pt, then "Abstract" in 12 pt over the left column."""
    body = f"""<h1 class="title">Construction of the Reading Graph of a Public Library</h1>
    <p class="authors">Ada Lovelace, Charles Babbage, Mary Somerville,<br>
    Augustus De Morgan and George Boole</p><p class="email">ada@letters.example.org</p>
    <p class="affiliation">Institute of Letters, 12 Rue des Écoles, 75005 Paris, France</p>
    <p class="affiliation">Municipal Library of Lisbon, 1100-148 Lisboa, Portugal</p>
    <div class="columns"><h2 class="abstract">Abstract</h2>
    <p class="abstract-text">{LIBRARY * 4}</p>
    <h2>1 Introduction</h2><p>{MODELS * 6}</p><p>{MODELS * 5}</p></div>"""
    result = parse(document(PAPER_STYLE, body), "paper.pdf", language="en")
    found = texts(result, BlockRole.HEADING)
    assert "Abstract" in found and "1 Introduction" in found
    assert not any(text.endswith("Portugal Abstract") for text in texts(result))
    assert following(result, "Abstract") == (LIBRARY * 4).strip()


# --- footnotes set in a smaller font ----------------------------------------------------


@pytest.fixture(scope="module")
def paper() -> ParsedText:
    """Two columns drawn one after the other (as pdfTeX draws them): the left one ends
    with a paragraph cut in mid-sentence and two footnotes at its foot (8 pt, superscript
    markers), the right one goes on with the paragraph. Small text that is no footnote:
    a figure's caption, a motto, a list of references set in 8 pt under its heading."""
    body = f"""<div class="flex"><div class="column">
    <h2>1 Introduction</h2><p>{LIBRARY * 3}</p>
    <div class="box"></div><p class="caption">Figure 1: The reading graph of the library,
    with its books, authors and places.</p>
    <p class="motto">“Books are the quietest and most constant of friends.”</p>
    <p>{MODELS * 2}</p>
    <p>Readers also borrow books in series, and we want to know at what rate a series</p>
    <div class="foot"><p><sup>1</sup>Variants of this problem are also known as record
    linkage, and they are studied apart.</p>
    <p><sup>2</sup>https://github.com/allenai/science-parse</p></div>
    </div><div class="column">
    <p class="goes-on">is being read and whether it is read faster, which opens the door
    for further research on reading.</p>
    <p>{MODELS * 2}</p><h2>References</h2><div class="references">
    <p>1 Lovelace, A. 1843. Notes on the Analytical Engine. Taylor.</p>
    <p>2 Somerville, M. 1834. On the Connexion of the Physical Sciences. Murray.</p></div>
    </div></div>"""
    return parse(document(PAPER_STYLE, body), "notes.pdf", language="en")


def test_small_footnotes_at_the_foot_of_a_column_become_footnotes(paper: ParsedText) -> None:
    notes = [(b.label, html.unescape(b.text)) for b in paper.blocks if b.role is BlockRole.FOOTNOTE]
    assert notes == [
        (
            "1",
            "Variants of this problem are also known as record linkage, and they are studied "
            "apart.",
        ),
        ("2", "https://github.com/allenai/science-parse"),
    ]
    assert all(b.role is BlockRole.FOOTNOTE for b in paper.blocks[-2:])  # after the rest
    # the paragraph they cut goes on, whole, in the next column
    assert (
        "Readers also borrow books in series, and we want to know at what rate a series is "
        "being read and whether it is read faster, which opens the door for further research "
        "on reading." in texts(paper, BlockRole.PARAGRAPH)
    )
    assert not any("record linkage" in text for text in texts(paper, BlockRole.PARAGRAPH))


def test_small_text_without_a_note_marker_or_under_a_heading_stays(paper: ParsedText) -> None:
    paragraphs = texts(paper, BlockRole.PARAGRAPH)
    assert "Figure 1: The reading graph of the library, with its books, authors and places." in (
        paragraphs
    )
    assert "“Books are the quietest and most constant of friends.”" in paragraphs
    assert any(text.startswith("1 Lovelace, A. 1843.") for text in paragraphs)
    assert len([b for b in paper.blocks if b.role is BlockRole.FOOTNOTE]) == 2


def test_a_footnote_at_the_foot_of_a_page_becomes_a_footnote(canterville: list[str]) -> None:
    """WeasyPrint's CSS footnotes (``float: footnote``): the note at the foot of the
    page, its marker "1." inline; the paragraphs around it are whole."""
    style = STORY_STYLE + ".note { float: footnote; font-size: 8pt; }"
    note = "Canterville Chase: a country house of the Cantervilles, near Ascot."
    start = canterville.index(starting(canterville, "When Mr. Hiram"))
    chapter = canterville[start : start + 7]
    first, *others = (html.escape(text) for text in chapter)
    call = first.replace(
        "Canterville Chase,", f'Canterville Chase<span class="note">{note}</span>,'
    )
    body = "".join(f"<p>{text}</p>" for text in [call, *others])
    result = parse(document(style, body), "chase.pdf", language="en")
    assert [(b.role, b.label, html.unescape(b.text)) for b in result.blocks[-1:]] == [
        (BlockRole.FOOTNOTE, "1", note)
    ]
    assert not any("near Ascot" in text for text in texts(result, BlockRole.PARAGRAPH))
    paragraphs = texts(result, BlockRole.PARAGRAPH)
    assert paragraphs[1:5] == chapter[1:5]
    # the paragraph cut by the note and the page break is whole
    assert chapter[5].startswith("“I fear that the ghost exists")
    assert any(chapter[5] in text for text in paragraphs)
