"""The interface's number formatting: the fast path for whole numbers writes what
babel writes, in every language of the interface."""

from __future__ import annotations

from typing import Any

import pytest
from babel import numbers

from translator.i18n import force_locale, format_number, number_formatter

VALUES = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -1_234_567, 10**15]
VALUES += [0.5, 3.5, -2.25, 1234.5, 12_345.678, 1e-7]


@pytest.mark.parametrize("locale", ["en", "fr", "pt", "pt_BR", "de", "hi", "ar_EG"])
def test_numbers_read_as_babel_writes_them(app: Any, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        formatter = number_formatter()
        for value in VALUES:
            expected = numbers.format_decimal(value, locale=locale)
            assert formatter(value) == expected == format_number(value), (locale, value)


def test_french_groups_with_a_narrow_no_break_space(app: Any) -> None:
    with app.test_request_context(), force_locale("fr"):
        assert format_number(1_234_567) == "1\u202f234\u202f567"
        assert format_number(3.5) == "3,5"
