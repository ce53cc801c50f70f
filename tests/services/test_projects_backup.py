"""A backup keeps the projects, their teams and which documents are in them (the
backup is generic over the tables; this checks the new ones and their references)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from flask import Flask

from tests.backup_helpers import (
    backup_of,
    database_rows,
    folders,
    fresh_app,
    restore_into,
    second_postgres_url,
    sqlite_url,
)
from translator.models import MemberRole
from translator.services.documents import get_document
from translator.services.projects import create_project, set_document_project, set_project_member

TABLES = ("projects", "project_members", "documents")


def test_backup_round_trip_keeps_projects(
    app: Flask, db: Any, import_text: Any, create_user: Any, tmp_path: Path
) -> None:
    for folder in folders(app).values():
        shutil.rmtree(folder, ignore_errors=True)
    import_text("One sentence. Two sentences.", "en", title="Inside")
    import_text("Another text.", "en", title="Outside")
    ana = create_user("ana@example.org")
    project = create_project("series", "Series", original_language="en", languages=["fr", "pt"])
    set_project_member(project, ana, "fr", MemberRole.REVIEWER)
    set_document_project(get_document("inside"), project)
    db.session.commit()
    source = {name: rows for name, rows in database_rows(app).items() if name in TABLES}
    assert len(source["projects"]) == 1 and len(source["project_members"]) == 1
    archive = tmp_path / "projects.zip"
    backup_of(app, archive)
    on_postgres = str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql")
    other_url = sqlite_url(tmp_path, "other") if on_postgres else second_postgres_url()
    with fresh_app(tmp_path, "other", other_url) as other:
        restore_into(other, archive)
        restored = {n: rows for n, rows in database_rows(other).items() if n in TABLES}
        assert restored == source
