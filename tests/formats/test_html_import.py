"""HTML page import: charset, main content only, structure, footnotes, safe links."""

from __future__ import annotations

import codecs
import html
from collections.abc import Callable

import pytest

from translator.errors import InputError
from translator.formats import detect_format, parse
from translator.formats.base import BlockRole


def _shape(data: bytes, name: str = "page.html") -> list[tuple[str, int | None, str | None, str]]:
    result = parse(data, name)
    assert result.format == "html"
    return [(b.role.value, b.level, b.label, b.text) for b in result.blocks]


def _listing_page(listing: str) -> tuple[bytes, list[tuple[str, int | None, str | None, str]]]:
    """A web archive's listing page around the texts of samples/workers-group-listing.txt
    (site header, menu, sidebar, search form, footer, scripts), and the blocks expected."""
    paragraphs = [" ".join(p.split()) for p in listing.split("\n\n") if p.strip()]
    heading, *teasers = paragraphs
    expected = [("heading", 1, None, heading)]
    articles = []
    for index, text in enumerate(teasers):
        if text.endswith("."):
            articles.append(f"<div class='field-teaser'><p>{html.escape(text)}</p></div>")
            expected.append(("paragraph", None, None, html.escape(text, quote=False)))
        else:
            href = f"https://libcom.example/history/text-{index}"
            articles.append(f"<h2><a href='{href}'>{html.escape(text)}</a></h2>")
            expected.append(
                ("heading", 2, None, f'<a href="{href}">{html.escape(text, quote=False)}</a>')
            )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{heading} | libcom.example</title>
