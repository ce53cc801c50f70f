"""Users' regular expressions, run on RE2 (``google-re2``): matching takes time linear in
the text whatever the pattern, and the matching itself runs without the GIL, so one
request's search never stops the server's other threads. The editor's filter (on SQLite)
and search and replace compile, check and run patterns here only.

The syntax is Python's, translated to RE2's where they differ in meaning: ``\\w``, ``\\d``
and ``\\s`` (outside and inside ``[...]``) keep Python's Unicode meaning (``\\w`` matches
"é", ``\\s`` the no-break spaces of French typography), ``\\Z`` is the end of the text and
``\\uXXXX`` a character. What RE2 cannot do is refused by ``compile_pattern`` with a clear
message naming the field: backreferences, lookahead and lookbehind, atomic groups,
possessive quantifiers, conditionals; ``\\W`` and ``\\S`` inside ``[...]``; patterns whose
compiled program is over ``MAX_PROGRAM_SIZE`` instructions. Left as RE2 has them: ``\\b``
and ``\\B`` look at ASCII letters and digits only, ``$`` matches only at the very end.

Once a pattern compiled here, matching it cannot fail: the checks are the compilation."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from translator.errors import InputError

# Instructions of a compiled RE2 program: its size bounds the cost of one match attempt
# (linear in the text times at most this). ``\w{3,20}`` is 27 000 (Unicode classes are
# large); ``(?:\w|a){200}`` would be 270 000.
MAX_PROGRAM_SIZE = 30_000
_CACHE_SIZE = 16  # compiled patterns kept; each may use up to RE2's 8 MiB budget

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE = r"\t-\r\x{1c}-\x{1f}\x{85}\p{Z}"  # Python's str.isspace()
_OUTSIDE = {
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "d": _DIGIT,
    "D": r"\P{Nd}",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_INSIDE = {"w": _WORD, "d": _DIGIT, "D": r"\P{Nd}", "s": _SPACE}
_HEX = re.compile(r"[0-9A-Fa-f]+")


class OutOfTime(Exception):
    """The deadline passed before the work was done."""


class Deadline:
    """A point in time (``seconds`` from now; never, for None) that work checks
    between steps."""

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.monotonic() + seconds

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.at is not None and time.monotonic() >= self.at

    def check(self) -> None:
        """Raise OutOfTime if the deadline has passed."""
        if self.expired():
            raise OutOfTime


def _unsupported(message: str, pattern: str) -> str | None:
    """What a user should be told for RE2's error ``message`` (None: RE2's own)."""
    if re.fullmatch(r"invalid escape sequence: \\[1-9]", message) or (
        message.endswith("(?P") and "(?P=" in pattern
    ):
        return "backreferences (\\1, (?P=name)) are not supported"
    if message.endswith(("(?=", "(?!")):
        return "lookahead ((?=...), (?!...)) is not supported"
    if message.endswith(("(?<=", "(?<!")):
        return "lookbehind ((?<=...), (?<!...)) is not supported"
    if message.endswith("(?>"):
        return "atomic groups ((?>...)) are not supported"
    if message.endswith("(?("):
        return "conditionals ((?(1)...|...)) are not supported"
    if re.fullmatch(r"bad repetition operator: [*+?}]\+", message):
        return "possessive quantifiers (*+, ++, ?+) are not supported"
    if message.startswith("invalid repetition size"):
        return "a repetition count is over 1000"
    if message.startswith("pattern too large"):
        return _too_complex()
    return None


def _too_complex() -> str:
    return (
        f"the pattern is too complex (over {MAX_PROGRAM_SIZE} instructions): "
        "use fewer or smaller repetitions"
    )


def _unicode_escape(pattern: str, i: int, width: int | None) -> tuple[str, int]:
    """``\\uXXXX`` (width 4) or ``\\UXXXXXXXX`` (8) at ``pattern[i]`` as RE2's
    ``\\x{...}``, and where it ends."""
    digits = pattern[i + 2 : i + 2 + (width or 0)]
    if width is None or len(digits) != width or not _HEX.fullmatch(digits):
        escape = pattern[i : i + 2 + (width or 0)]
        raise ValueError(f"invalid regular expression: incomplete escape {escape}")
    return f"\\x{{{digits}}}", i + 2 + width


def to_re2(pattern: str) -> str:
    """``pattern`` (Python syntax) in RE2's syntax with Python's meaning (see the module
    docstring). Raises ValueError with the reason for what cannot be translated."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = -1  # index of the first member of the current class
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e in "uU":
                text, i = _unicode_escape(pattern, i, 4 if e == "u" else 8)
                out.append(text)
                continue
            table = _INSIDE if in_class else _OUTSIDE
            if in_class and e in "WS":
                raise ValueError(f"\\{e} inside [...] is not supported: write [^...] instead")
            out.append(table.get(e, c + e))
            i += 2
            continue
        if not in_class and c == "[":
            in_class = True
            class_start = i + 2 if pattern.startswith("[^", i) else i + 1
            out.append(pattern[i:class_start])
            i = class_start
            if i < n and pattern[i] == "]":  # a leading "]" is a member, as in Python
                out.append("\\]")
                i += 1
            continue
        if in_class and c == "]" and i != class_start:
            in_class = False
        elif in_class and c == "[":
            c = "\\["  # literal in Python; RE2 would read "[:alpha:]" as a class
        out.append(c)
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Pattern:
    """A compiled user pattern. ``regexp`` is RE2's; ``groups`` and ``groupindex`` as in
    Python's ``re``."""

    source: str
    regexp: Any
    groups: int
    groupindex: dict[str, int]

    def contains(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text``."""
        return self.regexp.search(text) is not None

    def search(self, data: bytes, start: int, end: int) -> Any:
        """The leftmost match in ``data[start:end]`` (UTF-8 bytes, offsets in bytes;
        anchors and ``\\b`` see the whole of ``data``), or None. Its ``span()`` and
        ``group(i)`` are in bytes."""
        return self.regexp.search(data, start, end)


def _options(case: bool, literal: bool, capture: bool) -> Any:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case
    options.literal = literal
    options.never_capture = not capture
    return options


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _compiled(pattern: str, case: bool, literal: bool, capture: bool) -> Pattern | str:
    """The compiled pattern, or the message saying why it is refused."""
    try:
        source = pattern if literal else to_re2(pattern)
    except ValueError as exc:
        return str(exc)
    try:
        regexp = re2.compile(source, _options(case, literal, capture))
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return _unsupported(message, pattern) or f"invalid regular expression: {message}"
    finally:
        re2.purge()  # the module's own cache (128 patterns) would keep up to 1 GiB
    if regexp.programsize > MAX_PROGRAM_SIZE:
        return _too_complex()
    return Pattern(pattern, regexp, regexp.groups, dict(regexp.groupindex))


def compile_pattern(
    pattern: str, *, case: bool, field: str, literal: bool = False, capture: bool = True
) -> Pattern:
    """Compile a user's ``pattern`` (case-insensitive unless ``case``; found as plain
    text if ``literal``; without groups unless ``capture``, which is faster for a
    yes/no search). Raises InputError naming ``field`` for a pattern RE2 refuses, saying
    what is not supported."""
    compiled = _compiled(pattern, case, literal, capture)
    if isinstance(compiled, str):
        raise InputError(compiled, field=field)
    return compiled


def contains(pattern: str, case: bool, text: str | None) -> bool | None:
    """Whether ``pattern`` matches in ``text`` (None for a NULL text or a pattern that does
    not compile, so that a database function calling this can never fail)."""
    if text is None:
        return None
    compiled = _compiled(pattern, bool(case), False, False)
    return None if isinstance(compiled, str) else compiled.contains(text)


def char_len(data: bytes, at: int) -> int:
    """The length in bytes of the UTF-8 character starting at ``data[at]``."""
    lead = data[at]
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def byte_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint character spans of ``text`` as spans of its UTF-8 bytes."""
    out: list[tuple[int, int]] = []
    chars = offset = 0
    for start, end in spans:
        offset += len(text[chars:start].encode("utf-8"))
        begin = offset
        offset += len(text[start:end].encode("utf-8"))
        out.append((begin, offset))
        chars = end
    return out


