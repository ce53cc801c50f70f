"""Who has which role in a document (its coordinators manage it): add a person by name
or e-mail, with suggestions as one types; invite, in the same step, someone who has no
account yet."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.errors import TranslatorError
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import Document, MemberRole, User
from translator.services.documents import get_document
from translator.services.invitations import invite_user
from translator.services.languages import language_name
from translator.services.members import list_members, remove_member, set_member
from translator.services.projects import inherited_members
from translator.services.rights import Right
from translator.services.users import EMAIL_RE, find_person, find_user, suggest_users
from translator.web.documents.forms import MemberForm
from translator.web.documents.views import bp
from translator.web.mailing import send_invitation
from translator.web.rights import requires

MAX_QUERY = 254


def _page(
    document: Document,
    form: MemberForm,
    status: int = 200,
    *,
    offer_invite: bool = False,
    handover: tuple[User, str] | None = None,
) -> Any:
    headers = {"Cache-Control": "no-store"} if handover else {}
    page = render_template(
        "documents/members.html",
        document=document,
        form=form,
        members=list_members(document),
        team=inherited_members(document),
        remove_form=FlaskForm(),
        role_label=role_label,
        offer_invite=offer_invite,
        handover=handover,
    )
    return page, status, headers


@bp.route("/documents/<slug>/members", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT, read=Right.VIEW_DOCUMENT)
def members(slug: str) -> Any:
    """The document's members; whoever manages the document adds and removes them."""
    document = get_document(slug)
    form = MemberForm()
    form.language.choices = _language_choices(document)
    if not form.validate_on_submit():
        return _page(document, form, 400 if form.errors else 200)
    text = form.email.data.strip()
    role = MemberRole(form.role.data)
    user = find_person(text)
    if user is not None:
        set_member(document, user, form.language.data, role)
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=user.name, role=role_label(role)), "success")
        return redirect(url_for("documents.members", slug=slug))
    is_address = bool(EMAIL_RE.match(text))
    if not is_address:
        form.email.errors.append(_("No user has this name or e-mail address."))
        return _page(document, form, 400)
    existing = find_user(text)
    if existing is not None:  # found, but deactivated
        form.email.errors.append(_("This account is deactivated."))
        return _page(document, form, 400)
    if request.form.get("invite") != "1":
        form.email.errors.append(_("Nobody has an account with this e-mail address yet."))
        return _page(document, form, 400, offer_invite=True)
    return _invite_member(document, form, text, role)


def _invite_member(document: Document, form: MemberForm, email: str, role: MemberRole) -> Any:
    """Invite ``email`` and make them a member, in one step."""
    try:
        issued = invite_user(email, invited_by=current_user, locale=None)
        invited = issued.link.user
        set_member(document, invited, form.language.data, role)
    except TranslatorError as exc:
        db.session.rollback()
        form.email.errors.append(exc.message)
        return _page(document, form, 400)
    db.session.commit()
    url = send_invitation(issued, inviter=current_user)
    if url is None:
        flash(
            _(
                "%(email)s was invited by e-mail and is now %(role)s.",
                email=invited.email,
                role=role_label(role),
            ),
            "success",
        )
        return redirect(url_for("documents.members", slug=document.slug))
    fresh = MemberForm(formdata=None)
    fresh.language.choices = form.language.choices
    return _page(document, fresh, handover=(invited, url))


def _language_choices(document: Document) -> list[SelectChoice]:
    locale = str(get_locale())
    return [SelectChoice("", _("The whole document"))] + [
        SelectChoice(e.language, language_name(e.language, locale)) for e in document.editions
    ]


def role_label(role: MemberRole) -> str:
    """A role's name in the interface language."""
    labels: dict[MemberRole, str] = {
        MemberRole.TRANSLATOR: _("Translator"),
        MemberRole.REVIEWER: _("Reviewer"),
        MemberRole.COORDINATOR: _("Coordinator"),
        MemberRole.READER: _("Reader"),
    }
    return labels[role]


@bp.route("/documents/<slug>/members/suggest", methods=["GET"])
@requires(Right.MANAGE_DOCUMENT)
def suggest_members(slug: str) -> Any:
    """Up to 10 active users whose name or e-mail contains ``q`` (JSON)."""
    get_document(slug)
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        message = _("The search is too long (at most %(max)d characters).", max=MAX_QUERY)
        return jsonify({"error": message, "field": "q"}), 400
    users = suggest_users(query)
    return jsonify({"users": [{"name": u.display_name, "email": u.email} for u in users]})


@bp.route("/documents/<slug>/members/<int:member_id>/remove", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def remove(slug: str, member_id: int) -> Any:
    document = get_document(slug)
    if FlaskForm().validate_on_submit():
        remove_member(document, member_id)
        db.session.commit()
        flash(_("Removed."), "success")
    return redirect(url_for("documents.members", slug=slug))
