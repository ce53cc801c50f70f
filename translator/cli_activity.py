"""``translator activity figures``: the words each person translated and reviewed per
document and language over a range of days (what paying translators by words needs),
as a table or as the same CSV as the web page's."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from translator.errors import InputError, TranslatorError
from translator.services.activity import (
    parse_day,
    parse_filter,
)
from translator.services.activity_figures import FigureRow, activity_figures, figures_csv


@click.group("activity")
def activity_group() -> None:
    """The activity log's figures."""


@activity_group.command("figures")
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD (UTC).")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD (UTC), included.")
@click.option("--document", help="Only this document (its slug).")
@click.option("--lang", "language", help="Only this language.")
@click.option("--person", help="Only this person (e-mail or name).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (UTF-8, with a header).")
@with_appcontext
def figures_command(
    start: str,
    end: str,
    document: str | None,
    language: str | None,
    person: str | None,
    as_csv: bool,
) -> None:
    """Per person × document × language from --from to --to: words translated, words
    reviewed (the kept counters) and segments saved."""
    try:
        first, last = parse_day(start, "from"), parse_day(end, "to")
        if first is None or last is None:
            raise InputError("--from and --to are required", field="from")
        flt = parse_filter({"document": document, "language": language, "person": person}, None)
        rows = activity_figures(first, last, flt, None)
    except TranslatorError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_csv:
        click.echo(figures_csv(rows), nl=False)
        return
    _table(rows, first, last)


def _table(rows: list[FigureRow], first: date, last: date) -> None:
    click.echo(f"{first.isoformat()} to {last.isoformat()}: {len(rows)} rows")
    for r in rows:
        click.echo(
            f"{r.email}\t{r.document}\t{r.language}\t{r.words_translated} translated\t"
            f"{r.words_reviewed} reviewed\t{r.segments_saved} segments"
        )
