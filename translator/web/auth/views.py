"""Sign in and out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from translator.errors import TooManyAttempts, TranslatorError
from translator.extensions import db
from translator.i18n import _
from translator.models import User
from translator.services.rights import Right
from translator.services.sessions import authenticate, end_session, start_session
from translator.services.users import create_user, has_users
from translator.web.auth.forms import LoginForm, SetupForm
from translator.web.rights import requires

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("documents.index")


@bp.route("/login", methods=["GET", "POST"])
@requires(Right.ANYONE)
def login() -> Any:
    if not has_users():
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, address=_address())
        except TooManyAttempts as exc:
            db.session.rollback()
            flash(
                _(
                    "Too many failed sign-ins. Wait %(minutes)s minutes, then try again.",
                    minutes=exc.retry_after // 60,
                ),
                "error",
            )
            response = render_template("auth/login.html", form=form)
            return response, 429, {"Retry-After": str(exc.retry_after)}
        if user is not None:
            _sign_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()  # the failed attempt counts
        flash(_("Wrong e-mail or password."), "error")
    return render_template("auth/login.html", form=form)


def _address() -> str:
    return request.remote_addr or ""


def _sign_in(user: User, *, remember: bool) -> None:
    """Open a server-side session for ``user`` and hand its cookie to the browser."""
    agent = request.user_agent.string if request.user_agent else ""
    start_session(user, remember=remember, address=_address(), user_agent=agent)
    db.session.commit()
    login_user(user, remember=remember)


@bp.route("/setup", methods=["GET", "POST"])
@requires(Right.ANYONE)
def setup() -> Any:
    """First run: create the administrator account (only while there is no user)."""
    if has_users():
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data,
                form.password.data,
                display_name=form.display_name.data or "",
                is_admin=True,
            )
        except TranslatorError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            _sign_in(user, remember=False)
            return redirect(url_for("documents.index"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@requires(Right.SIGNED_IN)
def logout() -> Any:
    """Sign out: the session ends on the server too (a copy of its cookies is useless)."""
    end_session(current_user)
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@requires(Right.ANYONE)
def set_language() -> Any:
    """Choose the interface language (remembered in a cookie)."""
    from flask import current_app

    response = redirect(_safe_next(request.form.get("next")))
    chosen = request.form.get("locale", "")
    if chosen in current_app.config["LANGUAGES"]:
        response.set_cookie("locale", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response
