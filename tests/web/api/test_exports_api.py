"""Exports for scripts: a personal token starts an export, follows its job, lists the
document's files and downloads one, checked against its SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from flask import Flask

from translator.models import User
from translator.services.tokens import create_token


def test_a_script_exports_and_downloads(
    app: Flask, create_user: Any, import_text: Any, db: Any
) -> None:
    create_user("ana@example.org", is_admin=True)
    import_text("# An essay\n\nThe cat sleeps.\n", "en", filename="e.md", title="An essay")
    import_text("# Un essai\n\nLe chat dort.\n", "fr", filename="f.md", document="an-essay")
    user = db.session.scalar(sa.select(User))
    _row, token = create_token(user, "script", "write")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    started = client.post(
        "/api/v1/documents/an-essay/exports",
        json={"format": "md", "languages": ["fr"]},
        headers=headers,
    )
    assert started.status_code == 202, started.get_json()
    job = client.get(started.get_json()["status_url"], headers=headers).get_json()
    assert job["done"] and job["state"] == "succeeded", job
    listed = client.get("/api/v1/documents/an-essay/exports", headers=headers).get_json()
    [info] = listed["exports"]
    assert info["id"] == job["result"]["artifact"] and info["created_by"] == "ana@example.org"
    file = client.get(info["file_url"], headers=headers)
    content = file.get_data()
    file.close()
    assert file.status_code == 200
    assert hashlib.sha256(content).hexdigest() == info["sha256"]
    assert "Le chat dort." in content.decode()


def test_a_bad_export_request_is_a_400_naming_the_field(
    app: Flask, create_user: Any, import_text: Any, db: Any
) -> None:
    create_user("ana@example.org", is_admin=True)
    import_text("The cat sleeps.\n", "en", title="Cat")
    user = db.session.scalar(sa.select(User))
    _row, token = create_token(user, "script", "write")
    db.session.commit()
    answer = app.test_client().post(
        "/api/v1/documents/cat/exports",
        json={"format": "parallel-pdf", "languages": ["en"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "languages"
