"""Users' regular expressions on RE2: Python's syntax and meaning where RE2 can have them,
a clear refusal naming the field where it cannot, linear time on the patterns that take
Python's ``re`` exponential time, and replacement templates read as ``re.sub`` reads
them."""

from __future__ import annotations

import re
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.errors import InputError
from translator.text.patterns import (
    MAX_PROGRAM_SIZE,
    Deadline,
    OutOfTime,
    compile_pattern,
    contains,
    replace_between,
    to_re2,
)
from translator.text.substitution import parse_template

# Patterns that take Python's backtracking ``re`` exponential time on a text that does
# not match (each is a few milliseconds on RE2, whatever the text).
CATASTROPHIC = [
    r"^(\w+\s?)*$",
    r"(a+)+$",
    r"(.*a){20}",
    r"(x+x+)+y",
    r"(a|aa)*b",
    r"(\w|\d|[a-z])*!$",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
]
# 35 characters; ``^(\w+\s?)*$`` takes Python's ``re`` about 2**25 steps on it.
SENTENCE = "Nobody expects the Spanish armadas!"


def _sub(pattern: str, template: str, text: str, protected: list[tuple[int, int]] = []) -> str:  # noqa: B006
    compiled = compile_pattern(pattern, case=True, field="find")
    parsed = parse_template(template, groups=compiled.groups, names=compiled.groupindex)
    return replace_between(text, compiled, parsed.expand, protected)[0]


def test_python_classes_keep_their_unicode_meaning() -> None:
    assert _sub(r"\w+", "<\\g<0>>", "été à Lisboa_2") == "<été> <à> <Lisboa_2>"
    assert _sub(r"[\w-]+", "X", "porte-clé !") == "X !"
    assert _sub(r"\d", "#", "٣ and 3") == "# and #"  # Arabic-Indic three is a digit
    assert _sub(r"\s", "_", "50\u00a0%\u202f!\tx") == "50_%_!_x"  # no-break spaces too
    assert _sub(r"[^\s]+", "w", "a\u00a0b c") == "w_w w".replace("_", "\u00a0")
    assert _sub(r"\W", ".", "é-à") == "é.à"
    assert _sub(r"\u00e9", "e", "été") == "ete"
    assert _sub(r"t\Z", "T", "tat") == "taT"
    assert _sub(r"[]a]", "x", "a]b") == "xxb"  # a leading "]" is a member, as in Python
    assert _sub(r"[[:a]+", "x", "[:a]") == "x]"  # "[" inside a class is a character
    assert to_re2(r"\w") == r"[\p{L}\p{N}_]"


