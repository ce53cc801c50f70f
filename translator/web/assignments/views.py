"""The assignments of a document (everyone who sees it sees them; its coordinators
assign, split, reassign and close) and "My work": the signed-in user's assignments."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.errors import InputError, TranslatorError
from translator.extensions import db
from translator.i18n import _
from translator.models import Assignment, AssignmentState, Document, User
from translator.services.assignment_figures import assignment_figures
from translator.services.assignments import (
    assign,
    assignment_events,
    close_assignment,
    get_assignment,
    list_assignments,
    parse_kind,
    parse_units,
    split_edition,
    units_at,
    update_assignment,
)
from translator.services.documents import get_document
from translator.services.languages import language_name
from translator.services.rights import Right, visible_documents
from translator.services.users import find_person, get_user_names
from translator.web.assignments.forms import AssignForm, ChangeForm, SplitForm
from translator.web.assignments.rows import assignment_view
from translator.web.rights import requires

bp = Blueprint("assignments", __name__)


def _rows(assignments: list[Assignment]) -> list[dict[str, Any]]:
    figures = assignment_figures([a.id for a in assignments])
    return [assignment_view(a, figures[a.id]) for a in assignments]


def _person(text: str, field: str) -> User:
    user = find_person(text)
    if user is None:
        raise InputError(_("No active user is named %(name)s.", name=text), field=field)
    return user


def _page(
    document: Document, assign_form: AssignForm, split_form: SplitForm, status: int = 200
) -> Any:
    current = list_assignments(document_id=document.id)
    closed = list_assignments(document_id=document.id, states=[AssignmentState.CLOSED])
    events = assignment_events([a.id for a in current + closed])
    actors = {e.actor_id for found in events.values() for e in found if e.actor_id}
    page = render_template(
        "assignments/document.html",
        document=document,
        rows=_rows(current),
        closed=_rows(closed),
        events=events,
        actors=get_user_names(actors),
        assign_form=assign_form,
        split_form=split_form,
        change_form=ChangeForm(formdata=None),
        close_form=FlaskForm(formdata=None),
    )
    return page, status


def _languages(document: Document) -> list[SelectChoice]:
    original = document.original_edition_id
    return [
        SelectChoice(e.language, language_name(e.language))
        for e in document.editions
        if e.id != original or len(document.editions) == 1
    ]


@bp.route("/documents/<slug>/assignments", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT, read=Right.VIEW_DOCUMENT)
def document_assignments(slug: str) -> Any:
    """Who does what in this document, by when; coordinators assign and split here."""
    document = get_document(slug)
    split = request.method == "POST" and request.form.get("action") == "split"
    # Two forms on one page, told apart by their prefix; the CSRF token is checked for
    # every request by web.bearer.protect_cookie_requests (the page sends one token).
    no_csrf = {"csrf": False}
    assign_form = AssignForm(
        prefix="assign", formdata=None if split else request.form or None, meta=no_csrf
    )
    split_form = SplitForm(prefix="split", formdata=request.form if split else None, meta=no_csrf)
    for form in (assign_form, split_form):
        form.language.choices = _languages(document)
    form = split_form if split else assign_form
    if request.method != "POST" or not form.validate_on_submit():
        return _page(document, assign_form, split_form, 400 if form.errors else 200)
    try:
        if split:
            people = [_person(p.strip(), "among") for p in form.among.data.split(",") if p.strip()]
            made = split_edition(
                document,
                form.language.data,
                people,
                parse_kind(form.kind.data),
                due=form.due.data,
                note=form.note.data or "",
                by=current_user,
            )
            message = _("The edition is split among %(n)d people.", n=len(made))
        else:
            first = last = None
            positions = parse_units(form.units.data)
            if positions is not None:
                first, last = units_at(document, *positions)
            person = _person(form.to.data.strip(), "to")
            assign(
                document,
                form.language.data,
                person,
                parse_kind(form.kind.data),
                first_unit_id=first,
                last_unit_id=last,
                due=form.due.data,
                note=form.note.data or "",
                by=current_user,
            )
            message = _("%(name)s has the work.", name=person.name)
    except TranslatorError as exc:
        db.session.rollback()
        target = getattr(form, exc.field, None) if exc.field else None
        if target is None or not hasattr(target, "errors"):
            target = form.among if split else form.to
        target.errors = [*target.errors, exc.message]
        return _page(document, assign_form, split_form, 400)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("assignments.document_assignments", slug=slug))


@bp.post("/documents/<slug>/assignments/<int:assignment_id>")
@requires(Right.MANAGE_DOCUMENT)
def change(slug: str, assignment_id: int) -> Any:
    """Reassign, change the due date, or close (``action=close``)."""
    document = get_document(slug)
    assignment = get_assignment(document, assignment_id)
    back = redirect(url_for("assignments.document_assignments", slug=slug))
    if request.form.get("action") == "close":
        if not FlaskForm().validate_on_submit():
            flash(_("The form expired; try again."), "error")
            return back
        close_assignment(assignment, by=current_user)
        db.session.commit()
        flash(_("The assignment is closed."), "success")
        return back
    form = ChangeForm()
    if not form.validate_on_submit():
        flash(_("The due date is not a date."), "error")
        return back
    try:
        update_assignment(
            assignment,
            user=_person(form.to.data.strip(), "to") if (form.to.data or "").strip() else None,
            due=form.due.data if form.due.data else ...,
            by=current_user,
        )
    except TranslatorError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    flash(_("The assignment is changed."), "success")
    return back


@bp.route("/my-work")
@requires(Right.SIGNED_IN)
def my_work() -> Any:
    """The signed-in user's open assignments across documents, soonest due first."""
    rows = _rows(list_assignments(user_id=current_user.id, visible=visible_documents(current_user)))
    return render_template("assignments/my_work.html", rows=rows)