<style>body {{ color: red }}</style><script>var tracking = "Do not import me";</script>
</head><body>
<a class="skip-link" href="#content">Skip to main content</a>
<header id="site-header"><div class="logo">libcom.example</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/library">Library</a></li></ul></nav>
<form role="search"><input name="q"><button>Search</button></form></header>
<div class="layout">
<div id="content"><h1>{heading}</h1>
<div class="view-content">{"".join(articles)}</div>
<ul class="pagination"><li><a href="?page=1">next ›</a></li></ul></div>
<div class="sidebar"><h2>Recent comments</h2><p>A comment nobody translates.</p></div>
</div>
<footer><p>Copyright: the authors.</p></footer>
<noscript>Enable JavaScript.</noscript>
</body></html>"""
    return page.encode("utf-8"), expected


def test_a_listing_page_gives_its_teasers_and_nothing_of_the_site_around_them(
    shared_bytes: Callable[[str], bytes],
) -> None:
    page, expected = _listing_page(shared_bytes("samples/workers-group-listing.txt").decode())
    result = parse(page, "workers-group.html")
    assert [(b.role.value, b.level, b.label, b.text) for b in result.blocks] == expected
    assert result.title == "Workers Group"
    assert any("delegacji robotniczych" in b.text for b in result.blocks)  # Polish kept


def test_main_is_preferred_then_the_only_article() -> None:
    page = b"""<html><body><div>Intro outside main.</div><main><p>Inside main.</p></main>
    <aside><p>Related links.</p></aside></body></html>"""
    assert _shape(page) == [("paragraph", None, None, "Inside main.")]
    page = b"""<html><body><p>Banner text.</p><article><header><h1>Title</h1>
    <p class="byline">By someone</p></header><p>Body.</p><footer>Tags: x</footer></article>
    </body></html>"""
    assert _shape(page) == [
        ("heading", 1, None, "Title"),
        ("paragraph", None, None, "By someone"),
        ("paragraph", None, None, "Body."),
    ]


@pytest.mark.parametrize(
    "head",
    [
        b'<meta charset="ISO-8859-1">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        b"",  # no declaration: detected
    ],
)
def test_a_latin1_page_is_decoded_by_its_declaration_or_detection(head: bytes) -> None:
    text = "Une « citation » d’été, naïve — déjà “quoted”."
    page = b"<html><head>" + head + b"</head><body><p>" + text.encode("cp1252") + b"</p></body>"
    assert _shape(page + b"</html>")[0][3] == text


def test_a_byte_order_mark_wins_over_the_declaration() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Coração</p></body></html>'
    assert _shape(codecs.BOM_UTF8 + page.encode("utf-8"))[0][3] == "Coração"


def test_damaged_utf8_is_refused_with_its_line() -> None:
    page = (
        b'<html><head><meta charset="utf-8"></head>\n<body>\n'
        b"<p>caf\xc3\xa9 and \xe9t\xc3\xa9 and \xc3\xa0 \xc3\xa7a</p>"
    )
    with pytest.raises(InputError) as caught:
        parse(page, "page.html")
    assert caught.value.file == "page.html"
    assert caught.value.line == 3


def test_headings_quotes_and_lists_keep_their_numbers() -> None:
    page = b"""<!DOCTYPE html><html><body>
    <h2>Part</h2><blockquote><p>One.</p><p>Two.</p>Loose.</blockquote>
    <ol start="3"><li>Three</li><li><p>Four</p><p>More of four</p><ul><li>Dot</li></ul></li>
    <li value="10">Ten</li></ol>
    <ol reversed><li>Second</li><li>First</li></ol>
    <ol type="a"><li>Letter</li></ol><ol type="I" start="4"><li>Roman</li></ol>
    <pre>code()</pre><table><tr><th>Head</th><td>Cell</td></tr></table>
    </body></html>"""
    result = parse(page, "page.html")
    assert [(b.role.value, b.level, b.label, b.text) for b in result.blocks] == [
        ("heading", 2, None, "Part"),
        ("quote", None, None, "One."),
        ("quote", None, None, "Two."),
        ("quote", None, None, "Loose."),
        ("list_item", 1, "3.", "Three"),
        ("list_item", 1, "4.", "Four"),
        ("list_item", 1, None, "More of four"),
        ("list_item", 2, None, "Dot"),
        ("list_item", 1, "10.", "Ten"),
        ("list_item", 1, "2.", "Second"),
        ("list_item", 1, "1.", "First"),
        ("list_item", 1, "a.", "Letter"),
        ("list_item", 1, "IV.", "Roman"),
        ("paragraph", None, None, "Head"),
        ("paragraph", None, None, "Cell"),
    ]
    assert result.warnings == [
        "line 7: preformatted text (code) kept out of translation",
        "line 7: table imported as one paragraph per cell",
    ]


def test_links_are_kept_only_for_http_https_and_mailto(
    assert_inline_html: Callable[[str], None],
) -> None:
    page = b"""<html><body><p><a href="https://a.example/?x=1&amp;y=2">web</a>,
    <a href="mailto:us@example.org">mail</a>, <a href="javascript:alert(1)">js</a>,
    <a href=" JaVa&#9;script:alert(1)">js2</a>, <a href="/relative">rel</a>,
    <a href="data:text/html,x">data</a>, <b>bold</b> <i>it</i> <code>&lt;c&gt;</code>
    H<sub>2</sub>O x<sup>2</sup><br>next <img src="x.png" alt="an image"> <u>u</u></p>
    </body></html>"""
    (block,) = parse(page, "page.html").blocks
    assert block.text == (
        '<a href="https://a.example/?x=1&amp;y=2">web</a>, '
        '<a href="mailto:us@example.org">mail</a>, js, js2, rel, data, '
        "<strong>bold</strong> <em>it</em> <code>&lt;c&gt;</code> H<sub>2</sub>O "
        "x<sup>2</sup><br>next u"
    )
    assert_inline_html(block.text)


FOOTNOTE_PAGES = {
    "pandoc": """<p>Text<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref">
        <sup>1</sup></a> and more<a href="#fn2" class="footnote-ref" id="fnref2"
        role="doc-noteref"><sup>2</sup></a>.</p>
        <section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">
        <hr><ol><li id="fn1"><p>First note.<a href="#fnref1" class="footnote-back"
        role="doc-backlink">↩︎</a></p></li><li id="fn2"><p>Second note.<a href="#fnref2"
        class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>""",
    "wordpress": """<p>Text<sup id="r1"><a href="#n1">1</a></sup> and more<sup id="r2">
        <a href="#n2">2</a></sup>.</p><hr><p id="n1"><a href="#r1">1.</a> First note.</p>
        <p id="n2">2. Second note. <a href="#r2">↑</a></p>""",
    "epub-aside": """<p>Text<a epub:type="noteref" href="#a1">1</a> and more<a
        epub:type="noteref" href="#a2">2</a>.</p><aside epub:type="footnote" id="a1"><p>1
        First note.</p></aside><aside epub:type="footnote" id="a2"><p>Second note.</p></aside>""",
    "wikipedia": """<p>Text<sup id="cite_ref-1" class="reference"><a
        href="#cite_note-1">[1]</a></sup> and more<sup class="reference"><a
        href="#cite_note-2">[2]</a></sup>.</p><h2>References</h2>
        <ol class="references"><li id="cite_note-1"><a href="#cite_ref-1">^</a> <span>First
        note.</span></li><li id="cite_note-2"><span>Second note.</span></li></ol>""",
    "libreoffice-html": """<p>Text<sup><a class="sdfootnoteanc" name="sdfootnote1anc"
        href="#sdfootnote1sym"><sup>1</sup></a></sup> and more<sup><a class="sdfootnoteanc"
        name="sdfootnote2anc" href="#sdfootnote2sym"><sup>2</sup></a></sup>.</p>
        <div id="sdfootnote1"><p><a class="sdfootnotesym" name="sdfootnote1sym"
        href="#sdfootnote1anc">1</a>First note.</p></div><div id="sdfootnote2"><p><a
        class="sdfootnotesym" name="sdfootnote2sym" href="#sdfootnote2anc">2</a>Second
        note.</p></div>""",
    "libreoffice-epub": """<p>Text<sup id="calledF1"><a epub:type="noteref"
        href="#dataF1">1</a></sup> and more<sup id="calledF2"><a epub:type="noteref"
        href="#dataF2">2</a></sup>.</p><aside epub:type="footnote" id="dataF1"><p><span><sup><a
        href="#calledF1">1</a></sup> </span>First note.</p></aside><aside epub:type="footnote"
        id="dataF2"><p><sup><a href="#calledF2">2</a></sup>&#160;Second note.</p></aside>""",
}


