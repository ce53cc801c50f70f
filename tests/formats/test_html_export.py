"""The web page writers read back: structure, footnote links both ways, notices, no
external request, and hostile text that never becomes markup."""

from __future__ import annotations

import dataclasses
import html
import re
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.formats.publications import essay, info, noted, udhr, udhr_parallel
from translator.errors import InputError
from translator.formats.base import BlockRole
from translator.formats.exports import EXPORT_FORMATS, ExportOptions, export_format
from translator.formats.html_export import safe_id, write_html
from translator.formats.html_parallel import write_parallel_html
from translator.formats.publication import (
    Notice,
    ParallelPublication,
    ParallelRow,
    Passage,
    Person,
    Publication,
)

OPTIONS = ExportOptions()


def page(data: bytes) -> Element:
    """The exported page as a tree (tags without namespace)."""
    assert data.startswith(b"<!DOCTYPE html>")
    return tinyhtml5.parse(data.decode("utf-8"), namespace_html_elements=False)


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def plain(inline_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", inline_html)).split())


def assert_links_resolve(root: Element) -> None:
    """Every in-page link has its target, and ids are unique."""
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, f"dangling link {href}"


def test_the_essay_keeps_every_heading_and_paragraph() -> None:
    publication = essay()
    root = page(write_html(publication, OPTIONS))
    article = root.find(".//article")
    assert article is not None
    headings = [text_of(h) for h in article.iter("h2")]
    expected = [
        plain(" ".join(p.sentences)) for p in publication.passages if p.role is BlockRole.HEADING
    ]
    assert len(headings) == 5 and headings == expected
    paragraphs = [text_of(p) for p in article.iter("p")]
    wanted = [
        plain(" ".join(p.sentences)) for p in publication.passages if p.role is BlockRole.PARAGRAPH
    ]
    assert paragraphs == wanted
    body = text_of(article)
    assert "Catalan.[1]" in body and "POUM.2" in body
    # the title heads the page once, in the header
    assert [text_of(h) for h in root.iter("h1")] == ["The Bolshevik Counterrevolution"]


def test_the_header_carries_the_edition_metadata() -> None:
    root = page(write_html(essay(), OPTIONS))
    header = root.find(".//header")
    assert header is not None
    words = text_of(header)
    for expected in ("Author: Ada Author", "Translator: Tomás Tradutor", "collective"):
        assert expected in words
    time = header.find(".//time")
    assert time is not None and time.get("datetime") == "2026-12-03"
    head = root.find("head")
    assert head is not None
    assert head.find("meta[@charset='utf-8']") is not None
    title = head.find("title")
    assert title is not None and title.text == "The Bolshevik Counterrevolution"


def test_noted_footnotes_link_both_ways() -> None:
    root = page(write_html(noted(), OPTIONS))
    assert_links_resolve(root)
    notes = root.find(".//section[@role='doc-endnotes']")
    assert notes is not None
    items = notes.findall("./ol/li")
    assert [item.get("id") for item in items] == ["fn-1", "fn-note"]
    calls = [a for a in root.iter("a") if a.get("role") == "doc-noteref"]
    assert [(a.get("href"), a.get("id"), a.text) for a in calls] == [
        ("#fn-1", "fnref-1", "1"),
        ("#fn-note", "fnref-note", "note"),
    ]
    backs = [a.get("href") for a in notes.iter("a") if a.get("role") == "doc-backlink"]
    assert backs == ["#fnref-1", "#fnref-note"]
    assert "The first footnote, with a link." in text_of(items[0])
    link = items[0].find(".//a[@href='https://example.org/']")
    assert link is not None and link.text == "link"


def test_noted_structure_quote_lists_and_inline_markup() -> None:
    root = page(write_html(noted(), OPTIONS))
    article = root.find(".//article")
    assert article is not None
    assert [text_of(h) for h in root.iter("h1")] == ["A Noted Essay"]
    assert [text_of(h) for h in article.iter("h2")] == ["First part", "Second part"]
    quote = article.find("blockquote/p")
    assert quote is not None and quote.find("em") is not None
    outer = article.find("ul")
    assert outer is not None
    items = outer.findall("li")
    assert [(item.text or "").strip() for item in items] == ["an item", "another item"]
    nested = items[0].find("ul/li")
    assert nested is not None and text_of(nested) == "a nested item"
    paragraph = text_of(article.findall("p")[0])
    assert "It goes on & on with <care>." in paragraph
    assert article.find(".//strong") is not None


def test_list_levels_never_skip_a_list() -> None:
    passages = (
        Passage(BlockRole.LIST_ITEM, ("deep at once",), level=3),
        Passage(BlockRole.LIST_ITEM, ("second",), level=2),
        Passage(BlockRole.LIST_ITEM, ("top",), level=1),
        Passage(BlockRole.PARAGRAPH, ("after",)),
    )
    data = write_html(Publication(info("en", "Lists"), passages), OPTIONS)
    root = page(data)
    article = root.find(".//article")
    assert article is not None
    top = article.findall("ul")
    assert len(top) == 1
    assert [text_of(li) for li in top[0].findall("li")] == ["deep at once second", "top"]
    assert text_of(article.findall("p")[-1]) == "after"


def test_udhr_french_page_says_its_language() -> None:
    root = page(write_html(udhr("fr"), OPTIONS))
    assert root.get("lang") == "fr" and root.get("dir") == "ltr"
    assert "Déclaration universelle des droits de l" in text_of(root.find(".//header/h1"))  # type: ignore[arg-type]
    assert len(list(root.iter("h2"))) >= 31  # the preamble and thirty articles


def test_right_to_left_and_odd_language_tags() -> None:
    arabic = Publication(info("ar", "عنوان"), (Passage(BlockRole.PARAGRAPH, ("نص",)),))
    assert page(write_html(arabic, OPTIONS)).get("dir") == "rtl"
    odd = Publication(info('en" onload="x', "T"), (Passage(BlockRole.PARAGRAPH, ("x",)),))
    root = page(write_html(odd, OPTIONS))
    assert root.get("lang") == "und" and root.get("onload") is None


def test_notice_box_only_on_unfinished_editions() -> None:
    unfinished = essay(Notice(untranslated=(3, 4, 5, 9), drafts=(12,), outdated=()))
    root = page(write_html(unfinished, OPTIONS))
    boxes = [e for e in root.iter("aside") if e.get("class") == "notice"]
    assert len(boxes) == 1
    words = text_of(boxes[0])
    assert "not finished" in words and "3–5, 9" in words and "12" in words
    assert "source changed" not in words  # no outdated rows, no line for them
    finished = page(write_html(essay(), OPTIONS))
    assert not [e for e in finished.iter("aside") if e.get("class") == "notice"]


def test_the_page_makes_no_external_request() -> None:
    for data in (write_html(noted(), OPTIONS), write_parallel_html(udhr_parallel(), OPTIONS)):
        root = page(data)
        for tag in ("script", "img", "link", "iframe", "object", "embed", "video", "audio"):
            assert root.find(f".//{tag}") is None, tag
        for element in root.iter():
            assert element.get("src") is None and element.get("srcset") is None
            if element.tag != "a":
                assert element.get("href") is None
        links = {a.get("href") for a in root.iter("a") if a.get("href")}
        assert {href for href in links if not href.startswith("#")} <= {"https://example.org/"}
        css = " ".join(style.text or "" for style in root.iter("style"))
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?(?!data:)", css)
        assert "http" not in css


HOSTILE = (
    "&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script>"
    ' <img src="http://evil.example/x.png" onerror="alert(3)">'
    ' <a href="javascript:alert(4)" onclick="alert(5)">click</a>'
    ' <a href="JaVaScRiPt:alert(6)">again</a> <style>body{background:url(http://evil.example/)}</style>'
    ' <em onmouseover="alert(7)" title="t">em</em> <iframe src="http://evil.example/"></iframe>'
)


def _hostile_publication() -> Publication:
    passages = (
        Passage(BlockRole.HEADING, (HOSTILE,), level=2),
        Passage(BlockRole.PARAGRAPH, (HOSTILE, "A call.[x y]")),
        Passage(BlockRole.QUOTE, (HOSTILE,)),
        Passage(BlockRole.LIST_ITEM, (HOSTILE,), level=1),
        Passage(BlockRole.FOOTNOTE, (HOSTILE,), label="x y"),
    )
    hostile_info = dataclasses.replace(
        info("en", "<script>alert(8)</script>"),
        credits="<script>alert(9)</script>",
        people=(Person("<script>alert(10)</script>", "<b>aut</b>"),),
    )
    return Publication(hostile_info, passages, Notice(untranslated=(1,)))


def _assert_harmless(root: Element) -> None:
    for tag in ("script", "img", "iframe"):
        assert root.find(f".//{tag}") is None, tag
    styles = list(root.iter("style"))
    assert len(styles) == 1 and "evil" not in (styles[0].text or "")
    for element in root.iter():
        assert not [name for name in element.attrib if name.startswith("on")], element.attrib
        assert not (element.get("href") or "").lower().startswith("javascript")
    assert "<script>alert(1)</script>" in text_of(root)  # escaped text stays text
    assert_links_resolve(root)


def test_hostile_text_never_becomes_markup() -> None:
    root = page(write_html(_hostile_publication(), OPTIONS))
    _assert_harmless(root)
    call = next(a for a in root.iter("a") if a.get("role") == "doc-noteref")
    assert call.get("href") == "#fn-x_20y" and call.text == "x y"


def test_hostile_text_in_parallel_cells() -> None:
    row = ParallelRow(BlockRole.PARAGRAPH, (HOSTILE, HOSTILE), paragraph=1)
    parallel = ParallelPublication((info("en", "<b>T</b>"), info("fr", "T")), (row,))
    _assert_harmless(page(write_parallel_html(parallel, OPTIONS)))


def test_extra_stylesheet_is_embedded_unless_it_could_fetch() -> None:
    data = write_html(noted(), ExportOptions(stylesheet="h2 { color: teal; }"))
    assert b"h2 { color: teal; }" in data
    for css in (
        "@import 'http://evil.example/x.css';",
        "body { background: url(http://evil.example/x.png) }",
        "body { background: url( 'file:///etc/passwd') }",
        "body { background: image-set('http://evil.example/x.png' 1x) }",
        "p { font-family: x } </style><script>alert(1)</script>",
        "body { background: \\75 rl(http://evil.example/) }",
    ):
        with pytest.raises(InputError) as caught:
            write_html(noted(), ExportOptions(stylesheet=css))
        assert caught.value.field == "stylesheet"
    data = write_html(noted(), ExportOptions(stylesheet="hr { background: url(data:,x) }"))
    assert b"url(data:,x)" in data


@settings(deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_footnote_ids_are_safe_and_distinct(label: str) -> None:
    identifier = safe_id(label)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", identifier)
    assert (
        safe_id(label + "_") != identifier and safe_id(label.upper()) != safe_id(label.lower())
    ) or label.upper() == label.lower()


def test_parallel_page_one_column_per_edition() -> None:
    parallel = udhr_parallel()
    root = page(write_parallel_html(parallel, OPTIONS))
    assert root.get("lang") == "en"
    metas = [div for div in root.iter("div") if div.get("class") == "edition-meta"]
    assert [div.get("lang") for div in metas] == ["en", "fr", "pt"]
    assert all(div.find("h1") is not None for div in metas)  # the title row heads them
    rows = [
        tr for table in root.iter("table") for tr in table.iter("tr") if tr.find("td") is not None
    ]
    assert len(rows) == len(parallel.rows) - 1
    for tr in rows:
        assert [td.get("lang") for td in tr.findall("td")] == ["en", "fr", "pt"]
    assert len(list(root.iter("table"))) > 1  # small tables, not one huge one
    headings = [row for row in parallel.rows[1:] if row.role is BlockRole.HEADING]
    assert len(list(root.iter("h2"))) == sum(1 for row in headings for cell in row.cells if cell)
    first_article = next(
        row for row in parallel.rows if row.role is BlockRole.HEADING and row.level == 2
    )
    for cell in first_article.cells:
        assert plain(cell) in text_of(root)


def test_parallel_notices_and_footnotes_per_edition() -> None:
    rows = (
        ParallelRow(BlockRole.HEADING, ("Title", "Titre"), paragraph=0, level=1),
        ParallelRow(BlockRole.PARAGRAPH, ("A call.[1] Another.[1]", "Un appel.[1]"), paragraph=1),
        ParallelRow(BlockRole.PARAGRAPH, ("Second sentence.", ""), paragraph=1),
        ParallelRow(BlockRole.FOOTNOTE, ("The note.", "La note."), paragraph=2, label="1"),
    )
    parallel = ParallelPublication(
        (info("en", "Title"), info("fr", "Titre")), rows, (None, Notice(untranslated=(3,)))
    )
    root = page(write_parallel_html(parallel, OPTIONS))
    assert_links_resolve(root)
    metas = [div for div in root.iter("div") if div.get("class") == "edition-meta"]
    assert [len([a for a in div.iter("aside")]) for div in metas] == [0, 1]
    calls = [a.get("href") for a in root.iter("a") if a.get("role") == "doc-noteref"]
    assert calls == ["#fn-0-1", "#fn-0-1", "#fn-1-1"]
    empty = [td for td in root.iter("td") if td.get("class") == "empty"]
    assert [td.get("lang") for td in empty] == ["fr"]


def test_registered_formats() -> None:
    for name in ("html", "parallel-html", "md", "txt", "pdf", "parallel-pdf"):
        assert export_format(name).name == name
    assert EXPORT_FORMATS["html"].write(noted(), OPTIONS) == write_html(noted(), OPTIONS)
