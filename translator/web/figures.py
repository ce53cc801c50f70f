"""How pages write figures: an edition's progress bar, and the dashboard's days and
velocities in the reader's language. Written in Python rather than in template macros:
a dashboard page draws fifty rows, and a macro call, a translation lookup or a babel
call per cell is most of what such a page costs."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from translator.i18n import _, format_date, number_formatter
from translator.services.progress import EditionProgress

# Drawn left to right: done first.
BAR_ORDER = ("reviewed", "translated", "draft", "empty")


def edition_bar(progress: EditionProgress | None) -> Markup:
    """One stacked bar per edition (reviewed, translated, draft, empty), an SVG image
    whose label says the figures (the Content-Security-Policy allows no inline style,
    hence no styled spans)."""
    segments = progress.segments if progress else {}
    total = sum(segments.values())
    done = segments.get("translated", 0) + segments.get("reviewed", 0) if progress else 0
    label = _("%(done)s of %(total)s segments translated or reviewed", done=done, total=total)
    parts = [
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" role="img"'
        f' aria-label="{escape(label)}">'
    ]
    x = 0.0
    for status in BAR_ORDER if total else ():
        count = segments.get(status, 0)
        if count:
            width = 100 * count / total
            parts.append(
                f'<rect class="s-{status}" x="{x:.2f}" y="0" width="{width:.2f}" height="1"/>'
            )
            x += width
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - the label is escaped, the rest is ours


class PageFigures:
    """The dashboard's figures as one page writes them, in the request's language: the
    locale's number format read once, each day written once (a page repeats its due
    dates)."""

    def __init__(self) -> None:
        self.number = number_formatter()
        self._days: dict[date, Markup] = {}

    def day(self, value: date | None) -> Markup:
        """A day, medium length, as a ``<time>``; a dash for none (no due date, no
        forecast)."""
        if not value:
            return Markup("—")
        written = self._days.get(value)
        if written is None:
            written = Markup('<time datetime="{}">{}</time>').format(
                value.isoformat(), format_date(value, format="medium")
            )
            self._days[value] = written
        return written

    def velocity(self, value: float) -> str:
        """Words a day: a few still show, with one decimal below ten."""
        return self.number(round(value, 1)) if value < 10 else self.number(round(value))
