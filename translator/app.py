"""The application factory: a checklist, no queries at import or start-up."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from translator import extensions as ext
from translator.config import load_config

PACKAGE = Path(__file__).resolve().parent


def asset_root() -> Path:
    """The folder holding ``templates/``, ``static/`` and ``locales/``: the package itself
    in an installed wheel (setup.py copies them in), else the top of the checkout."""
    return PACKAGE if (PACKAGE / "templates").is_dir() else PACKAGE.parent


def freeze_loaded_objects() -> None:
    """Take every object alive now out of the cyclic garbage collector's rounds, after
    collecting what is already garbage: a server calls this once its app is built.

    The modules, the app, its routes, models and compiled templates live as long as the
    process, yet a full collection walks each of them, and every few requests one runs:
    over the loaded app's 170 000 objects it took 75 ms, one dashboard request in five
    (its p95 doubled to 145 ms). The frozen objects are still freed by reference
    counting; only cycles among them would stay, and the app builds none after start."""
    gc.collect()
    gc.freeze()


def _select_locale() -> str | None:
    from flask import current_app, has_request_context

    if not has_request_context():  # a command or a job: the default locale (English)
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = request.cookies.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def _bound_statements(app: Flask) -> None:
    """On PostgreSQL, every statement of this app's connections stops after
    ``STATEMENT_TIMEOUT`` seconds: no query can hold a connection (and its locks) for
    ever, whatever a request or a job asks."""
    timeout = float(app.config.get("STATEMENT_TIMEOUT") or 0)
    if timeout <= 0 or not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def create_app(config: dict[str, Any] | None = None, *, web: bool = True) -> Flask:
    """Build the Flask app. ``config`` overrides what the environment gives. Without
    ``web`` (a command that serves no page: an import, an export, a user's account) the
    views, the API and their hooks are left out, and their modules are not even
    imported: about a second less for every such command to start."""
    instance_path = os.environ.get("TRANSLATOR_INSTANCE_PATH") or (config or {}).get(
        "INSTANCE_PATH"
    )
    assets = asset_root()
    app = Flask(
        "translator",
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        template_folder=str(assets / "templates"),
        static_folder=str(assets / "static"),
    )
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        celery_overrides = config.pop("CELERY", None)
        app.config.from_mapping(config)
        if celery_overrides:
            app.config["CELERY"] = {**app.config["CELERY"], **celery_overrides}

    _bound_statements(app)
    if app.config.get("PROXIES"):  # behind N proxies: the client's address and scheme
        n = int(app.config["PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(PACKAGE / "migrations"))
    ext.babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(assets / "locales"),
    )
    ext.csrf.init_app(app)
    ext.login_manager.init_app(app)
    ext.init_celery(app)

    from translator import models  # noqa: F401 - registers the mappers

    if web:
        from translator.web import register_web

        register_web(app)
    return app
