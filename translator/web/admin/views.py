"""The users page (administrators): invite people, change their role, deactivate and
reactivate accounts, send an invitation again, make a password reset link.

When no e-mail can be sent (no SMTP server configured, the embedded default), a new
link is shown on the page for the administrator to hand over, in this answer only
(never in a flash message, which the session cookie would carry)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.errors import Conflict, TranslatorError
from translator.extensions import db
from translator.i18n import _
from translator.models import LinkPurpose, User
from translator.services.invitations import invite_user, resend_invitation
from translator.services.languages import language_name
from translator.services.links import issue_link, link_expired, pending_invitations
from translator.services.mail import mail_configured
from translator.services.rights import Right
from translator.services.users import (
    deactivate_user,
    get_user,
    list_users,
    reactivate_user,
    role_of,
    set_role,
)
from translator.web.admin.forms import InviteForm, RoleForm
from translator.web.mailing import link_url, send_invitation
from translator.web.rights import requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _invite_form(*, fresh: bool = False) -> InviteForm:
    """The invite form, from the request (or empty when ``fresh``)."""
    form = InviteForm(formdata=None) if fresh else InviteForm()
    form.locale.choices = [
        SelectChoice("", _("Default")),
        *(SelectChoice(code, language_name(code)) for code in current_app.config["LANGUAGES"]),
    ]
    return form


def _page(
    form: InviteForm | None = None,
    status: int = 200,
    *,
    handover: tuple[User, str, str] | None = None,
) -> Any:
    """The users page; ``handover`` = (user, kind, link) to show a link just made."""
    rows = list_users()
    pending = pending_invitations([user.id for user, _seen in rows])
    headers = {"Cache-Control": "no-store"} if handover else {}
    return (
        render_template(
            "admin/users.html",
            rows=rows,
            pending=pending,
            link_expired=link_expired,
            role_of=role_of,
            form=form or _invite_form(fresh=True),
            role_form=RoleForm(formdata=None),
            action_form=FlaskForm(),
            mail=mail_configured(),
            handover=handover,
        ),
        status,
        headers,
    )


@bp.route("/users", methods=["GET"])
@requires(Right.ADMINISTER)
def users() -> Any:
    return _page()


@bp.route("/users/invite", methods=["POST"])
@requires(Right.ADMINISTER)
def invite() -> Any:
    form = _invite_form()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        issued = invite_user(
            form.email.data,
            invited_by=current_user,
            display_name=form.display_name.data or "",
            role=form.role.data,
            locale=form.locale.data or None,
        )
    except Conflict:
        db.session.rollback()
        form.email.errors.append(_("An account already has this e-mail address."))
        return _page(form, 409)
    except TranslatorError as exc:
        db.session.rollback()
        getattr(form, exc.field or "email", form.email).errors.append(exc.message)
        return _page(form, 400)
    db.session.commit()
    return _handed_over(issued.link.user, send_invitation(issued, inviter=current_user))


def _handed_over(user: User, url: str | None) -> Any:
    """After an invitation: say it was e-mailed, or show its link."""
    if url is None:
        flash(_("An invitation was e-mailed to %(email)s.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    return _page(handover=(user, "invitation", url))


@bp.route("/users/<int:user_id>/resend", methods=["POST"])
@requires(Right.ADMINISTER)
def resend(user_id: int) -> Any:
    """A new invitation link (the previous one stops working)."""
    user = get_user(user_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("admin.users"))
    try:
        issued = resend_invitation(user, invited_by=current_user)
    except TranslatorError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("admin.users"))
    db.session.commit()
    return _handed_over(user, send_invitation(issued, inviter=current_user))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@requires(Right.ADMINISTER)
def reset_link(user_id: int) -> Any:
    """A password reset link shown to the administrator, to hand over to someone who
    forgot their password where the service sends no e-mail."""
    user = get_user(user_id)
    if not FlaskForm().validate_on_submit() or not user.active:
        return redirect(url_for("admin.users"))
    issued = issue_link(user, LinkPurpose.PASSWORD_RESET, created_by=current_user)
    db.session.commit()
    return _page(handover=(user, "reset", link_url(issued)))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires(Right.ADMINISTER)
def change_role(user_id: int) -> Any:
    user = get_user(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            set_role(user, form.role.data, by=current_user)
        except TranslatorError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s's role was changed.", name=user.name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@requires(Right.ADMINISTER)
def deactivate(user_id: int) -> Any:
    """The account can no longer sign in; its sessions end at once."""
    user = get_user(user_id)
    if FlaskForm().validate_on_submit():
        try:
            deactivate_user(user, by=current_user)
        except TranslatorError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s can no longer sign in.", name=user.name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@requires(Right.ADMINISTER)
def reactivate(user_id: int) -> Any:
    user = get_user(user_id)
    if FlaskForm().validate_on_submit():
        reactivate_user(user)
        db.session.commit()
        flash(_("%(name)s may sign in again.", name=user.name), "success")
    return redirect(url_for("admin.users"))
