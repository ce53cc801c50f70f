"""The only module that imports flask_babel. Everything else says
``from translator.i18n import _``."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from babel import Locale, numbers
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    gettext,
    lazy_gettext,
    ngettext,
)

_ = gettext
_l = lazy_gettext


def format_fraction(value: float) -> str:
    """A score such as an alignment confidence, two decimals in the interface's locale
    (0.50 in English, 0,50 in French and Portuguese)."""
    return str(format_decimal(value, format="0.00"))


def number_formatter() -> Callable[[float], str]:
    """``format_number`` for the request's locale, its pattern and symbols read once:
    what a page writing hundreds of numbers takes once and calls per number."""
    return _number_formatter(str(get_locale()))


def format_number(number: float) -> str:
    """A number in the interface's locale, as babel's ``format_decimal`` writes it
    (1,234 in English, 1 234 with a narrow no-break space in French, 1.234 in
    Portuguese)."""
    return _number_formatter(str(get_locale()))(number)


@lru_cache(maxsize=32)
def _number_formatter(locale_id: str) -> Callable[[float], str]:
    locale = Locale.parse(locale_id)
    pattern = numbers.parse_pattern(locale.decimal_formats[None])
    group = numbers.get_group_symbol(locale)
    # Babel's pattern for whole numbers of most locales ("#,##0.###": groups of three,
    # a plain minus) is Python's own grouping with the locale's separator: exact, and
    # without babel's Decimal arithmetic. Other patterns and fractions go to babel.
    grouped_by_three = (
        pattern.grouping == (3, 3)
        and pattern.prefix == ("", "-")
        and pattern.suffix == ("", "")
        and pattern.int_prec[0] == 1
    )

    def format_one(number: float) -> str:
        if grouped_by_three and type(number) is int:
            text = f"{abs(number):,}".replace(",", group)
            return "-" + text if number < 0 else text
        return str(numbers.format_decimal(number, locale=locale))

    return format_one


__all__ = [
    "_",
    "_l",
    "force_locale",
    "format_date",
    "format_datetime",
    "format_fraction",
    "format_number",
    "get_locale",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "number_formatter",
]