def test_case_insensitive_unless_asked() -> None:
    assert compile_pattern("ÉTÉ", case=False, field="q").contains("un été")
    assert not compile_pattern("ÉTÉ", case=True, field="q").contains("un été")
    assert compile_pattern("a.c", case=True, field="q", literal=True).contains("xa.cx")
    assert not compile_pattern("a.c", case=True, field="q", literal=True).contains("abc")


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        (r"(a)\1", "backreferences"),
        (r"(?P<w>a)(?P=w)", "backreferences"),
        (r"(?=a)", "lookahead"),
        (r"(?!a)", "lookahead"),
        (r"(?<=a)b", "lookbehind"),
        (r"(?<!a)b", "lookbehind"),
        (r"(?>a)", "atomic groups"),
        (r"a++", "possessive quantifiers (*+, ++, ?+) are not supported"),
        (r"(a)?(?(1)b|c)", "conditionals"),
        (r"a{1001}", "over 1000"),
        (r"(?:\w|a){200}", "too complex"),
        (r"[\W]", "inside [...]"),
        (r"[\S]", "inside [...]"),
        (r"\u12", "invalid regular expression: incomplete escape"),
        (r"(", "invalid regular expression: missing )"),
    ],
)
def test_what_re2_cannot_do_is_refused_naming_the_field(pattern: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_pattern(pattern, case=False, field="q")
    assert caught.value.field == "q"
    assert says in caught.value.message
    # The database function of the SQLite filter never fails on it: no match.
    assert contains(pattern, False, "aaa") is None


def test_a_pattern_that_compiles_cannot_fail_when_matched() -> None:
    assert contains(r"\w+", True, "été") is True
    assert contains(r"\w+", True, "!!") is False
    assert contains(r"\w+", True, None) is None
    assert compile_pattern(r"\w{3,20}", case=False, field="q").regexp.programsize <= (
        MAX_PROGRAM_SIZE
    )


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_take_linear_time(pattern: str) -> None:
    compiled = compile_pattern(pattern, case=False, field="q")
    long_text = ("aaaa bbb a1 " * 9000)[:100_000] + "!"
    start = time.perf_counter()
    compiled.contains(SENTENCE)
    compiled.contains(long_text)
    replace_between(long_text, compiled, lambda m: "x", [])
    assert time.perf_counter() - start < 5  # Python's re: hours for the first two


def test_matching_releases_the_gil() -> None:
    """While one thread matches a slow pattern on a long text, another keeps running."""
    compiled = compile_pattern(r"(.*a){20}", case=True, field="q")
    text = ("ab " * 40_000)[:100_000]
    done = threading.Event()

    def match() -> None:
        for _ in range(10):
            compiled.contains(text)
        done.set()

    worker = threading.Thread(target=match)
    gaps = []
    last = time.perf_counter()
    worker.start()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    assert len(gaps) > 10  # the matching took a while, and this loop went on meanwhile
    assert max(gaps) < 0.5


def test_replacement_skips_protected_spans_and_matches_between_them() -> None:
    text = "a<b>c and <em>cat</em>"
    protected = [(m.start(), m.end()) for m in re.finditer(r"<[^>]+>", text)]
    assert _sub("b>c|c", "C", text, protected) == "a<b>C and <em>Cat</em>"
    assert _sub("em", "EM", text, protected) == text
    assert _sub(r"\bcat\b", "dog", text, protected) == "a<b>c and <em>dog</em>"
    assert _sub("^a", "A", text, protected) == "A<b>c and <em>cat</em>"
    assert _sub("t$", "T", "cat<i>", [(3, 6)]) == "cat<i>"  # $ is the end of the text only
    # Empty matches at both sides of a tag, one per position, between UTF-8 characters.
    assert _sub("", "-", "é<b>ü", [(1, 4)]) == "-é-<b>-ü-"


def test_the_deadline_stops_a_replacement() -> None:
    compiled = compile_pattern("a", case=True, field="find")
    with pytest.raises(OutOfTime):
        replace_between("a" * 1000, compiled, lambda m: "b", [], Deadline(0))
    assert not Deadline(None).expired()
    assert replace_between("aa", compiled, lambda m: "b", [], Deadline(60)) == ("bb", 2)


def test_changes_are_the_exact_diff() -> None:
    compiled = compile_pattern("cat", case=False, field="find")
    changes: list[tuple[str, str]] = []
    replace_between("The Cat, the cat.", compiled, lambda m: "dog", [], None, changes)
    assert changes == [
        ("=", "The "),
        ("-", "Cat"),
        ("+", "dog"),
        ("=", ", the "),
        ("-", "cat"),
        ("+", "dog"),
        ("=", "."),
    ]


# --- templates, read as re.sub reads them --------------------------------------------

PATTERN = r"(a)(?P<word>b)?(c)?"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\\g<>0123789word_nx&", max_size=12))
def test_templates_expand_as_python_does(template: str) -> None:
    compiled = compile_pattern(PATTERN, case=True, field="find")
    try:
        expected: str | None = re.sub(PATTERN, template, "xab ac a")
    except (re.error, IndexError):
        expected = None
    try:
        parsed = parse_template(template, groups=compiled.groups, names=compiled.groupindex)
    except InputError as exc:
        assert expected is None, (template, exc.message)
        assert exc.field == "replace" and exc.message.startswith("invalid replacement")
        return
    assert expected is not None, template
    assert replace_between("xab ac a", compiled, parsed.expand, [])[0] == expected


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab.*+?|()", min_size=1, max_size=8),
    st.text(alphabet="abc ", max_size=20),
)
def test_matches_are_found_as_re_sub_finds_them(pattern: str, text: str) -> None:
    try:
        expected = re.sub(pattern, "<\\g<0>>", text)
        if re.fullmatch(pattern, ""):
            return  # after an empty match re.sub tries a non-empty one at the same place
    except re.error:
        return
    try:
        got = _sub(pattern, "<\\g<0>>", text)
    except InputError:
        return  # a pattern RE2 reads differently (e.g. "a**"), refused: fine
    assert got == expected, (pattern, text)
