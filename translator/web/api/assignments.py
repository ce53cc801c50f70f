"""Assignments through the API (docs/api.md): a document's list, assigning, splitting an
edition among people, changing and closing one; and the signed-in user's own work."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from translator.errors import InputError
from translator.extensions import db
from translator.models import AssignmentState, User
from translator.services.assignment_figures import Figures, assignment_figures
from translator.services.assignments import (
    assign,
    close_assignment,
    get_assignment,
    list_assignments,
    parse_due,
    parse_kind,
    parse_units,
    split_edition,
    units_at,
    update_assignment,
)
from translator.services.documents import get_document
from translator.services.rights import Right, visible_documents
from translator.services.users import find_person
from translator.web.api import coordination_shapes
from translator.web.api.inputs import AssignBody, AssignmentPatch, AssignmentsQuery, SplitAmongBody
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.assignments.rows import assignment_view
from translator.web.rights import requires

STATES = {
    "open": [AssignmentState.OPEN],
    "closed": [AssignmentState.CLOSED],
    "all": list(AssignmentState),
}


def person(text: str, field: str) -> User:
    """The active user ``text`` names (e-mail or name), else a 400 naming ``field``."""
    user = find_person(text)
    if user is None:
        raise InputError(f"no active user {text!r}", field=field)
    return user


def _answer(assignments: list[Any]) -> Any:
    figures = assignment_figures([a.id for a in assignments])
    answer: coordination_shapes.AssignmentList = {
        "assignments": [_json(a, figures.get(a.id, Figures())) for a in assignments]
    }
    return answer


def _json(assignment: Any, figures: Figures) -> coordination_shapes.AssignmentInfo:
    view = assignment_view(assignment, figures)
    return {
        "id": assignment.id,
        "document": assignment.document.slug,
        "title": assignment.document.title,
        "language": assignment.edition.language,
        "kind": assignment.kind.value,
        "user": {"id": assignment.user.id, "name": view["name"]},
        "email": assignment.user.email,
        "units": view["units"],
        "first_unit": assignment.first_unit_id,
        "last_unit": assignment.last_unit_id,
        "words": figures.words,
        "words_left": figures.words_left,
        "due": assignment.due.isoformat() if assignment.due else None,
        "overdue": view["overdue"],
        "note": assignment.note,
        "state": assignment.state.value,
        "editor": view["editor"],
    }


@bp.get("/documents/<slug>/assignments")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "A document's assignments",
    tag="assignments",
    query=AssignmentsQuery,
    answer=coordination_shapes.AssignmentList,
)
def assignments(slug: str, query: AssignmentsQuery) -> Any:
    """Open ones by default (``state=closed`` or ``all``), soonest due first."""
    document = get_document(slug)
    found = list_assignments(document_id=document.id, states=STATES[query.state])
    return jsonify(_answer(found))


@bp.post("/documents/<slug>/assignments")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Assign an edition, or a range of its units, to a person",
    tag="assignments",
    body=AssignBody,
    status=201,
    answer=coordination_shapes.AssignmentInfo,
)
def create_assignment(slug: str, body: AssignBody) -> Any:
    """The person becomes a translator (a reviewer, for ``review``) of the language if
    they are not one yet. ``units``: positions such as ``1-120`` (default: all)."""
    document = get_document(slug)
    first = last = None
    positions = parse_units(body.units)
    if positions is not None:
        first, last = units_at(document, *positions)
    made = assign(
        document,
        body.language,
        person(body.to, "to"),
        parse_kind(body.kind),
        first_unit_id=first,
        last_unit_id=last,
        due=parse_due(body.due),
        note=body.note,
        by=current_user,
    )
    answer = _json(made, assignment_figures([made.id])[made.id])
    db.session.commit()
    return jsonify(answer), 201


@bp.post("/documents/<slug>/assignments/split")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Split an edition among people by equal word counts",
    tag="assignments",
    body=SplitAmongBody,
    status=201,
    answer=coordination_shapes.AssignmentList,
)
def split_assignments(slug: str, body: SplitAmongBody) -> Any:
    """One assignment per person, in the order given, over runs of whole paragraphs of
    (as nearly as paragraphs allow) equal numbers of the original's words."""
    document = get_document(slug)
    users = [person(text, "among") for text in body.among]
    made = split_edition(
        document,
        body.language,
        users,
        parse_kind(body.kind),
        due=parse_due(body.due),
        note=body.note,
        by=current_user,
    )
    answer = _answer(made)
    db.session.commit()
    return jsonify(answer), 201


@bp.patch("/documents/<slug>/assignments/<int:assignment_id>")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Reassign an assignment, change its due date or note",
    tag="assignments",
    body=AssignmentPatch,
    answer=coordination_shapes.AssignmentInfo,
)
def change_assignment(slug: str, assignment_id: int, body: AssignmentPatch) -> Any:
    """Only the fields sent change (``due: null`` removes the date); each change is in
    the assignment's history."""
    assignment = get_assignment(get_document(slug), assignment_id)
    update_assignment(
        assignment,
        user=person(body.to, "to") if body.to else None,
        due=parse_due(body.due) if "due" in body.model_fields_set else ...,
        note=body.note,
        by=current_user,
    )
    answer = _json(assignment, assignment_figures([assignment.id])[assignment.id])
    db.session.commit()
    return jsonify(answer)


@bp.post("/documents/<slug>/assignments/<int:assignment_id>/close")
@requires(Right.MANAGE_DOCUMENT)
@operation("Close an assignment", tag="assignments", answer=coordination_shapes.AssignmentInfo)
def close(slug: str, assignment_id: int) -> Any:
    """Closing a closed assignment changes nothing."""
    assignment = get_assignment(get_document(slug), assignment_id)
    close_assignment(assignment, by=current_user)
    answer = _json(assignment, assignment_figures([assignment.id])[assignment.id])
    db.session.commit()
    return jsonify(answer)


@bp.get("/my-work")
@requires(Right.SIGNED_IN)
@operation("My open assignments", tag="assignments", answer=coordination_shapes.AssignmentList)
def my_work() -> Any:
    """The signed-in user's open assignments across documents, soonest due first."""
    found = list_assignments(user_id=current_user.id, visible=visible_documents(current_user))
    return jsonify(_answer(found))
