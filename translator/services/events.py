"""The live events of a change: recorded by the services in the unit of work, published
by one after-commit hook.

A service that changes what open editors show (a save, a comment, a change of rows)
calls one of the ``record_*`` functions in the same transaction; the events wait in the
session and are published (``services.live``) only once that transaction commits, by
whichever boundary commits it: a request, a task, a CLI command. A rolled-back change
publishes nothing; views and tasks never build event payloads.

Payloads: ``segment`` ``{"segment": {...}, "siblings": [{"id", "language", "outdated"}],
"by": {"id", "name"}, "confirmed": bool}``; ``comments`` ``{"unit", "count"}``;
``structure`` ``{"unit", "index"}`` (docs/api.md). After a commit with ``segment`` or
``structure`` events, or one that changed an assignment, the coordinators' channel
(``live.COORDINATION``) gets one ``progress`` event ``{"document": id}`` per document,
for the dashboard.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from translator.extensions import db
from translator.models import Assignment, Comment, User
from translator.services.live import COORDINATION, publish
from translator.text.inline import display_html, editable_text

PENDING = "translator.live_events"
ASSIGNED = "translator.assignments_changed"  # documents whose assignments changed
_PROGRESS_EVENTS = frozenset({"segment", "structure"})  # changes of cells: of the counters
log = logging.getLogger(__name__)
Event = tuple[int, str, dict[str, Any]]


class SegmentLike(Protocol):
    """What a segment payload reads (a Segment row or a save's LockedSegment)."""

    id: int
    unit_id: int
    text: str
    outdated: bool
    version: int

    @property
    def language(self) -> str: ...

    @property
    def status(self) -> Any: ...


def text_json(stored: str) -> dict[str, str]:
    """A stored text in its two forms: ``text`` (editable, what a textarea shows) and
    ``html`` (sanitized, to display)."""
    return {"text": editable_text(stored), "html": display_html(stored)}


def segment_json(segment: SegmentLike, *, suggestions: int | None = None) -> dict[str, Any]:
    """A segment as the API and the live events show it."""
    data: dict[str, Any] = {
        "id": segment.id,
        "unit": segment.unit_id,
        "language": segment.language,
        **text_json(segment.text),
        "status": str(segment.status),
        "outdated": segment.outdated,
        "version": segment.version,
    }
    if suggestions is not None:
        data["suggestions"] = suggestions
    return data


def user_json(user: User | None) -> dict[str, Any] | None:
    """Who did something, as events and the API name them."""
    return None if user is None else {"id": user.id, "name": user.name}


def record(document_id: int, name: str, data: dict[str, Any]) -> None:
    """Publish ``name`` with ``data`` to the document's open pages once the current
    transaction commits (never if it rolls back)."""
    db.session.info.setdefault(PENDING, []).append((document_id, name, data))


def record_segment_saved(
    segment: SegmentLike,
    siblings: Iterable[SegmentLike],
    *,
    by: User,
    confirmed: bool,
    document_id: int,
) -> None:
    """A segment's text, status or flags changed (and those of ``siblings``)."""
    record(
        document_id,
        "segment",
        {
            "segment": segment_json(segment),
            "siblings": [
                {"id": s.id, "language": s.language, "outdated": s.outdated} for s in siblings
            ],
            "by": user_json(by),
            "confirmed": confirmed,
        },
    )


def record_comments_changed(document_id: int, unit_id: int) -> None:
    """A unit's thread changed: its open comment count."""
    count = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.unit_id == unit_id, Comment.resolved.is_(False)
        )
    )
    record(document_id, "comments", {"unit": unit_id, "count": int(count or 0)})


def record_structure_changed(document_id: int, unit_id: int | None = None) -> None:
    """The document's rows changed (merged, split, moved, inserted, realigned, undone, an
    edition added): open pages reload, near ``unit_id``."""
    from translator.services.units import unit_position  # units -> comments -> events

    index = unit_position(document_id, unit_id) if unit_id is not None else 0
    record(document_id, "structure", {"unit": unit_id, "index": index})


def pending_events() -> list[Event]:
    """The events waiting for the current transaction to commit (for tests)."""
    events: list[Event] = db.session.info.get(PENDING, [])
    return list(events)


@event.listens_for(Session, "before_flush")
def _note_assignments(session: Session, context: Any, instances: Any) -> None:
    """An assignment created or changed: the dashboard's assignees and due dates."""
    for changed in (*session.new, *session.dirty):
        if isinstance(changed, Assignment) and changed.document_id is not None:
            session.info.setdefault(ASSIGNED, set()).add(changed.document_id)


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    events: list[Event] = session.info.pop(PENDING, [])
    assigned: set[int] = session.info.pop(ASSIGNED, set())
    if not events and not assigned:
        return
    for document_id, name, data in events:
        try:
            publish(document_id, name, data)
        except Exception:  # the change is committed: a lost event is logged, never raised
            log.warning(
                "live event %r of document %s was not sent", name, document_id, exc_info=True
            )
    changed = sorted({d for d, name, _ in events if name in _PROGRESS_EVENTS} | assigned)
    for document_id in changed:
        try:
            publish(COORDINATION, "progress", {"document": document_id})
        except Exception:
            log.warning("progress of document %s was not sent", document_id, exc_info=True)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested:  # a savepoint rolled back leaves the outer work pending
        session.info.pop(PENDING, None)
        session.info.pop(ASSIGNED, None)
