"""Search and replace over one edition: a preview of every segment it would change, then
applying the previewed replacements, one revision per changed segment.

Replacements work on the *editable* form of a segment (``translator.text.inline``:
entities decoded, inline tags kept as tags), the form a translator reads and types, and
the result goes back through ``stored_text``: "AT&T" finds the stored ``AT&amp;T``, and
a replacement typed with ``&`` or ``<`` is escaped like a typed edit. A match never
overlaps a tag (or an entity-shaped sequence), so markup survives any pattern:
replacing "em" leaves ``<em>`` alone. A match cannot span a tag either ("big cat" does
not match ``big <em>cat</em>``).

Patterns run on RE2 (``translator.text.patterns``): linear time, no GIL held while
matching. Bounds: the preview reads at most ``PREVIEW_MAX_SEGMENTS`` segments and
``PREVIEW_MAX_CHARS`` characters and stops at the ``REPLACE_TIMEOUT`` setting, saying
where it stopped (``PreviewResult``) so that it can go on from there; applying works
out every new text before it locks anything, within the same time budget. A result
longer than ``MAX_SEGMENT_LENGTH`` is never stored. docs/limits.md lists the bounds.

Empty segments are left alone: a replacement changes text, it does not fill cells.

Permissions are the caller's: the web view lets only a user who may edit the language
(``services.members.can_edit``) preview or apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from translator.errors import InputError
from translator.extensions import db
from translator.models import (
    Document,
    Edition,
    MemberRole,
    RevisionReason,
    Segment,
    SegmentStatus,
    User,
)
from translator.services.events import record_segment_saved
from translator.services.members import language_role
from translator.services.notification_causes import last_authors, notify_text_replaced
from translator.services.segments import take_write_lock, write_segment
from translator.services.siblings import keep_in_step, refresh_outdated
from translator.services.units import unit_positions
from translator.text.inline import editable_text, stored_text
from translator.text.patterns import Deadline, OutOfTime
from translator.text.replacement import (
    Replacement,
    compile_replacement,
)
from translator.text.segmentation import MAX_SEGMENT_LENGTH

PREVIEW_LIMIT = 500  # segments one preview lists (and one apply changes)
PREVIEW_MAX_SEGMENTS = 50_000  # segments one preview reads
PREVIEW_MAX_CHARS = 10_000_000  # characters of text one preview reads


@dataclass(frozen=True)
class ReplacementPreview:
    """One segment a replacement would change. ``index`` is its unit's position in the
    document (0-based); ``version`` the segment's version the preview was made from;
    ``before`` and ``after`` are editable forms (what the editor's textarea shows).
    ``changes``: the diff from ``before`` to ``after``, as ``("=", kept)``,
    ``("-", found)`` and ``("+", put instead)`` parts. ``too_long``: the result would be
    over ``MAX_SEGMENT_LENGTH``, so applying leaves this segment alone."""

    segment_id: int
    unit_id: int
    index: int
    version: int
    before: str
    after: str
    changes: tuple[tuple[str, str], ...] = ()
    too_long: bool = False


@dataclass
class PreviewResult:
    """What a preview found. ``stopped`` says why it ended before the end of the
    edition: ``"limit"`` (``PREVIEW_LIMIT`` segments found), ``"time"`` (the time
    budget), ``"size"`` (``PREVIEW_MAX_SEGMENTS`` or ``PREVIEW_MAX_CHARS`` read); then
    ``resume_at`` is the position of the first unit not searched. ``slow`` is the
    position of a unit skipped because its segment alone took the whole time budget."""

    previews: list[ReplacementPreview] = field(default_factory=list)
    stopped: str | None = None
    resume_at: int | None = None
    searched: int = 0
    slow: int | None = None


@dataclass
class ReplaceResult:
    """Segment ids written (one revision each), those skipped because they changed
    since the preview (or no longer belong to the edition), and those left alone because
    the result would be longer than ``MAX_SEGMENT_LENGTH``."""

    changed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    too_long: list[int] = field(default_factory=list)


def _edition(document: Document, language: str) -> Edition:
    edition = document.edition(language)
    if edition is None:
        raise InputError(f"the document has no edition in {language!r}", field="language")
    return edition


def _deadline(timeout: float | None) -> Deadline:
    seconds = current_app.config["REPLACE_TIMEOUT"] if timeout is None else timeout
    return Deadline(float(seconds))


def preview_replace(
    document: Document,
    language: str,
    find: str,
    replace: str,
    *,
    regex: bool = False,
    case: bool = False,
    limit: int = PREVIEW_LIMIT,
    start: int = 0,
    timeout: float | None = None,
) -> PreviewResult:
    """The first ``limit`` segments of the ``language`` edition, from the unit at
    position ``start`` on (in document order), that the replacement would change, with
    their text before and after. Reads only, holds no lock; stops early at the bounds
    (``PreviewResult.stopped``). ``timeout``: seconds, default the ``REPLACE_TIMEOUT``
    setting.

    Raises InputError for an unknown language or a bad find/replace pair."""
    edition = _edition(document, language)
    replacement = compile_replacement(find, replace, regex=regex, case=case)
    deadline = _deadline(timeout)
    positions = unit_positions(document.id)
    rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.text, Segment.version, positions.c.position)
        .join(positions, positions.c.id == Segment.unit_id)
        .where(Segment.edition_id == edition.id, Segment.text != "")
        .where(positions.c.position >= start)
        .order_by(positions.c.position)
        .execution_options(yield_per=500)
    )
    result = PreviewResult()
    chars = 0
    try:
        for row in rows:
            if result.searched >= PREVIEW_MAX_SEGMENTS or chars >= PREVIEW_MAX_CHARS:
                result.stopped, result.resume_at = "size", row.position
                break
            before = editable_text(row.text)
            changes: list[tuple[str, str]] = []
            try:
                deadline.check()
                after, count = replacement.apply(before, deadline, changes)
            except OutOfTime:
                result.stopped, result.resume_at = "time", row.position
                if not result.searched:  # this segment alone took the whole budget
                    result.slow, result.resume_at = row.position, row.position + 1
                break
            result.searched += 1
            chars += len(row.text)
            if count and after != before:
                too_long = len(stored_text(after)) > MAX_SEGMENT_LENGTH
                result.previews.append(
                    ReplacementPreview(
                        row.id,
                        row.unit_id,
                        row.position,
                        row.version,
                        before,
                        after,
                        tuple(changes),
                        too_long,
                    )
                )
                if len(result.previews) >= limit:
                    result.stopped, result.resume_at = "limit", row.position + 1
                    break
    finally:
        rows.close()
    return result


def _planned_texts(
    edition: Edition,
    replacement: Replacement,
    expected: dict[int, int],
    deadline: Deadline,
    result: ReplaceResult,
) -> dict[int, str]:
    """Segment id → its new stored text, for the segments of ``expected`` still at the
    expected version that the replacement changes; worked out from an unlocked read.
    Fills ``result.skipped`` and ``result.too_long``."""
    rows = db.session.execute(
        select(Segment.id, Segment.text, Segment.version).where(
            Segment.id.in_(list(expected)), Segment.edition_id == edition.id
        )
    ).all()
    found = {row.id for row in rows}
    result.skipped.extend(i for i in expected if i not in found)
    planned: dict[int, str] = {}
    for row in rows:
        if row.version != expected[row.id]:
            result.skipped.append(row.id)
            continue
        if not row.text:
            continue
        before = editable_text(row.text)
        try:
            after, count = replacement.apply(before, deadline)
        except OutOfTime:
            raise InputError(
                "the replacement took too long, nothing was changed: "
                "tick fewer segments or narrow the search",
                field="find",
            ) from None
        text = stored_text(after) if count and after != before else row.text
        if text == row.text:
            continue
        if len(text) > MAX_SEGMENT_LENGTH:
            result.too_long.append(row.id)
            continue
        planned[row.id] = text
    return planned


def _record_events(document: Document, changed: list[Segment], author_id: int | None) -> None:
    """Tell the open editors of each segment written, as a save from the editor would
    (published after the commit; ``services.events``)."""
    author = db.session.get(User, author_id) if author_id is not None else None
    if not changed or author is None:
        return
    units = {s.unit_id for s in changed}
    row_mates: dict[int, list[Segment]] = {}
    for segment in db.session.scalars(
        select(Segment)
        .join(Segment.edition)  # an edition in the trash is left out (``models.trash``)
        .where(Segment.unit_id.in_(units))
        .options(contains_eager(Segment.edition))
    ):
        row_mates.setdefault(segment.unit_id, []).append(segment)
    for segment in changed:
        siblings = [s for s in row_mates[segment.unit_id] if s.id != segment.id]
        record_segment_saved(segment, siblings, by=author, confirmed=False, document_id=document.id)


def _replaced_authors(
    edition: Edition, segments: Sequence[Segment], author_id: int | None
) -> dict[int, int | None]:
    """Segment id → who wrote its text, when a reviewer of the edition replaces it
    (a reviewer's replacement tells the authors, as a save in the editor does:
    ``services.editing``); empty for anyone else. Read before the writes."""
    user = db.session.get(User, author_id) if author_id is not None else None
    if (
        user is None
        or language_role(user, edition.document_id, edition.language) != MemberRole.REVIEWER
    ):
        return {}
    return last_authors(s.id for s in segments)


def _notify_authors(
    edition: Edition,
    written: list[Segment],
    authors: dict[int, int | None],
    author_id: int | None,
) -> None:
    """Tell each author (not the replacer) that a reviewer replaced their text."""
    by = db.session.get(User, author_id) if authors and author_id is not None else None
    if by is None:
        return
    for segment in written:
        author = authors.get(segment.id)
        if author is not None and author != author_id:
            notify_text_replaced(
                author,
                segment_id=segment.id,
                unit_id=segment.unit_id,
                document_id=edition.document_id,
                language=edition.language,
                by=by,
            )


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
    timeout: float | None = None,
    minor: bool = False,
) -> ReplaceResult:
    """Make the replacement in the segments of ``expected`` (segment id → the version
    the preview showed), one revision each (reason ``replace``, or ``minor`` for a
    replacement that does not affect meaning: it flags no other edition), keeping each status
    (``empty`` when the text becomes empty). A segment whose version moved on since the
    preview, or that is gone, is skipped and listed, never overwritten; one whose result
    would be longer than ``MAX_SEGMENT_LENGTH`` is left alone and listed. The siblings'
    ``outdated`` flags are brought up to date. A reviewer's replacement tells the author
    of each text it changes, as a reviewer's save does (``notify_text_replaced``).
    Flushes; the caller commits.

    The new texts are worked out first, without any lock, within ``timeout`` seconds
    (default the ``REPLACE_TIMEOUT`` setting; past it InputError, nothing changed); then
    the segments are locked, their versions checked again and the texts written."""
    edition = _edition(document, language)
    replacement = compile_replacement(find, replace, regex=regex, case=case)
    result = ReplaceResult()
    planned = _planned_texts(edition, replacement, expected, _deadline(timeout), result)
    in_step: dict[int, tuple[str, str]] = {}
    if planned:
        take_write_lock()
        segments = db.session.scalars(
            select(Segment)
            .where(Segment.id.in_(list(planned)))
            .order_by(Segment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        replaced_authors = _replaced_authors(edition, segments, author_id)
        for segment in segments:
            if segment.version != expected[segment.id]:
                result.skipped.append(segment.id)
                continue
            text = planned[segment.id]
            status = segment.status if text else SegmentStatus.EMPTY
            old_hash = segment.content_hash
            reason = RevisionReason.MINOR if minor else RevisionReason.REPLACE
            write_segment(segment, text, status, reason=reason, author_id=author_id)
            result.changed.append(segment.id)
            if minor:
                in_step[segment.unit_id] = (old_hash, segment.content_hash)
        changed = set(result.changed)
        keep_in_step(edition.language, in_step)
        refresh_outdated([s.unit_id for s in segments if s.id in changed])
        result.skipped.extend(i for i in planned if i not in {s.id for s in segments})
        written = [s for s in segments if s.id in changed]
        _record_events(document, written, author_id)
        _notify_authors(edition, written, replaced_authors, author_id)
    result.changed.sort()
    result.skipped.sort()
    result.too_long.sort()
    return result
