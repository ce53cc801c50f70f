"""Editing a segment: saves with optimistic locking, confirmation, revert, and keeping
the editions of a unit in step.

Keeping in step. ``Segment.sibling_hashes`` maps each sibling language to the content
hash of that sibling's text when this segment was last checked against it (confirmed,
aligned, or written to follow it). A segment is *outdated* when a sibling's text no
longer has the recorded hash, so the flag is derived: editing French back to what it was
clears the flags it raised. Three rules decide the records:

1. Confirming a segment records every sibling's current hash on it: it is in step.
2. A sibling that has no record of the confirmed segment yet (it was empty, or is the
   text this one was translated from) records it too: from now on it follows it.
3. A segment that was behind a sibling and is being edited is catching up, not leading:
   that sibling records the new text instead of being flagged (no ping-pong between two
   editions that follow each other).

Every save first locks the unit's segments (in id order) so that concurrent saves in one
unit are serialized; sibling records are written without bumping the siblings' versions,
so a translator typing in English never gets a conflict because French was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import attributes, joinedload
from sqlalchemy.orm.util import identity_key

from translator.errors import Forbidden, InputError
from translator.extensions import db
from translator.models import (
    Edition,
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
from translator.models._types import utcnow
from translator.services.members import check_can_edit, is_reviewer
from translator.services.segments import content_hash, write_segment

MAX_SEGMENT_LENGTH = 20_000


@dataclass(slots=True)
class SaveResult:
    """What a save did. ``saved`` is False when the version had moved on and the text
    differed: the text is then kept as ``suggestion`` and the segment is untouched."""

    segment: Segment
    saved: bool
    changed: bool = False
    confirmed: bool = False
    suggestion: Suggestion | None = None
    siblings: list[Segment] = field(default_factory=list)


def _lock_unit(segment: Segment) -> list[Segment]:
    """Lock and reload every segment of the unit (id order: no deadlock between two
    saves in one unit); returns the siblings, the segment itself refreshed."""
    rows = db.session.scalars(
        select(Segment)
        .where(Segment.unit_id == segment.unit_id)
        .order_by(Segment.id)
        .options(joinedload(Segment.edition))
        .with_for_update(of=Segment)
        .execution_options(populate_existing=True)
    ).unique()
    return [row for row in rows if row.id != segment.id]


def _is_behind(segment: Segment, sibling: Segment) -> bool:
    recorded = (segment.sibling_hashes or {}).get(sibling.edition.language)
    return recorded is not None and recorded != sibling.content_hash


def _is_outdated(recorded: Mapping[str, str], current: Mapping[str, str]) -> bool:
    """The rule: some sibling's current text no longer has the hash recorded for it
    (``current``: language → hash of the siblings' texts now)."""
    return any(lang in current and current[lang] != hashed for lang, hashed in recorded.items())


def _outdated(hashes: dict[str, Any], siblings: list[Segment]) -> bool:
    return _is_outdated(hashes, {s.edition.language: s.content_hash for s in siblings})


def _check_length(text: str) -> None:
    if len(text) > MAX_SEGMENT_LENGTH:
        raise InputError(f"a segment holds at most {MAX_SEGMENT_LENGTH} characters", field="text")


def _target_status(
    segment: Segment, text: str, *, reviewer: bool, confirm: bool, status: SegmentStatus | None
) -> SegmentStatus:
    if not text:
        return SegmentStatus.EMPTY
    if status is not None:
        if status == SegmentStatus.EMPTY:
            raise InputError("a segment with text cannot be empty", field="status")
        if status == SegmentStatus.REVIEWED and not reviewer and not _was_reviewed(segment, text):
            raise Forbidden("only a reviewer of this language may mark a segment reviewed")
        return status
    if confirm:
        return SegmentStatus.REVIEWED if reviewer else SegmentStatus.TRANSLATED
    return SegmentStatus.DRAFT


def _was_reviewed(segment: Segment, text: str) -> bool:
    """Whether ``text`` is what a reviewer last approved for this segment: anyone may put
    it back (Esc after an autosave restores the text and status the cell had)."""
    latest = db.session.scalar(
        select(Revision.text)
        .where(Revision.segment_id == segment.id, Revision.status == SegmentStatus.REVIEWED)
        .order_by(Revision.id.desc())
        .limit(1)
    )
    return latest is not None and latest == text


def _keep_as_suggestion(segment: Segment, text: str, base_version: int, user: User) -> Suggestion:
    """A stale save: keep the text (once, however often the client retries it)."""
    existing: Suggestion | None = db.session.scalar(
        select(Suggestion).where(
            Suggestion.segment_id == segment.id,
            Suggestion.author_id == user.id,
            Suggestion.state == SuggestionState.OPEN,
            Suggestion.text == text,
        )
    )
    if existing is not None:
        return existing
    suggestion = Suggestion(
        segment_id=segment.id,
        text=text,
        base_version=base_version,
        kind=SuggestionKind.CONFLICT,
        author_id=user.id,
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def save_segment(
    segment: Segment,
    text: str,
    *,
    base_version: int,
    user: User,
    confirm: bool = False,
    status: SegmentStatus | None = None,
    reason: RevisionReason = RevisionReason.EDIT,
) -> SaveResult:
    """Write ``text`` (stored form) to ``segment`` if ``base_version`` is still its
    version, with a revision; otherwise keep it as a conflict suggestion (unless it is
    the text already there). ``confirm`` marks it translated (reviewed for a reviewer)
    and in step with its siblings; else it is a draft. Siblings are re-flagged."""
    role = check_can_edit(user, segment.edition.document_id, segment.edition.language)
    _check_length(text)
    siblings = _lock_unit(segment)
    reviewer = role == MemberRole.REVIEWER
    target = _target_status(segment, text, reviewer=reviewer, confirm=confirm, status=status)
    if base_version != segment.version and text != segment.text:
        suggestion = _keep_as_suggestion(segment, text, base_version, user)
        return SaveResult(segment, saved=False, suggestion=suggestion)

    confirmed = confirm or (status is not None and status != SegmentStatus.DRAFT)
    behind = [s for s in siblings if _is_behind(segment, s)]
    new_hash = content_hash(text)
    hashes = dict(segment.sibling_hashes or {})
    if confirmed:
        hashes = {s.edition.language: s.content_hash for s in siblings if s.text}
    outdated = _outdated(hashes, siblings)
    text_changed = text != segment.text
    if hashes != (segment.sibling_hashes or {}) or outdated != segment.outdated:
        segment.sibling_hashes = hashes
        segment.outdated = outdated
    changed = text_changed or target != segment.status
    if changed:
        write_segment(segment, text, target, reason=reason, author_id=user.id)
    else:
        db.session.flush()
    touched = _follow(segment, new_hash, siblings, behind=behind, confirmed=confirmed)
    return SaveResult(segment, saved=True, changed=changed, confirmed=confirmed, siblings=touched)


def _follow(
    segment: Segment,
    new_hash: str,
    siblings: list[Segment],
    *,
    behind: list[Segment],
    confirmed: bool,
) -> list[Segment]:
    """Update the siblings' records of ``segment`` (rules 2 and 3) and their flags,
    without bumping their versions. Returns the siblings whose row changed."""
    language = segment.edition.language
    everyone = [*siblings, segment]
    touched = []
    for sibling in siblings:
        if not sibling.text:
            continue
        hashes = dict(sibling.sibling_hashes or {})
        if sibling in behind or (confirmed and language not in hashes):
            hashes[language] = new_hash
        others = [s for s in everyone if s is not sibling]
        outdated = _outdated(hashes, others)
        if hashes == (sibling.sibling_hashes or {}) and outdated == sibling.outdated:
            continue
        db.session.execute(
            update(Segment.__table__)
            .where(Segment.__table__.c.id == sibling.id)
            .values(sibling_hashes=hashes, outdated=outdated)
        )
        attributes.set_committed_value(sibling, "sibling_hashes", hashes)
        attributes.set_committed_value(sibling, "outdated", outdated)
        touched.append(sibling)
    return touched


def revert_segment(
    segment: Segment, revision: Revision, *, base_version: int, user: User
) -> SaveResult:
    """Put back the text of an earlier revision, as a new revision (reason ``revert``).
    It keeps its confirmed status only when the reverting user may give it."""
    if revision.segment_id != segment.id:
        raise InputError(f"revision {revision.id} is not one of this segment's", field="revision")
    status = SegmentStatus.DRAFT
    if revision.status in (SegmentStatus.TRANSLATED, SegmentStatus.REVIEWED):
        reviewer = is_reviewer(user, segment.edition.document_id, segment.edition.language)
        status = revision.status if reviewer else SegmentStatus.TRANSLATED
    return save_segment(
        segment,
        revision.text,
        base_version=base_version,
        user=user,
        status=status if revision.text else None,
        reason=RevisionReason.REVERT,
    )


def propose_text(segment: Segment, text: str, *, user: User) -> Suggestion:
    """Offer a text for a segment without writing it (anyone signed in may)."""
    if not text.strip():
        raise InputError("a suggestion needs some text", field="text")
    _check_length(text)
    suggestion = Suggestion(
        segment_id=segment.id,
        text=text,
        base_version=segment.version,
        kind=SuggestionKind.PROPOSAL,
        author_id=user.id,
    )
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def accept_suggestion(suggestion: Suggestion, *, base_version: int, user: User) -> SaveResult:
    """Write a suggestion's text to its segment (a draft, reason ``suggestion``)."""
    segment = db.session.get(Segment, suggestion.segment_id)
    assert segment is not None  # the suggestion cascades with its segment
    if suggestion.state != SuggestionState.OPEN:
        raise InputError(f"suggestion {suggestion.id} is already {suggestion.state}")
    result = save_segment(
        segment,
        suggestion.text,
        base_version=base_version,
        user=user,
        reason=RevisionReason.SUGGESTION,
    )
    if result.saved:
        _resolve(suggestion, SuggestionState.ACCEPTED, user)
    return result


def reject_suggestion(suggestion: Suggestion, *, user: User) -> Suggestion:
    """Close a suggestion without using it (it stays listed, as rejected)."""
    segment = db.session.get(Segment, suggestion.segment_id)
    assert segment is not None
    check_can_edit(user, segment.edition.document_id, segment.edition.language)
    if suggestion.state == SuggestionState.OPEN:
        _resolve(suggestion, SuggestionState.REJECTED, user)
    return suggestion


def _resolve(suggestion: Suggestion, state: SuggestionState, user: User) -> None:
    suggestion.state = state
    suggestion.resolved_by_id = user.id
    suggestion.resolved_at = utcnow()
    db.session.flush()


def list_suggestions(segment: Segment) -> list[Suggestion]:
    """A segment's suggestions, open ones first, newest first."""
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.segment_id == segment.id)
            .options(joinedload(Suggestion.author))
            .order_by(Suggestion.state != SuggestionState.OPEN, Suggestion.id.desc())
        )
    )