@pytest.mark.parametrize("kind", sorted(FOOTNOTE_PAGES))
def test_common_footnote_patterns_give_calls_and_footnote_blocks(kind: str) -> None:
    page = f"<html><body><main>{FOOTNOTE_PAGES[kind]}</main></body></html>"
    blocks = parse(page.encode(), "notes.html").blocks
    shape = [(b.role.value, b.label, b.text) for b in blocks if b.text != "References"]
    assert shape == [
        ("paragraph", None, "Text[1] and more[2]."),
        ("footnote", "1", "First note."),
        ("footnote", "2", "Second note."),
    ]


def test_entities_of_a_doctype_are_never_expanded() -> None:
    laughs = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 10 if i else "lol"}">' for i in range(9)
    )
    page = f"<!DOCTYPE html [{laughs}]><html><body><p>a &l8; b &amp; c</p></body></html>"
    (block,) = parse(page.encode(), "laughs.html").blocks
    assert "lol" not in block.text and len(block.text) < 100


def test_html_is_detected_by_name_or_by_its_opening() -> None:
    assert detect_format(b"<p>Some text</p>", "page.htm") == "html"
    assert detect_format(b"\n<!doctype html><title>x</title><p>Text.</p>", "page.txt") == "html"
    assert detect_format(b"<?xml version='1.0'?>\n<html xmlns='x'><p>T</p></html>", "x") == "html"
    assert detect_format(b"A text that mentions <p> tags.\n", "notes.txt") == "text"


def test_a_page_with_nothing_to_translate_is_refused() -> None:
    with pytest.raises(InputError, match="no text"):
        parse(b"<html><body><nav>Menu</nav><script>x()</script></body></html>", "empty.html")
    assert parse(b"<html><body><p>x</p></body></html>", "p.html").blocks[0].role is (
        BlockRole.PARAGRAPH
    )


def test_a_page_nested_deeper_than_the_parser_reads_is_refused_not_cut() -> None:
    page = "<html><body>" + "<div>" * 300 + "deep text" + "</div>" * 300 + "</body></html>"
    with pytest.raises(InputError, match="nest more than 256 deep") as caught:
        parse(page.encode(), "deep.html")
    assert caught.value.file == "deep.html"


def test_a_note_of_several_paragraphs_in_its_own_div_keeps_them_all() -> None:
    page = """<html><body><p>Text<a name="n1anc" href="#n1sym"><sup>1</sup></a>.</p>
    <div id="sdfootnote1"><p><a name="n1sym" href="#n1anc">1</a>One.</p><p>Two.</p></div>
    <div id="sdfootnote2"><p>Not called.</p></div><p>After.</p></body></html>"""
    blocks = parse(page.encode(), "notes.html").blocks
    assert [(b.role.value, b.label, b.text) for b in blocks] == [
        ("paragraph", None, "Text[1]."),
        ("paragraph", None, "Not called."),
        ("paragraph", None, "After."),
        ("footnote", "1", "One."),
        ("footnote", "1", "Two."),
    ]
