"""Suggestions on a segment: texts offered without being written (proposals by anyone
signed in, and the conflicts a stale save leaves, see ``services.editing``), accepted
into the segment or rejected by someone who may edit it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import (
    RevisionReason,
    Segment,
    Suggestion,
    SuggestionKind,
    SuggestionState,
    User,
)
from translator.models._types import utcnow
from translator.services.editing import SaveResult, save_segment
from translator.services.members import check_can_edit
from translator.services.segments import check_length


def propose_text(segment: Segment, text: str, *, user: User) -> Suggestion:
    """Offer a text for a segment without writing it (anyone signed in may)."""
    if not text.strip():
        raise InputError("a suggestion needs some text", field="text")
    check_length(text)
    suggestion = Suggestion(
        segment_id=segment.id,
        edition_id=segment.edition_id,
        unit_id=segment.unit_id,
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
    if suggestion.state != SuggestionState.OPEN:
        raise InputError(f"suggestion {suggestion.id} is already {suggestion.state}")
    result = save_segment(
        _segment_of(suggestion),
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
    segment = db.session.get(Segment, _segment_of(suggestion))
    if segment is None:
        raise NotFound(f"the segment of suggestion {suggestion.id} is gone", field="suggestion")
    check_can_edit(user, segment.edition.document_id, segment.edition.language)
    if suggestion.state == SuggestionState.OPEN:
        _resolve(suggestion, SuggestionState.REJECTED, user)
    return suggestion


def _segment_of(suggestion: Suggestion) -> int:
    """The segment a suggestion is for (structure changes keep it on its text's segment)."""
    if suggestion.segment_id is None:
        raise NotFound(f"the segment of suggestion {suggestion.id} is gone", field="suggestion")
    return suggestion.segment_id


def _resolve(suggestion: Suggestion, state: SuggestionState, user: User) -> None:
    suggestion.state = state
    suggestion.resolved_by_id = user.id
    suggestion.resolved_at = utcnow()
    db.session.flush()


def list_suggestions(segment: Segment, limit: int | None = None) -> list[Suggestion]:
    """A segment's suggestions, open ones first, newest first (the first ``limit``)."""
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.segment_id == segment.id)
            .options(joinedload(Suggestion.author))
            .order_by(Suggestion.state != SuggestionState.OPEN, Suggestion.id.desc())
            .limit(limit)
        )
    )