def segment_history(segment: Segment) -> list[Revision]:
    """A segment's revisions, newest first, with their authors."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.segment_id == segment.id)
            .options(joinedload(Revision.author))
            .order_by(Revision.id.desc())
        )
    )


@dataclass(frozen=True, slots=True)
class SiblingChange:
    """What changed in a sibling since ``segment`` was last checked against it;
    ``before`` is None when that text is no longer in the sibling's history."""

    language: str
    before: str | None
    after: str


def sibling_changes(segment: Segment) -> list[SiblingChange]:
    """For an outdated segment: each sibling whose text moved on since it was checked."""
    recorded = segment.sibling_hashes or {}
    changes = []
    siblings = db.session.scalars(
        select(Segment)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id == segment.unit_id, Segment.id != segment.id)
        .order_by(Edition.language)
    )
    for sibling in siblings:
        language = sibling.edition.language
        if language not in recorded or recorded[language] == sibling.content_hash:
            continue
        before = None
        texts = db.session.scalars(
            select(Revision.text)
            .where(Revision.segment_id == sibling.id)
            .order_by(Revision.id.desc())
        )
        for text in texts:
            if content_hash(text) == recorded[language]:
                before = text
                break
        if before is None and recorded[language] == content_hash(""):
            before = ""
        changes.append(SiblingChange(language, before, sibling.text))
    return changes


