"""A plain-text view of a segment's inline markup, for the code that reads text.

Segment text is one line of escaped text with a small inline HTML subset (``<em>``,
``<a href="...">``, ``<br>``, ... and the entities ``&amp; &lt; &gt; &quot;``). Sentence
segmentation and word counts must see the words, not the markup: :func:`plain_view` drops
every tag, decodes every entity to the character it stands for, and keeps the way back
to the original offsets, so that a position found in the plain text can be cut in the
marked-up text without ever landing inside a tag or an entity.

Whitespace: "collapsible" whitespace is every ``str.isspace`` character except the
no-break spaces U+00A0, U+2007 and U+202F, which are content (French puts them inside
``«\u00a0»`` and before ``?!:;``) and are never collapsed, stripped or split at.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from html.entities import html5 as _HTML5

import nh3

NO_BREAK_SPACES = "\u00a0\u2007\u202f"

_COLLAPSIBLE = re.compile(rf"[^\S{NO_BREAK_SPACES}]+")
# Any tag-shaped markup (the input is escaped, so a raw "<" never starts plain text) and
# any character reference; html.unescape decides whether a named reference is real.
_MARKUP = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?:[\s/][^<>]*)?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_VOID_ELEMENTS = frozenset({"br", "wbr", "img", "hr", "input", "area", "col", "embed", "source"})


def normalize_whitespace(text: str) -> str:
    """Collapse each run of collapsible whitespace to one space and strip both ends.

    No-break spaces are kept as they are (see the module docstring)."""
    return _COLLAPSIBLE.sub(" ", text).strip(" ")


@dataclass(frozen=True, slots=True)
class PlainView:
    """``text`` without tags and with entities decoded, plus the map back to the source.

    ``runs`` holds one ``(plain_start, source_start, source_end, verbatim)`` per stretch of
    plain text: a verbatim stretch is copied from the source, the other kind is one decoded
    entity. ``elements`` holds the ``(start, end)`` plain offsets of the content of the
    outermost elements whose opening and closing tags both occur, in order; tags are
    matched like a browser would, so elements nest and the outermost ones are disjoint."""

    source: str
    text: str
    runs: tuple[tuple[int, int, int, bool], ...]
    elements: tuple[tuple[int, int], ...]

    def _run(self, position: int) -> tuple[int, int, int, bool]:
        return self.runs[bisect_right(self.runs, (position, len(self.source) + 1)) - 1]

    def source_offset(self, position: int) -> int:
        """Source offset of plain character ``position`` (an entity's first character)."""
        plain_start, start, _end, verbatim = self._run(position)
        return start + position - plain_start if verbatim else start

    def source_end(self, position: int) -> int:
        """Source offset just after plain character ``position`` (after a whole entity)."""
        plain_start, start, end, verbatim = self._run(position)
        return start + position - plain_start + 1 if verbatim else end

    def inside_element(self, position: int, *, between: bool = False) -> bool:
        """Whether plain character ``position`` is element content, or with ``between``,
        whether the gap just before it lies strictly inside an element."""
        index = bisect_left(self.elements, (position + (0 if between else 1),)) - 1
        return index >= 0 and position < self.elements[index][1]


def plain_view(source: str) -> PlainView:
    """Return the plain-text view of ``source`` (see :class:`PlainView`).

    A decoded entity that is collapsible whitespace (``&#10;``) becomes a no-break space,
    so that no split or collapse can ever happen inside an entity. Unknown named
    references and unmatched closing tags are harmless: the first stay text, the second
    are dropped like any tag."""
    if "<" not in source and "&" not in source:
        return PlainView(source, source, ((0, 0, len(source), True),), ())
    parts: list[str] = []
    runs: list[tuple[int, int, int, bool]] = []
    elements: list[tuple[int, int]] = []
    open_elements: list[tuple[str, int]] = []
    plain_length = 0
    copied_to = 0
    for match in _MARKUP.finditer(source):
        name = match.group("name")
        decoded = "" if name else html.unescape(match.group())
        if decoded == match.group():
            continue  # an unknown named reference is plain text
        if match.start() > copied_to:
            parts.append(source[copied_to : match.start()])
            runs.append((plain_length, copied_to, match.start(), True))
            plain_length += match.start() - copied_to
        copied_to = match.end()
        if decoded:
            if decoded.isspace():
                decoded = "\u00a0" * len(decoded)
            parts.append(decoded)
            runs.append((plain_length, match.start(), match.end(), False))
            plain_length += len(decoded)
            continue
        name = name.lower()
        if match.group("close"):
            for depth in range(len(open_elements) - 1, -1, -1):
                if open_elements[depth][0] == name:
                    elements.append((open_elements[depth][1], plain_length))
                    del open_elements[depth:]
                    break
        elif name not in _VOID_ELEMENTS and not match.group().endswith("/>"):
            open_elements.append((name, plain_length))
    parts.append(source[copied_to:])
    runs.append((plain_length, copied_to, len(source), True))
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(elements, key=lambda span: (span[0], -span[1])):
        if start < end and (not outermost or start >= outermost[-1][1]):
            outermost.append((start, end))
    return PlainView(source, "".join(parts), tuple(runs), tuple(outermost))


# The editable form: what a translator sees in a textarea and types back.
#
# Canonical stored text escapes ``&``, ``<`` and ``>`` in text (``&amp; &lt; &gt;``), leaves
# ``"`` raw, and writes ``<a href="...">`` with ``html.escape(url, quote=True)``. The
# editable form decodes every entity, except where the decoded character would be read
# back as markup: a ``&`` that would start a character reference stays ``&amp;`` and a
# ``<`` that would start a whitelisted tag stays ``&lt;``, so that
# ``stored_text(editable_text(s)) == s`` for canonical ``s``.

EDITABLE_TAGS = ("em", "strong", "code", "sup", "sub", "br", "a")

_PAIRED_TAGS = "|".join(name for name in EDITABLE_TAGS if name not in ("br", "a"))
# The exact shapes a translator may type; anything else tag-shaped is text.
_EDITABLE_TAG = re.compile(
    rf'<(?:(?:{_PAIRED_TAGS}|br/?)>|/(?:{_PAIRED_TAGS}|a)>|a href="(?P<href>[^"<>]*)">)'
)
_TAG_SHAPED = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:[\s/][^<>]*)?>")
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|(?P<named>[A-Za-z][A-Za-z0-9]{1,31}));"
)
# As formats/markdown_inline.safe_href: http, https, mailto or relative (no scheme), the
# scheme read with whitespace and control characters removed, as browsers do.
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_STORED_SPECIAL = re.compile(r"[<&]")
_TYPED_SPECIAL = re.compile(r"[<>&]")


