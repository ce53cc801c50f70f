"""Who has which role in a document (its coordinators manage it)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import MemberRole
from translator.services.documents import get_document
from translator.services.languages import language_name
from translator.services.members import list_members, remove_member, set_member
from translator.services.rights import Right
from translator.services.users import find_user
from translator.web.documents.forms import MemberForm
from translator.web.documents.views import bp
from translator.web.rights import requires


@bp.route("/documents/<slug>/members", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT, read=Right.VIEW_DOCUMENT)
def members(slug: str) -> Any:
    """The document's members; administrators add and remove them."""
    document = get_document(slug)
    form = MemberForm()
    locale = str(get_locale())
    form.language.choices = [SelectChoice("", _("The whole document"))] + [
        SelectChoice(e.language, language_name(e.language, locale)) for e in document.editions
    ]
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            form.email.errors.append(_("No user has this e-mail address."))
        else:
            role = MemberRole(form.role.data)
            set_member(document, user, form.language.data, role)
            db.session.commit()
            flash(_("%(name)s is now %(role)s.", name=user.name, role=role_label(role)), "success")
            return redirect(url_for("documents.members", slug=slug))
    status = 400 if form.errors else 200
    return render_template(
        "documents/members.html",
        document=document,
        form=form,
        members=list_members(document),
        remove_form=FlaskForm(),
        role_label=role_label,
    ), status


def role_label(role: MemberRole) -> str:
    """A role's name in the interface language."""
    labels: dict[MemberRole, str] = {
        MemberRole.TRANSLATOR: _("Translator"),
        MemberRole.REVIEWER: _("Reviewer"),
        MemberRole.COORDINATOR: _("Coordinator"),
        MemberRole.READER: _("Reader"),
    }
    return labels[role]


@bp.route("/documents/<slug>/members/<int:member_id>/remove", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def remove(slug: str, member_id: int) -> Any:
    document = get_document(slug)
    if FlaskForm().validate_on_submit():
        remove_member(document, member_id)
        db.session.commit()
        flash(_("Removed."), "success")
    return redirect(url_for("documents.members", slug=slug))
