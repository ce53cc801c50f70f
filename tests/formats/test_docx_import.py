"""DOCX import: structure, numbering, notes, inline tags; files that are not DOCX."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from tests.formats.office_files import replace_members, sample_docx, zip_bytes
from translator.errors import InputError
from translator.formats import parse
from translator.formats.base import BlockRole

H, P, Q, L, F = (
    BlockRole.HEADING,
    BlockRole.PARAGRAPH,
    BlockRole.QUOTE,
    BlockRole.LIST_ITEM,
    BlockRole.FOOTNOTE,
)

EXPECTED = [
    (H, 1, None, "A Collective's Book"),
    (H, 1, None, "First chapter"),
    (
        P,
        None,
        None,
        "Plain <strong>bold</strong>, <em>italic</em>, <em>underlined</em> &amp; "
        "H<sub>2</sub>O, x<sup>2</sup> &lt;not a tag&gt;.[1]",
    ),
    (H, 3, None, "An outline-level heading"),
    (Q, None, None, "Said in a quote."),
    (Q, None, None, "Said intensely."),
    (L, 1, "3.", "Third item"),
    (L, 1, "4.", "Fourth item"),
    (L, 2, "a)", "Sub a"),
    (L, 2, "b)", "Sub b"),
    (L, 3, "4.i", "Deep"),
    (L, 1, "5.", "Fifth item"),
    (L, 1, "1.", "Restarted"),
    (L, 1, None, "A bullet"),
    (L, 1, "1.", "A styled number"),
    (P, None, None, "Cell one"),
    (P, None, None, "Cell two"),
    (P, None, None, "Cell four"),
    (
        P,
        None,
        None,
        'See the <a href="https://example.org/page?a=1&amp;b=2">site</a> and nothing here.[i][2]',
    ),
    (F, None, "1", "The first footnote."),
    (F, None, "2", "The second footnote."),
    (F, None, "2", 'Its second paragraph, from <a href="https://example.org/source">a source</a>.'),
    (F, None, "i", "An endnote."),
]


def _shape(result: object) -> list[tuple[object, ...]]:
    return [(b.role, b.level, b.label, b.text) for b in result.blocks]  # type: ignore[attr-defined]


def test_a_docx_keeps_headings_quotes_numbered_lists_cells_notes_and_inline_tags(
    assert_inline_html: Callable[[str], None],
) -> None:
    result = parse(sample_docx(), "book.docx")
    assert result.format == "docx"
    assert result.title == "A Collective's Book"
    assert _shape(result) == EXPECTED
    assert result.warnings == ["paragraph 16: table imported as one paragraph per cell"]
    for block in result.blocks:
        assert_inline_html(block.text)
    # A DOCX has no lines: a block's line is its paragraph's number, for messages.
    assert [b.line for b in result.blocks[:3]] == [1, 2, 3]


def test_detection_by_content_whatever_the_name() -> None:
    assert parse(sample_docx(), "upload.bin").format == "docx"


def test_the_only_heading_1_is_the_title_when_no_title_style() -> None:
    document = docx.Document()
    document.add_heading("Only one", 1)
    document.add_paragraph("Text.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse(buffer.getvalue(), "a.docx").title == "Only one"


def _docx_with_body(body: str) -> bytes:
    return replace_members(sample_docx(), {"word/document.xml": body})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Just text, named like a Word file.\n", r"not a DOCX file \(it is not a ZIP archive\)"),
        (zip_bytes({"readme.txt": "hello"}), "not a DOCX file: it has no word/document.xml"),
        (
            zip_bytes(
                {"mimetype": "application/epub+zip", "META-INF/container.xml": "<c/>"},
                stored_first="mimetype",
            ),
            "it looks like EPUB",
        ),
    ],
)
def test_a_file_that_is_not_a_docx_is_refused_naming_it(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse(data, "report.docx")
    assert caught.value.file == "report.docx"


def test_a_damaged_part_is_named_with_its_line() -> None:
    body = '<?xml version="1.0"?>\n<w:document xmlns:w="x">\n<w:body><w:p></w:body>'
    with pytest.raises(InputError, match=r"part word/document\.xml: not well-formed") as caught:
        parse(_docx_with_body(body), "report.docx")
    assert caught.value.file == "report.docx"
    assert caught.value.line == 3


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # XXE
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    ],
)
def test_entities_in_a_part_are_refused(doctype: str) -> None:
    body = (
        f'<?xml version="1.0"?>{doctype}<w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;&d;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(InputError, match="entities") as caught:
        parse(_docx_with_body(body), "report.docx")
    assert "word/document.xml" in caught.value.message


def test_a_generated_table_of_contents_is_left_out() -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("Contents", style="TOC Heading")
    document.element.body.insert(
        1,
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtPr><w:docPartObj><w:docPartGallery "
            'w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r>'
            "<w:t>Chapter one ........ 3</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    document.add_paragraph("The text itself.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert [b.text for b in parse(buffer.getvalue(), "a.docx").blocks] == ["The text itself."]


def test_an_old_binary_word_file_is_refused_with_what_to_do() -> None:
    with pytest.raises(InputError, match=r"old Office document \(\.doc\); save it as DOCX"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "letter.doc")
