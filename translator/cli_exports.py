"""``translator export``: a document out as a book, a web page, a parallel edition or an
interchange file, through the same export job as the web (docs/exports.md).

By default the job runs in this process (no worker needed); ``--worker`` queues it for
a worker and waits. The file is then copied to ``-o PATH`` atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from translator.cli_common import wait_for_job
from translator.errors import TranslatorError, Unavailable
from translator.extensions import db
from translator.services.documents import get_document
from translator.services.exports import (
    artifact_path,
    check_export,
    get_artifact,
    request_export,
)
from translator.services.jobs import enqueue_job, get_job, run_job_here


def _languages(lang: str | None, langs: str | None) -> list[str]:
    named = [lang] if lang else []
    named += [code.strip() for code in (langs or "").split(",") if code.strip()]
    return named


def _copy_atomically(source: Path, target: Path) -> None:
    target = target.resolve()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    required=True,
    help="html, epub, docx, pdf, md, txt; parallel-html, parallel-pdf, parallel-docx; "
    "xliff, xliff2, po, tmx.",
)
@click.option("--lang", help="The edition (the target of an XLIFF or PO file).")
@click.option("--langs", help="Comma-separated editions: 2-3 for parallel-*, any for tmx.")
@click.option("--source", help="The source edition of an XLIFF or PO file.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the file.",
)
@click.option(
    "--typography/--no-typography",
    default=None,
    help="Apply the language's typography or not (default: each edition's setting).",
)
@click.option("--worker", is_flag=True, help="Queue the job for a worker and wait for it.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@with_appcontext
def export_command(
    slug: str,
    fmt: str,
    lang: str | None,
    langs: str | None,
    source: str | None,
    output: Path,
    typography: bool | None,
    worker: bool,
    as_json: bool,
) -> None:
    """Export the document SLUG to a file, as a job (the same as the web's Export)."""

    try:
        document = get_document(slug)
        request = check_export(
            document,
            fmt,
            _languages(lang, langs),
            source=source,
            target=lang,
            typography=typography,
        )
    except TranslatorError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if not output.parent.is_dir():
        raise click.ClickException(f"{output.parent}: no such folder")
    job = request_export(document, request, user_id=None)
    db.session.commit()
    job_id = job.id
    if worker:
        try:
            enqueue_job(job)
        except Unavailable as exc:
            raise click.ClickException(f"export not started: {exc}") from exc
        job = wait_for_job(job_id)
    else:
        run_job_here(job)
        db.session.expire_all()
        job = get_job(job_id)
    if job.state != "succeeded":
        raise click.ClickException(f"export failed: {job.message}")
    result = dict(job.result or {})
    artifact = get_artifact(document, result["artifact"])
    _copy_atomically(artifact_path(artifact), output)
    summary = {
        "document": document.slug,
        "format": artifact.format,
        "languages": artifact.languages,
        "output": str(output),
        "size": artifact.size,
        "sha256": artifact.checksum,
        "unfinished_units": artifact.notice,
    }
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    notice = f"; unfinished: {artifact.notice} units listed" if artifact.notice else ""
    click.echo(f"wrote {output} ({artifact.format}, {artifact.size} bytes{notice})")
