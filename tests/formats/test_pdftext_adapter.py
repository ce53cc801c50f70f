"""parse_pdftext on synthetic extractions: each rule of the adapter, one at a time."""

from __future__ import annotations

import html
import textwrap

import pytest

from translator.formats.base import BlockRole, ParsedText
from translator.formats.pdftext import parse_pdftext

SENTENCES = [
    "The assembly met every week in the old hall near the river and argued late.",
    "Nobody agreed on the agenda, yet everybody stayed until the lamps went out.",
    "Letters arrived from the other towns with news of strikes and of arrests.",
    "Each letter was read aloud twice, then copied by hand for the next meeting.",
    "The copies travelled further than anyone expected, as far as the coast.",
    "By the spring the small circle had become a federation of many circles.",
]


def wrapped(text: str, *, indent: int = 0) -> list[str]:
    """Hard-wrap a paragraph at 68 columns, the first line indented by ``indent``."""
    return textwrap.wrap(text, 68, initial_indent=" " * indent, break_on_hyphens=False)


def paragraph(count: int = 4, start: int = 0) -> str:
    return " ".join(SENTENCES[(start + i) % len(SENTENCES)] for i in range(count))


def texts(result: ParsedText, role: BlockRole = BlockRole.PARAGRAPH) -> list[str]:
    return [html.unescape(block.text) for block in result.blocks if block.role is role]


def test_hard_wrapped_lines_are_joined_and_a_short_sentence_end_closes_a_paragraph() -> None:
    first, second = paragraph(4), paragraph(3, start=2)
    result = parse_pdftext("\n".join([*wrapped(first), *wrapped(second)]) + "\n")
    assert result.format == "pdftext"
    assert texts(result) == [first, second]
    assert [block.line for block in result.blocks] == [1, 1 + len(wrapped(first))]


def test_an_indented_line_starts_a_paragraph() -> None:
    first, second = paragraph(3), paragraph(3, start=3)
    lines = [*wrapped(first), *wrapped(second, indent=4)]
    lines[len(wrapped(first)) - 1] += " and then it went on"  # no sentence end, not short
    result = parse_pdftext("\n".join(lines))
    assert texts(result) == [first + " and then it went on", second]


def test_page_numbers_running_heads_and_form_feeds_are_dropped() -> None:
    text = paragraph(6) + " " + paragraph(6, start=1)
    lines = wrapped(text)
    page_one, page_two, page_three = lines[:5], lines[5:10], lines[10:]
    document = "\n".join(
        [
            *page_one,
            "",
            "12",
            "\fTHE JOURNAL OF THINGS",
            "",
            *page_two,
            "- 13 -",
            "\fTHE JOURNAL OF THINGS",
            *page_three,
            "",
            "Page 14",
            "\f3 / 40",
            "THE JOURNAL OF THINGS",
            "",
            "A last paragraph that is short.",
        ]
    )
    result = parse_pdftext(document)
    assert texts(result) == [text, "A last paragraph that is short."]
    assert any("THE JOURNAL OF THINGS" in warning for warning in result.warnings)
    assert not any("\f" in block.text for block in result.blocks)


def test_a_title_seen_once_is_not_a_running_head() -> None:
    lines = ["The Journal of Things", "", *wrapped(paragraph(4)), "", "THE JOURNAL OF THINGS"]
    result = parse_pdftext("\n".join(lines))
    assert "The Journal of Things" in texts(result)
    assert result.warnings == []


def test_blank_lines_after_a_line_that_does_not_end_a_sentence_are_a_page_break() -> None:
    text = paragraph(5)
    lines = wrapped(text)
    document = "\n".join([*lines[:2], "", "", "", *lines[2:]])
    assert texts(parse_pdftext(document)) == [text]


def test_blank_lines_after_a_sentence_end_separate_paragraphs() -> None:
    first, second = paragraph(3), paragraph(3, start=3)
    document = "\n".join([*wrapped(first), "", *wrapped(second)])
    assert texts(parse_pdftext(document)) == [first, second]


def test_a_lowercase_line_continues_the_paragraph_even_after_a_short_sentence_end() -> None:
    document = "It cost 3 p.\nper copy, which was a lot for the workers of the town then.\n"
    assert texts(parse_pdftext(document)) == [
        "It cost 3 p. per copy, which was a lot for the workers of the town then."
    ]