def _entity_end(text: str, position: int) -> int:
    """End of the character reference at ``position``, or -1 when there is none.

    Only references with their ``;`` count, and named ones must be known HTML names."""
    match = _ENTITY.match(text, position)
    if match is None or (match["named"] and match["named"] + ";" not in _HTML5):
        return -1
    return match.end()


def _decode_entities(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        if _entity_end(match.string, match.start()) < 0:
            return match.group()
        return html.unescape(match.group())

    return _ENTITY.sub(decode, text)


def _whitelisted_tag(text: str, position: int) -> tuple[int, str | None] | None:
    """``(end, url)`` of the whitelisted tag at ``position`` (``url``, decoded, for
    ``<a href>`` only), or None when there is none or its URL has an unsafe scheme."""
    match = _EDITABLE_TAG.match(text, position)
    if match is None:
        return None
    if match["href"] is None:
        return match.end(), None
    url = _decode_entities(match["href"])
    scheme = _SCHEME.match(_INVISIBLE.sub("", url).lower())
    if scheme and scheme.group(1) not in _SAFE_SCHEMES:
        return None
    return match.end(), url


def _protect(pieces: list[tuple[str, bool]], char: str) -> list[tuple[str, bool]]:
    """``pieces`` with each ``char`` of the text pieces encoded where, in the joined
    text, it would be read back as markup: a ``&`` that starts a character reference, a
    ``<`` that starts a whitelisted tag."""
    context = "".join(piece for piece, _ in pieces)
    protected: list[tuple[str, bool]] = []
    offset = 0

    def encode(match: re.Match[str]) -> str:
        at = offset + match.start()
        if char == "&":
            return "&amp;" if _entity_end(context, at) >= 0 else "&"
        return "&lt;" if _whitelisted_tag(context, at) else "<"

    for piece, is_text in pieces:
        protected.append((re.sub(char, encode, piece) if is_text else piece, is_text))
        offset += len(piece)
    return protected


def _protect_attribute(url: str) -> str:
    """A decoded URL as it shows inside the quotes of an editable ``<a href="...">``."""
    escaped = {'"': "&quot;", "<": "&lt;", ">": "&gt;"}
    return "".join(
        escaped.get(char, "&amp;" if char == "&" and _entity_end(url, at) >= 0 else char)
        for at, char in enumerate(url)
    )


def editable_text(stored: str) -> str:
    """Return stored segment text as a translator edits it (the inverse of
    :func:`stored_text`).

    Entities are decoded (``&amp;`` → ``&``, ``&#160;`` → U+00A0); whitelisted tags stay
    tags, an ``<a href>`` showing its URL decoded (only ``"``, ``<``, ``>`` and an ``&``
    that would start a reference are encoded); other tag-shaped markup is kept as is. A
    decoded ``<`` that would start a whitelisted tag stays ``&lt;`` (stored
    ``&lt;em&gt;`` shows ``&lt;em>``) and a decoded ``&`` that would start a character
    reference stays ``&amp;`` (stored ``&amp;lt;`` shows ``&amp;lt;``), so that saving
    the text unchanged gives back canonical stored text exactly."""
    if "<" not in stored and "&" not in stored:
        return stored
    pieces: list[tuple[str, bool]] = []  # (editable piece, whether it is text)
    position = 0
    while (special := _STORED_SPECIAL.search(stored, position)) is not None:
        at = special.start()
        if at > position:
            pieces.append((stored[position:at], True))
        end = _entity_end(stored, at) if special.group() == "&" else -1
        tag = _whitelisted_tag(stored, at) if special.group() == "<" else None
        shaped = _TAG_SHAPED.match(stored, at) if special.group() == "<" else None
        if end >= 0:
            pieces.append((html.unescape(stored[at:end]), True))
        elif tag is not None:
            end, url = tag
            piece = stored[at:end] if url is None else f'<a href="{_protect_attribute(url)}">'
            pieces.append((piece, False))
        elif shaped is not None:
            end = shaped.end()
            pieces.append((shaped.group(), False))
        else:
            end = at + 1
            pieces.append((special.group(), True))
        position = end
    pieces.append((stored[position:], True))
    # Whether a "&" starts a reference depends only on the "#", letters, digits and ";"
    # after it, which no encoding changes. Whether a "<" starts a whitelisted tag depends
    # on the references in its URL, so it is decided once the "&" are settled; encoding
    # one "<" never changes the decision for another (a tag inside a URL ends with a ">"
    # that the URL cannot hold).
    return "".join(piece for piece, _ in _protect(_protect(pieces, "&"), "<"))


def stored_text(editable: str) -> str:
    """Return the stored form of text a translator typed (see :func:`editable_text`).

    Whitelisted tags in their exact shapes stay markup: ``<em>`` ``</em>`` (likewise
    ``strong``, ``code``, ``sup``, ``sub``), ``<br>``, ``<br/>``, ``</a>`` and
    ``<a href="...">`` with an http, https, mailto or relative URL (entities in it
    decoded, then attribute-escaped). Everything else is text: ``<`` → ``&lt;``, ``>`` →
    ``&gt;``, ``&`` → ``&amp;`` unless it starts a character reference (``&lt;``,
    ``&#160;``), which is kept as typed; ``"`` stays raw. A typed ``<script>`` is
    stored as ``&lt;script&gt;``."""
    out: list[str] = []
    position = 0
    while (special := _TYPED_SPECIAL.search(editable, position)) is not None:
        at = special.start()
        out.append(editable[position:at])
        position = at + 1
        char = special.group()
        if char == "<" and (tag := _whitelisted_tag(editable, at)) is not None:
            position, url = tag
            if url is None:
                out.append(editable[at:position])
            else:
                out.append(f'<a href="{html.escape(url, quote=True)}">')
        elif char == "&" and (end := _entity_end(editable, at)) >= 0:
            out.append(editable[at:end])
            position = end
        else:
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[char])
    out.append(editable[position:])
    return "".join(out)


def display_html(stored: str) -> str:
    """Stored segment text as HTML to show: only the inline whitelist survives (links
    with safe schemes, rel="noopener noreferrer nofollow"), everything else is escaped
    text. Imports and typing already escape; this is the second line of defence."""
    cleaned: str = nh3.clean(
        stored,
        tags=set(EDITABLE_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(_SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return cleaned
