"""Backup and restore of the whole service: every table of the metadata (documents,
editions, history, suggestions, comments, users, members, jobs, and any table added
later) and the instance folders that jobs read or write (uploads, exports).

The archive (see ``backup_archive``) is portable: a backup of SQLite restores into
PostgreSQL and back. A restore goes into a database made by ``translator init`` at the
archive's schema revision, in the caller's transaction (the boundary commits once), and
stages the files next to their folders; ``RestoredBackup.install_files`` moves them into
place once the commit succeeded."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from translator import models  # noqa: F401 - every table of the metadata is registered
from translator.errors import InputError
from translator.extensions import db
from translator.services.backup_archive import (
    FORMAT,
    FORMAT_VERSION,
    MAX_MEMBER_BYTES,
    SECRET_KEY_MEMBER,
    ArchiveReader,
    ArchiveWriter,
)
from translator.services.backup_files import (
    StagedFiles,
    instance_files,
    not_empty,
)
from translator.services.backup_restore import (
    check_archive_tables,
    check_empty,
    check_revision,
    clear_tables,
    insert_tables,
    reset_sequences,
    schema_revision,
)
from translator.services.backup_tables import table_plans
from translator.services.counters import rebuild_counters

BATCH = 1000
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one row per line


@dataclass
class BackupSummary:
    """What an archive holds (written or restored)."""

    path: Path
    created_at: str
    schema_revision: str
    database: str
    app_version: str
    tables: dict[str, int]
    files: dict[str, int]
    secret_key: bool
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.path),
            "created_at": self.created_at,
            "schema_revision": self.schema_revision,
            "database": self.database,
            "app_version": self.app_version,
            "tables": self.tables,
            "rows": sum(self.tables.values()),
            "files": self.files,
            "secret_key": self.secret_key,
            "size": self.size,
        }


def _app_version() -> str:
    try:
        return version("translator")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


@contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """One read-only transaction, so that a backup of a running service is consistent."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # pysqlite would read statement by statement
        try:
            yield conn
        finally:
            conn.rollback()


def write_backup(
    path: Path,
    *,
    folders: Mapping[str, Path],
    secret_key_file: Path | None = None,
) -> BackupSummary:
    """Write the whole service to the archive ``path`` (atomically: a temporary file
    renamed into place). ``folders`` maps archive names (``uploads``, ``exports``) to
    instance folders; a missing folder is skipped. ``secret_key_file`` is included only
    when given: it signs sessions, so an archive holding it is a secret too."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if secret_key_file is not None and not secret_key_file.is_file():
        raise InputError("no secret key file to include", file=str(secret_key_file))
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
                summary = _write_archive(
                    ArchiveWriter(archive), path, folders, secret_key_file, {tmp, path}
                )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    summary.size = path.stat().st_size
    return summary


def _write_archive(
    writer: ArchiveWriter,
    path: Path,
    folders: Mapping[str, Path],
    secret_key_file: Path | None,
    skip: set[Path],
) -> BackupSummary:
    plans = table_plans(db.metadata.tables.values())
    tables: dict[str, int] = {}
    with _snapshot() as conn:
        revision = schema_revision(conn, label="the database")
        for plan in plans:
            count = 0
            with writer.member(plan.member) as out:
                result = conn.execution_options(yield_per=BATCH).execute(plan.select())
                for rows in result.partitions():
                    lines = [_LINE.encode(plan.encode(row)) for row in rows]
                    out.write(("\n".join(lines) + "\n").encode("utf-8"))
                    count += len(rows)
            tables[plan.name] = count
        database = conn.dialect.name
    files = dict.fromkeys(sorted(folders), 0)
    for name, folder in sorted(folders.items()):
        for relative, source in instance_files(folder, skip):
            writer.add_file(f"files/{name}/{relative}", source)
            files[name] += 1
    if secret_key_file is not None:
        writer.add_file(SECRET_KEY_MEMBER, secret_key_file)
    summary = BackupSummary(
        path=path,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        schema_revision=revision,
        database=database,
        app_version=_app_version(),
        tables=tables,
        files=files,
        secret_key=secret_key_file is not None,
        size=0,
    )
    writer.write_manifest(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": summary.app_version,
            "schema_revision": revision,
            "created_at": summary.created_at,
            "database": database,
            "tables": [
                {
                    "name": p.name,
                    "member": p.member,
                    "rows": tables[p.name],
                    "columns": p.column_names,
                }
                for p in plans
            ],
            "folders": {name: {"files": n} for name, n in files.items()},
            "secret_key": summary.secret_key,
        }
    )
    return summary


@dataclass
class RestoredBackup:
    """A restore done in the session (not committed yet) with its files staged beside
    their folders. After the commit, ``install_files``; in any case ``discard``."""

    summary: BackupSummary
    files: StagedFiles

    def install_files(self) -> None:
        """Move the staged folders (and the secret key) into place."""
        self.files.install()

    def discard(self) -> None:
        """Remove whatever is still staged."""
        self.files.discard()


def restore_backup(
    path: Path,
    *,
    folders: Mapping[str, Path],
    secret_key_file: Path | None = None,
    replace: bool = False,
    max_member_bytes: int = MAX_MEMBER_BYTES,
) -> RestoredBackup:
    """Restore the archive ``path`` into the session's database and stage its files.

    Refuses (``InputError``) a damaged or unsafe archive and one of another schema
    revision, and (``Conflict``) a database or folder that already holds data unless
    ``replace``; every checksum is verified before anything is written. The caller
    commits, then calls ``install_files``, and ``discard`` in a ``finally``. The secret
    key is restored to ``secret_key_file`` only if the archive has one."""
    reader = ArchiveReader(path, max_member_bytes=max_member_bytes)
    manifest = reader.manifest
    restored = RestoredBackup(
        BackupSummary(
            path=path,
            created_at=str(manifest.get("created_at", "")),
            schema_revision=str(manifest.get("schema_revision", "")),
            database=str(manifest.get("database", "")),
            app_version=str(manifest.get("app_version", "")),
            tables={},
            files={},
            secret_key=False,
            size=path.stat().st_size,
        ),
        StagedFiles(),
    )
    try:
        _restore(reader, folders, secret_key_file, replace, restored)
    except BaseException:
        restored.discard()
        raise
    finally:
        reader.close()
    return restored


def _restore(
    reader: ArchiveReader,
    folders: Mapping[str, Path],
    secret_key_file: Path | None,
    replace: bool,
    restored: RestoredBackup,
) -> None:
    unknown = {m.split("/")[1] for m in reader.members if m.startswith("files/")} - set(folders)
    if unknown:
        raise InputError(
            f"files of unknown folders: {', '.join(sorted(unknown))}", file=reader.label
        )
    plans = table_plans(db.metadata.tables.values())
    check_archive_tables(reader, plans)
    db.session.flush()
    conn = db.session.connection()
    check_revision(reader, conn)
    if not replace:
        check_empty(conn, plans, [f for f in folders.values() if not_empty(f)])
    reader.verify()  # every checksum, before anything is written
    restored.files.stage_folders(reader, folders)
    if secret_key_file is not None and SECRET_KEY_MEMBER in reader.members:
        restored.files.stage_secret_key(reader, secret_key_file)
    if replace:
        clear_tables(conn, plans)
    restored.summary.tables = insert_tables(reader, plans, conn)
    rebuild_counters(conn)  # the triggers counted the restored rows again
    reset_sequences(conn, plans)
    db.session.expire_all()
    restored.summary.files = dict(restored.files.counts)
    restored.summary.secret_key = restored.files.secret_key