@pytest.mark.parametrize(
    ("first", "second", "elsewhere", "expected"),
    [
        ("revolu-", "tionary ideas", "revolutionary", "revolutionary ideas"),
        ("anti-", "capitalist ideas", "anti-capitalist", "anti-capitalist ideas"),
        ("anti-", "capitalist ideas", "anticapitalist", "anticapitalist ideas"),
        ("self-", "organised ideas", "", "self-organised ideas"),
        ("pre-", "war ideas", "", "pre-war ideas"),
        ("against", "Fascist ideas", "", "against Fascist ideas"),
        ("non-", "Leninist ideas", "", "non-Leninist ideas"),
        ("transfor-", "mation ideas", "", "transformation ideas"),
        ("COVID-", "19 ideas", "", "COVID-19 ideas"),
        ("pensez-", "vous ideas", "", "pensez-vous ideas"),
        ("the war —", "ideas", "", "the war — ideas"),
        ("the war—", "ideas", "", "the war—ideas"),
    ],
)
def test_end_of_line_hyphenation(first: str, second: str, elsewhere: str, expected: str) -> None:
    filler = paragraph(2)
    lines = [
        *wrapped(f"{filler} Some talk of {elsewhere} matters here."),
        "",
        "In the second paragraph of the essay the author wrote about " + first,
        second + " that spread across every country and many continents.",
    ]
    result = parse_pdftext("\n".join(lines))
    assert expected in texts(result)[-1]


def test_headings_of_one_and_two_lines_before_an_indented_paragraph() -> None:
    intro, body, more = paragraph(3), paragraph(4, start=1), paragraph(4, start=2)
    lines = [
        *wrapped(intro, indent=3),
        "A Short Heading",
        *wrapped(body, indent=3),
        "The Federation: How Small Circles of Readers Became a Movement of",
        "Many Towns",
        *wrapped(more, indent=3),
    ]
    result = parse_pdftext("\n".join(lines))
    headings = [b for b in result.blocks if b.role is BlockRole.HEADING]
    assert [(h.text, h.level) for h in headings] == [
        ("A Short Heading", 2),
        ("The Federation: How Small Circles of Readers Became a Movement of Many Towns", 2),
    ]
    assert texts(result) == [intro, body, more]
    assert [b.role for b in result.blocks] == [
        BlockRole.PARAGRAPH,
        BlockRole.HEADING,
        BlockRole.PARAGRAPH,
        BlockRole.HEADING,
        BlockRole.PARAGRAPH,
    ]


def test_a_short_line_ending_with_a_comma_is_not_a_heading() -> None:
    lines = [*wrapped(paragraph(3)), "Yours faithfully,", *wrapped(paragraph(2), indent=3)]
    result = parse_pdftext("\n".join(lines))
    assert all(block.role is BlockRole.PARAGRAPH for block in result.blocks)


def test_footnote_calls_stay_and_a_notes_section_becomes_footnotes() -> None:
    lines = [
        *wrapped("It was smaller than the POUM.2 " + paragraph(4)),
        *wrapped("The text appeared in Catalan.[1] " + paragraph(4, start=2)),
        "",
        "Notes",
        "1. The first note, long enough to wrap onto a second line of the",
        "notes section at the end.",
        "2 The second note.",
        "[3] The third note.",
    ]
    result = parse_pdftext("\n".join(lines))
    body = texts(result)
    assert "POUM.2 " in body[0]
    assert "Catalan.[1] " in body[1]
    assert texts(result, BlockRole.HEADING) == ["Notes"]
    notes = [b for b in result.blocks if b.role is BlockRole.FOOTNOTE]
    first_note = lines.index("Notes") + 2
    assert [(n.label, n.text, n.line) for n in notes] == [
        (
            "1",
            "The first note, long enough to wrap onto a second line of the notes section "
            "at the end.",
            first_note,
        ),
        ("2", "The second note.", first_note + 2),
        ("3", "The third note.", first_note + 3),
    ]
    assert result.blocks[-1].role is BlockRole.FOOTNOTE