def baseline_siblings(unit_ids: list[int]) -> None:
    """Record every segment of these units as in step with its siblings (after an
    alignment or a manual fix, the rows are what someone decided belong together)."""
    if not unit_ids:
        return
    rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.text, Segment.content_hash, Edition.language)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(unit_ids))
    ).all()
    by_unit: dict[int, list[Any]] = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    table = Segment.__table__
    values = []
    for cells in by_unit.values():
        for cell in cells:
            hashes = {o.language: o.content_hash for o in cells if o is not cell and o.text}
            values.append({"b_id": cell.id, "hashes": hashes})
    if values:
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(sibling_hashes=bindparam("hashes"), outdated=False),
            values,
        )


def refresh_outdated(unit_ids: list[int]) -> None:
    """Re-derive ``outdated`` for every segment of these units (``_is_outdated``) after
    a bulk change of text that did not go through ``save_segment``, without bumping
    versions: the changed texts may put their siblings behind, or back in step."""
    if not unit_ids:
        return
    rows = db.session.execute(
        select(
            Segment.id,
            Segment.unit_id,
            Segment.content_hash,
            Segment.sibling_hashes,
            Segment.outdated,
            Edition.language,
        )
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(unit_ids))
    ).all()
    current: dict[int, dict[str, str]] = {}
    for row in rows:
        current.setdefault(row.unit_id, {})[row.language] = row.content_hash
    values: list[dict[str, Any]] = []
    for row in rows:
        siblings = {lang: h for lang, h in current[row.unit_id].items() if lang != row.language}
        outdated = _is_outdated(row.sibling_hashes or {}, siblings)
        if outdated != row.outdated:
            values.append({"b_id": row.id, "b_outdated": outdated})
    if values:
        table = Segment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(outdated=bindparam("b_outdated")),
            values,
        )
        for value in values:
            loaded = db.session.identity_map.get(identity_key(Segment, value["b_id"]))
            if loaded is not None:
                attributes.set_committed_value(loaded, "outdated", value["b_outdated"])
