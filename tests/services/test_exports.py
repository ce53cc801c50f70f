"""The export service: requests checked field by field, files written whole or not at
all, an unchanged document's file reused, artifacts deleted and orphans swept."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.formats import exports as registry
from translator.models import ExportArtifact, Job, JobState, Segment
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.exports import (
    artifact_path,
    check_export,
    delete_artifact,
    export_folder,
    remove_artifact_file,
    request_export,
    sweep_exports,
)
from translator.services.jobs import run_job_here

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n\nA second paragraph.\n"
FR = "# Un essai\n\nLe chat dort. Le chien aboie.\n\nUn second paragraphe.\n"


@pytest.fixture(autouse=True)
def empty_export_folder(app: Any) -> None:
    """The session's app keeps one export folder: start each test with it empty."""
    import shutil

    shutil.rmtree(app.config["EXPORT_FOLDER"], ignore_errors=True)


@pytest.fixture
def essay(import_text: Any) -> Any:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text(FR, "fr", filename="essai.md", document="an-essay")
    return get_document("an-essay")


def _export(db: Any, document: Any, fmt: str, languages: list[str], **kw: Any) -> Job:
    job = request_export(document, check_export(document, fmt, languages, **kw), user_id=None)
    db.session.commit()
    job_id = job.id
    run_job_here(job)
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _artifact(db: Any, job: Job) -> ExportArtifact:
    assert job.state == JobState.SUCCEEDED, job.message
    return db.session.get(ExportArtifact, job.result["artifact"])


@pytest.mark.parametrize(
    ("fmt", "languages", "kw", "field"),
    [
        ("epub3", ["en"], {}, "format"),
        ("txt", [], {}, "languages"),
        ("txt", ["en", "fr"], {}, "languages"),
        ("txt", ["de"], {}, "languages"),
        ("parallel-html", ["en"], {}, "languages"),
        ("parallel-html", ["en", "en"], {}, "languages"),
        ("xliff", ["fr"], {}, "source"),
        ("xliff", ["fr"], {"source": "fr"}, "target"),
        ("xliff", ["fr"], {"source": "de"}, "source"),
        ("tmx", ["en"], {}, "languages"),
    ],
)
def test_a_bad_request_names_its_field(
    essay: Any, fmt: str, languages: list[str], kw: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as refused:
        check_export(essay, fmt, languages, **kw)
    assert refused.value.field == field


def test_an_export_is_stored_with_its_checksum_and_reused_while_unchanged(
    essay: Any, db: Any, create_user: Any
) -> None:
    first = _artifact(db, _export(db, essay, "txt", ["fr"]))
    path = artifact_path(first)
    content = path.read_bytes()
    assert "Le chat dort. Le chien aboie." in content.decode()
    assert first.size == len(content)
    assert first.checksum == hashlib.sha256(content).hexdigest()
    assert first.filename == "an-essay.fr.txt" and first.notice == 0
    again = _artifact(db, _export(db, essay, "txt", ["fr"]))
    assert again.id == first.id  # unchanged: the same file
    assert len(list(export_folder().iterdir())) == 1

    user = create_user(is_admin=True)
    segment = db.session.scalars(sa.select(Segment).where(Segment.text == "Le chien aboie.")).one()
    save_segment(segment, "Le chien aboie fort.", base_version=segment.version, user=user)
    db.session.commit()
    changed = _artifact(db, _export(db, essay, "txt", ["fr"]))
    assert changed.id != first.id
    assert "Le chien aboie fort." in artifact_path(changed).read_text()
    assert path.read_bytes() == content  # the earlier file is kept as it was


def test_an_unfinished_edition_says_so_in_the_artifact(
    essay: Any, db: Any, create_user: Any
) -> None:
    user = create_user(is_admin=True)
    segment = db.session.scalars(sa.select(Segment).where(Segment.text == "Le chien aboie.")).one()
    save_segment(segment, "", base_version=segment.version, user=user)
    db.session.commit()
    artifact = _artifact(db, _export(db, essay, "txt", ["fr"]))
    assert artifact.notice == 1


def test_a_failing_writer_leaves_no_file_and_no_artifact(essay: Any, db: Any) -> None:
    def explode(data: Any, options: Any) -> bytes:
        raise InputError("this writer refuses", field="format")

    registry.load_writers()
    registry.register(
        registry.ExportFormat("boom", registry.ExportKind.EDITION, "bin", "x/y", explode)
    )
    try:
        job = _export(db, essay, "boom", ["en"])
    finally:
        registry.EXPORT_FORMATS.pop("boom")
    assert job.state == JobState.FAILED and "this writer refuses" in job.message
    assert db.session.scalar(sa.select(sa.func.count(ExportArtifact.id))) == 0
    folder = export_folder()
    assert not folder.exists() or not list(folder.iterdir())


def test_deleting_an_artifact_removes_its_row_then_its_file(essay: Any, db: Any) -> None:
    artifact = _artifact(db, _export(db, essay, "md", ["en"]))
    path = artifact_path(artifact)
    stored = delete_artifact(artifact)
    db.session.commit()
    assert path.exists()  # until the deletion is committed
    remove_artifact_file(stored)
    assert not path.exists()
    remove_artifact_file("../../etc/passwd")  # never outside the folder


def test_the_sweep_removes_old_orphans_only(essay: Any, db: Any) -> None:
    kept = artifact_path(_artifact(db, _export(db, essay, "md", ["en"])))
    orphan = export_folder() / "orphan.pdf"
    partial = export_folder() / ".export-abc"
    recent = export_folder() / "recent.pdf"
    for path in (orphan, partial, recent):
        path.write_bytes(b"x")
    old = time.time() - 7200
    for path in (orphan, partial, kept):
        os.utime(path, (old, old))
    assert sorted(p.name for p in sweep_exports()) == [".export-abc", "orphan.pdf"]
    assert kept.exists() and recent.exists()


def test_a_file_gone_from_disk_is_written_again(essay: Any, db: Any) -> None:
    first = _artifact(db, _export(db, essay, "md", ["en"]))
    artifact_path(first).unlink()
    second = _artifact(db, _export(db, essay, "md", ["en"]))
    assert second.id != first.id and Path(artifact_path(second)).exists()


def test_an_export_may_override_the_typography_setting(import_text: Any, db: Any) -> None:
    import_text('Il a dit : "oui" ; puis ?', "fr", title="Dit")
    document = get_document("dit")
    typeset = artifact_path(_artifact(db, _export(db, document, "txt", ["fr"])))
    assert "«\u00a0oui\u00a0»" in typeset.read_text()
    plain = _artifact(db, _export(db, document, "txt", ["fr"], typography=False))
    assert 'Il a dit : "oui" ; puis ?' in artifact_path(plain).read_text()
    assert artifact_path(plain) != typeset  # a different file, not the reused one
