"""The replacement side of search and replace: a template such as ``\\2 \\1`` or
``\\g<name>``, read by Python's ``re.sub`` rules (checked once, before any text is
touched) and expanded for each match of a ``translator.text.patterns`` pattern.

Rules, as Python's: ``\\1``-``\\99`` and ``\\g<1>``, ``\\g<name>`` put back a group (an
empty string when it did not take part); ``\\g<0>`` the whole match; ``\\0``, ``\\012``
(three octal digits) are characters; ``\\n``, ``\\t``, ``\\\\`` and the other escapes
of Python's string literals that ``re`` accepts (``\\a \\b \\f \\n \\r \\t \\v``) are
characters; a backslash before any other ASCII letter is an error; before anything else
it stays, with the character."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from translator.errors import InputError

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_OCTAL = "01234567"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Template:
    """A parsed template: literal strings and group numbers, in order."""

    parts: tuple[str | int, ...]

    def expand(self, match: Any) -> str:
        """The replacement for ``match`` (an RE2 match over UTF-8 bytes)."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                group = match.group(part)
                if group:
                    out.append(group.decode("utf-8"))
        return "".join(out)


def _bad(message: str, field: str) -> InputError:
    return InputError(f"invalid replacement: {message}", field=field)


def _group(name: str, groups: int, names: Mapping[str, int], field: str) -> int:
    if not name:
        raise _bad("missing group name in \\g<>", field)
    if name.isdecimal() and name.isascii():
        index = int(name)
    elif name.isidentifier():
        if name not in names:
            raise _bad(f"unknown group name {name!r}", field)
        return names[name]
    else:
        raise _bad(f"bad character in group name {name!r}", field)
    if index > groups:
        raise _bad(f"invalid group reference {index}", field)
    return index


def parse_template(
    template: str, *, groups: int, names: Mapping[str, int], field: str = "replace"
) -> Template:
    """Read ``template`` for a pattern with ``groups`` groups and these group ``names``.
    Raises InputError naming ``field`` for a reference to a group the pattern does not
    have or a bad escape: the same templates Python's ``re.sub`` refuses."""
    parts: list[str | int] = []
    literal: list[str] = []

    def group(index: int) -> None:
        parts.append("".join(literal))
        literal.clear()
        parts.append(index)

    i, n = 0, len(template)
    while i < n:
        c = template[i]
        if c != "\\":
            literal.append(c)
            i += 1
            continue
        if i + 1 == n:
            raise _bad("bad escape (end of the replacement)", field)
        e = template[i + 1]
        if e == "g":
            if not template.startswith("<", i + 2):
                raise _bad("missing < after \\g", field)
            close = template.find(">", i + 3)
            if close < 0:
                raise _bad("missing >, unterminated group name", field)
            group(_group(template[i + 3 : close], groups, names, field))
            i = close + 1
        elif e == "0":
            digits = e
            i += 2
            while len(digits) < 3 and i < n and template[i] in _OCTAL:
                digits += template[i]
                i += 1
            literal.append(chr(int(digits, 8)))
        elif e in _DIGITS:
            three = template[i + 1 : i + 4]
            if len(three) == 3 and all(d in _OCTAL for d in three):
                value = int(three, 8)
                if value > 0o377:
                    raise _bad(f"octal escape value \\{three} outside of range 0-0o377", field)
                literal.append(chr(value))
                i += 4
                continue
            number = e
            i += 2
            if i < n and template[i] in _DIGITS:
                number += template[i]
                i += 1
            if int(number) > groups:
                raise _bad(f"invalid group reference {number}", field)
            group(int(number))
        elif e in _ESCAPES or e == "\\":
            literal.append(_ESCAPES.get(e, "\\"))
            i += 2
        elif e.isascii() and e.isalpha():
            raise _bad(f"bad escape \\{e}", field)
        else:
            literal.append(c + e)
            i += 2
    parts.append("".join(literal))
    return Template(tuple(p for p in parts if p != ""))
