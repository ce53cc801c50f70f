"""What makes a notification, change by change: each service that causes one calls its
function here in the same unit of work (``notify`` in ``services.notifications`` makes
it once, and it is sent after the commit). Work assigned (``notify_assigned``), a
comment that names someone (``notify_mentions``), a reviewer replacing or sending back
someone's text (``notify_text_replaced``, with ``last_author`` to find whose), a
release published (``notify_release_published``). The payload carries what the
wording needs (``services.notification_text``), so a notification reads the same
after its document changed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentKind,
    Document,
    NotificationKind,
    Revision,
    User,
)
from translator.models._types import utcnow
from translator.services.members import member_ids
from translator.services.notifications import notify
from translator.services.rights import Right, Target, has_right

MAX_EXCERPT = 200
_MENTION = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _document_payload(document: Document) -> dict[str, Any]:
    return {"title": document.title, "slug": document.slug}


def _actor_payload(actor: User | None) -> dict[str, Any]:
    return {"actor": actor.name if actor is not None else ""}


def notify_assigned(assignment: Assignment, *, by: User | None) -> int | None:
    """The assignee is told of work given to them (again after a reassignment)."""
    document = assignment.document
    return notify(
        assignment.user_id,
        NotificationKind.ASSIGNED,
        subject=f"a{assignment.id}:{assignment.user_id}",
        actor_id=by.id if by is not None else None,
        document_id=document.id,
        assignment_id=assignment.id,
        payload={
            **_document_payload(document),
            **_actor_payload(by),
            "language": assignment.edition.language,
            "review": assignment.kind is AssignmentKind.REVIEW,
            "due": assignment.due.isoformat() if assignment.due else None,
            "path": f"/documents/{document.slug}/edit?assignment={assignment.id}",
        },
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1] + "…"


def mentioned_users(document_id: int, body: str) -> list[User]:
    """The people a comment names with ``@e-mail`` or ``@name`` (the display name without
    spaces, or the e-mail's local part when only one such person is found) among those
    who may see the document; nobody else is told anything."""
    tokens = {m.rstrip(".").lower() for m in _MENTION.findall(body)}
    if not tokens:
        return []
    members = member_ids(document_id)
    candidates = db.session.scalars(
        select(User).where(
            User.active.is_(True),
            User.id.in_(members) | User.is_admin.is_(True) | User.is_coordinator.is_(True),
        )
    ).all()
    found: dict[int, User] = {}
    for token in tokens:
        exact = [
            u
            for u in candidates
            if token in (u.email.lower(), "".join(u.display_name.split()).lower())
        ]
        local = [u for u in candidates if u.email.lower().partition("@")[0] == token]
        for user in exact or (local if len(local) == 1 else []):
            found[user.id] = user
    target = Target(document_id=document_id)
    return [u for u in found.values() if has_right(u, Right.VIEW_DOCUMENT, target)]


def notify_mentions(
    document: Document, unit_id: int | None, comment_id: int, body: str, *, by: User
) -> list[int]:
    """Tell everyone a comment names (``@...``) that they were mentioned."""
    made = []
    for user in mentioned_users(document.id, body):
        new_id = notify(
            user.id,
            NotificationKind.MENTION,
            subject=f"c{comment_id}",
            actor_id=by.id,
            document_id=document.id,
            unit_id=unit_id,
            payload={
                **_document_payload(document),
                **_actor_payload(by),
                "excerpt": _excerpt(body),
                "path": f"/documents/{document.slug}/edit",
            },
        )
        if new_id is not None:
            made.append(new_id)
    return made


def last_author(segment_id: int) -> int | None:
    """Who wrote the segment's current text (its latest revision's author)."""
    author: int | None = db.session.scalar(
        select(Revision.author_id)
        .where(Revision.segment_id == segment_id)
        .order_by(Revision.id.desc())
        .limit(1)
    )
    return author


def last_authors(segment_ids: Iterable[int]) -> dict[int, int | None]:
    """``last_author`` of many segments in one query (segment id → author id)."""
    ids = list(segment_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(Revision.id))
        .where(Revision.segment_id.in_(ids))
        .group_by(Revision.segment_id)
    )
    rows = db.session.execute(
        select(Revision.segment_id, Revision.author_id).where(Revision.id.in_(latest))
    )
    return {segment_id: author_id for segment_id, author_id in rows if segment_id is not None}


def notify_text_replaced(
    author_id: int | None,
    *,
    segment_id: int,
    unit_id: int,
    document_id: int,
    language: str,
    by: User,
    rejected: str | None = None,
) -> int | None:
    """Tell ``author_id`` that a reviewer replaced their text (or, with ``rejected``,
    the reason, sent it back). Once per segment and day: an autosaving reviewer makes
    one notification, not one per keystroke."""
    if author_id is None:
        return None
    document = db.session.get(Document, document_id)
    if document is None:
        return None
    day = utcnow().date().isoformat()
    payload = {
        **_document_payload(document),
        **_actor_payload(by),
        "language": language,
        "path": f"/documents/{document.slug}/edit",
    }
    if rejected is not None:
        payload["rejected"] = _excerpt(rejected)
    return notify(
        author_id,
        NotificationKind.REPLACED,
        subject=f"s{segment_id}:{'rejected' if rejected is not None else 'replaced'}:{day}",
        actor_id=by.id,
        document_id=document_id,
        unit_id=unit_id,
        payload=payload,
    )


def notify_release_published(document: Document, version: str | int, user: User | None) -> int:
    """Tell every member of the document (and no one who cannot see it) that ``user``
    published its release ``version``. For the releases' service to call in the unit
    of work that records the release. Returns how many were told."""
    members = set(db.session.scalars(member_ids(document.id)))
    told = 0
    for user_id in sorted(members):
        made = notify(
            user_id,
            NotificationKind.RELEASE,
            subject=f"d{document.id}:v{version}",
            actor_id=user.id if user is not None else None,
            document_id=document.id,
            payload={
                **_document_payload(document),
                **_actor_payload(user),
                "version": str(version),
                "path": f"/documents/{document.slug}",
            },
        )
        told += made is not None
    return told
