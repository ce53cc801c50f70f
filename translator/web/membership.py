"""The members page, one component for a document's members and a project's team: add a
person by name or e-mail, with suggestions as one types; invite, in the same step,
someone who has no account yet; take a role away. Each blueprint declares its routes
(and their rights) and describes its scope with a ``MembersPage``; the work is here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.errors import TranslatorError
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import MemberRole, User
from translator.services.languages import language_name
from translator.services.member_scopes import (
    Scope,
    invite_member,
    list_scope_members,
    remove_scope_member,
    set_scope_member,
)
from translator.services.rights import Right, Target, has_right
from translator.services.users import EMAIL_RE, find_person, find_user, suggest_users
from translator.web.documents.forms import MemberForm
from translator.web.mailing import send_invitation

MAX_QUERY = 254


@dataclass(frozen=True)
class MembersTexts:
    """What a members page calls things (lazy strings: ``_l``)."""

    title: Any  # the <title>, before the owner's name
    heading: Any
    hint: Any
    column: Any  # the language column's header
    whole: Any  # the language of a coordinator or reader
    empty: Any
    legend: Any  # the add form's
    back: Any  # the link back to the owner's page


@dataclass(frozen=True)
class MembersPage:
    """A scope's members page: its routes (``endpoint`` for the page, ``suggest_endpoint``
    and ``remove_endpoint``, all with ``url_args``), who manages it, its form and texts."""

    scope: Scope[Any]
    name: str  # the document's title, the project's name
    url_args: dict[str, Any]
    endpoint: str
    suggest_endpoint: str
    remove_endpoint: str
    back_endpoint: str
    manage_right: Right
    target: Target
    form_class: type[MemberForm]
    texts: MembersTexts

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.url_args)

    @property
    def suggest_url(self) -> str:
        return url_for(self.suggest_endpoint, **self.url_args)

    @property
    def back_url(self) -> str:
        return url_for(self.back_endpoint, **self.url_args)

    def remove_url(self, member_id: int) -> str:
        return url_for(self.remove_endpoint, member_id=member_id, **self.url_args)


def role_label(role: MemberRole) -> str:
    """A role's name in the interface language."""
    labels: dict[MemberRole, str] = {
        MemberRole.TRANSLATOR: _("Translator"),
        MemberRole.REVIEWER: _("Reviewer"),
        MemberRole.COORDINATOR: _("Coordinator"),
        MemberRole.READER: _("Reader"),
    }
    return labels[role]


def _language_choices(page: MembersPage) -> list[SelectChoice]:
    locale = str(get_locale())
    return [SelectChoice("", str(page.texts.whole))] + [
        SelectChoice(code, language_name(code, locale)) for code in page.scope.languages
    ]


def _form(page: MembersPage, *, empty: bool = False) -> MemberForm:
    """The add form, from the request unless ``empty``."""
    form = page.form_class(formdata=None) if empty else page.form_class()
    form.language.choices = _language_choices(page)
    return form


def _render(
    page: MembersPage,
    form: MemberForm,
    status: int = 200,
    *,
    offer_invite: bool = False,
    handover: tuple[User, str] | None = None,
) -> Any:
    html = render_template(
        "members.html",
        page=page,
        form=form,
        manage=has_right(current_user, page.manage_right, page.target),
        members=list_scope_members(page.scope),
        team=page.scope.inherited(),
        remove_form=FlaskForm(),
        role_label=role_label,
        offer_invite=offer_invite,
        handover=handover,
    )
    return html, status, {"Cache-Control": "no-store"} if handover else {}


def _refused(page: MembersPage, form: MemberForm, exc: TranslatorError) -> Any:
    """Nothing of the step is kept; the service's message under the field it names."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    (field if field is not None else form.email).errors.append(exc.message)
    return _render(page, form, 400)


def members_view(page: MembersPage) -> Any:
    """The page (GET), or give the person the form names a role (POST): an account by
    e-mail or name; an address with no account is offered an invitation, which, once
    confirmed (``invite=1``), makes the account and the membership at once."""
    form = _form(page)
    if not form.validate_on_submit():
        return _render(page, form, 400 if form.errors else 200)
    text = form.email.data.strip()
    role = MemberRole(form.role.data)
    user = find_person(text)
    if user is not None:
        try:
            set_scope_member(page.scope, user, form.language.data, role)
        except TranslatorError as exc:
            return _refused(page, form, exc)
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=user.name, role=role_label(role)), "success")
        return redirect(page.url)
    if not EMAIL_RE.match(text):
        form.email.errors.append(_("No user has this name or e-mail address."))
        return _render(page, form, 400)
    if find_user(text) is not None:  # found, but deactivated
        form.email.errors.append(_("This account is deactivated."))
        return _render(page, form, 400)
    if request.form.get("invite") != "1":
        form.email.errors.append(_("Nobody has an account with this e-mail address yet."))
        return _render(page, form, 400, offer_invite=True)
    return _invite(page, form, text, role)


def _invite(page: MembersPage, form: MemberForm, email: str, role: MemberRole) -> Any:
    """Invite ``email`` and give them the role, then e-mail the link, or show it."""
    try:
        issued = invite_member(page.scope, email, form.language.data, role, invited_by=current_user)
    except TranslatorError as exc:
        return _refused(page, form, exc)
    db.session.commit()
    invited = issued.link.user
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
        return redirect(page.url)
    return _render(page, _form(page, empty=True), handover=(invited, url))


def suggest_view() -> Any:
    """Up to 10 active users whose name or e-mail contains ``q`` (JSON)."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        message = _("The search is too long (at most %(max)d characters).", max=MAX_QUERY)
        return jsonify({"error": message, "field": "q"}), 400
    users = suggest_users(query)
    return jsonify({"users": [{"name": u.display_name, "email": u.email} for u in users]})


def remove_view(page: MembersPage, member_id: int) -> Any:
    """Take one membership away (a POST with the form's CSRF token)."""
    if FlaskForm().validate_on_submit():
        remove_scope_member(page.scope, member_id)
        db.session.commit()
        flash(_("Removed."), "success")
    return redirect(page.url)
