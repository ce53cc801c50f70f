"""The backup archive: one zip file with ``manifest.json``, one JSON-lines member per
table (``tables/<name>.jsonl``), the instance's files (``files/<folder>/<path>``) and,
only when asked, the ``secret_key``. The manifest holds the sha256 and size of every
other member; the reader refuses unsafe names, unlisted members and oversized members
before anything is read, and checks every byte it hands out against the manifest."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from translator.errors import InputError

FORMAT = "translator-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SECRET_KEY_MEMBER = "secret_key"  # noqa: S105 - the member's name, not a secret
MAX_MEMBER_BYTES = 4 * 1024**3  # a larger member is refused (a zip bomb, not a backup)
MAX_MANIFEST_BYTES = 64 * 1024**2
MAX_LINE_BYTES = 1024**3
CHUNK = 1024 * 1024
_MEMBER = re.compile(r"tables/[A-Za-z0-9_]+\.jsonl|files/[a-z0-9_-]+/.+|" + SECRET_KEY_MEMBER)


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") for part in parts)
    )


def _record(line: bytes, name: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise InputError(f"not JSON: {exc}", file=name, line=number) from exc
    if not isinstance(record, dict):
        raise InputError("not a JSON object", file=name, line=number)
    return record


class _HashingWriter:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.raw.write(data)
        self.sha256.update(data)
        self.size += len(data)


class ArchiveWriter:
    """Writes members into an open zip file and remembers their checksums."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members: dict[str, dict[str, Any]] = {}

    @contextmanager
    def member(self, name: str) -> Iterator[_HashingWriter]:
        """A writable member; its size and sha256 go into the manifest."""
        info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.archive.open(info, "w", force_zip64=True) as raw:
            out = _HashingWriter(raw)
            yield out
        self.members[name] = {"size": out.size, "sha256": out.sha256.hexdigest()}

    def add_file(self, name: str, source: Path) -> None:
        """Copy a file into the archive, keeping its modification time."""
        info = zipfile.ZipInfo.from_file(source, name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with source.open("rb") as src, self.archive.open(info, "w", force_zip64=True) as raw:
            out = _HashingWriter(raw)
            while chunk := src.read(CHUNK):
                out.write(chunk)
        self.members[name] = {"size": out.size, "sha256": out.sha256.hexdigest()}

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        data = json.dumps({**manifest, "members": self.members}, indent=1, ensure_ascii=False)
        self.archive.writestr(MANIFEST, data.encode("utf-8"), zipfile.ZIP_DEFLATED)


class ArchiveReader:
    """An archive opened for restoring: names, manifest and sizes checked on opening."""

    def __init__(self, path: Path, *, max_member_bytes: int = MAX_MEMBER_BYTES) -> None:
        self.path = path
        self.label = str(path)
        try:
            self.archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError(f"not a readable backup archive: {exc}", file=self.label) from exc
        try:
            self.manifest = self._check(max_member_bytes)
        except BaseException:
            self.archive.close()
            raise

    def close(self) -> None:
        self.archive.close()

    def _fail(self, message: str, field: str | None = None) -> InputError:
        return InputError(message, file=self.label, field=field)

    def _check(self, max_member_bytes: int) -> dict[str, Any]:
        infos = self.archive.infolist()
        seen: set[str] = set()
        for info in infos:
            if _unsafe(info.filename):
                raise self._fail(f"unsafe member name {info.filename!r} (absolute or '..')")
            if info.filename in seen:
                raise self._fail(f"member {info.filename!r} appears twice")
            seen.add(info.filename)
        if MANIFEST not in seen:
            raise self._fail(f"no {MANIFEST}: not a translator backup")
        if self.archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
            raise self._fail(f"{MANIFEST} is over {MAX_MANIFEST_BYTES} bytes")
        try:
            manifest = json.loads(self.archive.read(MANIFEST))
        except (ValueError, zipfile.BadZipFile) as exc:
            raise self._fail(f"{MANIFEST} is not valid JSON: {exc}") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise self._fail("not a translator backup", field="format")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise self._fail(
                f"backup format version {manifest.get('format_version')!r} is not "
                f"{FORMAT_VERSION}, the one this translator reads",
                field="format_version",
            )
        members = manifest.get("members")
        if not isinstance(members, dict):
            raise self._fail("the manifest lists no members", field="members")
        for name, entry in members.items():
            if _unsafe(name) or not _MEMBER.fullmatch(name):
                raise self._fail(f"unsafe or unknown member name {name!r}", field="members")
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("size"), int)
                and isinstance(entry.get("sha256"), str)
            ):
                raise self._fail(f"member {name!r}: no size and sha256", field="members")
            if name not in seen:
                raise self._fail(f"member {name!r} is listed in the manifest but missing")
            if entry["size"] > max_member_bytes:
                raise self._fail(
                    f"member {name!r} is {entry['size']} bytes, over the limit of "
                    f"{max_member_bytes}"
                )
            if self.archive.getinfo(name).file_size != entry["size"]:
                raise self._fail(f"member {name!r}: its size differs from the manifest's")
        unlisted = sorted(seen - set(members) - {MANIFEST})
        if unlisted:
            raise self._fail(f"members not in the manifest: {', '.join(unlisted[:5])}")
        return manifest

    @property
    def members(self) -> dict[str, dict[str, Any]]:
        members: dict[str, dict[str, Any]] = self.manifest["members"]
        return members

    @contextmanager
    def _open(self, name: str) -> Iterator[tuple[IO[bytes], Any]]:
        entry = self.members[name]
        sha256 = hashlib.sha256()
        try:
            with self.archive.open(name) as handle:
                yield handle, sha256
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise self._fail(f"member {name!r} is damaged: {exc}") from exc
        if sha256.hexdigest() != entry["sha256"]:
            raise self._fail(f"member {name!r}: checksum mismatch (the archive is corrupted)")

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes; raises at the end if they are not the manifest's."""
        with self._open(name) as (handle, sha256):
            while chunk := handle.read(CHUNK):
                sha256.update(chunk)
                yield chunk

    def records(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line number, JSON object) of a JSON-lines member, checked like ``chunks``."""
        number, pending = 0, b""
        for chunk in self.chunks(name):
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            if len(pending) > MAX_LINE_BYTES:
                raise InputError("a line is over-long", file=name, line=number + 1)
            for line in lines:
                number += 1
                yield number, _record(line, name, number)
        if pending:
            raise InputError("the last line is truncated", file=name, line=number + 1)

    def verify(self) -> None:
        """Read every member through its checksum before anything is written."""
        for name in self.members:
            for _chunk in self.chunks(name):
                pass
