"""Migrations build the schema the models describe, and go back down, on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import IN_CI, PG_URL, ensure_postgres_database, make_app, reset_schema
from translator.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "translator" / "migrations"


def _pg_url() -> str:
    url = sa.make_url(PG_URL).set(database="translator_test_migrations")
    rendered = url.render_as_string(hide_password=False)
    try:
        ensure_postgres_database(rendered)
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    reset_schema(rendered)
    return rendered


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    return _pg_url()


def test_one_head() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1


def test_upgrade_to_head_matches_models_and_downgrades_to_empty(
    empty_database: str, tmp_path: Path
) -> None:
    app = make_app(tmp_path, empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert {
                "documents",
                "editions",
                "units",
                "segments",
                "revisions",
                "users",
                "jobs",
            } <= tables
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back up again: downgrade left nothing behind that blocks it
        db.engine.dispose()
