"""The projects migration, both ways, on SQLite and PostgreSQL: documents keep their
rows and the progress counters' trigger on ``documents`` (a batch copy of the table
would drop it on SQLite), and a document's project is kept by the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import IN_CI, PG_URL, ensure_postgres_database, make_app, reset_schema
from translator.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "translator" / "migrations"
REVISION = "3defc7b18212"
TRIGGER = "documents_original_counts"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'projects.sqlite3'}"
    url = sa.make_url(PG_URL).set(database="translator_test_projects_migration")
    rendered = url.render_as_string(hide_password=False)
    try:
        ensure_postgres_database(rendered)
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    reset_schema(rendered)
    return rendered


def _has_trigger(conn: sa.Connection) -> bool:
    if conn.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = :n"
    else:
        query = "SELECT count(*) FROM pg_trigger WHERE tgname = :n"
    return bool(conn.execute(sa.text(query), {"n": TRIGGER}).scalar())


def test_projects_migration_up_and_down_keeps_documents_and_the_counters_trigger(
    empty_database: str, tmp_path: Path
) -> None:
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    app = make_app(tmp_path, empty_database)
    with app.app_context():
        upgrade(revision=previous)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO documents (slug, title, author, credits, notes, created_at,"
                    " updated_at) VALUES ('d', 'D', '', '', '', '2026-01-01', '2026-01-01')"
                )
            )
            assert _has_trigger(conn)
        upgrade(revision=REVISION)
        with db.engine.begin() as conn:
            assert _has_trigger(conn)
            conn.execute(
                sa.text(
                    "INSERT INTO projects (slug, name, description, languages, created_at,"
                    " updated_at) VALUES ('p', 'P', '', '[\"fr\"]', '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(sa.text("UPDATE documents SET project_id = 1"))
            assert conn.execute(sa.text("SELECT project_id FROM documents")).scalar() == 1
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE documents SET project_id = 99"))  # no such project
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE documents SET project_id = NULL"))
        downgrade(revision=previous)
        with db.engine.begin() as conn:
            assert _has_trigger(conn)
            columns = {c["name"] for c in sa.inspect(conn).get_columns("documents")}
            assert "project_id" not in columns
            assert "projects" not in sa.inspect(conn).get_table_names()
            assert conn.execute(sa.text("SELECT slug FROM documents")).scalar() == "d"
        upgrade()
        db.engine.dispose()