def replace_between(
    text: str,
    pattern: Pattern,
    expand: Callable[[Any], str],
    protected: Sequence[tuple[int, int]],
    deadline: Deadline | None = None,
    changes: list[tuple[str, str]] | None = None,
) -> tuple[str, int]:
    """Replace by ``expand(match)`` every match of ``pattern`` in ``text`` that lies
    outside the ``protected`` spans (sorted, disjoint, in characters); returns the text
    and the count. Matches are found left to right as ``re.sub`` finds them, each within
    one stretch between protected spans (so none overlaps one, and a preferred match that
    would is replaced by the best one that does not); after an empty match the search
    goes on one character further (where ``re.sub`` would first try for a non-empty
    match at the same place). One pass over the text: each stretch is searched from
    where the last match ended. Raises OutOfTime when the
    ``deadline`` passes (checked before each search).

    ``changes``, if given, receives the diff: ``("=", kept)``, ``("-", found)`` and
    ``("+", put instead)`` parts in order (no empty ones)."""
    data = text.encode("utf-8")
    cuts = byte_spans(text, protected)
    gaps = []
    previous = 0
    for start, end in cuts:
        gaps.append((previous, start))
        previous = end
    gaps.append((previous, len(data)))
    parts: list[bytes] = []
    last = count = 0
    for gap_start, gap_end in gaps:
        position = gap_start
        while position <= gap_end:
            if deadline is not None:
                deadline.check()
            match = pattern.search(data, position, gap_end)
            if match is None:
                break
            start, end = match.span()
            new = expand(match)
            parts.append(data[last:start])
            parts.append(new.encode("utf-8"))
            if changes is not None:
                _record(changes, data, last, start, end, new)
            last = end
            count += 1
            if end > start:
                position = end
            elif end >= gap_end:
                break
            else:
                position = end + char_len(data, end)
    if not count:
        return text, 0
    parts.append(data[last:])
    if changes is not None and last < len(data):
        changes.append(("=", data[last:].decode("utf-8")))
    return b"".join(parts).decode("utf-8"), count


def _record(
    changes: list[tuple[str, str]], data: bytes, last: int, start: int, end: int, new: str
) -> None:
    for op, part in (
        ("=", data[last:start].decode("utf-8")),
        ("-", data[start:end].decode("utf-8")),
        ("+", new),
    ):
        if part:
            changes.append((op, part))
