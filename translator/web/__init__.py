"""Web blueprints, one package per area (auth, documents, jobs)."""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from translator.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionRequired,
    SignInRequired,
    TooManyAttempts,
    TranslatorError,
    Unavailable,
)
from translator.extensions import db, login_manager
from translator.i18n import (
    _,
    _l,
    format_date,
    format_datetime,
    format_fraction,
    format_number,
    get_locale,
    number_formatter,
)
from translator.models import User
from translator.services.languages import language_name
from translator.services.notifications import unread_count
from translator.services.rights import Right, Target, has_right
from translator.services.sessions import load_session_user
from translator.text.inline import display_html
from translator.web.bearer import authenticate_request, presented_token, protect_cookie_requests
from translator.web.figures import PageFigures, edition_bar
from translator.web.rights import check_declared, check_route_right
from translator.web.security import harden

_STATUS: dict[type[TranslatorError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    PreconditionRequired: 428,
    TooManyAttempts: 429,
    SignInRequired: 401,
    Unavailable: 503,
}


def inline_markup(text: str) -> Markup:
    """Segment text as HTML: only the inline whitelist survives, everything else is
    escaped text (``text.inline.display_html``)."""
    return Markup(display_html(text))  # noqa: S704 - sanitized by nh3 with a strict whitelist


def _wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.path.endswith(".json")
        or request.accept_mimetypes.best == "application/json"
    )


def _error_page(status: int, message: str, details: dict[str, Any] | None = None) -> Any:
    if _wants_json():
        return jsonify({"error": message, **(details or {})}), status
    return render_template("errors/error.html", status=status, message=message), status


def _http_message(exc: HTTPException) -> str:
    """What an HTTP error means, in the interface's language (werkzeug's own text is
    English)."""
    messages = {
        400: _("The request could not be understood; nothing was saved."),
        403: _("You may not do this."),
        404: _("There is nothing at this address: the link may be wrong or the page gone."),
        405: _("This address does not take this kind of request."),
        409: _("This changed meanwhile; reload the page and try again."),
        413: _("This is too large to receive."),
        429: _("Too many requests; wait a moment and try again."),
    }
    if exc.description and exc.description != type(exc).description:
        return exc.description  # said by our code, not werkzeug's default text
    message = messages.get(exc.code or 500)
    return str(message) if message is not None else exc.description or exc.name


def _may(
    right: str,
    document_id: int | None = None,
    language: str | None = None,
    project_id: int | None = None,
) -> bool:
    """In templates: whether the signed-in user has ``right`` (offer only what they may do)."""
    target = Target(document_id=document_id, language=language, project_id=project_id)
    return has_right(current_user, Right(right), target)


def register_web(app: Flask) -> None:
    """Register blueprints, the login loader, template helpers and error pages."""
    from translator.web.account.views import bp as account_bp
    from translator.web.activity.views import bp as activity_bp
    from translator.web.admin.views import bp as admin_bp
    from translator.web.api import (  # noqa: F401 - their routes join the api blueprint
        activity,
        assignments,
        dashboard,
        editions,
        exports,
        live,
        notifications,
        openapi,
        progress,
        projects,
        releases,
        structure,
        threads,
    )
    from translator.web.api.views import bp as api_bp
    from translator.web.assignments.views import bp as assignments_bp
    from translator.web.auth import links  # noqa: F401 - its routes join the auth blueprint
    from translator.web.auth.views import bp as auth_bp
    from translator.web.dashboard.views import bp as dashboard_bp
    from translator.web.documents.views import bp as documents_bp
    from translator.web.editor.views import bp as editor_bp
    from translator.web.jobs.views import bp as jobs_bp
    from translator.web.notifications.views import bp as notifications_bp
    from translator.web.projects.views import bp as projects_bp
    from translator.web.replace.views import bp as replace_bp

    # Who the request is from (an API token or the session), then CSRF for the
    # requests a token did not authenticate (web.bearer); flask-wtf's own hook is off.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(authenticate_request)
    app.before_request(protect_cookie_requests)
    harden(app)  # before the blueprints: their <int:...> rules use the bounded converter
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(replace_bp)
    app.register_blueprint(assignments_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(activity_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(projects_bp)
    app.before_request(check_route_right)
    check_declared(app)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")

    @login_manager.user_loader
    def load_user(identifier: str) -> User | None:
        return load_session_user(identifier)

    app.jinja_env.filters["inline"] = inline_markup
    app.jinja_env.globals["language_name"] = lambda code: language_name(code, str(get_locale()))
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["format_datetime"] = format_datetime
    app.jinja_env.globals["format_number"] = format_number
    app.jinja_env.globals["format_fraction"] = format_fraction
    app.jinja_env.globals["number_formatter"] = number_formatter
    app.jinja_env.globals["edition_bar"] = edition_bar
    app.jinja_env.globals["page_figures"] = PageFigures

    app.jinja_env.globals["may"] = _may
    app.jinja_env.globals["unread_notifications"] = lambda: unread_count(current_user.id)

    @app.errorhandler(SignInRequired)
    def sign_in_required(exc: SignInRequired) -> Any:
        db.session.rollback()
        if presented_token() is not None:  # a script: say what is wrong with its token
            challenge = 'Bearer realm="translator", error="invalid_token"'
            return jsonify(exc.to_dict()), 401, {"WWW-Authenticate": challenge}
        if _wants_json():
            body = {**exc.to_dict(), "error": _("Please sign in.")}
            return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="translator"'}
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.errorhandler(TranslatorError)
    def translator_error(exc: TranslatorError) -> Any:
        db.session.rollback()
        status = next((s for kind, s in _STATUS.items() if isinstance(exc, kind)), 400)
        return _error_page(status, str(exc), exc.to_dict())

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> Any:
        return _error_page(
            413,
            _(
                "The upload is over the %(limit)s MB limit.",
                limit=f"{app.config['MAX_UPLOAD_MB']:g}",
            ),
        )

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError) -> Any:
        db.session.rollback()
        if "statement timeout" in str(exc.orig):
            message = _("The request took too long and was stopped; nothing was saved.")
        else:
            message = _("The database is unreachable right now; nothing was saved.")
        return _error_page(503, message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        body, status = _error_page(exc.code or 500, _http_message(exc))
        # The exception's own headers: a 405 must say which methods are allowed (Allow).
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return body, status, headers

    @app.errorhandler(500)
    def internal_error(exc: Exception) -> Any:
        db.session.rollback()
        return _error_page(500, _("Something went wrong on our side; nothing was saved."))
