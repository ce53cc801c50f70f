"""The housekeeping thread every worker runs purges what has been in the trash longer
than TRASH_DAYS, with the export files of what it purged, and nothing else; and keeps
the day's snapshot of the editions' words left (the dashboard's burndown)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from translator.models import INCLUDE_DELETED, Document, EditionDay, ExportArtifact
from translator.models._types import utcnow
from translator.services.dashboard import utc_today
from translator.services.documents import get_document
from translator.services.trash import delete_document, list_trash
from workers.housekeeping import Housekeeper


def _artifact(app: Flask, document_id: int, name: str) -> Path:
    folder = Path(app.config["EXPORT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"text\n")
    return path


def test_the_housekeeper_purges_expired_trash_and_its_files(
    app: Flask, db: Any, import_text: Any
) -> None:
    old = get_document(import_text("An old text.", "en", title="Old").document)
    recent = get_document(import_text("A recent text.", "en", title="Recent").document)
    kept = get_document(import_text("A kept text.", "en", title="Kept").document)
    files = {}
    for document in (old, recent, kept):
        files[document.slug] = _artifact(app, document.id, f"{document.slug}.txt")
        db.session.add(
            ExportArtifact(
                document_id=document.id,
                format="txt",
                languages=["en"],
                fingerprint="0" * 64,
                filename=f"{document.slug}.txt",
                stored_name=f"{document.slug}.txt",
                media_type="text/plain",
                size=5,
                checksum="0" * 64,
            )
        )
    delete_document(old, user_id=None)
    delete_document(recent, user_id=None)
    old.deleted_at = utcnow() - timedelta(days=31)
    recent.deleted_at = utcnow() - timedelta(days=29)
    db.session.commit()

    keeper = Housekeeper(app).start()  # sweeps at once, then every hour
    try:
        deadline = time.monotonic() + 20
        while files["old"].exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        keeper.stop()
    db.session.expire_all()
    slugs = set(
        db.session.scalars(sa.select(Document.slug).execution_options(**{INCLUDE_DELETED: True}))
    )
    assert slugs == {"recent", "kept"}
    assert not files["old"].exists()
    assert files["recent"].exists() and files["kept"].exists()
    assert [item.slug for item in list_trash()] == ["recent"]
    assert get_document("kept").title == "Kept"
    # The snapshot of the editions in use (not of those in the trash).
    snapshots = db.session.execute(sa.select(EditionDay.edition_id, EditionDay.day)).all()
    assert snapshots == [(get_document("kept").editions[0].id, utc_today())]
