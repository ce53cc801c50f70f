"""A compiled find/replace over the editable form of a segment (``translator.text.inline``:
entities decoded, inline tags kept as tags), for ``services.replace``.

A match never overlaps a tag (or an entity-shaped sequence), so markup survives any
pattern: replacing "em" leaves ``<em>`` alone. A match cannot span a tag either ("big
cat" does not match ``big <em>cat</em>``). Patterns run on RE2
(``translator.text.patterns``); group references in the replacement are parsed by
``translator.text.substitution``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from translator.errors import InputError
from translator.text.patterns import Deadline, Pattern, compile_pattern, replace_between
from translator.text.substitution import Template, parse_template

__all__ = ["MAX_FIND", "Replacement", "compile_replacement", "replace_outside_markup"]

MAX_FIND = 1000  # characters of the find pattern
# Markup in the editable form that a replacement must not cut into: tag-shaped
# sequences and entity-shaped ones.
_PROTECTED = re.compile(
    r"<(?:/?)[A-Za-z][A-Za-z0-9]*(?:[\s/][^<>]*)?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


@dataclass(frozen=True)
class Replacement:
    """A compiled find/replace: ``apply`` returns an editable text with every match
    outside markup replaced, and how many were."""

    pattern: Pattern
    template: Template | None  # None: ``text`` is inserted as it is
    text: str = ""

    def expand(self, match: Any) -> str:
        """What replaces ``match``."""
        return self.text if self.template is None else self.template.expand(match)

    def apply(
        self,
        text: str,
        deadline: Deadline | None = None,
        changes: list[tuple[str, str]] | None = None,
    ) -> tuple[str, int]:
        """``text`` with the replacements made outside markup, and their count;
        ``changes`` receives the diff (see ``replace_between``)."""
        return replace_outside_markup(text, self, deadline, changes)


def compile_replacement(find: str, replace: str, *, regex: bool, case: bool) -> Replacement:
    """Check and compile a find/replace pair. Plain mode finds ``find`` literally and
    inserts ``replace`` literally; regex mode uses Python's syntax (run on RE2) with
    ``\\1`` or ``\\g<name>`` group references in ``replace``. Case-insensitive unless
    ``case``.

    Raises InputError naming ``find`` (empty, too long, invalid or unsupported pattern)
    or ``replace`` (a bad group reference or escape): checked before any text is
    touched."""
    if not find:
        raise InputError("type the text to find", field="find")
    if len(find) > MAX_FIND:
        raise InputError(f"the text to find is longer than {MAX_FIND} characters", field="find")
    pattern = compile_pattern(find, case=case, field="find", literal=not regex)
    if not regex:
        return Replacement(pattern, None, replace)
    template = parse_template(replace, groups=pattern.groups, names=pattern.groupindex)
    return Replacement(pattern, template)


def replace_outside_markup(
    text: str,
    replacement: Replacement,
    deadline: Deadline | None = None,
    changes: list[tuple[str, str]] | None = None,
) -> tuple[str, int]:
    """Replace every match of ``replacement`` in ``text`` except where it would overlap
    a tag or an entity; returns the text and the count. Linear in the text (one search
    per match, each from where the last one ended). Raises OutOfTime past ``deadline``;
    ``changes`` receives the diff."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    return replace_between(
        text, replacement.pattern, replacement.expand, protected, deadline, changes
    )
