"""EPUB import: spine order, notes across documents, navigation left out, EPUB 2 with
HTML entities, damaged and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.office_files import convert, zip_bytes
from translator.errors import InputError
from translator.formats import parse

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf"
 media-type="application/oebps-package+xml"/></rootfiles></container>"""
XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
    'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body>{}</body>'
    "</html>"
)


def epub(
    documents: dict[str, str],
    spine: list[str],
    *,
    version: str = "3.0",
    extra: str = "",
    opf_extra: str = "",
) -> bytes:
    items = "".join(
        f'<item id="{name.split(".")[0]}" href="{name}" media-type="application/xhtml+xml"'
        + (' properties="nav"' if name == "nav.xhtml" else "")
        + "/>"
        for name in documents
    )
    refs = "".join(
        f'<itemref idref="{name.split(".")[0].removesuffix("!")}"'
        + (' linear="no"' if name.endswith("!") else "")
        + "/>"
        for name in spine
    )
    opf = f"""<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>The  Book</dc:title><dc:language>en</dc:language></metadata>
<manifest>{items}<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
{opf_extra}</manifest><spine toc="ncx">{refs}</spine></package>"""
    members: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf,
        "OEBPS/toc.ncx": "<ncx><navMap><navPoint><text>Chapter</text></navPoint></navMap></ncx>",
    }
    members.update({f"OEBPS/{name}": text for name, text in documents.items()})
    if extra:
        members["OEBPS/extra.txt"] = extra
    return zip_bytes(members, stored_first="mimetype")


BOOK = {
    "nav.xhtml": XHTML.format(
        '<nav epub:type="toc"><ol><li><a href="c1.xhtml">Chapter One</a></li></ol></nav>'
    ),
    "notes.xhtml": XHTML.format(
        '<aside epub:type="endnote" id="en1"><p>An endnote in its own file.</p></aside>'
    ),
    "c2.xhtml": XHTML.format(
        '<h2>Chapter Two</h2><p>Second<a epub:type="noteref" '
        'href="notes.xhtml#en1">1</a> chapter.</p>'
    ),
    "c1.xhtml": XHTML.format(
        '<section><h1>Chapter One</h1><p>First&#160;chapter<a epub:type="noteref" '
        'href="#fn-a">*</a>.</p><aside epub:type="footnote" id="fn-a"><p>A footnote.</p>'
        '</aside><ol start="2"><li>Two</li></ol></section>'
    ),
}


def test_the_spine_gives_the_order_and_notes_follow_their_calls_across_files() -> None:
    result = parse(epub(BOOK, ["nav", "c1", "c2", "notes!"]), "book.epub")
    assert result.format == "epub"
    assert result.title == "The Book"
    assert [(b.role.value, b.level, b.label, b.text) for b in result.blocks] == [
        ("heading", 1, None, "Chapter One"),
        ("paragraph", None, None, "First\u00a0chapter[*]."),
        ("list_item", 1, "2.", "Two"),
        ("heading", 2, None, "Chapter Two"),
        ("paragraph", None, None, "Second[1] chapter."),
        ("footnote", None, "*", "A footnote."),
        ("footnote", None, "1", "An endnote in its own file."),
    ]


def test_epub2_xhtml_with_a_dtd_and_html_entities_reads_them_without_loading_it() -> None:
    chapter = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"'
        ' "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/'
        'xhtml"><body><p>Caf&eacute;&nbsp;&mdash; d&rsquo;&eacute;t&eacute;.</p></body></html>'
    )
    result = parse(epub({"c1.xhtml": chapter}, ["c1"], version="2.0"), "old.epub")
    assert [b.text for b in result.blocks] == ["Café\u00a0— d’été."]


def test_a_chapter_that_is_not_well_formed_is_read_as_html_with_a_warning() -> None:
    chapter = "<html><body><p>Unclosed <b>bold<p>Next</body></html>"
    result = parse(epub({"c1.xhtml": chapter}, ["c1"]), "sloppy.epub")
    assert [b.text for b in result.blocks] == [
        "Unclosed <strong>bold</strong>",
        "Next",
    ]
    assert result.warnings and "OEBPS/c1.xhtml: not well-formed XHTML" in result.warnings[0]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_entity_declarations_in_a_chapter_are_refused(doctype: str) -> None:
    chapter = f'<?xml version="1.0"?>{doctype}<html><body><p>&x;&b;</p></body></html>'
    with pytest.raises(InputError, match="entities") as caught:
        parse(epub({"c1.xhtml": chapter}, ["c1"]), "evil.epub")
    assert caught.value.file == "evil.epub"
    assert "OEBPS/c1.xhtml" in caught.value.message


def test_an_epub_without_its_parts_is_refused_naming_the_file() -> None:
    no_container = zip_bytes(
        {"mimetype": "application/epub+zip", "OEBPS/c.xhtml": "<html/>"}, stored_first="mimetype"
    )
    with pytest.raises(InputError, match=r"container\.xml") as caught:
        parse(no_container, "book.epub")
    assert caught.value.file == "book.epub"
    missing_package = zip_bytes(
        {"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER},
        stored_first="mimetype",
    )
    with pytest.raises(InputError, match=r"OEBPS/content\.opf"):
        parse(missing_package, "book.epub")
    with pytest.raises(InputError, match="no text document"):
        parse(epub({"nav.xhtml": BOOK["nav.xhtml"]}, ["nav"]), "book.epub")
    with pytest.raises(InputError, match=r"not an EPUB file \(it is not a ZIP"):
        parse(b"<html><body><p>x</p></body></html>", "book.epub")


def test_pandoc_epub2_and_epub3_of_the_same_text_read_alike(tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text(
        "---\ntitle: Pandoc Book\n---\n\n# One\n\nText with a note.[^n]\n\n1. First\n2. Second\n\n"
        "# Two\n\n> Quoted.\n\n[^n]: The note.\n"
    )
    shapes = []
    for writer in ("epub3", "epub2"):
        out = tmp_path / writer
        out.mkdir()
        data = convert("pandoc", source, "epub", out, writer=writer)
        result = parse(data, "book.epub")
        assert result.title == "Pandoc Book"
        shapes.append(
            [(b.role.value, b.label, b.text) for b in result.blocks if b.text != "Pandoc Book"]
        )
    assert (
        shapes[0]
        == shapes[1]
        == [
            ("heading", None, "One"),
            ("paragraph", None, "Text with a note.[1]"),
            ("list_item", "1.", "First"),
            ("list_item", "2.", "Second"),
            ("heading", None, "Two"),
            ("quote", None, "Quoted."),
            ("footnote", "1", "The note."),
        ]
    )
