"""A word-level diff of two texts, for showing what changed in a segment.

Texts are compared as tokens: runs of word characters, runs of whitespace, and single
other characters (punctuation, symbols, the ``<`` and ``>`` of a tag); characters of
scripts written without spaces (Chinese, Japanese) are one token each. Tokens cover the
text exactly, so the parts of a diff put back together give each side unchanged.

Speed: difflib's matcher slows down with tokens that occur very often, and every other
token is a space. So the texts are first compared by words with the spaces and
punctuation that follow them (few repeats: a 1,000-word paragraph takes milliseconds),
and only the replaced stretches, when short, are compared again token by token, to show
``chat`` → ``chien`` rather than ``chat,`` → ``chien,``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

__all__ = ["word_diff"]

_NO_SPACES = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_NO_SPACES}]|(?:(?![{_NO_SPACES}])\w)+|\s+|.", re.DOTALL)
# A word (or one character of a script without spaces) with what follows up to the next
# one; text before the first word is a token of its own.
_WORD_WITH_TAIL = re.compile(rf"(?:[{_NO_SPACES}]|(?:(?![{_NO_SPACES}])\w)+)\W*|\W+", re.DOTALL)
# Replaced stretches up to this many words a side are compared again token by token.
_REFINE_LIMIT = 50


def _opcodes(old: list[str], new: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Return the changes from ``before`` to ``after`` as ``(op, text)`` parts in order.

    ``op`` is ``"="`` (in both), ``"-"`` (only in ``before``) or ``"+"`` (only in
    ``after``); the ``"="`` and ``"-"`` parts joined give ``before`` exactly, the ``"="``
    and ``"+"`` parts give ``after``. Adjacent parts of the same kind are merged and
    within a replacement the removal comes first: ``word_diff("Le chat", "Le chien")`` is
    ``[("=", "Le "), ("-", "chat"), ("+", "chien")]``. Two empty texts give ``[]``."""
    parts: list[tuple[str, str]] = []

    def add(op: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if parts and parts[-1][0] == op:
            parts[-1] = (op, parts[-1][1] + text)
        else:
            parts.append((op, text))

    old, new = _WORD_WITH_TAIL.findall(before), _WORD_WITH_TAIL.findall(after)
    for tag, old_start, old_end, new_start, new_end in _opcodes(old, new):
        removed, added = old[old_start:old_end], new[new_start:new_end]
        if tag == "equal":
            add("=", removed)
        elif tag == "replace" and max(len(removed), len(added)) <= _REFINE_LIMIT:
            old_tokens = _TOKEN.findall("".join(removed))
            new_tokens = _TOKEN.findall("".join(added))
            for inner, o_start, o_end, n_start, n_end in _opcodes(old_tokens, new_tokens):
                if inner == "equal":
                    add("=", old_tokens[o_start:o_end])
                else:
                    add("-", old_tokens[o_start:o_end])
                    add("+", new_tokens[n_start:n_end])
        else:
            add("-", removed)
            add("+", added)
    return parts
