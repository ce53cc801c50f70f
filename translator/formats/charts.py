"""Charts drawn on the server as accessible SVG: a line chart (the dashboard's burndown)
and a stacked bar chart (throughput). Pure code: labels in (already translated and
formatted by the caller), markup out; no script, no style attribute (the
Content-Security-Policy allows none: colours come from classes in app.css, with
presentation attributes as a fallback), no external resource.

Each chart is a ``<figure>``: the ``<svg role="img">`` named by its ``<title>`` and
described by its ``<desc>`` (``aria-labelledby``), then the same figures as a table in
a ``<details>`` (what a screen reader, a keyboard or a printout reads). The markup is
built as an element tree and serialized, so every label is escaped and the result is
well-formed XML (and valid HTML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
MAX_X_LABELS = 8
# Fallback colours (app.css sets them per class): distinguishable in grey too.
PALETTE = ("#1f5fa8", "#c75f00", "#2e7d32", "#6a3d9a")


@dataclass(frozen=True, slots=True)
class Series:
    """One line (or one layer of the bars): its name and a value per label (None: no
    value there: a line skips it, a bar is left out)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line at label ``index`` (a due date), with its text."""

    index: int
    label: str


@dataclass(frozen=True, slots=True)
class ChartText:
    """What a chart says, in the reader's language: ``title`` (its name), ``description``
    (what it shows, in one or two sentences), ``table`` (the summary of the data
    table's ``<details>``) and ``first_column`` (the header of the labels' column)."""

    title: str
    description: str
    table: str
    first_column: str


def _format(value: float) -> str:
    return f"{value:,.0f}"


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) dividing 0..top in about ``ticks``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _figure(chart_id: str, text: ChartText) -> tuple[ET.Element, ET.Element]:
    figure = ET.Element("figure", {"class": "chart", "id": chart_id})
    ET.SubElement(figure, "figcaption").text = text.title
    svg = ET.SubElement(
        figure,
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "width": str(WIDTH),
            "height": str(HEIGHT),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart-svg",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = text.title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = text.description
    return figure, svg


def _axes(
    svg: ET.Element,
    labels: Sequence[str],
    top: float,
    x_of: Callable[[int], float],
    fmt: Callable[[float], str],
) -> Callable[[float], float]:
    """Grid lines with their values, the x labels (a few, evenly spread); returns the
    function from a value to its y."""
    step = _nice_step(top)
    ceiling = step * max(1, -(-top // step))
    plot = HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot * (1 - value / ceiling)

    axes = ET.SubElement(svg, "g", {"class": "chart-axes", "aria-hidden": "true"})
    value = 0.0
    while value <= ceiling + step / 2:
        y = f"{y_of(value):.1f}"
        ET.SubElement(
            axes,
            "line",
            {"x1": str(LEFT), "x2": str(WIDTH - RIGHT), "y1": y, "y2": y, "stroke": "#ddd"},
        )
        label = ET.SubElement(
            axes, "text", {"x": str(LEFT - 6), "y": y, "text-anchor": "end", "dy": "0.32em"}
        )
        label.text = fmt(value)
        value += step
    every = max(1, -(-len(labels) // MAX_X_LABELS))
    for index, name in enumerate(labels):
        if index % every and index != len(labels) - 1:
            continue
        label = ET.SubElement(
            axes,
            "text",
            {"x": f"{x_of(index):.1f}", "y": str(HEIGHT - BOTTOM + 16), "text-anchor": "middle"},
        )
        label.text = name
    return y_of


def _table(
    figure: ET.Element,
    text: ChartText,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[float], str],
) -> None:
    details = ET.SubElement(figure, "details", {"class": "chart-data"})
    ET.SubElement(details, "summary").text = text.table
    table = ET.SubElement(details, "table")
    ET.SubElement(table, "caption").text = text.title
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    ET.SubElement(head, "th", {"scope": "col"}).text = text.first_column
    for one in series:
        ET.SubElement(head, "th", {"scope": "col"}).text = one.name
    body = ET.SubElement(table, "tbody")
    for index, name in enumerate(labels):
        values = [one.values[index] if index < len(one.values) else None for one in series]
        if all(v is None for v in values):
            continue
        row = ET.SubElement(body, "tr")
        ET.SubElement(row, "th", {"scope": "row"}).text = name
        for value in values:
            ET.SubElement(row, "td").text = "" if value is None else fmt(value)


def _serialize(figure: ET.Element) -> str:
    # No self-closing tags: an empty <td/> is not empty in HTML.
    return ET.tostring(figure, encoding="unicode", short_empty_elements=False)


def _legend(svg: ET.Element, series: Sequence[Series]) -> None:
    legend = ET.SubElement(svg, "g", {"class": "chart-legend", "aria-hidden": "true"})
    x = LEFT
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        ET.SubElement(
            legend,
            "rect",
            {
                "x": str(x),
                "y": str(HEIGHT - 14),
                "width": "10",
                "height": "10",
                "class": f"series-{index}",
                "fill": colour,
            },
        )
        label = ET.SubElement(legend, "text", {"x": str(x + 14), "y": str(HEIGHT - 5)})
        label.text = one.name
        x += 24 + 7 * len(one.name)


def line_chart(
    chart_id: str,
    text: ChartText,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    markers: Sequence[Marker] = (),
    number: Callable[[float], str] = _format,
) -> str:
    """A line per series over ``labels`` (e.g. days), with vertical ``markers``; the
    figure's markup. ``chart_id`` must be unique in the page (it names the title and
    description); ``number`` formats values (the reader's locale)."""
    figure, svg = _figure(chart_id, text)
    count = max(len(labels), 1)
    inner = WIDTH - LEFT - RIGHT

    def x_of(index: int) -> float:
        return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)

    values = [v for one in series for v in one.values if v is not None]
    y_of = _axes(svg, labels, max(values, default=0), x_of, number)
    for marker in markers:
        if 0 <= marker.index < count:
            at = f"{x_of(marker.index):.1f}"
            group = ET.SubElement(svg, "g", {"class": "chart-marker"})
            ET.SubElement(
                group,
                "line",
                {
                    "x1": at,
                    "x2": at,
                    "y1": str(TOP),
                    "y2": str(HEIGHT - BOTTOM),
                    "stroke": "#b00020",
                    "stroke-dasharray": "4 3",
                },
            )
            label = ET.SubElement(
                group, "text", {"x": at, "y": str(TOP - 4), "text-anchor": "middle"}
            )
            label.text = marker.label
    for index, one in enumerate(series):
        points = [
            (x_of(i), y_of(v)) for i, v in enumerate(one.values) if v is not None and i < count
        ]
        colour = PALETTE[index % len(PALETTE)]
        group = ET.SubElement(svg, "g", {"class": f"chart-line series-{index}"})
        ET.SubElement(group, "title").text = one.name
        if len(points) > 1:
            ET.SubElement(
                group,
                "polyline",
                {
                    "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": "2",
                },
            )
        for x, y in points:
            ET.SubElement(
                group, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "2.5", "fill": colour}
            )
    _legend(svg, series)
    _table(figure, text, labels, series, number)
    return _serialize(figure)


