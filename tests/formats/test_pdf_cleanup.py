"""Real-world PDF text: ligatures, lost ligatures, slugs and running heads, tables of
contents and indexes, two columns (translator.formats.pdfclean, pdflines, pdflists)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.formats.pdf_samples import book_html, corpus_paragraphs, index_terms, render_pdf
from translator.formats import parse
from translator.formats.base import BlockRole, ParsedText
from translator.formats.pdfclean import expand_ligatures, word_counts
from translator.formats.pdftext import parse_pdftext

ESSAYS = "corpus/pd-essays-paragraph-aligned"


def texts(result: ParsedText, role: BlockRole | None = None) -> list[str]:
    return [html.unescape(b.text) for b in result.blocks if role is None or b.role is role]


def pdf_text(text: str, language: str | None = "en") -> ParsedText:
    return parse(text.encode(), "book.pdf.txt", format="pdftext", language=language)


# --- ligatures -----------------------------------------------------------------------


def test_typographic_ligatures_are_expanded_and_nothing_else_is_normalised() -> None:
    assert expand_ligatures("ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ") == "ff fi fl ffi ffl st st"
    result = parse_pdftext("The ﬁrst ﬂoor oﬃce is ½ full\u00a0: see note².\n")
    assert texts(result) == ["The first floor office is ½ full\u00a0: see note²."]


LOST_EN = (
    "The na onal de nition of the o ce came a er the rst war.\n"
    "Its e ect on the sta was that they\n"
    "knew the de nition by heart.\n"
)


def test_words_cut_by_lost_ligatures_are_joined_when_the_word_list_confirms_them() -> None:
    result = pdf_text(LOST_EN)
    assert texts(result) == [
        "The national definition of the office came after the first war. Its effect on "
        "the staff was that they knew the definition by heart."
    ]
    assert any("ligatures" in warning and "national" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "La dé nition na onale a n de ne pas oublier le di cile.\n",
            "La définition nationale afin de ne pas oublier le difficile.",
        ),
        (
            "pt-BR",
            "O o cial a rma a de nição e a re exão.\n",
            "O oficial afirma a definição e a reflexão.",
        ),
    ],
)
def test_french_and_portuguese_words_are_repaired_with_their_own_lists(
    language: str, text: str, expected: str
) -> None:
    assert texts(pdf_text(text, language)) == [expected]


def test_words_next_to_punctuation_and_entities_are_repaired_and_entities_kept() -> None:
    (text,) = texts(pdf_text("AT&T's na onal o ce; its de nition & the rst <one>.\n"))
    assert text == "AT&T's national office; its definition & the first <one>."


def test_without_a_language_or_a_word_list_nothing_is_repaired() -> None:
    assert texts(pdf_text(LOST_EN, None))[0].startswith("The na onal de nition")
    assert texts(pdf_text(LOST_EN, "ja"))[0].startswith("The na onal de nition")
    assert word_counts("ja") is None and word_counts("en-GB") is not None


def test_a_single_doubtful_word_is_not_evidence_enough() -> None:
    (text,) = texts(pdf_text("He said de nition once and never again.\n"))
    assert text == "He said de nition once and never again."


def test_clean_prose_is_left_alone(shared_bytes: Callable[[str], bytes]) -> None:
    for name in ("manifesto_en.txt", "manifesto_fr.txt"):
        raw = re.sub(r"<[^>]+>", "", shared_bytes(f"{ESSAYS}/{name}").decode("utf-8-sig"))
        result = parse(raw.encode(), name, format="pdftext", language=name[-6:-4])
        assert not any("ligatures" in warning for warning in result.warnings), name
        assert texts(result) == texts(parse(raw.encode(), name, format="pdftext"))


# --- page furniture ---------------------------------------------------------------


def pages(bodies: list[list[str]], head: str = "", foot: Callable[[int], str] | None = None) -> str:
    out = []
    for number, body in enumerate(bodies, start=1):
        lines = [head, ""] if head else []
        lines += body
        if foot is not None:
            lines += ["", foot(number)]
        out.append("\n".join(lines) + "\n")
    return "\f".join(out)


WORDS = [
    *("red", "green", "blue", "amber", "violet", "ochre"),
    *("indigo", "scarlet", "umber", "olive", "teal", "coral"),
]


def body(page: int) -> list[str]:
    """Two lines of prose of their own on each page (real pages repeat no line)."""
    return [
        f"On the {WORDS[page % 12]} page of this book a line of prose runs across the width",
        f"of the page; the {WORDS[page * 5 % 12]} one ends here.",
    ]


def joined(page: int) -> str:
    return " ".join(body(page))


def test_printers_slugs_running_heads_and_page_numbers_are_removed() -> None:
    text = pages(
        [body(n) for n in range(4)],
        head="THE BOOK OF PROOFS",
        foot=lambda n: f"proof_v3.indd   {n + 10}   12/03/2024   14:27\n\n{n}",
    )
    result = pdf_text(text)
    everything = " ".join(texts(result))
    assert "indd" not in everything and "PROOFS" not in everything and "14:27" not in everything
    assert texts(result) == [joined(n) for n in range(4)]
    assert any("slug" in warning for warning in result.warnings)


def test_a_slug_is_removed_even_on_a_two_page_booklet() -> None:
    text = pages([body(0), body(1)], foot=lambda n: f"booklet.pdf 2024-03-12 09:05:11 page {n}")
    assert texts(pdf_text(text)) == [joined(0), joined(1)]


def test_a_running_head_repeated_on_two_page_tops_is_removed() -> None:
    text = pages([body(0), body(1)], head="Notes on Translation")
    assert texts(pdf_text(text)) == [joined(0), joined(1)]


def test_numbered_chapter_headings_at_a_few_page_tops_stay() -> None:
    bodies = [[f"Chapter {n // 5 + 1}", "", *body(n)] if n % 5 == 0 else body(n) for n in range(15)]
    joined = " ".join(texts(pdf_text(pages(bodies))))
    assert all(f"Chapter {n}" in joined for n in (1, 2, 3))


# --- tables of contents, indexes, lists of terms --------------------------------------


def test_a_table_of_contents_with_dot_leaders_becomes_list_items() -> None:
    toc = [
        "Contents",
        "",
        "Preface . . . . . . . . . . . . . . . . . . . . . . . . . . vii",
        "1. The Commune of Paris . . . . . . . . . . . . . . . . . . 1",
        "2. Kronstadt and the End of the Soviets . . . . . . . . . . 45",
        "3. The Spanish Revolution and the Collectives of",
        "Aragon ........................................ 101",
        "Index …………………………………… 311",
        "",
        "The first chapter opens here, with prose that ends its sentence.",
    ]
    result = pdf_text("\n".join(toc))
    assert texts(result, BlockRole.LIST_ITEM) == [
        "Preface",
        "1. The Commune of Paris",
        "2. Kronstadt and the End of the Soviets",
        "3. The Spanish Revolution and the Collectives of Aragon",
        "Index",
    ]
    assert {b.level for b in result.blocks if b.role is BlockRole.LIST_ITEM} == {1}
    assert texts(result)[-1].startswith("The first chapter")


def test_a_back_of_book_index_gives_one_item_per_entry_and_no_huge_segment() -> None:
    entries = [
        f"{WORDS[n % 12].title()} {WORDS[n // 12 % 12]}, {n + 3}, {2 * n + 7}–{2 * n + 9}"
        for n in range(300)
    ]
    entries[10] = "Bakunin, Mikhail, 12, 45–47, 203"
    entries[11] = "anarchism 3, 17, xii"
    result = pdf_text("Index\n\n" + "\n".join(entries) + "\n")
    items = texts(result, BlockRole.LIST_ITEM)
    assert len(items) == 300
    assert "Bakunin, Mikhail, 12, 45–47, 203" in items and "anarchism 3, 17, xii" in items
    assert max(len(b.text) for b in result.blocks) < 100


def test_a_long_list_of_terms_is_cut_into_items_under_a_thousand_characters() -> None:
    words = [f"term{n}" for n in range(600)]
    lines = [", ".join(words[i : i + 8]) + "," for i in range(0, 600, 8)]
    result = pdf_text("Glossary\n\n" + "\n".join(lines) + "\n")
    assert sum(len(b.text) for b in result.blocks) > 5000
    assert max(len(b.text) for b in result.blocks) <= 1000
    assert " ".join(texts(result)).split() == ["Glossary", *" ".join(lines).split()]


def test_prose_with_long_sentences_and_numbers_at_line_ends_stays_paragraphs(
    shared_bytes: Callable[[str], bytes],
) -> None:
    raw = shared_bytes(f"{ESSAYS}/discours_de_la_methode_en.txt").decode("utf-8-sig")
    raw = re.sub(r"<[^>]+>", "", raw)
    wrapped = "\n".join(
        line[i : i + 80] for line in raw.split("\n") for i in range(0, len(line), 80)
    )
    result = parse_pdftext(wrapped)
    assert not [b for b in result.blocks if b.role is BlockRole.LIST_ITEM]
    assert max(len(b.text) for b in result.blocks) > 1000  # Descartes' long periods, whole
    years = "The events of the year\n1917 and of the year\n1918 and of the year\n1919 were told.\n"
    assert texts(parse_pdftext(years), BlockRole.LIST_ITEM) == []


# --- whole PDFs --------------------------------------------------------------------


@pytest.mark.usefixtures("poppler")
def test_a_pdf_whose_ligature_glyphs_map_to_spaces_is_repaired() -> None:
    paragraph = (
        "The con\ufb01dential de\ufb01nition of the \ufb01rst o\ufb03ce was a re\ufb02ection "
        "for years, and its e\ufb00ect on the sta\ufb00 was felt in every o\ufb03ce of the land."
    )
    document = f'<html><body style="font-family: DejaVu Serif"><p>{paragraph}</p></body></html>'
    import weasyprint

    pdf = weasyprint.HTML(string=document).write_pdf(uncompressed_pdf=True)
    for ligature in (b"<fb00>", b"<fb01>", b"<fb02>", b"<fb03>"):
        assert ligature in pdf
        pdf = pdf.replace(ligature, b"<0020>")  # the glyph now reads as a space
    assert texts(parse(pdf, "lost.pdf")) != [expand_ligatures(paragraph)]
    assert texts(parse(pdf, "lost.pdf", language="en")) == [expand_ligatures(paragraph)]


@pytest.mark.usefixtures("poppler")
def test_a_pdf_with_typographic_ligatures_imports_with_letters() -> None:
    items = ["The \ufb01rst o\ufb03ce had a \ufb02oor of its own. Its sta\ufb00 was proud of it."]
    result = parse(render_pdf(book_html("Ligatures", items)), "lig.pdf", language="en")
    assert items[0].translate({0xFB01: "fi", 0xFB03: "ffi", 0xFB02: "fl", 0xFB00: "ff"}) in (
        " ".join(texts(result))
    )
    assert not re.search("[\ufb00-\ufb06]", " ".join(texts(result)))


@pytest.mark.usefixtures("poppler")
def test_two_columns_are_read_column_after_column(shared_path: Callable[[str], Path]) -> None:
    _headings, items = corpus_paragraphs(shared_path(f"{ESSAYS}/manifesto_en.txt"), limit=45)
    paragraphs = [item for item in items if not item.startswith("# ")]
    result = parse(render_pdf(book_html("Manifesto", items, columns=True)), "m.pdf")
    joined = re.sub(r"\s+", " ", " ".join(texts(result)))
    positions = [joined.find(paragraph) for paragraph in paragraphs]
    found = [position for position in positions if position >= 0]
    assert len(found) >= 0.9 * len(paragraphs)  # whole paragraphs, not interleaved lines
    assert found == sorted(found)  # the left column, then the right one, page after page


@pytest.mark.usefixtures("poppler")
def test_a_book_with_contents_and_index_has_no_segment_over_a_thousand_characters(
    shared_path: Callable[[str], Path],
) -> None:
    _headings, items = corpus_paragraphs(shared_path(f"{ESSAYS}/manifesto_en.txt"), limit=40)
    book = book_html("Manifesto", items, toc=True, index_terms=index_terms(items, 200))
    result = parse(render_pdf(book), "m.pdf", language="en")
    items_found = texts(result, BlockRole.LIST_ITEM)
    assert "I. Bourgeois and Proletarians" in items_found
    assert any(re.fullmatch(r"Bourgeoisie, \d+(, \d+)*", item) for item in items_found)
    assert max(len(b.text) for b in result.blocks) <= 1000
    assert not any("indd" in text or text.isdigit() for text in texts(result))


@pytest.mark.usefixtures("poppler")
def test_headings_of_a_pdf_are_found_by_their_font_size_in_one_column_and_in_two(
    shared_path: Callable[[str], Path],
) -> None:
    """pdftotext -raw writes no indentation: a line set bigger than the body (the word
    boxes of pdftotext -bbox), between a paragraph end and a sentence start, is a
    heading, in a narrow column too; a heading of two lines stays one."""
    _headings, items = corpus_paragraphs(shared_path(f"{ESSAYS}/manifesto_en.txt"))
    result = parse(render_pdf(book_html("Manifesto", items)), "m.pdf", language="en")
    headings = texts(result, BlockRole.HEADING)
    assert headings[:5] == [
        "Karl Marx, Frederick Engels",  # a byline alone on its line reads as one
        "Manifesto of the Communist Party",
        "I. Bourgeois and Proletarians",
        "II. Proletarians and Communists",
        "III. Socialist and Communist Literature",
    ]
    assert (
        "IV. Position of the Communists in Relation to the Various Existing Opposition Parties"
        in headings
    )
    assert len(headings) <= 9  # the corpus has 8 headings; no line of prose is taken
    two_columns = parse(render_pdf(book_html("Manifesto", items[:60], columns=True)), "m.pdf")
    assert texts(two_columns, BlockRole.HEADING) == [
        "Manifesto of the Communist Party",
        "I. Bourgeois and Proletarians",
    ]
