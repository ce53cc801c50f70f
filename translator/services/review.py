"""A reviewer's verdicts beyond confirming: rejecting a translation with a reason.

A rejection sends the text back to its translator: the segment becomes a draft again
(its text untouched), the history records a revision with the reason ``reject`` by the
reviewer, and the reason is posted in the unit's comment thread, in the segment's
language, where the translator sees it beside the cell. The open pages are told.
"""

from __future__ import annotations

from translator.errors import Conflict, Forbidden, InputError, NotFound
from translator.extensions import db
from translator.models import (
    Comment,
    MemberRole,
    RevisionReason,
    Segment,
    SegmentStatus,
    Unit,
    User,
)
from translator.services.comments import add_comment
from translator.services.events import record_segment_saved
from translator.services.members import language_role
from translator.services.notification_causes import last_author, notify_text_replaced
from translator.services.segments import take_write_lock, write_segment


def reject_segment(
    segment_id: int, reason: str, *, base_version: int, user: User
) -> tuple[Segment, Comment]:
    """Send segment ``segment_id`` back to its translator with ``reason`` (a comment);
    ``base_version`` is the version the reviewer read (Conflict if it moved on: they
    would be rejecting a text they have not seen)."""
    take_write_lock()
    segment = db.session.get(Segment, segment_id, with_for_update=True)
    if segment is None:
        raise NotFound(f"no segment {segment_id}", field="segment")
    edition = segment.edition
    if language_role(user, edition.document_id, edition.language) != MemberRole.REVIEWER:
        raise Forbidden(f"only a reviewer of the {edition.language} edition may reject its text")
    reason = reason.strip()
    if not reason:
        raise InputError("say why the translation is rejected", field="reason")
    if not segment.text.strip():
        raise InputError("an empty segment has nothing to reject", field="segment")
    if segment.version != base_version:
        raise Conflict(
            "this segment changed since you read it; read the new text before rejecting it",
            field="version",
        )
    unit = db.session.get(Unit, segment.unit_id)
    assert unit is not None  # a segment always has its unit
    author_id = last_author(segment.id)
    write_segment(
        segment, segment.text, SegmentStatus.DRAFT, reason=RevisionReason.REJECT, author_id=user.id
    )
    db.session.flush()
    comment = add_comment(unit, reason, user=user, language=edition.language)
    record_segment_saved(segment, [], by=user, confirmed=False, document_id=edition.document_id)
    notify_text_replaced(
        author_id,
        segment_id=segment.id,
        unit_id=unit.id,
        document_id=edition.document_id,
        language=edition.language,
        by=user,
        rejected=reason,
    )
    return segment, comment
