"""The only module that imports flask_babel. Everything else says
``from translator.i18n import _``."""

from __future__ import annotations

from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_number,
    get_locale,
    gettext,
    lazy_gettext,
    ngettext,
)

_ = gettext
_l = lazy_gettext

__all__ = [
    "_",
    "_l",
    "force_locale",
    "format_date",
    "format_datetime",
    "format_number",
    "get_locale",
    "gettext",
    "lazy_gettext",
    "ngettext",
]
