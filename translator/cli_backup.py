"""``translator backup`` and ``restore``: the whole service in one zip archive."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from translator.cli_common import echo_json, fail
from translator.errors import TranslatorError
from translator.extensions import db
from translator.services.backup import restore_backup, write_backup
from translator.services.backup_files import instance_folders


def _secret_key_file() -> Path:
    return Path(current_app.instance_path) / "secret_key"


def _folders() -> dict[str, Path]:
    return instance_folders(
        current_app.config["UPLOAD_FOLDER"], current_app.config["EXPORT_FOLDER"]
    )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-secret-key",
    is_flag=True,
    help="Also store the instance's secret_key file (it signs sessions and CSRF tokens: "
    "keep such an archive as secret as the key). Left out by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@with_appcontext
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
        fail(exc)
    if as_json:
        echo_json(summary.to_dict())
        return
    d = summary.to_dict()
    click.echo(
        f"backed up {len(d['tables'])} tables ({d['rows']} rows) and "
        f"{sum(d['files'].values())} files to {file} ({d['size'] / 1e6:.1f} MB, schema "
        f"{d['schema_revision']}){'; it holds the secret key' if d['secret_key'] else ''}"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Delete every row of the database and the upload and export folders first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@with_appcontext
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
        fail(exc)
    try:
        db.session.commit()
        restored.install_files()
    finally:
        restored.discard()
    d = restored.summary.to_dict()
    if as_json:
        echo_json(d)
        return
    click.echo(
        f"restored {file} (made {d['created_at']} on {d['database']}, translator "
        f"{d['app_version']}): {len(d['tables'])} tables, {d['rows']} rows, "
        f"{sum(d['files'].values())} files"
    )
    if d["secret_key"]:
        click.echo(f"the secret key was restored to {_secret_key_file()}: restart the service")