def bar_chart(
    chart_id: str,
    text: ChartText,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    number: Callable[[float], str] = _format,
) -> str:
    """Stacked bars, one per label (a person, a day), a layer per series; the figure's
    markup (see ``line_chart``)."""
    figure, svg = _figure(chart_id, text)
    count = max(len(labels), 1)
    inner = WIDTH - LEFT - RIGHT
    slot = inner / count

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    totals = [
        sum((one.values[i] or 0) for one in series if i < len(one.values)) for i in range(count)
    ]
    y_of = _axes(svg, labels, max(totals, default=0), x_of, number)
    width = max(1.0, slot * 0.7)
    for index, one in enumerate(series):
        group = ET.SubElement(svg, "g", {"class": f"chart-bars series-{index}"})
        colour = PALETTE[index % len(PALETTE)]
        for i, value in enumerate(one.values[:count]):
            if not value:
                continue
            below = sum((s.values[i] or 0) for s in series[:index] if i < len(s.values))
            top, bottom = y_of(below + value), y_of(below)
            bar = ET.SubElement(
                group,
                "rect",
                {
                    "x": f"{x_of(i) - width / 2:.1f}",
                    "y": f"{top:.1f}",
                    "width": f"{width:.1f}",
                    "height": f"{bottom - top:.1f}",
                    "fill": colour,
                },
            )
            ET.SubElement(bar, "title").text = f"{labels[i]}: {one.name} {number(value)}"
    _legend(svg, series)
    _table(figure, text, labels, series, number)
    return _serialize(figure)
