"""Helpers of the backup tests: a rich service state built through the real services,
second databases of either kind, and ways to read and compare archives and databases."""

from __future__ import annotations

import enum
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import (
    IN_CI,
    PG_URL,
    dispose_engines,
    ensure_postgres_database,
    make_app,
    reset_schema,
)
from translator.extensions import db
from translator.models import Document, MemberRole, Segment, Unit
from translator.services.backup import BackupSummary, restore_backup, write_backup
from translator.services.backup_files import instance_folders

EN = """# A title

The cat sleeps. The dog barks.

The bird sings in the tree.

## Part two

The fish swims. The end is near.
"""
FR = """# Un titre

Le chat dort. Le chien aboie.

L'oiseau chante dans l'arbre.

## Deuxième partie

Le poisson nage. La fin est proche.
"""
PT = """# Um título

O gato dorme. O cão ladra.

O pássaro canta na árvore.

## Segunda parte

O peixe nada. O fim está próximo.
"""
PASSWORDS = {
    "admin@example.org": "admin's password",
    "ana@example.org": "ana's password",
    "bea@example.org": "bea's password",
}


def folders(app: Flask) -> dict[str, Path]:
    return instance_folders(app.config["UPLOAD_FOLDER"], app.config["EXPORT_FOLDER"])


def _cell(document: Document, language: str, row: int) -> Segment:
    unit_id = db.session.scalars(
        sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
    ).all()[row]
    segment = db.session.scalar(
        sa.select(Segment).where(Segment.unit_id == unit_id, Segment.edition.has(language=language))
    )
    assert segment is not None
    return segment


def build_rich_state(app: Flask) -> None:
    """Every table holds rows made by the real services (in the current app context)."""
    from translator.models import JobState
    from translator.services.comments import add_comment, resolve_comment
    from translator.services.documents import get_document, update_document
    from translator.services.editing import save_segment
    from translator.services.imports import prepare_import, store_import
    from translator.services.jobs import create_job, run_job_here
    from translator.services.members import set_member
    from translator.services.structure import merge_units, undo_change
    from translator.services.suggestions import accept_suggestion, propose_text, reject_suggestion
    from translator.services.units import unit_rows
    from translator.services.users import create_user, set_editor_columns

    users = {
        email: create_user(email, password, is_admin=email.startswith("admin"))
        for email, password in PASSWORDS.items()
    }
    admin, ana, bea = users.values()
    first = store_import(prepare_import(EN.encode(), "essay.md", "en", "auto"), title="Essay")
    document = get_document(first.document)
    for text, lang in ((FR, "fr"), (PT, "pt")):
        store_import(
            prepare_import(text.encode(), f"essay.{lang}.md", lang, "auto"), document=document
        )
    update_document(
        document, title="Essay ✓", author="Anon", notes="n", publication_date=date(1921, 5, 1)
    )
    set_member(document, ana, "fr", MemberRole.TRANSLATOR)
    set_member(document, bea, "pt", MemberRole.REVIEWER)
    set_editor_columns(ana, document, ["fr", "en"])
    align = create_job(
        "align",
        {"pivot": "en", "languages": None, "force": False},
        document_id=document.id,
        user_id=admin.id,
    )
    db.session.commit()
    run_job_here(align)  # the alignment run: a job with a result and a StructureChange
    db.session.expire_all()
    document = get_document(first.document)
    merge_units(document, unit_rows(document)[1].id, author_id=admin.id)
    db.session.commit()
    undo_change(document)  # the merge's undone_by_id names the undo: a self-reference
    db.session.commit()
    merge_units(document, unit_rows(document)[3].id, author_id=admin.id)
    db.session.commit()
    fr = _cell(document, "fr", 1)
    seen = fr.version
    save_segment(fr, "Le chat dort bien.", base_version=seen, user=admin)
    db.session.commit()
    save_segment(fr, "Le chat dort (Ana).", base_version=seen, user=ana)  # stale: a conflict
    pt = _cell(document, "pt", 2)
    reject_suggestion(propose_text(pt, "O gato dorme muito.", user=ana), user=bea)
    accept_suggestion(propose_text(pt, "O cão late.", user=ana), base_version=pt.version, user=bea)
    thread = add_comment(
        db.session.get(Unit, pt.unit_id), "Late or ladra?", user=ana, language="pt"
    )
    resolve_comment(thread, user=bea)
    add_comment(db.session.get(Unit, fr.unit_id), "Tense?", user=admin)
    db.session.commit()
    from translator.services.releases import publish_document

    publish_document(document, ["en", "fr"], admin, "a backup keeps releases", note="v1 ✓")
    db.session.commit()

    uploads, exports = Path(app.config["UPLOAD_FOLDER"]), Path(app.config["EXPORT_FOLDER"])
    (uploads / "nested").mkdir(parents=True, exist_ok=True)
    (uploads / "waiting.md").write_bytes("# Warten\n\nÄ ß.\n".encode())
    (uploads / "nested" / "raw.bin").write_bytes(bytes(range(256)) * 3)
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "essay.fr.txt").write_text("Le chat dort bien.\n", encoding="utf-8")
    create_job(
        "import",
        {"path": str(uploads / "waiting.md"), "filename": "waiting.md", "language": "de"},
        user_id=ana.id,
    )
    failed = create_job("import", {"path": "/gone.txt", "filename": "gone.txt", "language": "de"})
    failed.state, failed.message = JobState.FAILED, "cannot read the file"
    failed.result = None  # a JSON null, not an SQL NULL
    db.session.commit()
    _fill_the_trash(admin)


