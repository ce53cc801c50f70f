"""Sentence segmentation of one paragraph, language-aware and markup-safe.

The algorithm is the Moses one (Koehn and Schroeder, as ported by ``sentence-splitter``):
a sentence may end at a space after ``.``, ``?``, ``!`` or an ellipsis when the next word
starts with a capital (or a digit after a full stop), unless the word before the full stop
is a known non-breaking prefix (``Dr.``, ``M.``, ``p. ex.``), an initial or a dotted
acronym (``U.S.``, ``a.C.``). It is reimplemented here, over sentence-splitter's prefix
lists, because the project needs what the library cannot give: cut offsets into the
original text (tags, entities and no-break spaces survive untouched), and rules of our
own: footnote calls (``POUM.2 They``, ``Catalan.[1] It``), dialogue dashes
(``— Bonjour. — Salut.``), ``…``, list markers (``1. Introduction``) and full-width
stops in Chinese and Japanese, which need no space after them.

Choices worth knowing:

- Nothing is ever split before a lowercase letter, even after ``?`` or ``!`` (Moses).
- ``etc.`` and ``et al.`` before a capital end a sentence (``apples, etc. The next day``);
  mid-sentence they are followed by lowercase, a comma or a year anyway. Dotted acronyms
  and abbreviations before a capital do not (``the U.S. Army``, ``44 a.C. César``), unless
  the next word is one that starts sentences and never a name (an article, a pronoun, a
  preposition, a conjunction: ``the southwest U.S. Rosa`` stays, ``3000 a.C. O grande``
  split); so does an initial after a lowercase word (``la vitamine D. Des études``).
  ``a.m.``/``p.m.`` before a time zone go on (``7 p.m. ET``).
- Unlike Moses, an abbreviation goes on before a quotation too (``J. “Bud” Smith``).
- Inline markup: tags are invisible to the rules and never cut; a sentence end that lies
  inside an element (``<em>One. Two.</em>``) is not a split, so every sentence keeps its
  tags balanced. Entities (``&quot;``) count as the character they stand for; ``<br>``
  is markup like any other (no split at ``One.<br>Two.``, as there is no space).
- Round trip: ``" ".join(split_sentences(text, lang)) == normalize_whitespace(text)``.
  In Chinese and Japanese a split after ``。！？`` needs no space; :func:`join_sentences`
  puts the sentences back together without one.

Rules files. Each language may have ``rules/<lang>.txt`` next to this module (package
data), merged after sentence-splitter's ``<lang>.txt``; a language the library does not
know starts from ``rules/_default.txt`` instead (initials, no language's words). The
directory named by the environment variable ``TRANSLATOR_SEGMENTATION_RULES_DIR``, when
set, may hold files of the same names (site extensions), merged last. Format, the Moses
one plus removals: one prefix per line, written without its full stop; ``#`` starts a
comment; ``#NUMERIC_ONLY#`` after a prefix means it only holds before a number
(``No. 5``); ``!prefix`` removes a prefix an earlier list defined. Later lines win.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from itertools import pairwise
from pathlib import Path

from translator.errors import InputError
from translator.text.inline import NO_BREAK_SPACES, PlainView, normalize_whitespace, plain_view
from translator.text.words import count_words

__all__ = [
    "MAX_SEGMENT_LENGTH",
    "RULES_DIR_VARIABLE",
    "count_words",
    "join_sentences",
    "split_sentences",
]

# The most characters (of the stored form, tags and entities included) one segment may
# hold, wherever its text comes from: import, save, search and replace, structure fixes.
# Imports stay far below it (see ``long_sentences``); a typed text over it is refused.
MAX_SEGMENT_LENGTH = 20_000
RULES_DIR_VARIABLE = "TRANSLATOR_SEGMENTATION_RULES_DIR"
_NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu", "lzh", "hak", "nan", "gan", "hsn"})

_FULL_WIDTH_STOPS = "。｡！？"
_STRONG_STOPS = "?!‼⁇⁈⁉؟।॥։።۔" + _FULL_WIDTH_STOPS
_STOPS = "." + "…" + _STRONG_STOPS
_QUOTES = "\"'"  # close a quotation after a stop, open one elsewhere
_CLOSERS = "’”»›)]}⸃⸅⸊⸍⸝⸡」』）》〉】〕" + _QUOTES + NO_BREAK_SPACES + " "
_OPENERS = "‘“«‹([{¿¡‛‟⸂⸄⸉⸌⸜⸠「『（《〈【〔" + "—–―-" + _QUOTES + NO_BREAK_SPACES + " "
_DIGITS = "0123456789"
_FOOTNOTE_DIGITS = _DIGITS + "¹²³⁰⁴⁵⁶⁷⁸⁹"
# Punctuation-only tokens join the word before (closers, stops) or after (openers).
_JOINS_BEFORE = frozenset(_STOPS + _CLOSERS + ",;:")
_JOINS_AFTER = frozenset(_OPENERS)
_QUOTE_SET = frozenset(_QUOTES)
_PUNCTUATION_START = _JOINS_BEFORE | _JOINS_AFTER
# The last character of a word after which a sentence may end.
_TAIL = frozenset(_STOPS + _CLOSERS.strip(" ") + _FOOTNOTE_DIGITS + "]")
_ANALYSED_TAIL = 64  # characters of a word the rules look at (bounds the regex work)
_TOKEN = re.compile("[^ ]+")
_ODD_SPACE = re.compile(rf"[^\S {NO_BREAK_SPACES}]|  ")  # what normalize_whitespace changes

_ENDING = re.compile(
    rf"(?P<stops>[{re.escape(_STOPS)}]+)(?P<closers>[{re.escape(_CLOSERS)}]*)"
    rf"(?:(?P<note>\[[0-9]{{1,3}}\]|[{_FOOTNOTE_DIGITS}]{{1,3}})[{re.escape(_CLOSERS)}]*)?$"
)
# Moses: the word before the final dots, and any closing punctuation between them.
_PREFIX = re.compile(r"([\w.\-]*)([\"')\]%’”»›]*)(\.+)$")
_WORD_END = re.compile(r"[\w.\-]*$")
_LIST_MARKER = re.compile(r"\(?(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[A-Za-z]|[IVXLCDMivxlcdm]{1,7})\.")
_NO_SPACE_STOP = re.compile(
    rf"[{_FULL_WIDTH_STOPS}]+(?=[^\s{_FULL_WIDTH_STOPS}{re.escape(_CLOSERS.strip())}])"
)
_CLOSING_TAGS = re.compile(r"(?:</[A-Za-z][^<>]*>|<br\b[^<>]*>)*", re.IGNORECASE)
_LANGUAGE_SUBTAG = re.compile(r"[a-z]{2,8}")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that start sentences and are never names (articles, pronouns,
# prepositions, conjunctions): after an abbreviation or an acronym, they mean the sentence
# ended there. Apostrophe forms (L’, D’) are matched as a prefix of the next word.
_STARTERS: dict[str, frozenset[str]] = {
    "en": _word_set(
        """The A An This That These Those It Its He She We They I You In On At But And Or So
        If When While As After Before There Here His Her Their Our My For With By From What
        Who How Why Where Some Many Most All Not Yet Still However Also Then Now Both Each
        Such Although Because Since Until During Over Under Meanwhile"""
    ),
    "fr": _word_set(
        """Le La Les L’ L' Un Une Des Du De D’ D' Ce Cet Cette Ces Il Elle Ils Elles On Nous
        Vous Je J’ J' En Au Aux Dans Sur Pour Par Avec Mais Et Ou Si Quand Lorsque Selon
        Après Avant Depuis Son Sa Ses Leur Leurs Notre Nos Cela Ceci Ainsi Puis Cependant
        Toutefois Pendant Parmi Chaque Tous Toutes Plusieurs Certains Certaines"""
    ),
    "pt": _word_set(
        """O A Os As Um Uma Uns Umas Na No Nas Nos Em De Do Da Dos Das Ele Ela Eles Elas
        Este Esta Estes Estas Esse Essa Esses Essas Isso Isto Para Por Com Mas Ou Se Quando
        Segundo Após Depois Antes Desde Seu Sua Seus Suas Não Também Há Entretanto Porém
        Contudo Durante Cada Todos Todas Vários Várias Alguns Algumas"""
    ),
}
_TIME_ZONES = _word_set(
    """ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT UTC BST CET CEST Eastern Central
    Pacific Mountain"""
)
_CLOCK = frozenset({"a.m.", "p.m.", "A.M.", "P.M."})


@dataclass(frozen=True, slots=True)
class _Rules:
    prefixes: frozenset[str]  # "Dr": "Dr." never ends a sentence
    numeric_prefixes: frozenset[str]  # "No": "No." does not end one before a number
    no_space_script: bool  # a full-width stop ends a sentence without a space
    starters: frozenset[str] = frozenset()  # see _STARTERS


def split_sentences(text: str, language: str) -> list[str]:
    """Split one paragraph of inline-marked-up text into its sentences.

    ``language`` is a BCP 47 tag; only its primary subtag matters, and a language without
    a prefix list gets the generic rules. The sentences come back with their markup and
    no-break spaces, and with collapsible whitespace normalised (see the module
    docstring for the round trip). Whitespace-only text gives ``[]``.

    Raises :class:`InputError` for a malformed tag or rules file."""
    rules = _language_rules(language)
    # Adapters give single-spaced text: skip the copy-heavy collapse when nothing needs it.
    source = normalize_whitespace(text) if _ODD_SPACE.search(text) else text.strip(" ")
    if not source:
        return []
    view = plain_view(source)
    cuts = _cuts_at_spaces(view, rules)
    if rules.no_space_script:
        cuts = sorted(cuts + _cuts_after_full_width_stops(view))
    sentences, start = [], 0
    for end, next_start in cuts:
        sentences.append(source[start:end])
        start = next_start
    sentences.append(source[start:])
    return sentences


def join_sentences(sentences: list[str], language: str) -> str:
    """Put sentences back into a paragraph: the inverse of :func:`split_sentences`.

    Sentences are joined by one space, except after a full-width stop in a language
    written without spaces (Chinese, Japanese)."""
    no_space = _language_rules(language).no_space_script
    parts: list[str] = []
    for sentence in sentences:
        if parts and not (no_space and plain_view(parts[-1]).text[-1:] in _FULL_WIDTH_STOPS):
            parts.append(" ")
        parts.append(sentence)
    return "".join(parts)


def _cuts_at_spaces(view: PlainView, rules: _Rules) -> list[tuple[int, int]]:
    """Source offsets ``(end, next_start)`` of the sentence ends found at spaces.

    The words are streamed, three at a time: a 20 MB paragraph must not become millions
    of tuples in memory."""
    text = view.text
    cuts: list[tuple[int, int]] = []
    previous_end = -1  # plain end of the word before, -1 at the start of the paragraph
    first = True  # the word begins its sentence
    for (word_start, word_end), (next_start, next_end) in pairwise(_words(text)):
        ends_here = False
        if text[word_end - 1] in _TAIL:
            word = text[max(word_start, word_end - _ANALYSED_TAIL) : word_end]
            opens = first or text[previous_end - 1] in ":;"
            after_lowercase = previous_end > 0 and text[previous_end - 1].islower()
            following = text[next_start:next_end]
            if _ends_sentence(word, following, rules, first=opens, after_lowercase=after_lowercase):
                spaces = range(word_end, next_start)
                space = next((p for p in spaces if not view.inside_element(p)), -1)
                if space >= 0:
                    offset = view.source_offset(space)
                    cuts.append((offset, offset + 1))
                    ends_here = True
        previous_end, first = word_end, ends_here
    return cuts


def _words(text: str) -> Iterator[tuple[int, int]]:
    """Plain offsets ``(start, end)`` of the words of ``text``; punctuation-only tokens
    are joined to the word before (closers, stops) or after (openers)."""
    last: tuple[int, int] | None = None  # held back: the next token may join it
    pending = -1  # start of opening punctuation waiting for its word
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if pending < 0 and last is not None and text[start] in _PUNCTUATION_START:
            joins = _joins(match.group(), text[last[1] - 1])
            if joins == "before":
                last = (last[0], end)
                continue
            if joins == "after":
                pending = start
                continue
        elif pending < 0 and last is None and set(match.group()) <= _JOINS_AFTER:
            pending = start
            continue
        if last is not None:
            yield last
        last = (start if pending < 0 else pending, end)
        pending = -1
    if pending >= 0:
        tail = len(text.rstrip(" "))
        last = (pending, tail) if last is None else (last[0], tail)
    if last is not None:
        yield last


def _joins(token: str, before: str) -> str:
    """Whether a token has no letters and belongs to the word ``before`` or after it."""
    characters = set(token)
    if characters <= _QUOTE_SET:
        return "before" if before in _STOPS else "after"
    if characters <= _JOINS_BEFORE:
        return "before"
    if characters <= _JOINS_AFTER:
        return "after"
    return ""


def _ends_sentence(
    word: str, following: str, rules: _Rules, *, first: bool, after_lowercase: bool = False
) -> bool:
    """Whether a sentence ends after ``word`` (its last characters) when ``following``
    comes next. ``first``: the word begins its sentence or follows a colon (so may be a
    list marker: "1. Introduction", "by this only: 1. In the national struggles");
    ``after_lowercase``: the word before ends with a lowercase letter ("protéine S.")."""
    skip = 0
    while skip < len(following) and following[skip] in _OPENERS:
        skip += 1
    if skip == len(following):
        return False
    capital = unicodedata.category(following[skip]) in ("Lu", "Lt", "Lo")
    if not capital and following[skip] not in _DIGITS:
        return False
    ending = _ENDING.search(word)
    if ending is None:
        return False
    body, stops = word[: ending.start()], ending["stops"]
    if body[-1:] in ("[", "("):  # "[…]" marks an omission inside a quotation
        return False
    if ending["note"]:  # a footnote call glued to the stop: "POUM.2", "Catalan.[1]"
        if not capital or not body or not (body[-1].isalpha() or body[-1] in _CLOSERS.strip()):
            return False
        prefix = _WORD_END.search(body)
        return not (prefix and prefix[0] in rules.prefixes | rules.numeric_prefixes)
    if ending["closers"] or stops.strip(".…"):  # "freedom.” Next", "Why? Next"
        return capital
    if stops != ".":  # an ellipsis, before a capital or a number (as Moses does)
        return True
    if first and _LIST_MARKER.fullmatch(word):
        return False
    starts = _starts_sentence(following[skip:], rules)
    prefix = _PREFIX.search(word)  # always matches: the word ends with "."
    if prefix and prefix[1] and not prefix[2]:
        if prefix[1] in rules.prefixes:
            # Only an initial after a lowercase word ("la vitamine D. Des études"): a
            # title before a starter ("Dr. The") is a name's start far too often.
            initial = len(prefix[1]) == 1 and prefix[1].isupper()
            dotted = "." in prefix[1] and not prefix[1].islower()  # "a.C.", not "e.g."
            return starts and ((initial and after_lowercase) or dotted)
        if prefix[1] in rules.numeric_prefixes and following[skip] in _DIGITS:
            return False
    if _word_tail(word) in _CLOCK:
        return following[skip:].rstrip(",.;:") not in _TIME_ZONES
    return starts or not _is_acronym(word)


def _starts_sentence(following: str, rules: _Rules) -> bool:
    """Whether ``following`` (a word, openers skipped) is a sentence starter that is
    never a name nor an initial (see ``_STARTERS``); "L’OMS", "D’après" count."""
    word = following.rstrip(",;:")
    return word in rules.starters or (len(word) > 2 and word[:2] in rules.starters)


def _word_tail(word: str) -> str:
    """The last whitespace-free run of letters and dots of ``word`` ("11 a.m." → "a.m.")."""
    match = re.search(r"[\w.]*$", word)
    return match[0] if match else word


def _is_acronym(word: str) -> bool:
    """``U.S.``, ``G.T.``, ``a.C.``: a full stop, then capitals up to the final stops."""
    stem = word.rstrip(".")
    letters = stem[stem.rfind(".") + 1 :]
    capitals = all(c == "-" or unicodedata.category(c) in ("Lu", "Lo") for c in letters)
    return "." in stem and bool(letters) and capitals


def _cuts_after_full_width_stops(view: PlainView) -> list[tuple[int, int]]:
    """Zero-width cuts after ``。！？`` followed by text; never before a closing quote
    (``「はい。」と言った``: the quotation belongs to the sentence that goes on)."""
    cuts = []
    for match in _NO_SPACE_STOP.finditer(view.text):
        if view.inside_element(match.end(), between=True):
            continue
        # Closing tags stay with the sentence they close, opening tags go with the next.
        offset = view.source_end(match.end() - 1)
        closing = _CLOSING_TAGS.match(view.source, offset)
        offset = closing.end() if closing else offset
        cuts.append((offset, offset))
    return cuts


def _language_rules(language: str) -> _Rules:
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    if primary in ("x", "i"):  # private use and grandfathered tags
        primary = "und"
    if not _LANGUAGE_SUBTAG.fullmatch(primary):
        raise InputError(f"not a BCP 47 language tag: {language!r}", field="language")
    return _load_rules(primary, os.environ.get(RULES_DIR_VARIABLE) or None)


@lru_cache(maxsize=256)
def _load_rules(language: str, site_directory: str | None) -> _Rules:
    """Merge the prefix lists of ``language``: library (or default), project, site."""
    library = resources.files("sentence_splitter") / "non_breaking_prefixes" / f"{language}.txt"
    directories: list[Traversable] = [resources.files(__package__) / "rules"]
    if site_directory is not None:
        if not Path(site_directory).is_dir():
            raise InputError(f"not a directory: {site_directory}", field=RULES_DIR_VARIABLE)
        directories.append(Path(site_directory))
    base = [library] if library.is_file() else [d / "_default.txt" for d in directories]
    table: dict[str, bool] = {}
    for source in [*base, *(d / f"{language}.txt" for d in directories)]:
        if source.is_file():
            _read_prefixes(source, table, strict=source is not library)
    return _Rules(
        prefixes=frozenset(p for p, numeric in table.items() if not numeric),
        numeric_prefixes=frozenset(p for p, numeric in table.items() if numeric),
        no_space_script=language in _NO_SPACE_LANGUAGES,
        starters=_STARTERS.get(language, frozenset()),
    )


def _read_prefixes(source: Traversable, table: dict[str, bool], *, strict: bool) -> None:
    """Add (or with ``!``, remove) the prefixes of one rules file; True = numeric only.

    ``strict`` rejects a prefix with a space, which could never match (the library's
    own lists have a few; they are harmless there)."""
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        entry = line.split("#", 1)[0].strip().lstrip("\ufeff")
        if not entry:
            continue
        if strict and any(c.isspace() for c in entry):
            raise InputError("a prefix cannot contain a space", file=str(source), line=number)
        if entry.startswith("!"):
            table.pop(entry[1:], None)
        else:
            table[entry] = "#NUMERIC_ONLY#" in line
