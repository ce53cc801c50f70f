"""The ``translator`` command group. Every subcommand is a boundary: it commits once."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from translator.app import create_app
from translator.cli_activity import activity_group
from translator.cli_assignments import assign_command, split_command
from translator.cli_exports import export_command
from translator.cli_progress import progress_command
from translator.cli_tokens import token_group
from translator.cli_trash import delete_command, trash_group
from translator.embedded import (
    WORKER_STOP_TIMEOUT,
    raise_stop,
    start_worker,
    stop_worker,
    worker_argv,
)
from translator.errors import InputError, NotFound, TranslatorError, Unavailable
from translator.extensions import db
from translator.formats.interchange import interchange_kind
from translator.models import WHOLE_DOCUMENT, MemberRole, User
from translator.services.backup import restore_backup, write_backup
from translator.services.backup_files import instance_folders
from translator.services.documents import get_document, list_documents
from translator.services.editions import start_translation
from translator.services.imports import FORMATS, prepare_import, read_upload, store_import
from translator.services.interchange import import_interchange
from translator.services.jobs import (
    create_job,
    enqueue_job,
    get_job,
    reap_stale_jobs,
    run_job_here,
)
from translator.services.languages import normalize_language
from translator.services.members import list_members, remove_member, set_member
from translator.services.progress import edition_progress
from translator.services.units import unit_rows
from translator.services.users import create_user, find_user
from translator.text.alignment import align_files, format_beads


def _fail(exc: TranslatorError) -> None:
    db.session.rollback()
    raise click.ClickException(str(exc))


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def cli() -> None:
    """translator: publish every text simultaneously in several languages."""


cli.add_command(token_group)  # translator token create|list|revoke
cli.add_command(export_command)  # translator export SLUG --format F -o PATH
cli.add_command(delete_command)  # translator delete SLUG [--edition LANG]
cli.add_command(trash_group)  # translator trash [restore|purge]
cli.add_command(assign_command)  # translator assign SLUG --lang fr --to EMAIL ...
cli.add_command(split_command)  # translator split SLUG --lang fr --among a@x,b@x ...
cli.add_command(progress_command)  # translator progress [SLUG] [--json] [--recount]
cli.add_command(activity_group)  # translator activity figures --from D --to D [--csv]


@cli.command("init")
def init_command() -> None:
    """Create the database, or upgrade it to the latest schema."""
    upgrade()
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@cli.command("create-user")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="Give the user administrator rights.")
@click.option(
    "--coordinator", is_flag=True, help="A coordinator of every document (not of accounts)."
)
def create_user_command(
    email: str, password_stdin: bool, name: str, admin: bool, coordinator: bool
) -> None:
    """Create a user account (the first one should be --admin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            email, password, display_name=name, is_admin=admin, is_coordinator=coordinator
        )
    except TranslatorError as exc:
        _fail(exc)
    db.session.commit()
    role = " (admin)" if admin else " (coordinator)" if coordinator else ""
    click.echo(f"created user {user.email}{role}")


