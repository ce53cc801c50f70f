"""The dashboard's charts in the reader's language: what each says (title, description,
table headers) and how values and days are written, drawn by ``formats.charts``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from markupsafe import Markup

from translator.formats.charts import ChartText, Marker, Series, bar_chart, line_chart
from translator.i18n import _, format_date, number_formatter
from translator.services.dashboard import Row
from translator.services.dashboard_history import THROUGHPUT_DAYS, DayPoint, Throughput


def _numbers() -> Callable[[float], str]:
    """Whole numbers in the reader's language, the locale's format read once a chart
    (a chart writes a number per cell of its table)."""
    number = number_formatter()
    return lambda value: number(round(value))


def _day(day: date) -> str:
    return str(format_date(day, format="short"))


def burndown_chart(row: Row, points: list[DayPoint], language_name: str) -> Markup:
    """Words left to translate and to review per day, the due date marked (the days run
    on to it when it is still ahead)."""
    _number = _numbers()
    days = [p.day for p in points]
    if row.due is not None and days and row.due > days[-1]:
        end = days[-1]
        days += [end + timedelta(days=i) for i in range(1, (row.due - end).days + 1)]
    pad: list[int | None] = [None] * (len(days) - len(points))
    series = [
        Series(_("Words left to translate"), [*(p.to_translate for p in points), *pad]),
        Series(_("Words left to review"), [*(p.to_review for p in points), *pad]),
    ]
    markers = []
    if row.due is not None and days and days[0] <= row.due:
        markers.append(Marker(days.index(row.due), _("Due %(date)s", date=_day(row.due))))
    first, last = points[0], points[-1]
    description = _(
        "%(title)s, %(language)s: from %(start)s to %(end)s, the words left to translate "
        "went from %(t0)s to %(t1)s and those left to review from %(r0)s to %(r1)s.",
        title=row.title,
        language=language_name,
        start=_day(first.day),
        end=_day(last.day),
        t0=_number(first.to_translate or 0),
        t1=_number(last.to_translate or 0),
        r0=_number(first.to_review or 0),
        r1=_number(last.to_review or 0),
    )
    if row.due is not None:
        description += " " + _("Due %(date)s.", date=_day(row.due))
    text = ChartText(
        title=_("Burndown: words left"),
        description=description,
        table=_("The figures"),
        first_column=_("Day"),
    )
    labels = [_day(d) for d in days]
    return Markup(  # noqa: S704 - built as an element tree: every label is escaped
        line_chart("burndown", text, labels, series, markers=markers, number=_number)
    )


def throughput_chart(people: list[Throughput], chart_id: str = "throughput") -> Markup:
    """Words each person brought to translated and to reviewed over the last
    ``THROUGHPUT_DAYS`` days, a bar per person (the busiest first)."""
    _number = _numbers()
    shown = people[:20]
    translated = Series(_("Translated"), [p.translated for p in shown])
    reviewed = Series(_("Reviewed"), [p.reviewed for p in shown])
    if shown:
        busiest = shown[0]
        description = _(
            "Words brought to translated and to reviewed per person over the last %(days)s "
            "days; the most: %(name)s, %(words)s words.",
            days=THROUGHPUT_DAYS,
            name=busiest.name,
            words=_number(busiest.translated + busiest.reviewed),
        )
    else:
        description = _(
            "Nobody translated or reviewed anything over the last %(days)s days.",
            days=THROUGHPUT_DAYS,
        )
    text = ChartText(
        title=_("Throughput per person, last %(days)s days", days=THROUGHPUT_DAYS),
        description=description,
        table=_("The figures"),
        first_column=_("Person"),
    )
    labels = [p.name for p in shown]
    return Markup(  # noqa: S704 - built as an element tree: every label is escaped
        bar_chart(chart_id, text, labels, [translated, reviewed], number=_number)
    )
