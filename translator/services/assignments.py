"""Assignments: work on an edition given to a person, to translate or to review, over
the whole edition or a range of its units; splitting an edition among several people by
equal word counts at paragraph boundaries; reassigning, changing, closing. Every change
writes an ``AssignmentEvent`` (the activity log) in the same flush.

Words are the original's (``services.progress``): an empty cell has none of its own.
``words_left`` counts the words of the units not translated yet (empty or draft) for a
translation, not reviewed yet for a review. The figures of any number of assignments
come from ``services.assignment_figures``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import (
    LANGUAGE_ROLES,
    Assignment,
    AssignmentAction,
    AssignmentEvent,
    AssignmentKind,
    AssignmentState,
    Document,
    Edition,
    MemberRole,
    Segment,
    Unit,
    User,
)
from translator.services.members import membership_role, set_member
from translator.services.notification_causes import notify_assigned

MAX_NOTE = 2000
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_kind(value: str) -> AssignmentKind:
    try:
        return AssignmentKind(str(value).strip())
    except ValueError:
        raise InputError(f"unknown kind {value!r} (translate or review)", field="kind") from None


def parse_due(value: str | date | None) -> date | None:
    """A due date from ``YYYY-MM-DD`` (empty: none)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", field="due") from None


def parse_units(text: str | None) -> tuple[int, int] | None:
    """``"1-120"`` (or ``"7"``) → (1, 120): positions of units, from 1; empty: all."""
    if text is None or not str(text).strip():
        return None
    match = _RANGE.match(str(text))
    if not match:
        raise InputError(f"{text!r} is not a range of units such as 1-120", field="units")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first:
        raise InputError(f"the range {text!r} is empty or starts before 1", field="units")
    return first, last


def units_at(document: Document, first: int, last: int) -> tuple[int, int]:
    """The ids of the units at positions ``first`` and ``last`` (from 1) of the document."""
    total = db.session.scalar(select(func.count(Unit.id)).where(Unit.document_id == document.id))
    if not total or last > int(total):
        raise InputError(f"the document has {total or 0} units, not {last}", field="units")
    ordered = select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
    first_id = db.session.scalar(ordered.offset(first - 1).limit(1))
    last_id = db.session.scalar(ordered.offset(last - 1).limit(1))
    assert first_id is not None and last_id is not None
    return first_id, last_id


def _edition(document: Document, language: str) -> Edition:
    edition = document.edition(language)
    if edition is None:
        raise InputError(f"the document has no {language!r} edition", field="language")
    return edition


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters", field="note")
    return note


def _make_member(document: Document, language: str, user: User, kind: AssignmentKind) -> None:
    """An assignee is (or becomes) a translator or reviewer of that language; a review
    needs a reviewer (a translator is promoted)."""
    if not user.active:
        raise InputError(f"{user.email} is deactivated", field="user")
    role = membership_role(user, document.id, language)
    if role is MemberRole.REVIEWER or (role in LANGUAGE_ROLES and kind is AssignmentKind.TRANSLATE):
        return
    wanted = MemberRole.REVIEWER if kind is AssignmentKind.REVIEW else MemberRole.TRANSLATOR
    set_member(document, user, language, wanted)


def _log(
    assignment: Assignment, action: AssignmentAction, by: User | None, detail: str = ""
) -> None:
    db.session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            action=action,
            actor_id=by.id if by is not None else None,
            user_id=assignment.user_id,
            detail=detail[:500],
        )
    )


def _check_range(document: Document, first_unit_id: int | None, last_unit_id: int | None) -> None:
    ids = {u for u in (first_unit_id, last_unit_id) if u is not None}
    if not ids:
        return
    keys = dict(
        db.session.execute(
            select(Unit.id, Unit.order_key).where(Unit.id.in_(ids), Unit.document_id == document.id)
        ).all()
    )
    for name, unit_id in (("first_unit", first_unit_id), ("last_unit", last_unit_id)):
        if unit_id is not None and unit_id not in keys:
            raise InputError(f"the document has no unit {unit_id}", field=name)
    both = first_unit_id is not None and last_unit_id is not None
    if both and keys[first_unit_id] > keys[last_unit_id]:  # type: ignore[index]
        raise InputError("the first unit comes after the last one", field="units")


def assign(
    document: Document,
    language: str,
    user: User,
    kind: AssignmentKind,
    *,
    first_unit_id: int | None = None,
    last_unit_id: int | None = None,
    due: date | None = None,
    note: str = "",
    by: User | None = None,
) -> Assignment:
    """Give ``user`` the units ``first_unit_id``..``last_unit_id`` of the ``language``
    edition (None: from the start, to the end) to translate or review."""
    edition = _edition(document, language)
    _check_range(document, first_unit_id, last_unit_id)
    _make_member(document, language, user, kind)
    assignment = Assignment(
        document_id=document.id,
        edition_id=edition.id,
        user_id=user.id,
        kind=kind,
        first_unit_id=first_unit_id,
        last_unit_id=last_unit_id,
        due=due,
        note=_check_note(note),
        state=AssignmentState.OPEN,
        created_by=by.id if by is not None else None,
    )
    db.session.add(assignment)
    db.session.flush()
    _log(assignment, AssignmentAction.CREATED, by, user.email)
    db.session.flush()
    notify_assigned(assignment, by=by)
    return assignment