def _fill_the_trash(admin: Any) -> None:
    """A document in the trash, and a document with an edition in the trash: a backup
    keeps them there, restorable, with their dates and who deleted them."""
    from translator.services.documents import get_document
    from translator.services.imports import prepare_import, store_import
    from translator.services.trash import delete_document, delete_edition

    gone = store_import(prepare_import(b"An old text.", "old.txt", "en"), title="Gone")
    delete_document(get_document(gone.document), user_id=admin.id)
    drafts = get_document(
        store_import(prepare_import(b"A draft.", "draft.txt", "en"), title="Drafts").document
    )
    store_import(prepare_import(b"Ein Entwurf.", "entwurf.txt", "de"), document=drafts)
    delete_edition(drafts, "de", user_id=admin.id)
    db.session.commit()


@contextmanager
def fresh_app(tmp_path: Path, name: str, url: str) -> Iterator[Flask]:
    """A second service (its own instance folder) on ``url``, migrated by ``init``."""
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
        reset_schema(url)
    app = make_app(tmp_path / name, url)
    with app.app_context():
        upgrade()
    try:
        yield app
    finally:
        dispose_engines(app)


def second_postgres_url() -> str:
    """Another PostgreSQL database beside the tests' own (``<name>2``)."""
    url = sa.make_url(PG_URL)
    try:
        ensure_postgres_database(PG_URL)
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL is not reachable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    return url.set(database=f"{url.database}2").render_as_string(hide_password=False)


def sqlite_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"


def backup_of(app: Flask, path: Path, **kw: Any) -> BackupSummary:
    with app.app_context():
        return write_backup(path, folders=folders(app), **kw)


def restore_into(app: Flask, archive: Path, **kw: Any) -> BackupSummary:
    """Restore as the CLI does: commit, then move the files into place."""
    with app.app_context():
        restored = restore_backup(archive, folders=folders(app), **kw)
        try:
            db.session.commit()
            restored.install_files()
        finally:
            restored.discard()
            db.session.remove()
    return restored.summary


def archive_contents(path: Path) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, bytes]]:
    """(manifest, table → rows, file member → bytes) of an archive."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        tables = {
            t["name"]: [json.loads(line) for line in archive.read(t["member"]).splitlines()]
            for t in manifest["tables"]
        }
        files = {
            n: archive.read(n)
            for n in archive.namelist()
            if n.startswith("files/") or n == "secret_key"
        }
    return manifest, tables, files


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def database_rows(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table read back through SQLAlchemy (not the backup's codecs),
    with whether each JSON value is an SQL NULL."""
    out: dict[str, list[dict[str, Any]]] = {}
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            nulls = [
                c.is_(None).label(f"{c.name} is SQL NULL")
                for c in table.columns
                if isinstance(c.type, sa.JSON)
            ]
            keys = list(table.primary_key.columns)
            rows = conn.execute(sa.select(table, *nulls).order_by(*keys)).mappings()
            out[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return out


def folder_files(app: Flask) -> dict[str, bytes]:
    out = {}
    for name, folder in folders(app).items():
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    out[f"{name}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return out


def signs_in(app: Flask) -> bool:
    from translator.services.sessions import authenticate

    here = "127.0.0.1"
    with app.app_context():
        ok = all(authenticate(e, p, address=here) is not None for e, p in PASSWORDS.items())
        refused = authenticate("ana@example.org", "wrong password", address=here) is None
        db.session.rollback()  # the attempts are not part of what is compared
        return ok and refused


def count(app: Flask, model: type[Any]) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
