"""Language tags: BCP 47 validated and named with Babel."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from translator.errors import InputError


def normalize_language(code: str, *, field: str = "language") -> str:
    """Validate a BCP 47 tag with Babel and return its canonical form (``pt-BR``).

    Raises InputError naming ``field`` for an unknown or malformed tag."""
    raw = (code or "").strip()
    if not raw or len(raw) > 35 or not raw.replace("-", "").replace("_", "").isalnum():
        raise InputError(
            f"{raw!r} is not a language code (expected e.g. en, fr, pt-BR)", field=field
        )
    try:
        locale = Locale.parse(raw.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise InputError(f"unknown language code {raw!r}", field=field) from exc
    return str(locale).replace("_", "-")


def language_name(code: str, display_locale: str = "en") -> str:
    """The language's name in ``display_locale`` ("français", "portugais (Brésil)")."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(display_locale)
    except (UnknownLocaleError, ValueError):
        return code
    return name or code
