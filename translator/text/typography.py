"""Per-language typography applied at export (placeholder until the typesetter lands)."""

from __future__ import annotations

import re

_SPACES = re.compile(r"  +")


def typeset(text: str, language: str) -> str:
    """``text`` (inline HTML) with the typography of ``language``."""
    return _SPACES.sub(" ", text)