@cli.command("member")
@click.argument("slug")
@click.argument("email")
@click.argument("languages", required=False, default="")
@click.option("--reviewer", is_flag=True, help="Confirmations mark segments reviewed.")
@click.option(
    "--coordinator", is_flag=True, help="Coordinator of the whole document (no LANGUAGES)."
)
@click.option("--reader", is_flag=True, help="Reader of the whole document (no LANGUAGES).")
@click.option("--remove", is_flag=True, help="Take the languages (or the role) away instead.")
def member_command(
    slug: str,
    email: str,
    languages: str,
    reviewer: bool,
    coordinator: bool,
    reader: bool,
    remove: bool,
) -> None:
    """Let user EMAIL edit LANGUAGES (comma-separated) of document SLUG, or with
    --coordinator / --reader give them that role over the whole document."""
    try:
        document = get_document(slug)
        user = find_user(email)
        if user is None:
            raise NotFound(f"no user with e-mail {email}", field="email")
        whole = MemberRole.COORDINATOR if coordinator else MemberRole.READER if reader else None
        codes = [code.strip() for code in languages.split(",") if code.strip()]
        if whole is not None:
            codes = [WHOLE_DOCUMENT]
        elif not codes:
            raise InputError("name the LANGUAGES, or give --coordinator or --reader")
        memberships = {m.language: m for m in list_members(document) if m.user_id == user.id}
        for code in codes:
            if remove:
                if code in memberships:
                    remove_member(document, memberships[code].id)
            else:
                role = whole or (MemberRole.REVIEWER if reviewer else MemberRole.TRANSLATOR)
                set_member(document, user, code, role)
    except TranslatorError as exc:
        _fail(exc)
    db.session.commit()
    assert user is not None  # _fail exits otherwise
    mine = [m for m in list_members(document) if m.user_id == user.id]
    rights = sorted(m.language for m in mine if m.language)
    roles = sorted(str(m.role) for m in mine if not m.language)
    also = f" ({', '.join(roles)})" if roles else ""
    click.echo(f"{user.email} may edit: {', '.join(rights) or 'nothing'} of {document.slug}{also}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--lang",
    "language",
    help="Language of the file (BCP 47: en, fr, pt-BR); XLIFF, PO and TMX files say theirs.",
)
@click.option("--document", "slug", help="Add the file as an edition of this existing document.")
@click.option("--title", help="Title of a new document (default: first heading or file name).")
@click.option("--slug", "new_slug", help="Slug of a new document (default: from the title).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option(
    "--as",
    "as_email",
    help="XLIFF/PO/TMX: the user the changes are saved as (default: the first administrator).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_command(
    file: Path,
    language: str | None,
    slug: str | None,
    title: str | None,
    new_slug: str | None,
    fmt: str,
    as_email: str | None,
    as_json: bool,
) -> None:
    """Import FILE as an edition: parse it, split it into sentences, store it.

    An XLIFF (.xlf, .xliff), PO (.po, .pot) or TMX (.tmx) file is read back into the
    document it names (or --document, or a new document): changed cells are saved,
    cells changed in the service since the export become suggestions."""
    if interchange_kind(str(file)):
        _import_interchange(file, slug, as_email, as_json)
        return
    try:
        if not language:
            raise InputError("--lang is required to import a text file", field="lang")
        document = get_document(slug) if slug else None
        data = read_upload(file, str(file))
        prepared = prepare_import(data, str(file), language, fmt)
        summary = store_import(prepared, document=document, title=title, slug=new_slug)
    except TranslatorError as exc:
        _fail(exc)
    db.session.commit()
    d = summary.to_dict()
    if as_json:
        _echo_json(d)
    else:
        click.echo(
            f"imported {file} into {d['document']} ({d['language']}): {d['segments']} segments, "
            f"{d['headings']} headings, {d['paragraphs']} paragraphs; "
            f"the document has {d['units']} units"
        )
        for warning in summary.warnings:
            click.echo(f"warning: {warning}", err=True)


def _importing_user(email: str | None) -> User:
    """The user an interchange import saves as: --as EMAIL, else the first administrator."""
    if email:
        user = find_user(email)
        if user is None:
            raise NotFound(f"no user with e-mail {email}", field="as")
        return user
    admin: User | None = db.session.scalar(
        select(User).where(User.is_admin.is_(True), User.active.is_(True)).order_by(User.id)
    )
    if admin is None:
        raise NotFound(
            "no administrator to save the changes as: create one or pass --as EMAIL", field="as"
        )
    return admin


