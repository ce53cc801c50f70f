"""The server-side charts: well-formed markup, named and described for assistive
technology, every label escaped, a data table with the same figures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from translator.formats.charts import ChartText, Marker, Series, bar_chart, line_chart

HOSTILE = '<script>alert("x")</script> & "co"'
TEXT = ChartText(title=HOSTILE, description="Words left per day.", table="Data", first_column="Day")


def _parse(markup: str) -> ET.Element:
    """The figure as XML (well-formed, or this raises), SVG tags without their namespace."""
    figure = ET.fromstring(markup)
    for element in figure.iter():
        element.tag = element.tag.rpartition("}")[2]
    return figure


def _svg(figure: ET.Element) -> ET.Element:
    svg = figure.find("svg")
    assert svg is not None
    return svg


def test_a_line_chart_is_well_formed_named_described_and_escaped() -> None:
    markup = line_chart(
        "burndown",
        TEXT,
        ["1 Dec", "2 Dec", "3 Dec", "4 Dec"],
        [Series(HOSTILE, [20, None, 12, 5]), Series("Review", [20, 20, 18, None])],
        markers=[Marker(3, "Due <4 Dec>")],
    )
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    figure = _parse(markup)  # well-formed XML
    assert figure.tag == "figure" and figure.get("id") == "burndown"
    svg = _svg(figure)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "burndown-title burndown-desc"
    assert svg.findtext("title") == HOSTILE  # the text itself, escaped in the markup
    assert svg.findtext("desc") == "Words left per day."
    assert svg.find("title").get("id") == "burndown-title"  # type: ignore[union-attr]
    lines = svg.findall(".//polyline")
    assert len(lines) == 2
    assert len(lines[0].get("points", "").split()) == 3  # the gap is skipped
    assert "Due <4 Dec>" in [t.text for t in svg.iter("text")]
    # The data table: a row per day with a value, the same figures.
    table = figure.find("details/table")
    assert table is not None
    assert [th.text for th in table.findall("thead/tr/th")] == ["Day", HOSTILE, "Review"]
    rows = [[c.text or "" for c in tr] for tr in table.findall("tbody/tr")]
    assert rows == [
        ["1 Dec", "20", "20"],
        ["2 Dec", "", "20"],
        ["3 Dec", "12", "18"],
        ["4 Dec", "5", ""],
    ]
    assert "style=" not in markup and "<script" not in markup.replace("&lt;script", "")


def test_a_bar_chart_stacks_its_series_and_lists_them() -> None:
    markup = bar_chart(
        "throughput",
        TEXT,
        ["Ana", "<b>Ben</b>"],
        [Series("Translated", [1200, 0]), Series("Reviewed", [300, 450])],
        number=lambda v: f"{v:.0f} words",
    )
    figure = _parse(markup)
    svg = _svg(figure)
    bars = svg.findall(".//rect[title]")
    assert [b.findtext("title") for b in bars] == [
        "Ana: Translated 1200 words",
        "Ana: Reviewed 300 words",
        "<b>Ben</b>: Reviewed 450 words",
    ]
    ana_translated, ana_reviewed = bars[0], bars[1]
    # Stacked: the reviewed words sit on top of the translated ones.
    top = float(ana_translated.get("y", 0))
    bottom = float(ana_reviewed.get("y", 0)) + float(ana_reviewed.get("height", 0))
    assert bottom == pytest.approx(top, abs=0.2)
    assert "&lt;b&gt;Ben&lt;/b&gt;" in markup
    rows = [[c.text for c in tr] for tr in figure.findall("details/table/tbody/tr")]
    assert rows == [["Ana", "1200 words", "300 words"], ["<b>Ben</b>", "0 words", "450 words"]]


def test_an_empty_chart_is_still_well_formed() -> None:
    for draw in (line_chart, bar_chart):
        figure = _parse(draw("empty", TEXT, [], []))
        assert figure.find("details/table/tbody") is not None
