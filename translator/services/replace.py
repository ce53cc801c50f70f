"""Search and replace over one edition: a preview of every segment it would change, then
applying the previewed replacements, one revision per changed segment.

Replacements work on the *editable* form of a segment (``translator.text.inline``:
entities decoded, inline tags kept as tags), the form a translator reads and types, and
the result goes back through ``stored_text``: "AT&T" finds the stored ``AT&amp;T``, and
a replacement typed with ``&`` or ``<`` is escaped like a typed edit. A match that
overlaps a tag (or an entity-shaped sequence) is never replaced, so markup survives any
pattern: replacing "em" leaves ``<em>`` alone. A match cannot span a tag either ("big
cat" does not match ``big <em>cat</em>``).

Empty segments are left alone: a replacement changes text, it does not fill cells.

Permissions are the caller's: the web view lets only a user who may edit the language
(``services.members.can_edit``) preview or apply."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from translator.errors import InputError
from translator.extensions import db
from translator.models import Document, Edition, RevisionReason, Segment, SegmentStatus
from translator.services.segments import take_write_lock, write_segment
from translator.services.siblings import refresh_outdated
from translator.services.units import unit_positions
from translator.text.inline import editable_text, stored_text

PREVIEW_LIMIT = 500
MAX_FIND = 1000  # characters of the find pattern
# Markup in the editable form that a replacement must not cut into: tag-shaped
# sequences and entity-shaped ones.
_PROTECTED = re.compile(
    r"<(?:/?)[A-Za-z][A-Za-z0-9]*(?:[\s/][^<>]*)?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


@dataclass(frozen=True)
class ReplacementPreview:
    """One segment a replacement would change. ``index`` is its unit's position in the
    document (0-based); ``version`` the segment's version the preview was made from;
    ``before`` and ``after`` are editable forms (what the editor's textarea shows)."""

    segment_id: int
    unit_id: int
    index: int
    version: int
    before: str
    after: str


@dataclass
class ReplaceResult:
    """Segment ids written (one revision each) and those skipped because they changed
    since the preview (or no longer belong to the edition)."""

    changed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Replacement:
    """A compiled find/replace: ``apply`` returns an editable text with every match
    outside markup replaced, and how many were."""

    pattern: re.Pattern[str]
    expand: Callable[[re.Match[str]], str]

    def apply(self, text: str) -> tuple[str, int]:
        """``text`` with the replacements made outside markup, and their count."""
        return replace_outside_markup(text, self.pattern, self.expand)


def compile_replacement(find: str, replace: str, *, regex: bool, case: bool) -> Replacement:
    """Check and compile a find/replace pair. Plain mode finds ``find`` literally and
    inserts ``replace`` literally; regex mode uses Python ``re`` with ``\\1`` or
    ``\\g<name>`` group references in ``replace``. Case-insensitive unless ``case``.

    Raises InputError naming ``find`` (empty, too long, invalid pattern) or ``replace``
    (a bad group reference or escape): checked before any text is touched."""
    if not find:
        raise InputError("type the text to find", field="find")
    if len(find) > MAX_FIND:
        raise InputError(f"the text to find is longer than {MAX_FIND} characters", field="find")
    flags = 0 if case else re.IGNORECASE
    if not regex:
        pattern = re.compile(re.escape(find), flags)
        return Replacement(pattern, lambda _match: replace)
    try:
        pattern = re.compile(find, flags)
    except re.error as exc:
        raise InputError(f"invalid regular expression: {exc}", field="find") from None
    _check_template(pattern, replace)
    return Replacement(pattern, lambda match: match.expand(replace))


def _check_template(pattern: re.Pattern[str], template: str) -> None:
    """Expand ``template`` against a pattern with the same groups (numbers and names)
    that matches the empty string: a bad reference fails here, not halfway through."""
    names = {index: name for name, index in pattern.groupindex.items()}
    groups = "".join(
        f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, pattern.groups + 1)
    )
    try:
        re.compile(groups).sub(template, "")
    except (re.error, IndexError) as exc:
        raise InputError(f"invalid replacement: {exc}", field="replace") from None


