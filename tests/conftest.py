"""Test fixtures against real services.

- ``app``: the Flask app on the real PostgreSQL (``TRANSLATOR_TEST_DATABASE_URL``,
  default ``postgresql+psycopg://postgres@127.0.0.1:5432/translator_test``), schema built
  by the Alembic migrations, tasks eager. Without PostgreSQL it falls back to SQLite
  locally; under ``CI=true`` a missing service fails the run, it never skips.
- ``db``: an app context whose tables are emptied after the test (work done by web
  requests, tasks and the worker subprocess commits, so a rollback would not see it).
- ``worker_app`` + ``worker``: a real ``celery worker`` subprocess on a dedicated Redis
  database (``TRANSLATOR_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/15``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from flask_migrate import upgrade

from translator import create_app
from translator.extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get(
    "TRANSLATOR_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/translator_test"
)
REDIS_URL = os.environ.get("TRANSLATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# TRANSLATOR_TEST_DATABASE=sqlite: run on the embedded default (a SQLite file), as
# `make test` does for a second pass over the tests that do not need a worker.
EMBEDDED = os.environ.get("TRANSLATOR_TEST_DATABASE", "") == "sqlite"


def _service_missing(what: str, exc: Exception) -> None:
    message = f"{what} is not reachable: {exc}"
    if IN_CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def ensure_postgres_database(url: str) -> None:
    """Create the test database if it does not exist (connecting to 'postgres')."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def reset_schema(url: str) -> None:
    """Drop everything so the migrations build the schema from scratch."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if EMBEDDED:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    try:
        ensure_postgres_database(PG_URL)
        reset_schema(PG_URL)
        return PG_URL
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL is not reachable: {exc}", pytrace=False)
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        return f"sqlite:///{path}"


def make_app(instance: Path, database_url: str, **overrides: Any) -> Flask:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "EXPORT_FOLDER": str(instance / "exports"),
        "CELERY": {"task_always_eager": True},
    }
    config.update(overrides)
    return create_app(config)


def dispose_engines(app: Flask) -> None:
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("instance"), database_url)
    with app.app_context():
        upgrade()
    yield app
    dispose_engines(app)


def truncate_all(engine: sa.Engine) -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    with app.app_context():
        yield _db
        _db.session.remove()
        truncate_all(_db.engine)


def _fresh_g(sender: Flask, **extra: Any) -> None:
    """The ``db`` fixture keeps one app context open for the whole test, so requests
    share its ``g``; production gives every request a new one. Empty it per request so
    that per-request caches (locale, logged-in user) behave as in production."""
    for key in list(g):
        g.pop(key)


@pytest.fixture
def client(app: Flask, db: Any) -> Iterator[FlaskClient]:
    with request_started.connected_to(_fresh_g, app):
        yield app.test_client()


@pytest.fixture
def create_user(db: Any) -> Callable[..., Any]:
    from translator.services.users import create_user as service

    def factory(email: str = "ana@example.org", password: str = "correct horse", **kw: Any) -> Any:
        user = service(email, password, **kw)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client: FlaskClient, create_user: Callable[..., Any]) -> Callable[..., Any]:
    """Sign a user in through the real login form (CSRF token included)."""
    from tests.helpers import csrf_token

    def do_login(email: str = "ana@example.org", password: str = "correct horse", **kw: Any) -> Any:
        create_user(email, password, **kw)
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


@pytest.fixture
def import_text(db: Any) -> Callable[..., Any]:
    """Factory: import text (str or bytes) as an edition through the services."""
    from translator.services.documents import get_document
    from translator.services.imports import prepare_import, store_import

    def factory(
        data: str | bytes,
        language: str = "en",
        *,
        filename: str = "text.txt",
        document: str | None = None,
        fmt: str = "auto",
        title: str | None = None,
    ) -> Any:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        prepared = prepare_import(raw, filename, language, fmt)
        summary = store_import(
            prepared, document=get_document(document) if document else None, title=title
        )
        db.session.commit()
        return summary

    return factory


# --- a real SMTP server -----------------------------------------------------------


class Mailbox:
    """What a local aiosmtpd server received: one ``email.message.EmailMessage`` each."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email
        import email.policy

        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 30) -> Any:
        """The first message to ``to``, once it has arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == to:
                    return message
            time.sleep(0.05)
        pytest.fail(f"no e-mail to {to} within {timeout} s (got {len(self.messages)})")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port; tests empty ``messages``."""
    import socket

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        mailbox.port = int(sock.getsockname()[1])
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    """The SMTP server, emptied for this test."""
    smtp_server.messages.clear()
    return smtp_server


# --- real worker ------------------------------------------------------------------


def reachable_redis(url: str) -> str:
    """``url``, once Redis answers there (a missing Redis fails under CI, else skips)."""
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as exc:
        _service_missing("Redis", exc)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    return reachable_redis(REDIS_URL)


@pytest.fixture(scope="session")
def worker_app(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, redis_url: str, app: Flask
) -> Iterator[Flask]:
    if database_url.startswith("sqlite") and not IN_CI:
        pytest.skip("worker tests need PostgreSQL")
    app = make_app(
        tmp_path_factory.mktemp("worker-instance"),
        database_url,
        CELERY={
            "task_always_eager": False,
            "broker_url": redis_url,
            "include": ["workers.imports"],
        },
    )
    yield app
    dispose_engines(app)


@pytest.fixture(scope="session")
def worker(
    worker_app: Flask, database_url: str, redis_url: str, smtp_server: Mailbox
) -> Iterator[subprocess.Popen[str]]:
    """A real `celery worker` process on the test database and a dedicated Redis db,
    sending its e-mail to the ``smtp_server``."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "TRANSLATOR_DATABASE_URL": database_url,
        "TRANSLATOR_BROKER_URL": redis_url,
        "TRANSLATOR_INSTANCE_PATH": worker_app.instance_path,
        "TRANSLATOR_UPLOAD_FOLDER": worker_app.config["UPLOAD_FOLDER"],
        "TRANSLATOR_EXPORT_FOLDER": worker_app.config["EXPORT_FOLDER"],
        "TRANSLATOR_SECRET_KEY": "test",
        "TRANSLATOR_SMTP_HOST": "127.0.0.1",
        "TRANSLATOR_SMTP_PORT": str(smtp_server.port),
        "TRANSLATOR_MAIL_FROM": "translator@example.org",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "ready." in line:
            break
        if proc.poll() is not None:
            pytest.fail("celery worker exited:\n" + "".join(lines), pytrace=False)
    else:
        proc.kill()
        pytest.fail("celery worker did not start in 60 s:\n" + "".join(lines), pytrace=False)
    drain = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    drain.start()  # an unread pipe would fill up and block the worker
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    drain.join(timeout=5)
    proc.stdout.close()
