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


def test_sqlite_never_reuses_ids_and_the_migration_keeps_every_row(tmp_path: Path) -> None:
    """SQLite handed a deleted newest row's id to the next row: an editor holding a
    removed segment's id would have written into another cell. The migration that makes
    ids AUTOINCREMENT copies tables with their rows (no cascade on the way)."""
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'ids.sqlite3'}")
    with app.app_context():
        upgrade(revision="8b3e0c6f1a52")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO documents (id, slug, title, author, credits, notes, created_at,"
                " updated_at) VALUES (1, 'd', 'D', '', '', '', '2026-01-01', '2026-01-01')"
            )
            conn.exec_driver_sql(
                "INSERT INTO editions (id, document_id, language, title, credits,"
                " source_filename, source_format, structure, created_at)"
                " VALUES (1, 1, 'en', '', '', '', '', '[]', '2026-01-01')"
            )
            for unit in (1, 2):
                conn.exec_driver_sql(
                    "INSERT INTO units (id, document_id, order_key, role, paragraph_key,"
                    f" created_at) VALUES ({unit}, 1, 'a{unit}', 'paragraph', 1, '2026-01-01')"
                )
                conn.exec_driver_sql(
                    "INSERT INTO segments (id, unit_id, edition_id, text, status, aligned,"
                    " outdated, version, content_hash, sibling_hashes, words, updated_at)"
                    f" VALUES ({unit}, {unit}, 1, 'T', 'draft', 1, 0, 1, '', '{{}}', 1,"
                    " '2026-01-01')"
                )
        upgrade()
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM segments").scalar() == 2
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'segments'"
            ).scalar()
            assert "AUTOINCREMENT" in sql
            conn.exec_driver_sql("DELETE FROM units WHERE id = 2")  # cascades to segment 2
            conn.exec_driver_sql(
                "INSERT INTO units (document_id, order_key, role, paragraph_key, created_at)"
                " VALUES (1, 'a3', 'paragraph', 1, '2026-01-01')"
            )
            assert conn.exec_driver_sql("SELECT max(id) FROM units").scalar() == 3
        db.engine.dispose()
