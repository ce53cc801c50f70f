"""ODT import: a DOCX converted by LibreOffice reads as the DOCX does; list numbering,
notes, styles and skipped parts on hand-written content.xml; files that are not ODT."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.office_files import convert, sample_docx, zip_bytes
from tests.formats.test_docx_import import EXPECTED, L
from translator.errors import InputError
from translator.formats import parse
from translator.formats.base import BlockRole

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
STYLES = f"""<office:document-styles {NS}><office:styles>
<style:style style:name="Quotations" style:family="paragraph"/>
<style:style style:name="My_Quote" style:display-name="My Quote" style:family="paragraph"
  style:parent-style-name="Quotations"/>
<style:style style:name="Emphasis" style:family="text">
  <style:text-properties fo:font-style="italic"/></style:style>
</office:styles></office:document-styles>"""
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}><office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="My_Quote"/>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="T2" style:family="text">
  <style:text-properties style:text-position="-33% 58%"/></style:style>
<text:list-style style:name="L1">
  <text:list-level-style-number text:level="1" style:num-format="1" style:num-prefix="("
    style:num-suffix=")" text:start-value="2"/>
  <text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix="."
    text:display-levels="2"/>
</text:list-style>
<text:list-style style:name="L2">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
</text:list-style>
</office:automatic-styles>
<office:body><office:text>
<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>
<text:table-of-content><text:index-body><text:p>Contents 1</text:p></text:index-body>
</text:table-of-content>
<text:h text:outline-level="2">A <text:span text:style-name="T1">bold</text:span> heading</text:h>
<text:p text:style-name="P1">Quoted<text:s text:c="3"/>text<text:line-break/>next line.</text:p>
<text:list text:style-name="L1">
  <text:list-item><text:p>Two</text:p>
    <text:list><text:list-item><text:p>Sub</text:p></text:list-item></text:list>
  </text:list-item>
</text:list>
<text:p>Between<office:annotation><text:p>A comment</text:p></office:annotation> lists,
 <text:span text:style-name="Emphasis">emphatic</text:span>
 H<text:span text:style-name="T2">2</text:span>O
 <text:a xlink:href="mailto:us@example.org">mail</text:a>
 <text:a xlink:href="../local.odt">local</text:a>.<text:note text:id="n1"
 text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body>
 <text:p>The endnote.</text:p></text:note-body></text:note></text:p>
<text:list text:style-name="L1" text:continue-numbering="true">
  <text:list-item><text:p>Three</text:p></text:list-item>
  <text:list-item text:start-value="9"><text:p>Nine</text:p></text:list-item>
</text:list>
<text:list text:style-name="L2"><text:list-item><text:p>Dot</text:p></text:list-item></text:list>
<text:section text:name="S"><text:p>In a section.</text:p></text:section>
</office:text></office:body></office:document-content>"""


def odt(content: str = CONTENT, styles: str = STYLES) -> bytes:
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "styles.xml": styles,
        },
        stored_first="mimetype",
    )


def test_a_docx_converted_by_libreoffice_reads_as_the_docx(tmp_path: Path) -> None:
    source = tmp_path / "book.docx"
    source.write_bytes(sample_docx())
    result = parse(convert("soffice", source, "odt", tmp_path), "book.odt")
    assert result.format == "odt"
    assert result.title == "A Collective's Book"
    # LibreOffice cannot show "%1.%3" (levels 1 and 3 without 2): it shows levels 2-3.
    expected = [
        (L, 3, "b.i", "Deep") if text == "Deep" else (r, lv, lb, text)
        for r, lv, lb, text in EXPECTED
    ]
    assert [(b.role, b.level, b.label, b.text) for b in result.blocks] == expected


def test_lists_styles_notes_and_skipped_parts_of_a_hand_written_odt() -> None:
    result = parse(odt(), "notes.odt")
    shape = [(b.role.value, b.level, b.label, b.text) for b in result.blocks]
    assert shape == [
        ("heading", 2, None, "A <strong>bold</strong> heading"),
        ("quote", None, None, "Quoted text<br>next line."),
        ("list_item", 1, "(2)", "Two"),
        ("list_item", 2, "2.a.", "Sub"),
        (
            "paragraph",
            None,
            None,
            'Between lists, <em>emphatic</em> H<sub>2</sub>O <a href="mailto:us@example.org">'
            "mail</a> local.[i]",
        ),
        ("list_item", 1, "(3)", "Three"),
        ("list_item", 1, "(9)", "Nine"),
        ("list_item", 1, None, "Dot"),
        ("paragraph", None, None, "In a section."),
        ("footnote", None, "i", "The endnote."),
    ]
    assert result.title is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not an odt", r"not an ODT file \(it is not a ZIP archive\)"),
        (zip_bytes({"word/document.xml": "<w/>"}), "it has no content.xml part"),
        (
            odt(
                content=f"<office:document-content {NS}><office:body><office:spreadsheet/>"
                "</office:body></office:document-content>"
            ),
            "not a text document",
        ),
    ],
)
def test_a_file_that_is_not_an_odt_text_is_refused_naming_it(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse(data, "minutes.odt")
    assert caught.value.file == "minutes.odt"


def test_an_external_entity_in_content_xml_is_refused() -> None:
    content = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f"<office:document-content {NS}><office:body><office:text><text:p>&e;</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    with pytest.raises(InputError, match=r"part content\.xml: .*entities"):
        parse(odt(content=content), "minutes.odt")


def test_the_title_style_gives_the_title() -> None:
    content = CONTENT.replace(
        '<text:h text:outline-level="2">',
        '<text:p text:style-name="Title">Book</text:p><text:h text:outline-level="2">',
    )
    result = parse(odt(content=content), "book.odt")
    assert result.title == "Book"
    assert result.blocks[0].role is BlockRole.HEADING and result.blocks[0].level == 1