def test_a_notes_heading_without_numbered_notes_is_ordinary_text() -> None:
    lines = [*wrapped(paragraph(3)), "", "Notes", "", "Some closing remarks follow here."]
    result = parse_pdftext("\n".join(lines))
    assert not [b for b in result.blocks if b.role is BlockRole.FOOTNOTE]
    assert "Some closing remarks follow here." in texts(result)[-1]


def test_text_is_html_escaped() -> None:
    (block,) = parse_pdftext("AT&T <b> is not markup.\n").blocks
    assert block.text == "AT&amp;T &lt;b&gt; is not markup."


def test_unwrapped_text_keeps_one_paragraph_per_line() -> None:
    long_line = paragraph(6)
    document = f"{long_line}\n{long_line}\nA Title\n{long_line}\n"
    assert texts(parse_pdftext(document)) == [long_line, long_line, "A Title", long_line]


def test_empty_text_gives_no_blocks() -> None:
    assert parse_pdftext("\n\n\f\n12\n").blocks == []


def test_a_drop_cap_in_copied_text_joins_the_word_it_begins() -> None:
    lines = ["T", *wrapped("he " + paragraph(4)[4:]), "", "I", *wrapped(paragraph(3, start=2))]
    result = parse_pdftext("\n".join(lines))
    assert texts(result)[0] == "The " + paragraph(4)[4:]  # "T" + "he assembly met…"
    assert not any(text.startswith("T he") for text in texts(result))


def sized(lines: list[tuple[float, str]]) -> ParsedText:
    """What pdftotext -raw gives with the font size of each line (pdfwords.line_layout)."""
    text = "\n".join(line for _size, line in lines)
    sizes = {number: size for number, (size, _line) in enumerate(lines, start=1)}
    return parse_pdftext(text, flush_headings=True, line_sizes=sizes)


def test_small_lines_after_body_text_are_footnotes_only_with_a_marker() -> None:
    body = [(11.6, line) for line in wrapped(paragraph(6))]
    result = sized(
        [
            *body[:3],  # a paragraph cut by two notes at the foot of its column
            (9.0, "1See the minutes of the assembly, kept in the town's archive."),
            (9.0, "2 Letters of the federation, 1871-1872."),
            *body[3:],
            (9.0, "Figure 2: The old hall near the river."),  # a caption
            *body,
            (13.0, "References"),  # a list of works in the notes' size, under its heading
            (9.0, "1 Minutes of the assembly, 1871."),
            (9.0, "2 Letters of the federation, 1872."),
            *body[:2],
            (9.0, "1. The first point of the agenda was read."),  # a numbered list mid-page
            (9.0, "2. The second one was put to the vote."),
            *body[2:],
        ]
    )
    notes = [
        (b.label, html.unescape(b.text)) for b in result.blocks if b.role is BlockRole.FOOTNOTE
    ]
    assert notes == [
        ("1", "See the minutes of the assembly, kept in the town's archive."),
        ("2", "Letters of the federation, 1871-1872."),
    ]
    assert texts(result)[0] == paragraph(6)
    assert "Figure 2: The old hall near the river." in texts(result)
    assert any(text.startswith("1 Minutes of the assembly") for text in texts(result))
    assert any("1. The first point of the agenda" in text for text in texts(result))


def test_footnotes_come_in_the_order_they_stand_before_the_notes_section() -> None:
    """A page's small footnote, then a trailing "Notes" section: the page's note is the
    first note, as in the book (note numbers follow this order when labels repeat)."""
    body = [(11.6, line) for line in wrapped(paragraph(6))]
    result = sized(
        [
            *body[:3],
            (9.0, "1See the minutes of the assembly, kept in the town's archive."),
            *body[3:],
            *body,
            (13.0, "Notes"),
            (11.6, "1. The letters of the federation, 1871-1872."),
            (11.6, "2. The report of the treasurer."),
        ]
    )
    notes = [html.unescape(b.text) for b in result.blocks if b.role is BlockRole.FOOTNOTE]
    assert notes == [
        "See the minutes of the assembly, kept in the town's archive.",
        "The letters of the federation, 1871-1872.",
        "The report of the treasurer.",
    ]
