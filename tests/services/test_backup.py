"""Backup and restore of the whole service, across SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.backup_helpers import (
    archive_contents,
    backup_of,
    build_rich_state,
    database_rows,
    folder_files,
    folders,
    fresh_app,
    restore_into,
    second_postgres_url,
    signs_in,
    sqlite_url,
)
from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db as _db
from translator.services.backup import restore_backup
from translator.services.documents import get_document
from translator.services.trash import list_trash, restore_document, trashed_document

CORE_TABLES = {
    "users",
    "documents",
    "editions",
    "units",
    "segments",
    "revisions",
    "structure_changes",
    "suggestions",
    "comments",
    "document_members",
    "jobs",
}


def _clear_folders(app: Flask) -> None:
    for folder in folders(app).values():
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clean(app: Flask, db: Any) -> Iterator[Flask]:
    """The test app with empty instance folders, emptied again afterwards."""
    _clear_folders(app)
    yield app
    _clear_folders(app)


@pytest.fixture
def rich(clean: Flask) -> Flask:
    build_rich_state(clean)
    return clean


def _on_postgres(app: Flask) -> bool:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql")


def _add_rows_after_restore(app: Flask) -> None:
    """New rows in every table the services write get fresh ids (sequences moved on)."""
    from translator.models import Unit
    from translator.services.comments import add_comment
    from translator.services.imports import prepare_import, store_import
    from translator.services.jobs import create_job
    from translator.services.users import create_user

    with app.app_context():
        summary = store_import(prepare_import(b"New text. Two.\n", "new.txt", "en", "auto"))
        user = create_user("new@example.org", "a new password")
        unit = _db.session.scalar(sa.select(Unit).order_by(Unit.id.desc()).limit(1))
        add_comment(unit, "Fresh.", user=user)
        create_job("import", {"path": "x"}, user_id=user.id)
        _db.session.commit()
        assert summary.units == 2
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            conn = _db.session.connection()
            for table in _db.metadata.sorted_tables:
                for column in table.primary_key.columns:
                    sequence = conn.scalar(
                        sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                        {"t": table.name, "c": column.name},
                    )
                    if sequence:
                        highest = conn.scalar(sa.select(sa.func.max(column))) or 0
                        following = conn.scalar(sa.text("SELECT nextval(:s)"), {"s": sequence})
                        assert following > highest, table.name
        _db.session.rollback()


def test_round_trip_across_sqlite_and_postgresql_keeps_everything(
    rich: Flask, tmp_path: Path
) -> None:
    source_rows, source_files = database_rows(rich), folder_files(rich)
    assert {name for name, rows in source_rows.items() if rows} >= CORE_TABLES
    in_trash = [r for t in ("documents", "editions") for r in source_rows[t] if r["deleted_at"]]
    assert len(in_trash) == 2 and all(r["deleted_by_id"] for r in in_trash)
    assert any(r["undone_by_id"] for r in source_rows["structure_changes"])
    results = [(r["result"], r["result is SQL NULL"]) for r in source_rows["jobs"]]
    assert (None, True) in results and (None, False) in results  # SQL NULL ≠ JSON null
    first = tmp_path / "first.zip"
    backup_of(rich, first)

    if _on_postgres(rich):
        other_url, again_url = sqlite_url(tmp_path, "other"), second_postgres_url()
    else:
        other_url, again_url = second_postgres_url(), sqlite_url(tmp_path, "again")
    with fresh_app(tmp_path, "other", other_url) as other:
        restore_into(other, first)
        second = tmp_path / "second.zip"
        backup_of(other, second)
        assert database_rows(other) == source_rows
        assert folder_files(other) == source_files
        with fresh_app(tmp_path, "again", again_url) as again:
            restore_into(again, second)
            third = tmp_path / "third.zip"
            backup_of(again, third)
            assert database_rows(again) == source_rows
            assert folder_files(again) == source_files
            assert signs_in(again)  # password hashes survive
            with again.app_context():  # the trash is still the trash, restorable
                items = [(i.kind, i.slug, i.language, i.deleted_by) for i in list_trash()]
                assert sorted(items) == [
                    ("document", "gone", None, "admin@example.org"),
                    ("edition", "drafts", "de", "admin@example.org"),
                ]
                with pytest.raises(NotFound):
                    get_document("gone")
                restore_document(trashed_document("gone"))
                _db.session.commit()
                assert get_document("gone").languages == ["en"]
            _add_rows_after_restore(again)
        assert signs_in(other)
        _add_rows_after_restore(other)

    (m1, t1, f1), (m2, t2, f2), (m3, t3, f3) = map(archive_contents, (first, second, third))
    assert {m1["database"], m2["database"]} == {"sqlite", "postgresql"}
    assert m3["database"] == m1["database"]
    assert t1 == t2 == t3  # every column of every row, in the portable form
    assert f1 == f2 == f3  # the files, byte for byte
    assert sorted(f1) == [
        "files/exports/essay.fr.txt",
        "files/uploads/nested/raw.bin",
        "files/uploads/waiting.md",
    ]
    assert [t["rows"] for t in m1["tables"]] == [t["rows"] for t in m2["tables"]]


def test_every_table_of_the_metadata_is_in_the_backup(clean: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "empty.zip"
    summary = backup_of(clean, archive)
    manifest, _tables, _files = archive_contents(archive)
    assert set(summary.tables) == set(_db.metadata.tables)
    assert {t["name"] for t in manifest["tables"]} == set(_db.metadata.tables)
    for entry in manifest["tables"]:
        table = _db.metadata.tables[entry["name"]]
        assert entry["columns"] == [c.name for c in table.columns]
        assert entry["member"] in manifest["members"]
    assert manifest["schema_revision"] and manifest["format_version"] == 1
    assert "secret_key" not in manifest["members"]


def test_a_database_with_data_is_replaced_only_when_asked(
    rich: Flask, db: Any, tmp_path: Path
) -> None:
    from translator.models import Comment
    from translator.services.users import create_user

    archive = tmp_path / "a.zip"
    backup_of(rich, archive)
    before_rows, before_files = database_rows(rich), folder_files(rich)
    with pytest.raises(Conflict, match=r"already holds data.*--replace"):
        restore_backup(archive, folders=folders(rich))
    db.session.rollback()
    assert database_rows(rich) == before_rows

    create_user("late@example.org", "a late password")
    db.session.execute(sa.delete(Comment))
    db.session.commit()
    (Path(rich.config["UPLOAD_FOLDER"]) / "waiting.md").unlink()
    (Path(rich.config["UPLOAD_FOLDER"]) / "stray.txt").write_text("not in the backup")
    restore_into(rich, archive, replace=True)
    assert database_rows(rich) == before_rows
    assert folder_files(rich) == before_files
    assert not [p for p in Path(rich.instance_path).iterdir() if p.name.startswith(".")]


def test_a_folder_that_cannot_be_renamed_gets_its_content_replaced(
    rich: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "a.zip"
    backup_of(rich, archive)
    before = folder_files(rich)
    uploads = Path(rich.config["UPLOAD_FOLDER"])
    (uploads / "stray.txt").write_text("not in the backup")
    rename = os.rename

    def mount_point(source: Any, target: Any) -> None:
        if Path(source) == uploads:
            raise OSError(16, "Device or resource busy")  # as renaming a mount point
        rename(source, target)

    monkeypatch.setattr(os, "rename", mount_point)
    restore_into(rich, archive, replace=True)
    assert folder_files(rich) == before
    assert not [p for p in uploads.parent.iterdir() if p.name.startswith(".")]


def _rewrite(
    source: Path,
    target: Path,
    *,
    members: Callable[[str, bytes], bytes] = lambda name, data: data,
    manifest: Callable[[dict[str, Any]], None] = lambda m: None,
    extra: dict[str, bytes] | None = None,
    rehash: bool = True,
) -> Path:
    """A copy of ``source`` with members changed (and, with ``rehash``, their checksums
    and sizes in the manifest recomputed as if the archive had been made so)."""
    with zipfile.ZipFile(source) as src:
        meta = json.loads(src.read("manifest.json"))
        contents = {n: members(n, src.read(n)) for n in src.namelist() if n != "manifest.json"}
    contents.update(extra or {})
    if rehash:
        meta["members"] = {
            n: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for n, data in contents.items()
        }
    manifest(meta)
    with zipfile.ZipFile(target, "w") as out:
        for name, data in contents.items():
            out.writestr(name, data)
        out.writestr("manifest.json", json.dumps(meta))
    return target


def _nothing_written(app: Flask) -> None:
    assert all(not rows for rows in database_rows(app).values())
    assert folder_files(app) == {}
    assert not [p for p in Path(app.instance_path).iterdir() if ".restore-" in p.name]


@pytest.mark.parametrize("member", ["tables/suggestions.jsonl", "files/uploads/waiting.md"])
def test_a_corrupted_archive_is_refused_before_anything_is_written(
    rich: Flask, tmp_path: Path, member: str
) -> None:
    good = tmp_path / "good.zip"
    backup_of(rich, good)

    def flip(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]

    bad = _rewrite(good, tmp_path / "bad.zip", members=flip, rehash=False)
    with fresh_app(tmp_path, "target", sqlite_url(tmp_path, "target")) as target:
        with pytest.raises(InputError, match=f"{member}.*checksum mismatch"):
            restore_into(target, bad)
        _nothing_written(target)
        restore_into(target, good)  # the same target takes the sound archive
        assert database_rows(target)["segments"]


def test_an_archive_of_another_schema_revision_is_refused(clean: Flask, tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    backup_of(clean, good)

    def older(meta: dict[str, Any]) -> None:
        meta["schema_revision"] = "0a3fb4339a30"

    bad = _rewrite(good, tmp_path / "old.zip", manifest=older)
    with pytest.raises(InputError, match=r"schema revision 0a3fb4339a30.*translator init"):
        restore_into(clean, bad)
    _nothing_written(clean)


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"../evil.txt": b"x"}, "unsafe member name '../evil.txt'"),
        ({"/tmp/evil.txt": b"x"}, "unsafe member name '/tmp/evil.txt'"),
        ({"files/uploads/../../evil.txt": b"x"}, "unsafe member name"),
        ({"files/uploads/a\\..\\..\\evil.txt": b"x"}, "unsafe member name"),
        ({"files/secrets/evil.txt": b"x"}, "files of unknown folders: secrets"),
        ({"files/uploads/big.bin": b"x" * 5000}, "over the limit of 4096"),
    ],
)
def test_unsafe_or_oversized_archives_are_refused(
    clean: Flask, tmp_path: Path, extra: dict[str, bytes], error: str
) -> None:
    good = tmp_path / "good.zip"
    backup_of(clean, good)
    bad = _rewrite(good, tmp_path / "bad.zip", extra=extra)
    with pytest.raises(InputError, match=re.escape(error)):
        restore_into(clean, bad, max_member_bytes=4096)
    _nothing_written(clean)
    assert not list(tmp_path.rglob("evil.txt"))


def test_members_outside_the_manifest_are_refused(clean: Flask, tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    backup_of(clean, good)

    def unlisted(meta: dict[str, Any]) -> None:
        del meta["members"]["files/uploads/sneaky.txt"]

    bad = _rewrite(
        good, tmp_path / "bad.zip", extra={"files/uploads/sneaky.txt": b"x"}, manifest=unlisted
    )
    with pytest.raises(InputError, match="not in the manifest: files/uploads/sneaky"):
        restore_into(clean, bad)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "twice.zip", "w") as out:
        for name in src.namelist():
            out.writestr(name, src.read(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.writestr("tables/users.jsonl", b"")
    with pytest.raises(InputError, match="appears twice"):
        restore_into(clean, tmp_path / "twice.zip")
    _nothing_written(clean)


def test_a_failing_restore_leaves_the_database_and_the_files_as_they_were(
    rich: Flask, tmp_path: Path
) -> None:
    good = tmp_path / "good.zip"
    backup_of(rich, good)
    before_rows, before_files = database_rows(rich), folder_files(rich)

    def duplicate_a_user(name: str, data: bytes) -> bytes:
        return data + data.splitlines(keepends=True)[0] if name == "tables/users.jsonl" else data

    def count_it(meta: dict[str, Any]) -> None:
        next(t for t in meta["tables"] if t["name"] == "users")["rows"] += 1

    bad = _rewrite(good, tmp_path / "bad.zip", members=duplicate_a_user, manifest=count_it)
    with pytest.raises(InputError, match=re.escape("tables/users.jsonl: the rows do not fit")):
        restore_into(rich, bad, replace=True)
    assert database_rows(rich) == before_rows
    assert folder_files(rich) == before_files
    assert not [p for p in Path(rich.instance_path).iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "bogus"), ("updated_at", "not a date"), ("words", {"not": "a number"})],
)
def test_values_that_do_not_fit_are_named(
    rich: Flask, tmp_path: Path, field: str, value: Any
) -> None:
    good = tmp_path / "good.zip"
    backup_of(rich, good)
    before = database_rows(rich)

    def spoil(name: str, data: bytes) -> bytes:
        if name != "tables/segments.jsonl":
            return data
        first, rest = data.split(b"\n", 1)
        return json.dumps({**json.loads(first), field: value}).encode() + b"\n" + rest

    bad = _rewrite(good, tmp_path / "bad.zip", members=spoil)
    with pytest.raises(InputError, match=r"tables/segments\.jsonl.*(do not fit|cannot be read)"):
        restore_into(rich, bad, replace=True)
    assert database_rows(rich) == before


def test_the_secret_key_is_left_out_unless_asked(clean: Flask, tmp_path: Path) -> None:
    key = tmp_path / "secret_key"
    key.write_text("s3cr3t-key-value")
    plain, keyed = tmp_path / "plain.zip", tmp_path / "keyed.zip"
    backup_of(clean, plain)
    assert b"s3cr3t-key-value" not in plain.read_bytes()
    assert "secret_key" not in archive_contents(plain)[2]
    backup_of(clean, keyed, secret_key_file=key)
    assert archive_contents(keyed)[2]["secret_key"] == b"s3cr3t-key-value"

    restored_key = tmp_path / "instance-b" / "secret_key"
    summary = restore_into(clean, keyed, secret_key_file=restored_key)
    assert summary.secret_key and restored_key.read_text() == "s3cr3t-key-value"
    assert restored_key.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_previous_archive(
    rich: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "nightly.zip"
    backup_of(rich, archive)
    previous = archive.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        backup_of(rich, archive)
    assert archive.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.zip"]


def test_foreign_key_cycles_are_deferred_and_every_column_type_has_a_portable_form() -> None:
    from translator.services.backup_tables import table_plans

    meta = sa.MetaData()
    sa.Table(
        "writers",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("best_book_id", sa.ForeignKey("books.id"), nullable=True),
        sa.Column("mentor_id", sa.ForeignKey("writers.id"), nullable=True),
    )
    sa.Table(
        "books",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.ForeignKey("writers.id"), nullable=False),
    )
    plans = table_plans(meta.tables.values())
    # The nullable side of the cycle and the self-reference wait for every row; the
    # books, whose writer is NOT NULL, come after the writers.
    assert [(p.name, p.deferred) for p in plans] == [
        ("writers", ["best_book_id", "mentor_id"]),
        ("books", []),
    ]
    meta.tables["writers"].c.best_book_id.nullable = False
    with pytest.raises(TypeError, match="cannot be restored in any order"):
        table_plans(meta.tables.values())

    odd = sa.Table("odd", sa.MetaData(), sa.Column("span", sa.Interval))
    with pytest.raises(TypeError, match=r"odd\.span: no portable backup form"):
        table_plans([odd])
    assert table_plans(_db.metadata.tables.values())  # every column of the real schema
