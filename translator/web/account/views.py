"""The account page: change one's password (which signs out every other session), see
or end one's sign-in sessions, and create, see and revoke one's personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from translator.errors import Forbidden, InputError
from translator.extensions import db
from translator.i18n import _, ngettext
from translator.models import Channel, NotificationKind
from translator.models._types import utcnow
from translator.services.notifications import get_settings
from translator.services.rights import Right
from translator.services.sessions import change_password, end_other_sessions, list_sessions
from translator.services.tokens import create_token, list_tokens, revoke_token, token_state
from translator.web.account.forms import PasswordForm, TokenForm
from translator.web.rights import requires

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(
    form: PasswordForm | None = None,
    status: int = 200,
    *,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
) -> Any:
    headers = {"Cache-Control": "no-store"} if new_token else {}
    return (
        render_template(
            "account/account.html",
            form=form or PasswordForm(formdata=None),
            sessions=list_sessions(current_user),
            end_form=FlaskForm(),
            token_form=token_form or TokenForm(formdata=None),
            tokens=[(t, token_state(t)) for t in list_tokens(current_user)],
            new_token=new_token,
            notification_settings=get_settings(current_user.id),
            notification_kinds=list(NotificationKind),
            notification_channels=list(Channel),
        ),
        status,
        headers,
    )


@bp.route("", methods=["GET"])
@requires(Right.SIGNED_IN)
def show() -> Any:
    return _page()


@bp.route("/password", methods=["POST"])
@requires(Right.SIGNED_IN)
def password() -> Any:
    form = PasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        ended = change_password(current_user, form.current.data, form.password.data)
    except Forbidden:
        db.session.rollback()
        form.current.errors.append(_("The current password is wrong."))
        return _page(form, 400)
    except InputError as exc:
        db.session.rollback()
        form.password.errors.append(exc.message)
        return _page(form, 400)
    db.session.commit()
    flash(
        ngettext(
            "Password changed. %(num)d other session was signed out.",
            "Password changed. %(num)d other sessions were signed out.",
            ended,
        ),
        "success",
    )
    return redirect(url_for("account.show"))


@bp.route("/sessions/end-others", methods=["POST"])
@requires(Right.SIGNED_IN)
def end_others() -> Any:
    if FlaskForm().validate_on_submit():
        ended = end_other_sessions(current_user)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d other session was signed out.",
                "%(num)d other sessions were signed out.",
                ended,
            ),
            "success",
        )
    return redirect(url_for("account.show"))


@bp.route("/tokens", methods=["POST"])
@requires(Right.SIGNED_IN)
def new_token() -> Any:
    """Create a token and show it in this answer, the only time it is shown (not kept
    for a redirect: a flash message would carry it in the session cookie)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(token_form=form, status=400)
    days = None if form.expires.data == "never" else int(form.expires.data)
    expires_at = utcnow() + timedelta(days=days) if days else None
    try:
        _row, token = create_token(
            current_user, form.name.data, form.scope.data, expires_at=expires_at
        )
    except InputError as exc:
        db.session.rollback()
        form.name.errors.append(exc.message)
        return _page(token_form=form, status=400)
    db.session.commit()
    return _page(new_token=token)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(Right.SIGNED_IN)
def revoke(token_id: int) -> Any:
    if FlaskForm().validate_on_submit():
        row = revoke_token(token_id, user=current_user)  # only one's own (404 otherwise)
        db.session.commit()
        flash(_("The token %(name)s was revoked.", name=row.name), "success")
    return redirect(url_for("account.show"))
