"""The account page: change one's password (which signs out every other session) and
see or end one's sign-in sessions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from translator.errors import Forbidden, InputError
from translator.extensions import db
from translator.i18n import _, ngettext
from translator.services.rights import Right
from translator.services.sessions import change_password, end_other_sessions, list_sessions
from translator.web.account.forms import PasswordForm
from translator.web.rights import requires

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(form: PasswordForm, status: int = 200) -> Any:
    return render_template(
        "account/account.html",
        form=form,
        sessions=list_sessions(current_user),
        end_form=FlaskForm(),
    ), status


@bp.route("", methods=["GET"])
@requires(Right.SIGNED_IN)
def show() -> Any:
    return _page(PasswordForm())


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
