"""The Markdown writer read back: by markdown-it (counts of headings, paragraphs,
footnotes) and by our own Markdown import (the same blocks, text for text)."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from tests.formats.publications import essay, info, noted, udhr
from translator.formats import parse
from translator.formats.base import BlockRole
from translator.formats.exports import ExportOptions
from translator.formats.markdown_export import write_markdown
from translator.formats.publication import Notice, Passage, Publication

OPTIONS = ExportOptions()


def tokens(data: bytes) -> list[Token]:
    return MarkdownIt("commonmark").use(footnote_plugin).parse(data.decode("utf-8"))


def counts(data: bytes) -> Counter[str]:
    """Block tokens by kind: h1..h6, paragraphs outside lists/quotes/notes, and the rest."""
    found: Counter[str] = Counter()
    inside: list[str] = []
    for token in tokens(data):
        if token.type in ("blockquote_open", "bullet_list_open", "footnote_open"):
            inside.append(token.type)
        elif token.type in ("blockquote_close", "bullet_list_close", "footnote_close"):
            inside.pop()
        if token.type == "heading_open":
            found[token.tag] += 1
        elif token.type == "paragraph_open" and not inside:
            found["p"] += 1
        elif token.type in ("blockquote_open", "list_item_open", "footnote_open"):
            found[token.type] += 1
        elif token.type == "inline":
            children = token.children or []
            found["footnote_ref"] += sum(1 for child in children if child.type == "footnote_ref")
    return found


def test_noted_counts_read_back_with_markdown_it() -> None:
    found = counts(write_markdown(noted(), OPTIONS))
    assert found["h1"] == 1 and found["h2"] == 2
    assert found["p"] == 2
    assert found["blockquote_open"] == 1
    assert found["list_item_open"] == 3
    assert found["footnote_open"] == 2 and found["footnote_ref"] == 2


def test_essay_counts_read_back_with_markdown_it() -> None:
    publication = essay()
    data = write_markdown(publication, OPTIONS)
    found = counts(data)
    roles = Counter(passage.role for passage in publication.passages)
    assert found["h1"] == 1  # the edition's title, which the essay's text lacks
    assert found["h2"] == roles[BlockRole.HEADING] == 5
    assert found["p"] == roles[BlockRole.PARAGRAPH]
    text = data.decode()
    assert "Catalan.\\[1\\]" in text and "POUM.2" in text  # no note: plain text, escaped


@pytest.mark.parametrize(
    "publication",
    [noted(), essay(), udhr("en"), udhr("fr"), udhr("pt")],
    ids=["noted", "essay", "udhr-en", "udhr-fr", "udhr-pt"],
)
def test_the_markdown_import_reads_back_the_same_blocks(publication: Publication) -> None:
    blocks = parse(write_markdown(publication, OPTIONS), "x.md", format="markdown").blocks
    got = [(b.role, b.level, b.label, b.text) for b in blocks]
    if not (
        publication.passages[0].role is BlockRole.HEADING and publication.passages[0].level == 1
    ):
        assert got.pop(0) == (BlockRole.HEADING, 1, None, html.escape(publication.info.title))
    wanted = [(p.role, p.level, p.label, " ".join(p.sentences)) for p in publication.passages]
    assert got == wanted


def test_noted_markdown_text() -> None:
    text = write_markdown(noted(), OPTIONS).decode()
    assert "It goes on & on with \\<care>." in text
    assert "> A quoted passage, with *emphasis* and a second note.[^note]" in text
    assert "- an item\n  - a nested item\n- another item" in text
    assert "[^1]: The first footnote, with a [link](https://example.org/)." in text
    assert "[^note]: The second footnote." in text
    assert "**strong**" in text


def test_notice_is_a_leading_blockquote() -> None:
    data = write_markdown(essay(Notice(untranslated=(1, 2, 3), outdated=(7,))), OPTIONS)
    first = tokens(data)[0]
    assert first.type == "blockquote_open"
    text = data.decode()
    assert text.startswith("> **This edition is not finished.**")
    assert "1–3" in text.split("\n\n")[0] and "7" in text.split("\n\n")[0]
    assert not write_markdown(essay(), OPTIONS).startswith(b">")


SYNTAX = [
    "*not emphasis* and _not either_",
    "a [bracket](not a link) and ![no image](x)",
    "1. not a list",
    "- not an item",
    "# not a heading",
    "&lt;b&gt;not bold&lt;/b&gt; &amp;copy; stays &amp;amp;",
    "back\\slash and `tick`",
    "<code>a `b` c</code> and <code>`x`</code>",
    '<a href="https://example.org/a_(b) c">link *x*</a>',
    "line<br>break",
    "<em> spaced </em>and <strong>bold</strong>",
    "H<sub>2</sub>O and x<sup>2</sup>",
]


def plain_html(rendered: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", rendered)).split())


@pytest.mark.parametrize("sentence", SYNTAX)
def test_text_that_looks_like_markdown_reads_back_as_text(sentence: str) -> None:
    publication = Publication(info("en", "T"), (Passage(BlockRole.PARAGRAPH, (sentence,)),))
    data = write_markdown(publication, OPTIONS)
    rendered = MarkdownIt("commonmark").render(data.decode())
    body = rendered.split("</h1>\n", 1)[1]
    assert body.startswith("<p>") and body.count("<p>") == 1, body
    assert plain_html(body) == plain_html(sentence.replace("<br>", " "))


def test_links_and_code_convert() -> None:
    sentence = '<a href="https://example.org/a_(b) c">link</a> <code>a `b` c</code> <em>e</em>'
    publication = Publication(info("en", "T"), (Passage(BlockRole.PARAGRAPH, (sentence,)),))
    rendered = MarkdownIt("commonmark").render(write_markdown(publication, OPTIONS).decode())
    assert '<a href="https://example.org/a_%28b%29%20c">link</a>' in rendered
    assert "<code>a `b` c</code>" in rendered and "<em>e</em>" in rendered


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_[]()<>&#!`\\-+=.1é")), min_size=1))
def test_any_plain_text_reads_back(words: str) -> None:
    """Whatever the characters, the paragraph renders back to the same text."""
    stored = html.escape(" ".join(words.split()), quote=False)
    if not stored:
        return
    publication = Publication(info("en", "T"), (Passage(BlockRole.PARAGRAPH, (stored,)),))
    rendered = MarkdownIt("commonmark").render(write_markdown(publication, OPTIONS).decode())
    body = rendered.split("</h1>\n", 1)[1]
    assert plain_html(body) == plain_html(stored)


def test_a_call_inside_emphasis_keeps_the_emphasis_whole() -> None:
    passages = (
        Passage(BlockRole.PARAGRAPH, ("<em>It cites.[1] And more.</em> Then <strong>x</strong>.",)),
        Passage(BlockRole.FOOTNOTE, ("The note.",), label="1"),
    )
    data = write_markdown(Publication(info("en", "T"), passages), OPTIONS)
    assert "*It cites.[^1] And more.* Then **x**." in data.decode()
    assert counts(data)["footnote_ref"] == 1