def replace_outside_markup(
    text: str, pattern: re.Pattern[str], expand: Callable[[re.Match[str]], str]
) -> tuple[str, int]:
    """Replace every match of ``pattern`` in ``text`` by ``expand(match)``, except the
    matches that overlap a tag or an entity; returns the text and the count. Matches are
    found as ``re.sub`` finds them (anchors and lookarounds see the whole text); after a
    refused match the search resumes one character further."""
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    parts: list[str] = []
    last = position = count = 0
    while position <= len(text):
        match = pattern.search(text, position)
        if match is None:
            break
        start, end = match.span()
        if any(start < p_end and end > p_start for p_start, p_end in protected):
            position = start + 1
            continue
        parts.append(text[last:start])
        parts.append(expand(match))
        last = end
        count += 1
        position = end if end > start else end + 1
    if not count:
        return text, 0
    parts.append(text[last:])
    return "".join(parts), count


def _edition(document: Document, language: str) -> Edition:
    edition = document.edition(language)
    if edition is None:
        raise InputError(f"the document has no edition in {language!r}", field="language")
    return edition


def preview_replace(
    document: Document,
    language: str,
    find: str,
    replace: str,
    *,
    regex: bool = False,
    case: bool = False,
    limit: int = PREVIEW_LIMIT,
) -> list[ReplacementPreview]:
    """The first ``limit`` segments of the ``language`` edition (in document order)
    that the replacement would change, with their text before and after. Reads only.

    Raises InputError for an unknown language or a bad find/replace pair."""
    edition = _edition(document, language)
    replacement = compile_replacement(find, replace, regex=regex, case=case)
    positions = unit_positions(document.id)
    rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.text, Segment.version, positions.c.position)
        .join(positions, positions.c.id == Segment.unit_id)
        .where(Segment.edition_id == edition.id, Segment.text != "")
        .order_by(positions.c.position)
    )
    previews: list[ReplacementPreview] = []
    for row in rows:
        before = editable_text(row.text)
        after, count = replacement.apply(before)
        if count and after != before:
            previews.append(
                ReplacementPreview(row.id, row.unit_id, row.position, row.version, before, after)
            )
            if len(previews) >= limit:
                break
    return previews


def apply_replace(
    document: Document,
    language: str,
    find: str,
    replace: str,
    *,
    regex: bool,
    case: bool,
    expected: dict[int, int],
    author_id: int | None,
) -> ReplaceResult:
    """Make the replacement in the segments of ``expected`` (segment id → the version
    the preview showed), one revision each (reason ``replace``), keeping each status
    (``empty`` when the text becomes empty). A segment whose version moved on since the
    preview, or that is gone, is skipped and listed, never overwritten. The siblings'
    ``outdated`` flags are brought up to date. Flushes; the caller commits."""
    edition = _edition(document, language)
    replacement = compile_replacement(find, replace, regex=regex, case=case)
    result = ReplaceResult()
    take_write_lock()
    segments = db.session.scalars(
        select(Segment)
        .where(Segment.id.in_(list(expected)), Segment.edition_id == edition.id)
        .order_by(Segment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    found = {segment.id for segment in segments}
    result.skipped.extend(sorted(i for i in expected if i not in found))
    for segment in segments:
        if segment.version != expected[segment.id]:
            result.skipped.append(segment.id)
            continue
        if not segment.text:
            continue
        before = editable_text(segment.text)
        after, count = replacement.apply(before)
        if not count or after == before:
            continue
        text = stored_text(after)
        if text == segment.text:
            continue
        status = segment.status if text else SegmentStatus.EMPTY
        write_segment(segment, text, status, reason=RevisionReason.REPLACE, author_id=author_id)
        result.changed.append(segment.id)
    changed = set(result.changed)
    refresh_outdated([s.unit_id for s in segments if s.id in changed])
    result.skipped.sort()
    return result
