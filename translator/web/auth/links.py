"""The pages one-time links open: accept an invitation, and the forgotten password
(ask for a link; choose a new password from it). Each link works once; an expired,
used or replaced link gets a page saying so and what to do instead."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from translator.errors import InputError, TooManyAttempts
from translator.extensions import db
from translator.i18n import _
from translator.models import LinkPurpose
from translator.services.links import LinkRefused, find_link, request_reset, use_link
from translator.services.mail import mail_configured
from translator.services.rights import Right
from translator.services.sessions import end_session
from translator.web.auth.forms import ForgotForm, InvitationForm, ResetForm
from translator.web.auth.views import _address, _sign_in, bp
from translator.web.mailing import send_reset
from translator.web.rights import requires

# Nothing of these pages (their address holds the token) is cached or sent onward.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
_REFUSED_STATUS = {"unknown": 404, "inactive": 403}


def _refused(exc: LinkRefused, purpose: LinkPurpose) -> Any:
    db.session.rollback()
    status = _REFUSED_STATUS.get(exc.reason, 410)
    page = render_template("auth/link_refused.html", reason=exc.reason, purpose=purpose.value)
    return page, status, PRIVATE


def _switch_user() -> None:
    """Whoever is signed in in this browser is signed out before the link signs its
    own user in."""
    if current_user.is_authenticated:
        end_session(current_user)
        logout_user()


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@requires(Right.ANYONE)
def invitation(token: str) -> Any:
    """Accept an invitation: choose one's name and password, then be signed in."""
    try:
        link = find_link(token, LinkPurpose.INVITATION)
    except LinkRefused as exc:
        return _refused(exc, LinkPurpose.INVITATION)
    form = InvitationForm()
    if request.method == "GET" and not form.display_name.data:
        form.display_name.data = link.user.display_name
    if form.validate_on_submit():
        try:
            user = use_link(
                token,
                LinkPurpose.INVITATION,
                form.password.data,
                display_name=form.display_name.data or "",
            )
        except LinkRefused as exc:
            return _refused(exc, LinkPurpose.INVITATION)
        except InputError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            _switch_user()
            _sign_in(user, remember=False)  # commits
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(url_for("documents.index"))
    status = 400 if form.errors else 200
    page = render_template("auth/invitation.html", form=form, user=link.user)
    return page, status, PRIVATE


@bp.route("/password/forgot", methods=["GET", "POST"])
@requires(Right.ANYONE)
def forgot_password() -> Any:
    """Ask for a link to choose a new password. The answer is the same whether an
    account has the address or not; requests are throttled like sign-ins."""
    form = ForgotForm()
    mail = mail_configured()
    if mail and form.validate_on_submit():
        try:
            issued = request_reset(form.email.data, address=_address())
        except TooManyAttempts as exc:
            db.session.rollback()
            form.email.errors.append(
                _(
                    "Too many requests. Wait %(minutes)s minutes, then try again.",
                    minutes=exc.retry_after // 60,
                )
            )
            page = render_template("auth/forgot.html", form=form, mail=mail)
            return page, 429, {"Retry-After": str(exc.retry_after)}
        db.session.commit()
        if issued is not None:
            send_reset(issued)
        return render_template("auth/forgot.html", form=form, mail=mail, sent=True)
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form, mail=mail), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@requires(Right.ANYONE)
def reset_password(token: str) -> Any:
    """Choose a new password from a reset link: every session of the account ends,
    and this browser is signed in."""
    try:
        link = find_link(token, LinkPurpose.PASSWORD_RESET)
    except LinkRefused as exc:
        return _refused(exc, LinkPurpose.PASSWORD_RESET)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = use_link(token, LinkPurpose.PASSWORD_RESET, form.password.data)
        except LinkRefused as exc:
            return _refused(exc, LinkPurpose.PASSWORD_RESET)
        except InputError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            _switch_user()
            _sign_in(user, remember=False)  # commits
            flash(_("Your password was changed; you were signed out everywhere else."), "success")
            return redirect(url_for("documents.index"))
    status = 400 if form.errors else 200
    page = render_template("auth/reset.html", form=form, user=link.user)
    return page, status, PRIVATE
