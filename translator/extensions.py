"""Extension objects, created unbound and bound to an app in ``create_app``."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic can drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()


class AppContextTask(Task):  # type: ignore[misc]
    """The one Celery-Flask bridge: every task body runs inside the bound app's context."""

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        flask_app: Flask = self.app.flask_app
        with flask_app.app_context():
            return super().__call__(*args, **kwargs)


def init_celery(app: Flask) -> Celery:
    """Create the Celery app bound to ``app``, configured from its one ``CELERY`` dict.

    One Celery app per Flask app (tests build several with different brokers); tasks are
    declared with ``shared_task`` in ``workers/`` and attach to each of them. In eager
    mode nothing imports the worker modules, so they are loaded from the ``include``
    setting here, by name (``translator`` never imports ``workers`` directly)."""
    celery = Celery(app.import_name, task_cls=AppContextTask)
    celery.flask_app = app
    celery.config_from_object(app.config["CELERY"])
    celery.set_default()
    if celery.conf.task_always_eager:
        celery.loader.import_default_modules()
    app.extensions["celery"] = celery
    return celery


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, and let the web process and the embedded worker
    write to the same file (WAL + a busy timeout instead of 'database is locked')."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
