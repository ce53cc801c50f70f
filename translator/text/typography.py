"""Per-language typography on a segment's inline HTML: quotes, apostrophes, spaces.

``typeset`` is what the publication service applies before the export writers see a
text. It works on the stored inline HTML (see ``translator.formats``) without ever
altering a tag, an entity, the content of a ``<code>`` element or a URL written in the
text: those are cut out first and put back unchanged, so an ``href`` is never touched.

Rules: French puts a narrow no-break space (U+202F) before ``; ! ?`` and a no-break
space (U+00A0) before ``:`` and inside ``« »``, and its straight double quotes become
``« … »``; Portuguese (``pt``, ``pt-PT``) uses ``«…»`` without spaces and Brazilian
Portuguese ``“…”``; English uses ``“…”`` and ``’``. In every language runs of spaces
collapse to one. ``typeset`` is idempotent: typesetting twice changes nothing more.
"""

from __future__ import annotations

import re

__all__ = ["typeset"]

NBSP = "\u00a0"
NNBSP = "\u202f"
# Stand-ins while the rules run: a tag (zero width, the rules look through it) and an
# opaque run (an entity, a <code> element, a URL: one ordinary character to the rules).
# Unicode non-characters: never prose; a text that holds them is left as it is.
_TAG = "\ufdd0"
_OPAQUE = "\ufdd1"

_PIECE = re.compile(
    r"(?P<code><code\b[^>]*>.*?</code\s*>)"
    r"|(?P<tag><[^>]*>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    # A URL stops before "&": an entity in it is cut on its own, never split.
    r"|(?P<url>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"«»“”&]*[^\s<>\"«»“”&.,;:!?)\]])",
    re.IGNORECASE | re.DOTALL,
)

_SPACES = f"[ {NBSP}{NNBSP}]"
_GAP = f"(?:{_TAG}|{_SPACES})*"  # tags and spaces between a word and its punctuation
# What may follow ; ! ? : for a space to belong before it (so that "10:30",
# "x.org/?q" and "Quoi ?!" are left alone).
_AFTER_PUNCT = rf"(?=[\s{_TAG}»”)\];:!?]|$)"
_NOT_BEFORE_PUNCT = rf"[^\s{NBSP}{NNBSP}{_TAG};:!?«(\[]"

_FRENCH_TIGHT = re.compile(rf"({_NOT_BEFORE_PUNCT})({_GAP})([;!?]){_AFTER_PUNCT}")
_FRENCH_COLON = re.compile(rf"({_NOT_BEFORE_PUNCT})({_GAP}):{_AFTER_PUNCT}")
_FRENCH_OPEN = re.compile(rf"«({_GAP})(?=[^\s{NBSP}{NNBSP}{_TAG}])")
_FRENCH_CLOSE = re.compile(rf"(?<=[^\s{NBSP}{NNBSP}{_TAG}])({_GAP})»")
_DOUBLE_SPACE = re.compile(r" {2,}")
_ELISIONS = ("tis", "twas", "em", "n", "cause", "til")

# A quote opens after these (or at the start); otherwise it closes.
_OPENERS = set(" \t\n\r" + NBSP + NNBSP + "([{«“‘—–-/")
_QUOTES = {
    "en": ("“", "”"),
    "fr": ("«", "»"),
    "pt": ("«", "»"),
    "pt-br": ("“", "”"),
}


def typeset(text: str, language: str) -> str:
    """``text`` (inline HTML) with the typography of ``language`` (a BCP 47 tag):
    quotes, apostrophes, no-break spaces, single spaces. Tags, entities, ``<code>``
    and URLs are kept byte for byte; unknown languages only get single spaces."""
    if _TAG in text or _OPAQUE in text:
        return text
    skeleton, kept = _cut(text)
    family = _family(language)
    if family in _QUOTES:
        skeleton = _apostrophes(skeleton)
        skeleton = _double_quotes(skeleton, *_QUOTES[family])
    if family == "fr":
        skeleton = _french_spaces(skeleton)
    skeleton = _DOUBLE_SPACE.sub(" ", skeleton)
    return _paste(skeleton, kept)


def _family(language: str) -> str:
    """The rule set of a language tag: en, fr, pt or pt-br (or the bare subtag)."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "pt" and "br" in parts[1:]:
        return "pt-br"
    return parts[0]


def _cut(text: str) -> tuple[str, list[str]]:
    """Replace every tag by ``_TAG`` and every opaque run by ``_OPAQUE``; return the
    skeleton and what was cut, in order."""
    kept: list[str] = []

    def stand_in(match: re.Match[str]) -> str:
        kept.append(match.group())
        return _TAG if match.lastgroup == "tag" else _OPAQUE

    return _PIECE.sub(stand_in, text), kept


def _paste(skeleton: str, kept: list[str]) -> str:
    """Put back what ``_cut`` took, in order (the rules never add or drop a stand-in)."""
    pieces = iter(kept)
    return re.sub(f"[{_TAG}{_OPAQUE}]", lambda _: next(pieces), skeleton)


def _previous(skeleton: str, index: int) -> str:
    """The character before ``index``, looking through tags ("" at the start)."""
    while index > 0 and skeleton[index - 1] == _TAG:
        index -= 1
    return skeleton[index - 1] if index > 0 else ""


def _double_quotes(skeleton: str, opening: str, closing: str) -> str:
    """Straight double quotes become ``opening`` after a space, an opening bracket or
    the start, ``closing`` elsewhere."""
    if '"' not in skeleton:
        return skeleton
    out = list(skeleton)
    for index, char in enumerate(skeleton):
        if char == '"':
            before = _previous(skeleton, index)
            out[index] = opening if before == "" or before in _OPENERS else closing
    return "".join(out)


def _apostrophes(skeleton: str) -> str:
    """A straight single quote after a letter or digit, or eliding a word ("'tis",
    "'90s"), is an apostrophe ’; one opening a quotation is ‘."""
    if "'" not in skeleton:
        return skeleton
    out = list(skeleton)
    for index, char in enumerate(skeleton):
        if char != "'":
            continue
        before = _previous(skeleton, index)
        rest = skeleton[index + 1 :]
        elides = rest[:1].isdigit() or rest.lower().startswith(_ELISIONS)
        if (before and before not in _OPENERS) or elides:
            out[index] = "’"
        elif rest[:1].isalpha():
            out[index] = "‘"
    return "".join(out)


def _french_spaces(skeleton: str) -> str:
    """No-break spaces before ``; ! ? :`` and inside guillemets, replacing ordinary
    spaces there and added where missing; the tags in between keep their order."""

    def tags(gap: str) -> str:
        return gap.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")

    skeleton = _FRENCH_TIGHT.sub(lambda m: m[1] + tags(m[2]) + NNBSP + m[3], skeleton)
    skeleton = _FRENCH_COLON.sub(lambda m: m[1] + tags(m[2]) + NBSP + ":", skeleton)
    skeleton = _FRENCH_OPEN.sub(lambda m: "«" + NBSP + tags(m[1]), skeleton)
    return _FRENCH_CLOSE.sub(lambda m: tags(m[1]) + NBSP + "»", skeleton)
