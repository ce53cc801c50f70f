"""Comments: one thread per unit, seen from every language's cell, with resolve."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from translator.errors import Forbidden, InputError
from translator.extensions import db
from translator.models import Comment, Unit, User
from translator.models._types import utcnow
from translator.services.events import record_comments_changed
from translator.services.notification_causes import notify_mentions

MAX_COMMENT_LENGTH = 10_000


def add_comment(unit: Unit, body: str, *, user: User, language: str | None = None) -> Comment:
    """Append a comment to the unit's thread (``language``: the cell it was written in)."""
    body = body.strip()
    if not body:
        raise InputError("a comment needs some text", field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InputError(f"a comment holds at most {MAX_COMMENT_LENGTH} characters", field="body")
    if language is not None and language not in unit.document.languages:
        raise InputError(f"the document has no {language} edition", field="language")
    comment = Comment(
        document_id=unit.document_id,
        unit_id=unit.id,
        language=language,
        body=body,
        author_id=user.id,
    )
    db.session.add(comment)
    db.session.flush()
    record_comments_changed(unit.document_id, unit.id)
    notify_mentions(unit.document, unit.id, comment.id, body, by=user)
    return comment


def resolve_comment(comment: Comment, *, user: User, resolved: bool = True) -> Comment:
    """Mark a comment resolved (or open it again). Its author or an administrator only
    may reopen; anyone signed in may resolve (the thread is the team's to-do list)."""
    may_reopen = user.is_admin or user.id in (comment.author_id, comment.resolved_by_id)
    if not resolved and comment.resolved and not may_reopen:
        raise Forbidden("only the comment's author or whoever resolved it may reopen it")
    comment.resolved = resolved
    comment.resolved_by_id = user.id if resolved else None
    comment.resolved_at = utcnow() if resolved else None
    db.session.flush()
    if comment.unit_id is not None:
        record_comments_changed(comment.document_id, comment.unit_id)
    return comment


def unit_comments(unit_id: int, limit: int | None = None) -> list[Comment]:
    """The unit's thread (its ``limit`` latest comments), oldest first, with authors."""
    latest = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.unit_id == unit_id)
            .options(joinedload(Comment.author))
            .order_by(Comment.id.desc())
            .limit(limit)
        )
    )
    return latest[::-1]


def open_comment_counts(unit_ids: list[int]) -> dict[int, int]:
    """Unit id → number of open comments (units without any are left out)."""
    if not unit_ids:
        return {}
    rows = db.session.execute(
        select(Comment.unit_id, func.count(Comment.id))
        .where(Comment.unit_id.in_(unit_ids), Comment.resolved.is_(False))
        .group_by(Comment.unit_id)
    )
    return {unit_id: count for unit_id, count in rows if unit_id is not None}
