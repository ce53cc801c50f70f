"""Editing a segment: saves with optimistic locking, confirmation, revert, and keeping
the editions of a unit in step (the rule is in ``services.siblings``).

Three rules decide the sibling records a save writes:

1. Confirming a segment records every sibling's current hash on it: it is in step.
2. A sibling that has no record of the confirmed segment yet (it was empty, or is the
   text this one was translated from) records it too: from now on it follows it.
3. A segment that was behind a sibling and is being edited is catching up, not leading:
   that sibling records the new text instead of being flagged (no ping-pong between two
   editions that follow each other).

A save is the editor's hot path (an autosave every second or so per translator), so it
reads and writes rows without the ORM's unit of work: one statement locks the unit's
segments (in id order: concurrent saves in one unit are serialized, without deadlock)
and reads them with their languages and the user's membership (``services.unit_lock``);
then one UPDATE of the segment and one INSERT of its revision. Sibling records are
written without bumping the siblings' versions, so a translator typing in English never
gets a conflict because French was saved. Copies of these segments already loaded in
the session are kept in step with what was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from translator.errors import Forbidden, InputError, NotFound
from translator.extensions import db
from translator.models import (
    MemberRole,
    Revision,
    RevisionReason,
    Segment,
    SegmentStatus,
    Suggestion,
    SuggestionKind,
    SuggestionState,
    User,
)
from translator.services.carryover import successor_of
from translator.services.editions import title_from_heading
from translator.services.events import record_segment_saved
from translator.services.members import require_role
from translator.services.notification_causes import last_author, notify_text_replaced
from translator.services.segments import check_length, write_segment_row
from translator.services.siblings import flagging, is_outdated, original_language, sync_loaded
from translator.services.unit_lock import LockedSegment, lock_unit


@dataclass(slots=True)
class SaveResult:
    """What a save did. ``saved`` is False when the version had moved on and the text
    differed: the text is then kept as ``suggestion`` and the segment is untouched.
    ``segment`` is the segment as it now is; ``siblings`` those whose records changed."""

    segment: LockedSegment
    saved: bool
    changed: bool = False
    confirmed: bool = False
    suggestion: Suggestion | None = None
    siblings: list[LockedSegment] = field(default_factory=list)
    moved: bool = False  # the segment saved to was removed; ``segment`` is its successor


_segments = Segment.__table__
_WRITE_FLAGS = (
    update(_segments)
    .where(_segments.c.id == bindparam("b_id"))
    .values(sibling_hashes=bindparam("b_hashes"), outdated=bindparam("b_outdated"))
)


def _is_behind(cell: LockedSegment, sibling: LockedSegment) -> bool:
    recorded = cell.sibling_hashes.get(sibling.language)
    return recorded is not None and recorded != sibling.content_hash


def _outdated(
    cell: LockedSegment, hashes: dict[str, str], others: list[LockedSegment], original: str | None
) -> bool:
    current = {s.language: s.content_hash for s in others}
    return is_outdated(hashes, flagging(cell.language, original, current))


def _target_status(
    cell: LockedSegment, text: str, *, reviewer: bool, confirm: bool, status: SegmentStatus | None
) -> SegmentStatus:
    if not text:
        return SegmentStatus.EMPTY
    if status is not None:
        if status == SegmentStatus.EMPTY:
            raise InputError("a segment with text cannot be empty", field="status")
        if status == SegmentStatus.REVIEWED and not reviewer and not _was_reviewed(cell, text):
            raise Forbidden("only a reviewer of this language may mark a segment reviewed")
        return status
    if confirm:
        return SegmentStatus.REVIEWED if reviewer else SegmentStatus.TRANSLATED
    return SegmentStatus.DRAFT


def _was_reviewed(cell: LockedSegment, text: str) -> bool:
    """Whether ``text`` is what a reviewer last approved for this segment: anyone may put
    it back (Esc after an autosave restores the text and status the cell had)."""
    latest = db.session.scalar(
        select(Revision.text)
        .where(Revision.segment_id == cell.id, Revision.status == SegmentStatus.REVIEWED)
        .order_by(Revision.id.desc())
        .limit(1)
    )
    return latest is not None and latest == text


def _keep_as_suggestion(
    cell: LockedSegment, text: str, base_version: int, user: User
) -> Suggestion:
    """A stale save: keep the text (once, however often the client retries it)."""
    existing: Suggestion | None = db.session.scalar(
        select(Suggestion).where(
            Suggestion.segment_id == cell.id,
            Suggestion.author_id == user.id,
            Suggestion.state == SuggestionState.OPEN,
            Suggestion.text == text,
        )
    )
    if existing is not None:
        return existing
    suggestion = Suggestion(
        segment_id=cell.id,
        edition_id=cell.edition_id,
        unit_id=cell.unit_id,
        text=text,
        base_version=base_version,
        kind=SuggestionKind.CONFLICT,
        author_id=user.id,
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def _segment_id(segment: Segment | int) -> int:
    return segment if isinstance(segment, int) else segment.id


def save_segment(
    segment: Segment | int,
    text: str,
    *,
    base_version: int,
    user: User,
    confirm: bool = False,
    status: SegmentStatus | None = None,
    reason: RevisionReason = RevisionReason.EDIT,
) -> SaveResult:
    """Write ``text`` (stored form) to the segment (or segment id) if ``base_version`` is
    still its version, with a revision; otherwise keep it as a conflict suggestion
    (unless it is the text already there). ``confirm`` marks it translated (reviewed for
    a reviewer) and in step with its siblings; else it is a draft. Siblings are
    re-flagged, except after a minor edit (``reason`` MINOR: a typo, spacing,
    punctuation, a spelling reform): the siblings that were in step with the old text
    stay in step with the new one, and the history records it as minor."""
    check_length(text)
    segment_id = _segment_id(segment)
    try:
        cell, siblings, role = lock_unit(segment_id, user)
    except NotFound:
        successor = successor_of(segment_id)
        if successor is None or not text.strip():
            raise
        return _keep_on_successor(successor, text, base_version=base_version, user=user)
    role = require_role(role, cell.language)
    return _save(
        cell,
        siblings,
        text,
        base_version=base_version,
        user=user,
        reviewer=role == MemberRole.REVIEWER,
        confirm=confirm,
        status=status,
        reason=reason,
    )


def _keep_on_successor(successor: int, text: str, *, base_version: int, user: User) -> SaveResult:
    """A save aimed at a segment a structure change removed (a merge, a realignment):
    its text is kept as a suggestion on the segment that now holds that text."""
    cell, _siblings, role = lock_unit(successor, user)
    require_role(role, cell.language)
    suggestion = _keep_as_suggestion(cell, text, base_version, user)
    return SaveResult(cell, saved=False, suggestion=suggestion, moved=True)


def _save(
    cell: LockedSegment,
    siblings: list[LockedSegment],
    text: str,
    *,
    base_version: int,
    user: User,
    reviewer: bool,
    confirm: bool,
    status: SegmentStatus | None,
    reason: RevisionReason,
) -> SaveResult:
    target = _target_status(cell, text, reviewer=reviewer, confirm=confirm, status=status)
    if base_version != cell.version and text != cell.text:
        suggestion = _keep_as_suggestion(cell, text, base_version, user)
        return SaveResult(cell, saved=False, suggestion=suggestion)

    confirmed = confirm or (status is not None and status != SegmentStatus.DRAFT)
    original = original_language(cell.document_id)
    # A sibling this cell had not caught up with leads it: this change follows it and
    # flags nothing there. Only a sibling that may flag this cell can lead it (a
    # translation never leads its original).
    leaders = flagging(cell.language, original, {s.language: s.content_hash for s in siblings})
    behind = [s for s in siblings if s.language in leaders and _is_behind(cell, s)]
    hashes = cell.sibling_hashes
    if confirmed:
        hashes = {s.language: s.content_hash for s in siblings if s.text}
    outdated = _outdated(cell, hashes, siblings, original)
    changed = text != cell.text or target != cell.status
    # A minor edit keeps in step the siblings that were in step with the old text.
    in_step_with = cell.content_hash if reason is RevisionReason.MINOR else None
    # A reviewer changing a text someone else wrote tells its author (read before the
    # write; only then: a save by its own author, the hot path, asks nothing more).
    replaced_author = None
    if reviewer and cell.text and text != cell.text:
        replaced_author = last_author(cell.id)
    if changed:
        written = write_segment_row(
            cell.id,
            version=cell.version,
            unit_id=cell.unit_id,
            edition_id=cell.edition_id,
            text=text,
            status=target,
            sibling_hashes=hashes,
            outdated=outdated,
            reason=reason,
            author_id=user.id,
        )
        for name in ("text", "status", "content_hash", "version", "sibling_hashes", "outdated"):
            setattr(cell, name, written[name])
        sync_loaded(cell.id, **written)
        title_from_heading(cell.edition_id, cell.unit_id, text)
    elif hashes != cell.sibling_hashes or outdated != cell.outdated:
        _write_flags(cell, hashes, outdated)
    touched = _follow(
        cell,
        siblings,
        behind=behind,
        confirmed=confirmed,
        original=original,
        in_step_with=in_step_with,
    )
    if changed or touched:
        record_segment_saved(
            cell, touched, by=user, confirmed=confirmed, document_id=cell.document_id
        )
    if replaced_author is not None and replaced_author != user.id:
        notify_text_replaced(
            replaced_author,
            segment_id=cell.id,
            unit_id=cell.unit_id,
            document_id=cell.document_id,
            language=cell.language,
            by=user,
        )
    return SaveResult(cell, saved=True, changed=changed, confirmed=confirmed, siblings=touched)


def _follow(
    cell: LockedSegment,
    siblings: list[LockedSegment],
    *,
    behind: list[LockedSegment],
    confirmed: bool,
    original: str | None,
    in_step_with: str | None = None,
) -> list[LockedSegment]:
    """Update the siblings' records of ``cell`` (rules 2 and 3) and their flags, without
    bumping their versions. Returns the siblings whose row changed."""
    everyone = [*siblings, cell]
    touched = []
    for sibling in siblings:
        if not sibling.text:
            continue
        hashes = dict(sibling.sibling_hashes)
        if sibling in behind or (confirmed and cell.language not in hashes):
            hashes[cell.language] = cell.content_hash
        elif in_step_with is not None and hashes.get(cell.language) == in_step_with:
            hashes[cell.language] = cell.content_hash  # a minor edit keeps it in step
        outdated = _outdated(sibling, hashes, [s for s in everyone if s is not sibling], original)
        if hashes == sibling.sibling_hashes and outdated == sibling.outdated:
            continue
        _write_flags(sibling, hashes, outdated)
        touched.append(sibling)
    return touched


def _write_flags(cell: LockedSegment, hashes: dict[str, str], outdated: bool) -> None:
    """Write a segment's sibling records and outdated flag, without bumping its version."""
    db.session.execute(_WRITE_FLAGS, {"b_id": cell.id, "b_hashes": hashes, "b_outdated": outdated})
    cell.sibling_hashes, cell.outdated = hashes, outdated
    sync_loaded(cell.id, sibling_hashes=hashes, outdated=outdated)


