"""The only module that imports flask_babel. Everything else says
``from translator.i18n import _``."""

from __future__ import annotations

from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    format_number,
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
]
