"""``translator import``, ``add-edition``, ``documents`` and ``show``: texts in, and what
is there. Every command is a boundary: it commits once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from translator.cli_common import echo_json, fail
from translator.errors import InputError, NotFound, TranslatorError
from translator.extensions import db
from translator.formats.interchange import interchange_kind
from translator.models import User
from translator.services.documents import get_document, list_documents
from translator.services.editions import start_translation
from translator.services.imports import FORMATS, prepare_import, read_upload, store_import
from translator.services.interchange import import_interchange
from translator.services.progress import edition_progress
from translator.services.units import unit_rows
from translator.services.users import find_user


@click.command("import")
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
@with_appcontext
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
        fail(exc)
    db.session.commit()
    d = summary.to_dict()
    if as_json:
        echo_json(d)
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
        fail(exc)
    db.session.commit()
    if as_json:
        echo_json(report.to_dict())
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


@click.command("add-edition")
@click.argument("slug")
@click.option("--lang", "language", required=True, help="The new edition's language (BCP 47).")
@click.option("--title", default="", help="Its title (default: its translated title row).")
@click.option("--source", help="Translate from this edition (default: the original).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@with_appcontext
def add_edition_command(
    slug: str, language: str, title: str, source: str | None, as_json: bool
) -> None:
    """Start a translation: an empty edition whose cells follow the original's units."""
    try:
        made = start_translation(get_document(slug), language, title=title, source=source)
        summary = made.to_dict()
        db.session.commit()
    except TranslatorError as exc:
        fail(exc)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"{slug}: new {summary['language']} edition from {summary['original']}, "
        f"{summary['units']} units, {summary['words_to_translate']} words to translate"
    )


@click.command("documents")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@with_appcontext
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
        echo_json(out)
        return
    for item in out:
        langs = ", ".join(
            f"{lang} ({sum(e['segments'].values())} segments)"
            for lang, e in item["editions"].items()
        )
        click.echo(f"{item['document']}\t{item['title']}\t{langs}")


@click.command("show")
@click.argument("slug")
@click.option("--lang", "languages", multiple=True, help="Only these languages (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@with_appcontext
def show_command(slug: str, languages: tuple[str, ...], as_json: bool) -> None:
    """Show a document's units in order, one cell per edition."""
    try:
        document = get_document(slug)
    except TranslatorError as exc:
        fail(exc)
    rows = unit_rows(document, languages=list(languages) or None)
    if as_json:
        echo_json({"document": document.slug, "units": [r.to_dict() for r in rows]})
        return
    for row in rows:
        click.echo(f"#{row.id} {row.role} ¶{row.paragraph}")
        for lang, cell in row.cells.items():
            click.echo(f"  [{lang}] {cell.text}")