def revert_segment(
    segment: Segment | int, revision: Revision, *, base_version: int, user: User
) -> SaveResult:
    """Put back the text of an earlier revision, as a new revision (reason ``revert``).
    It keeps its confirmed status only when the reverting user may give it."""
    cell, siblings, role = lock_unit(_segment_id(segment), user)
    if revision.segment_id != cell.id:
        raise InputError(f"revision {revision.id} is not one of this segment's", field="revision")
    role = require_role(role, cell.language)
    reviewer = role == MemberRole.REVIEWER
    status = None
    if revision.text:
        status = SegmentStatus.DRAFT
        if revision.status in (SegmentStatus.TRANSLATED, SegmentStatus.REVIEWED):
            status = revision.status if reviewer else SegmentStatus.TRANSLATED
    return _save(
        cell,
        siblings,
        revision.text,
        base_version=base_version,
        user=user,
        reviewer=reviewer,
        confirm=False,
        status=status,
        reason=RevisionReason.REVERT,
    )


def segment_history(segment: Segment, limit: int | None = None) -> list[Revision]:
    """A segment's revisions, newest first (the ``limit`` newest), with their authors."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.segment_id == segment.id)
            .options(joinedload(Revision.author))
            .order_by(Revision.id.desc())
            .limit(limit)
        )
    )
