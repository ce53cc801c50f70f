"""Comments: one thread per unit, seen from every language's cell, with resolve."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from translator.errors import Forbidden, InputError
from translator.extensions import db
from translator.models import Comment, Edition, Segment, Unit, User
from translator.models._types import utcnow

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
    return comment


def unit_comments(unit_id: int) -> list[Comment]:
    """The unit's thread, oldest first, with authors."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.unit_id == unit_id)
            .options(joinedload(Comment.author))
            .order_by(Comment.id)
        )
    )


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


def comments_of(unit_ids: list[int]) -> list[int]:
    """Ids of the comments on these units (to re-attach them after a layout change)."""
    if not unit_ids:
        return []
    return list(db.session.scalars(select(Comment.id).where(Comment.unit_id.in_(unit_ids))))


def attach_comments(comment_ids: list[int], unit_id: int) -> None:
    """Move comments to another unit (the one that replaced theirs)."""
    if comment_ids:
        db.session.execute(
            Comment.__table__.update()
            .where(Comment.__table__.c.id.in_(comment_ids))
            .values(unit_id=unit_id)
        )


# --- Keeping threads on their text when the whole layout is rebuilt ------------------

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a comment's unit began in one edition's text: ``offset`` non-space
    characters from the start (sentence regrouping and joining do not move it)."""

    comment_id: int
    edition_id: int
    offset: int


Spans = dict[int, list[tuple[int, int]]]  # edition id -> (start, unit id), reading order


def _spans(document_id: int) -> Spans:
    rows = db.session.execute(
        select(Segment.edition_id, Segment.unit_id, Segment.text)
        .join(Unit, Unit.id == Segment.unit_id)
        .where(Unit.document_id == document_id, Segment.text != "")
        .order_by(Unit.order_key)
    )
    spans: Spans = {}
    ends: dict[int, int] = {}
    for edition_id, unit_id, text in rows:
        start = ends.get(edition_id, 0)
        spans.setdefault(edition_id, []).append((start, unit_id))
        ends[edition_id] = start + len(_SPACE.sub("", text))
    return spans


def anchor_comments(document_id: int) -> list[Anchor]:
    """Anchor the document's unit threads in the text before its units are rebuilt
    (a realignment): in the comment's language when its cell had text, else in the
    first edition that had."""
    comments = db.session.execute(
        select(Comment.id, Comment.unit_id, Comment.language).where(
            Comment.document_id == document_id, Comment.unit_id.is_not(None)
        )
    ).all()
    if not comments:
        return []
    editions: dict[str, int] = {
        language: edition_id
        for language, edition_id in db.session.execute(
            select(Edition.language, Edition.id)
            .where(Edition.document_id == document_id)
            .order_by(Edition.id)
        )
    }
    starts: dict[tuple[int | None, int], int] = {}  # (unit, edition) -> offset
    for edition_id, spans in _spans(document_id).items():
        for start, unit_id in spans:
            starts[(unit_id, edition_id)] = start
    anchors = []
    for comment_id, commented, language in comments:
        preferred = [editions[language]] if language in editions else []
        for edition_id in [*preferred, *editions.values()]:
            if (commented, edition_id) in starts:
                anchors.append(Anchor(comment_id, edition_id, starts[(commented, edition_id)]))
                break
    return anchors


def reattach_comments(document_id: int, anchors: list[Anchor]) -> None:
    """After the units were rebuilt: put each anchored thread on the unit that now holds
    the text where its old unit began (a thread whose text is gone stays detached)."""
    if not anchors:
        return
    spans = _spans(document_id)
    moves: dict[int, list[int]] = {}
    for anchor in anchors:
        edition_spans = spans.get(anchor.edition_id)
        if not edition_spans:
            continue
        index = bisect.bisect_right(edition_spans, (anchor.offset, float("inf"))) - 1
        unit_id = edition_spans[max(index, 0)][1]
        moves.setdefault(unit_id, []).append(anchor.comment_id)
    for unit_id, comment_ids in moves.items():
        attach_comments(comment_ids, unit_id)
