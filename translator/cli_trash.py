"""``translator delete`` and ``translator trash [restore|purge]``: a document or an
edition goes to the trash, comes back from it, or is purged for good.

``translator restore ARCHIVE`` was already the restore of a backup, so restoring from
the trash is ``translator trash restore``. Each command commits once; an error exits
with status 1 and says what was wrong."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup, with_appcontext

from translator.cli_common import echo_json, fail
from translator.errors import InputError, TranslatorError
from translator.extensions import db
from translator.services.documents import get_document
from translator.services.exports import remove_artifact_file
from translator.services.trash import (
    Purged,
    delete_document,
    delete_edition,
    document_with_trash,
    list_trash,
    purge_document,
    purge_edition,
    purge_expired,
    restore_document,
    restore_edition,
    trash_days,
    trashed_document,
    trashed_edition,
)


def _report(message: str, data: dict[str, Any], as_json: bool) -> None:
    echo_json(data) if as_json else click.echo(message)


@click.command("delete")
@click.argument("slug")
@click.option("--edition", "language", help="Delete only this edition (a language code).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_appcontext
def delete_command(slug: str, language: str | None, as_json: bool) -> None:
    """Move document SLUG (or one of its editions) to the trash. Nothing is removed:
    `translator trash restore` brings it back until it is purged."""
    try:
        document = get_document(slug)
        if language:
            edition = delete_edition(document, language, user_id=None)
            what = f"the {edition.language} edition of {slug}"
        else:
            delete_document(document, user_id=None)
            what = slug
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    days = f"{trash_days():g}"
    _report(
        f"moved {what} to the trash (purged after {days} days)",
        {"document": slug, "edition": language, "deleted": True, "trash_days": float(days)},
        as_json,
    )


@click.group("trash", cls=AppGroup, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
@with_appcontext
def trash_group(ctx: click.Context, as_json: bool) -> None:
    """List what is in the trash (deleted documents and editions), or restore or purge it."""
    if ctx.invoked_subcommand is not None:
        return
    items = list_trash()
    if as_json:
        echo_json([item.to_dict() for item in items])
        return
    if not items:
        click.echo("the trash is empty")
    for item in items:
        what = item.slug if item.kind == "document" else f"{item.slug} --edition {item.language}"
        click.echo(
            f"{item.kind:<8}  {what:<40}  deleted {item.deleted_at:%Y-%m-%d %H:%M} "
            f"by {item.deleted_by or '-'}  purged after {item.purge_at:%Y-%m-%d}"
        )


@trash_group.command("restore")
@click.argument("slug")
@click.option("--edition", "language", help="Restore only this edition (a language code).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def trash_restore_command(slug: str, language: str | None, as_json: bool) -> None:
    """Bring document SLUG (or its edition --edition LANG) back from the trash, with
    its history."""
    try:
        if language:
            document = document_with_trash(slug)
            if document.deleted_at is not None:
                raise InputError(
                    f"document {slug!r} is in the trash itself: restore it first",
                    field="document",
                )
            restore_edition(trashed_edition(document, language))
            what = f"the {language} edition of {slug}"
        else:
            restore_document(trashed_document(slug))
            what = slug
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    _report(f"restored {what}", {"document": slug, "edition": language, "restored": True}, as_json)


@trash_group.command("purge")
@click.argument("slug", required=False)
@click.option("--edition", "language", help="Purge only this edition (a language code).")
@click.option(
    "--expired", is_flag=True, help="Purge everything in the trash for longer than TRASH_DAYS."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def trash_purge_command(
    slug: str | None, language: str | None, expired: bool, yes: bool, as_json: bool
) -> None:
    """Delete for good document SLUG (or its edition --edition LANG) from the trash, or
    with --expired whatever has been there longer than TRASH_DAYS. This cannot be undone."""
    if expired == bool(slug):
        raise click.UsageError("name a document in the trash (SLUG), or pass --expired")
    if language and not slug:
        raise click.UsageError("--edition needs the document's SLUG")
    try:
        if expired:
            purged = purge_expired()
        else:
            assert slug is not None
            what = f"the {language} edition of {slug}" if language else f"document {slug}"
            if language:
                edition = trashed_edition(document_with_trash(slug), language)
            else:
                document = trashed_document(slug)
            if not yes:
                click.confirm(f"Delete {what} for good? This cannot be undone", abort=True)
            purged = purge_edition(edition) if language else purge_document(document)
    except TranslatorError as exc:
        fail(exc)
    _commit_purge(purged)
    _report(
        f"purged {purged.documents} document(s) and {purged.editions} edition(s)",
        {"purged": purged.to_dict()},
        as_json,
    )


def _commit_purge(purged: Purged) -> None:
    db.session.commit()
    for stored_name in purged.stored_names:  # their rows are gone for good now
        remove_artifact_file(stored_name)
