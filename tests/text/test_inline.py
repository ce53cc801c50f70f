"""The plain-text view of inline markup that segmentation and word counts read."""

from __future__ import annotations

from translator.text.inline import normalize_whitespace, plain_view


def test_normalize_whitespace_keeps_no_break_spaces() -> None:
    assert normalize_whitespace(" a \t\n b\u2028c ") == "a b c"
    assert normalize_whitespace("«\u00a0Oui\u202f» \u00a0") == "«\u00a0Oui\u202f» \u00a0"


def test_plain_view_drops_tags_and_decodes_entities() -> None:
    source = 'A <em>b</em> &amp; <a href="x">c</a>&#10;&bogus;<br/>d'
    view = plain_view(source)
    assert view.text == "A b & c\u00a0&bogus;d"
    assert view.elements == ((2, 3), (6, 7))
    assert source[view.source_offset(view.text.index("c"))] == "c"
    amp = view.text.index("&")
    assert source[view.source_offset(amp) : view.source_end(amp)] == "&amp;"


def test_elements_nest_like_a_browser() -> None:
    view = plain_view("<em>a <strong>b</em> c</strong> <sup>d")
    assert view.text == "a b c d"
    assert view.elements == ((0, 3),)  # the <strong> opened inside <em> closes with it
    assert view.inside_element(2)
    assert not view.inside_element(3)
    assert view.inside_element(2, between=True)
    assert not view.inside_element(0, between=True)
    assert not view.inside_element(3, between=True)


def test_plain_text_is_its_own_view() -> None:
    view = plain_view("no markup here")
    assert view.text == "no markup here"
    assert view.source_offset(3) == 3
    assert view.source_end(3) == 4