def paragraph_words(document: Document) -> list[tuple[int, int, int]]:
    """(first unit id, last unit id, original words) of each paragraph, in order."""
    original = aliased(Segment)
    rows = db.session.execute(
        select(Unit.id, Unit.paragraph_key, func.coalesce(original.words, 0))
        .outerjoin(
            original,
            and_(
                original.unit_id == Unit.id,
                original.edition_id == document.original_edition_id,
            ),
        )
        .where(Unit.document_id == document.id)
        .order_by(Unit.order_key)
    ).all()
    paragraphs: list[list[int]] = []
    previous: int | None = None
    for unit_id, key, words in rows:
        if not paragraphs or key != previous:
            paragraphs.append([unit_id, unit_id, 0])
        paragraphs[-1][1] = unit_id
        paragraphs[-1][2] += int(words)
        previous = key
    return [(a, b, w) for a, b, w in paragraphs]


def split_points(words: Sequence[int], parts: int) -> list[int]:
    """Where to cut a sequence of paragraphs of ``words`` into ``parts`` runs of equal
    words: the index (exclusive end) of each run; every run has one paragraph at least.
    Each cut falls at the paragraph end nearest to its share of the total."""
    if parts < 1 or parts > len(words):
        raise InputError(
            f"cannot split {len(words)} paragraphs among {parts} people", field="among"
        )
    total = sum(words)
    running = [0]
    for count in words:
        running.append(running[-1] + count)
    ends: list[int] = []
    start = 0
    for part in range(1, parts):
        target = total * part / parts
        low, high = start + 1, len(words) - (parts - part)  # leave a paragraph for the rest
        best = min(range(low, high + 1), key=lambda i: (abs(running[i] - target), i))
        ends.append(best)
        start = best
    ends.append(len(words))
    return ends


def split_edition(
    document: Document,
    language: str,
    users: Sequence[User],
    kind: AssignmentKind,
    *,
    due: date | None = None,
    note: str = "",
    by: User | None = None,
) -> list[Assignment]:
    """One assignment per person, in order, over runs of whole paragraphs with (as
    nearly as paragraphs allow) the same number of the original's words."""
    if not users:
        raise InputError("name at least one person", field="among")
    if len({u.id for u in users}) != len(users):
        raise InputError("a person is named twice", field="among")
    _edition(document, language)
    paragraphs = paragraph_words(document)
    ends = split_points([w for _, _, w in paragraphs], len(users))
    made = []
    start = 0
    for user, end in zip(users, ends, strict=True):
        made.append(
            assign(
                document,
                language,
                user,
                kind,
                first_unit_id=paragraphs[start][0],
                last_unit_id=paragraphs[end - 1][1],
                due=due,
                note=note,
                by=by,
            )
        )
        start = end
    return made


def get_assignment(document: Document, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.document_id != document.id:
        raise NotFound(f"no assignment {assignment_id} in this document", field="assignment")
    return assignment


def update_assignment(
    assignment: Assignment,
    *,
    user: User | None = None,
    due: date | Any | None = ...,
    note: str | None = None,
    by: User | None = None,
) -> Assignment:
    """Reassign to ``user``, change the due date (None: no date) or the note; each
    change is logged."""
    if user is not None and user.id != assignment.user_id:
        _make_member(assignment.document, assignment.edition.language, user, assignment.kind)
        before = assignment.user.email
        assignment.user_id = user.id
        db.session.flush()
        db.session.refresh(assignment, ["user"])
        _log(assignment, AssignmentAction.REASSIGNED, by, f"{before} → {user.email}")
        notify_assigned(assignment, by=by)
    if due is not ... and due != assignment.due:
        old = assignment.due.isoformat() if assignment.due else "—"
        assignment.due = due
        new = due.isoformat() if due else "—"
        _log(assignment, AssignmentAction.DUE_CHANGED, by, f"{old} → {new}")
    if note is not None and (note := _check_note(note)) != assignment.note:
        assignment.note = note
        _log(assignment, AssignmentAction.NOTE_CHANGED, by)
    db.session.flush()
    return assignment


def close_assignment(assignment: Assignment, *, by: User | None = None) -> Assignment:
    """Close an open assignment (closing a closed one changes nothing)."""
    if assignment.state is AssignmentState.OPEN:
        assignment.state = AssignmentState.CLOSED
        _log(assignment, AssignmentAction.CLOSED, by)
        db.session.flush()
    return assignment


def reopen_assignment(assignment: Assignment, *, by: User | None = None) -> Assignment:
    if assignment.state is AssignmentState.CLOSED:
        assignment.state = AssignmentState.OPEN
        _log(assignment, AssignmentAction.REOPENED, by)
        db.session.flush()
    return assignment


def assignment_events(assignment_ids: Iterable[int]) -> dict[int, list[AssignmentEvent]]:
    ids = list(assignment_ids)
    found: dict[int, list[AssignmentEvent]] = {i: [] for i in ids}
    if ids:
        for event in db.session.scalars(
            select(AssignmentEvent)
            .where(AssignmentEvent.assignment_id.in_(ids))
            .order_by(AssignmentEvent.id)
        ):
            found[event.assignment_id].append(event)
    return found


def list_assignments(
    *,
    document_id: int | None = None,
    user_id: int | None = None,
    states: Iterable[AssignmentState] = (AssignmentState.OPEN,),
    visible: Any = None,
) -> list[Assignment]:
    """Assignments of a document or of a person, soonest due first (no date last), with
    their document, edition and person loaded; ``visible``: a condition on ``Document``
    (``services.rights.visible_documents``) the documents must meet."""
    query = (
        select(Assignment)
        .join(Document, Document.id == Assignment.document_id)
        .options(
            contains_eager(Assignment.document),
            joinedload(Assignment.edition),
            joinedload(Assignment.user),
        )
        .where(Assignment.state.in_(list(states)))
    )
    if visible is not None:
        query = query.where(visible)
    if document_id is not None:
        query = query.where(Assignment.document_id == document_id)
    if user_id is not None:
        query = query.where(Assignment.user_id == user_id)
    query = query.order_by(Assignment.due.is_(None), Assignment.due, Assignment.id)
    return list(db.session.scalars(query))
