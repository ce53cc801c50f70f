"""Exports: a job that turns a document into a file, the file kept as an artifact.

``request_export`` checks what is asked (format, editions, source and target) and
creates the job; the task (``workers/exports.py``) calls ``run_export``, which builds
the writer's data (``services.publication``, ``services.interchange``), fingerprints it
and either finds an artifact with that fingerprint (an unchanged document exported
again: the file is reused) or writes the file — to a temporary name, then renamed, so
that no one ever sees it half-written — and records the artifact in the same
transaction as the job's success. A file whose row never committed (a killed worker)
is removed by ``sweep_exports``."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.formats.exports import (
    EXPORT_FORMATS,
    ExportFormat,
    ExportKind,
    ExportOptions,
    export_format,
    load_writers,
)
from translator.models import Document, ExportArtifact, Job
from translator.services.interchange_build import build_interchange
from translator.services.jobs import create_job
from translator.services.publication import build_parallel, build_publication

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]

# Bumped when a writer's output changes for the same input, so that old files are
# not reused for an export that would now come out differently.
WRITERS_REVISION = "1"
_ORPHAN_AGE = 3600.0  # seconds before a file with no artifact row is swept


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """A checked request: ``languages`` in the order asked (one edition, 2-3 side by
    side, or an interchange file's languages, source first)."""

    format: str
    languages: tuple[str, ...]
    source: str | None = None
    target: str | None = None
    typography: bool | None = None  # None: each edition's own setting

    def to_params(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "languages": list(self.languages),
            "source": self.source,
            "target": self.target,
            "typography": self.typography,
        }


def export_formats() -> list[ExportFormat]:
    """Every registered format, editions first, then parallel, then interchange."""
    load_writers()
    order = {ExportKind.EDITION: 0, ExportKind.PARALLEL: 1, ExportKind.INTERCHANGE: 2}
    return sorted(EXPORT_FORMATS.values(), key=lambda f: (order[f.kind], f.name))


def _known(document: Document, language: str, field: str) -> str:
    if document.edition(language) is None:
        known = ", ".join(document.languages) or "none"
        raise InputError(
            f"the document has no {language!r} edition (editions: {known})", field=field
        )
    return language


def check_export(
    document: Document,
    format_name: str,
    languages: list[str],
    *,
    source: str | None = None,
    target: str | None = None,
    typography: bool | None = None,
) -> ExportRequest:
    """Check an export request against the format and the document's editions; raise
    InputError naming the field at fault (format, languages, source, target).
    ``typography`` overrides the editions' setting (None: each edition's own)."""
    fmt = export_format(format_name)
    langs = [language.strip() for language in languages if language.strip()]
    if len(set(langs)) != len(langs):
        raise InputError("an edition is named twice", field="languages")
    for language in langs:
        _known(document, language, "languages")
    if fmt.kind is ExportKind.EDITION:
        if len(langs) != 1:
            raise InputError(
                f"{fmt.name} exports one edition: name one language", field="languages"
            )
        return ExportRequest(fmt.name, tuple(langs), typography=typography)
    if fmt.kind is ExportKind.PARALLEL:
        if not 2 <= len(langs) <= 3:
            raise InputError(
                f"{fmt.name} sets two or three editions side by side", field="languages"
            )
        return ExportRequest(fmt.name, tuple(langs), typography=typography)
    if fmt.name == "tmx":
        langs = langs or list(document.languages)
        if len(langs) < 2:
            raise InputError("a TMX file needs at least two editions", field="languages")
        return ExportRequest(fmt.name, tuple(langs))
    source = _known(document, (source or "").strip(), "source") if source else None
    target = target or (langs[0] if len(langs) == 1 else None)
    if source is None or not target:
        raise InputError(
            f"{fmt.name} needs a source and a target edition (e.g. --source en --lang fr)",
            field="source" if source is None else "target",
        )
    target = _known(document, target.strip(), "target")
    if source == target:
        raise InputError("the source and the target must be different editions", field="target")
    return ExportRequest(fmt.name, (source, target), source, target)


def request_export(document: Document, request: ExportRequest, *, user_id: int | None) -> Job:
    """A pending export job (the boundary commits, then enqueues it)."""
    return create_job("export", request.to_params(), document_id=document.id, user_id=user_id)


def export_folder() -> Path:
    """Where artifacts are kept (shared by web and workers)."""
    return Path(current_app.config["EXPORT_FOLDER"])


def _data(document: Document, request: ExportRequest, kind: ExportKind) -> Any:
    if kind is ExportKind.EDITION:
        return build_publication(document, request.languages[0], typography=request.typography)
    if kind is ExportKind.PARALLEL:
        return build_parallel(document, list(request.languages), typography=request.typography)
    return build_interchange(
        document, list(request.languages), source=request.source, target=request.target
    )


def _fingerprint(request: ExportRequest, data: Any) -> str:
    digest = hashlib.sha256()
    digest.update(f"{WRITERS_REVISION}\n{request!r}\n".encode())
    digest.update(repr(data).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _download_name(document: Document, request: ExportRequest, extension: str) -> str:
    languages = "-".join(request.languages)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", document.slug).strip("-") or "document"
    return f"{slug}.{languages}.{extension}"


def _usable(artifact: ExportArtifact) -> bool:
    path = export_folder() / artifact.stored_name
    return path.is_file() and path.stat().st_size == artifact.size


def _write_atomically(data: bytes, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".export-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _notice_count(data: Any) -> int:
    notices = [getattr(data, "notice", None), *getattr(data, "notices", ())]
    return sum(notice.total for notice in notices if notice is not None)


def run_export(job: Job, progress: Progress) -> ExportArtifact:
    """Make (or reuse) the file the job asks for and record it; flushes, never commits."""
    document = db.session.get(Document, job.document_id) if job.document_id else None
    if document is None:
        raise NotFound("the document of this export no longer exists")
    params = job.params
    request = check_export(
        document,
        params["format"],
        list(params.get("languages") or []),
        source=params.get("source"),
        target=params.get("target"),
        typography=params.get("typography"),
    )
    fmt = export_format(request.format)
    progress(10, "reading the document")
    data = _data(document, request, fmt.kind)
    fingerprint = _fingerprint(request, data)
    for earlier in db.session.scalars(
        select(ExportArtifact)
        .where(ExportArtifact.document_id == document.id, ExportArtifact.fingerprint == fingerprint)
        .order_by(ExportArtifact.created_at.desc())
    ):
        if _usable(earlier):
            progress(100, "unchanged since an earlier export: file reused")
            return earlier
    progress(30, f"writing {fmt.name}")
    started = time.monotonic()
    content = fmt.write(data, ExportOptions(source=request.source, target=request.target))
    log.info(
        "export %s of %s: %d bytes in %.1f s",
        fmt.name,
        document.slug,
        len(content),
        time.monotonic() - started,
    )
    progress(90, "storing the file")
    stored_name = f"{uuid.uuid4().hex}.{fmt.extension}"
    _write_atomically(content, export_folder(), stored_name)
    artifact = ExportArtifact(
        document_id=document.id,
        format=fmt.name,
        languages=list(request.languages),
        options={"source": request.source, "target": request.target},
        fingerprint=fingerprint,
        filename=_download_name(document, request, fmt.extension),
        stored_name=stored_name,
        media_type=fmt.media_type,
        size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        notice=_notice_count(data),
        created_by=job.user_id,
        job_id=job.id,
    )
    db.session.add(artifact)
    db.session.flush()
    return artifact


def _of_live_editions(document: Document, artifact: ExportArtifact) -> bool:
    """Whether every edition the artifact holds is in use: the exports of an edition
    in the trash are hidden with it (and purged with it)."""
    return set(artifact.languages or []) <= set(document.languages)


def list_artifacts(document: Document) -> list[ExportArtifact]:
    """The document's artifacts, newest first."""
    return [
        artifact
        for artifact in db.session.scalars(
            select(ExportArtifact)
            .where(ExportArtifact.document_id == document.id)
            .order_by(ExportArtifact.created_at.desc())
        )
        if _of_live_editions(document, artifact)
    ]


def get_artifact(document: Document, artifact_id: str) -> ExportArtifact:
    """The artifact ``artifact_id`` of ``document``, or NotFound."""
    artifact = db.session.get(ExportArtifact, artifact_id) if len(artifact_id) <= 36 else None
    if (
        artifact is None
        or artifact.document_id != document.id
        or not _of_live_editions(document, artifact)
    ):
        raise NotFound("no such export")
    return artifact


def artifact_path(artifact: ExportArtifact) -> Path:
    """The artifact's file, checked to be complete (NotFound if it is gone)."""
    if not _usable(artifact):
        raise NotFound("the file of this export is gone; export again")
    return export_folder() / artifact.stored_name


def delete_artifact(artifact: ExportArtifact) -> str:
    """Delete the artifact's row; returns the stored name, whose file the boundary
    removes with ``remove_artifact_file`` once the deletion is committed."""
    stored_name = artifact.stored_name
    db.session.delete(artifact)
    db.session.flush()
    return stored_name


def remove_artifact_file(stored_name: str) -> None:
    """Remove a deleted artifact's file (after the commit that deleted its row)."""
    if Path(stored_name).name == stored_name:
        (export_folder() / stored_name).unlink(missing_ok=True)


def sweep_exports() -> list[Path]:
    """Delete the files of the export folder that no artifact refers to and that are
    older than an hour (a worker killed between writing a file and committing its row,
    a temporary file left by a crash); returns what was deleted."""
    folder = export_folder()
    if not folder.is_dir():
        return []
    with db.engine.connect() as connection:
        known = set(connection.scalars(select(ExportArtifact.stored_name)))
    older_than = time.time() - _ORPHAN_AGE
    deleted: list[Path] = []
    for path in folder.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < older_than:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted
