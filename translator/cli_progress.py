"""``translator progress``: a document's progress (the kept counters), and their full
recount. A boundary: it commits once."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from translator.errors import TranslatorError
from translator.extensions import db
from translator.services.counters import recount_progress
from translator.services.documents import get_document, list_documents
from translator.services.progress import progress_report


@click.command("progress")
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--recount", is_flag=True, help="First rebuild every counter from the segments and history."
)
@with_appcontext
def progress_command(slug: str | None, as_json: bool, recount: bool) -> None:
    """Progress of document SLUG (default: every document): segments and words by status
    per edition, words left, ready or not, and who translated and reviewed how much."""
    try:
        if recount:
            recount_progress()
            db.session.commit()
        documents = [get_document(slug)] if slug else list_documents()
    except TranslatorError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    reports = [progress_report(d) for d in documents]
    if as_json:
        click.echo(json.dumps(reports[0] if slug else reports, ensure_ascii=False, indent=2))
        return
    if recount:
        click.echo("counters rebuilt from the segments and the history")
    for report in reports:
        for edition in report["editions"]:
            segments = edition["segments"]
            total = sum(segments.values())
            left = "" if edition["words_left"] is None else f", {edition['words_left']} words left"
            ready = ", ready" if edition["ready"] else ""
            click.echo(
                f"{report['document']}\t{edition['language']}\t{total} segments: "
                + ", ".join(f"{n} {status}" for status, n in segments.items() if n)
                + left
                + ready
            )