def _import_interchange(file: Path, slug: str | None, as_email: str | None, as_json: bool) -> None:
    try:
        user = _importing_user(as_email)
        document = get_document(slug) if slug else None
        data = read_upload(file, str(file))
        report = import_interchange(data, str(file), user=user, document=document)
    except TranslatorError as exc:
        _fail(exc)
    db.session.commit()
    if as_json:
        _echo_json(report.to_dict())
        return
    click.echo(
        f"imported {file} into {report.document}: {report.updated} updated, "
        f"{report.suggestions} suggestions, {report.unchanged} unchanged, "
        f"{report.created} units created, {report.errors} errors"
        + (f"; {report.comments} notes added as comments" if report.comments else "")
    )
    for outcome in [o for o in report.units if o.outcome == "error"][:20]:
        click.echo(f"error: unit {outcome.unit_id} {outcome.language}: {outcome.message}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command("add-edition")
@click.argument("slug")
@click.option("--lang", "language", required=True, help="The new edition's language (BCP 47).")
@click.option("--title", default="", help="Its title (default: its translated title row).")
@click.option("--source", help="Translate from this edition (default: the original).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def add_edition_command(
    slug: str, language: str, title: str, source: str | None, as_json: bool
) -> None:
    """Start a translation: an empty edition whose cells follow the original's units."""
    try:
        made = start_translation(get_document(slug), language, title=title, source=source)
        summary = made.to_dict()
        db.session.commit()
    except TranslatorError as exc:
        _fail(exc)
    if as_json:
        _echo_json(summary)
        return
    click.echo(
        f"{slug}: new {summary['language']} edition from {summary['original']}, "
        f"{summary['units']} units, {summary['words_to_translate']} words to translate"
    )


@cli.command("documents")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def documents_command(as_json: bool) -> None:
    """List documents with per-edition progress."""
    documents = list_documents()
    progress = edition_progress([d.id for d in documents])
    out: list[dict[str, Any]] = []
    for document in documents:
        editions: dict[str, dict[str, Any]] = {}
        for edition in document.editions:
            p = progress.get(edition.id)
            editions[edition.language] = {
                "segments": dict(p.segments) if p else {},
                "words": dict(p.words) if p else {},
                "unaligned": p.unaligned if p else 0,
            }
        out.append({"document": document.slug, "title": document.title, "editions": editions})
    if as_json:
        _echo_json(out)
        return
    for item in out:
        langs = ", ".join(
            f"{lang} ({sum(e['segments'].values())} segments)"
            for lang, e in item["editions"].items()
        )
        click.echo(f"{item['document']}\t{item['title']}\t{langs}")


@cli.command("show")
@click.argument("slug")
@click.option("--lang", "languages", multiple=True, help="Only these languages (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show_command(slug: str, languages: tuple[str, ...], as_json: bool) -> None:
    """Show a document's units in order, one cell per edition."""
    try:
        document = get_document(slug)
    except TranslatorError as exc:
        _fail(exc)
    rows = unit_rows(document, languages=list(languages) or None)
    if as_json:
        _echo_json({"document": document.slug, "units": [r.to_dict() for r in rows]})
        return
    for row in rows:
        click.echo(f"#{row.id} {row.role} ¶{row.paragraph}")
        for lang, cell in row.cells.items():
            click.echo(f"  [{lang}] {cell.text}")


@cli.command("align")
@click.argument("slug")
@click.option("--pivot", help="Edition every other one is aligned to (default: the most complete).")
@click.option("--langs", help="Comma-separated editions to align (default: all).")
@click.option(
    "--skip",
    help="Comma-separated editions to leave out: their cells stay beside the same pivot text.",
)
@click.option("--force", is_flag=True, help="Replace manual fixes made since the last alignment.")
@click.option("--wait", is_flag=True, help="Wait for a worker to finish the job.")
@click.option("--local", is_flag=True, help="Run the job in this process (no worker needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the job's result as JSON.")
def align_command(
    slug: str,
    pivot: str | None,
    langs: str | None,
    skip: str | None,
    force: bool,
    wait: bool,
    local: bool,
    as_json: bool,
) -> None:
    """Align a document's editions into units, as a background job. Editions left out
    (--skip, or not in --langs), and any edition empty or nearly so, keep their cells
    beside the pivot text they sit beside."""
    try:
        document = get_document(slug)
    except TranslatorError as exc:
        _fail(exc)
    languages = [lang.strip() for lang in langs.split(",") if lang.strip()] if langs else None
    if skip:
        skipped = {lang.strip() for lang in skip.split(",") if lang.strip()}
        unknown = sorted(skipped - {e.language for e in document.editions})
        if unknown:
            raise click.BadParameter(
                f"document {slug!r} has no {', '.join(unknown)} edition", param_hint="--skip"
            )
        languages = [
            lang for lang in (languages or [e.language for e in document.editions])
            if lang not in skipped
        ]  # fmt: skip
    params = {"pivot": pivot, "languages": languages, "force": force}
    job = create_job("align", params, document_id=document.id)
    db.session.commit()
    job_id = job.id
    if local:
        run_job_here(job)
    else:
        try:
            enqueue_job(job)  # on failure the job is failed, not left pending
        except Unavailable as exc:
            raise click.ClickException(f"alignment not started: {exc}") from exc
        if not wait:
            click.echo(json.dumps({"job": job_id}) if as_json else f"job {job_id} queued")
            return
    job = _wait_for_job(job_id)
    if job.state != "succeeded":
        raise click.ClickException(f"alignment failed: {job.message}")
    result = dict(job.result or {})
    result.pop("document_id", None)
    if as_json:
        _echo_json(result)
        return
    click.echo(
        f"aligned {result['document']} ({', '.join(result['languages'])}; "
        f"pivot {result['pivot']}): "
        f"{result['units']} units, mean confidence {result['mean_confidence']:.2f}, "
        f"{result['low_confidence']} below {result['threshold']}"
    )
    for pair, kinds in result["beads"].items():
        click.echo(f"  {pair}: " + ", ".join(f"{kind} ×{n}" for kind, n in kinds.items()))
    why = {"chosen": "left out", "empty": "empty", "near_empty": "nearly empty"}
    for lang, reason in result.get("left_out", {}).items():
        click.echo(
            f"  {lang}: not aligned ({why.get(reason, reason)}); "
            "its cells stayed beside the same pivot text"
        )


def _wait_for_job(job_id: str, timeout: float = 3600) -> Any:
    """Poll the job until it is done; reaping as it goes, a job whose worker died ends
    failed within the heartbeat timeout instead of being waited for until ``timeout``."""
    deadline = time.monotonic() + timeout
    last = -1
    next_reap = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() >= next_reap:
            reap_stale_jobs()
            next_reap = time.monotonic() + 2
        db.session.expire_all()
        job = get_job(job_id)
        if job.progress != last:
            click.echo(f"{job.state} {job.progress}% {job.message}", err=True)
            last = job.progress
        if job.done:
            return job
        time.sleep(0.25)
    raise click.ClickException(f"job {job_id} did not finish in {timeout:.0f} s")


@cli.command("align-files")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("tgt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--src-lang", required=True, help="Language of SRC (BCP 47).")
@click.option("--tgt-lang", required=True, help="Language of TGT (BCP 47).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["beads", "scores"]),
    default="beads",
    show_default=True,
    help="beads: [i, ...]:[j, ...] per line; scores: with confidence.",
)
def align_files_command(src: Path, tgt: Path, src_lang: str, tgt_lang: str, fmt: str) -> None:
    """Align two files of one sentence per line and print the beads."""
    try:
        beads = align_files(
            src,
            tgt,
            normalize_language(src_lang, field="src-lang"),
            normalize_language(tgt_lang, field="tgt-lang"),
        )
    except TranslatorError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_beads(beads, scores=fmt == "scores"), nl=False)


def _secret_key_file() -> Path:
    return Path(current_app.instance_path) / "secret_key"


def _folders() -> dict[str, Path]:
    return instance_folders(
        current_app.config["UPLOAD_FOLDER"], current_app.config["EXPORT_FOLDER"]
    )


@cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-secret-key",
    is_flag=True,
    help="Also store the instance's secret_key file (it signs sessions and CSRF tokens: "
    "keep such an archive as secret as the key). Left out by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def backup_command(file: Path, include_secret_key: bool, as_json: bool) -> None:
    """Back up the whole service into FILE, one zip archive: every table (documents,
    editions, history, suggestions, comments, users, members, jobs) and the upload and
    export folders. Reads one consistent snapshot, so the service may keep running."""
    secret_key_file = None
    if include_secret_key:
        secret_key_file = _secret_key_file()
        in_use = current_app.config["SECRET_KEY"]
        if not secret_key_file.is_file() or secret_key_file.read_text().strip() != in_use:
            raise click.ClickException(
                f"the secret key in use does not come from {secret_key_file} "
                "(TRANSLATOR_SECRET_KEY?): keep it with your other secrets instead"
            )
    try:
        summary = write_backup(file, folders=_folders(), secret_key_file=secret_key_file)
    except TranslatorError as exc:
        _fail(exc)
    if as_json:
        _echo_json(summary.to_dict())
        return
    d = summary.to_dict()
    click.echo(
        f"backed up {len(d['tables'])} tables ({d['rows']} rows) and "
        f"{sum(d['files'].values())} files to {file} ({d['size'] / 1e6:.1f} MB, schema "
        f"{d['schema_revision']}){'; it holds the secret key' if d['secret_key'] else ''}"
    )


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Delete every row of the database and the upload and export folders first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def restore_command(file: Path, replace: bool, as_json: bool) -> None:
    """Restore the whole service from FILE, made by `translator backup` on SQLite or
    PostgreSQL, into a database created by `translator init` at the same schema
    revision. Stop the web app and the workers first. All or nothing: on any error the
    database and the folders are left as they were. A database or folder that holds
    data is refused unless --replace."""
    try:
        restored = restore_backup(
            file, folders=_folders(), secret_key_file=_secret_key_file(), replace=replace
        )
    except TranslatorError as exc:
        _fail(exc)
    try:
        db.session.commit()
        restored.install_files()
    finally:
        restored.discard()
    d = restored.summary.to_dict()
    if as_json:
        _echo_json(d)
        return
    click.echo(
        f"restored {file} (made {d['created_at']} on {d['database']}, translator "
        f"{d['app_version']}): {len(d['tables'])} tables, {d['rows']} rows, "
        f"{sum(d['files'].values())} files"
    )
    if d["secret_key"]:
        click.echo(f"the secret key was restored to {_secret_key_file()}: restart the service")


@cli.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker_command(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to `celery worker`)."""
    os.execv(sys.executable, worker_argv(list(celery_args)))  # noqa: S606


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start the embedded background worker.")
@click.option(
    "--worker-stop-timeout",
    default=WORKER_STOP_TIMEOUT,
    show_default=True,
    type=float,
    help="Seconds the embedded worker may take to stop before it is killed.",
)
def serve_command(host: str, port: int, no_worker: bool, worker_stop_timeout: float) -> None:
    """Serve the web app, with an embedded background worker.

    SIGTERM (what systemd and container runtimes send) or SIGINT stops the server, then
    the worker (SIGTERM, SIGKILL after --worker-stop-timeout): nothing is left behind."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade()
    signal.signal(signal.SIGTERM, raise_stop)
    worker = None
    try:
        if not no_worker:
            worker = start_worker()
            click.echo(f"background worker started (pid {worker.pid})")
        # app.run() refuses to run inside a flask CLI command; call werkzeug directly.
        run_simple(host, port, app, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        # A second signal while the worker stops must not cut the stop short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if worker is not None:
            stop_worker(worker, worker_stop_timeout)
            click.echo("background worker stopped", err=True)


def main() -> None:
    cli(prog_name="translator")
