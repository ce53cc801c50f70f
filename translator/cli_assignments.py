"""``translator assign`` and ``translator split``: give work on an edition to people."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import with_appcontext

from translator.cli_common import fail
from translator.errors import NotFound, TranslatorError
from translator.extensions import db
from translator.models import Assignment, AssignmentKind, User
from translator.services.assignment_figures import assignment_figures
from translator.services.assignments import (
    assign,
    parse_due,
    parse_units,
    split_edition,
    units_at,
)
from translator.services.documents import get_document
from translator.services.users import find_person


def _user(text: str, field: str) -> User:
    user = find_person(text.strip())
    if user is None:
        raise NotFound(f"no active user {text.strip()!r}", field=field)
    return user


def _print(assignments: list[Assignment], as_json: bool) -> None:
    figures = assignment_figures([a.id for a in assignments])
    rows: list[dict[str, Any]] = []
    for a in assignments:
        f = figures[a.id]
        rows.append(
            {
                "id": a.id,
                "user": a.user.email,
                "language": a.edition.language,
                "kind": a.kind.value,
                "units": f"{f.first_position}-{f.last_position}",
                "words": f.words,
                "words_left": f.words_left,
                "due": a.due.isoformat() if a.due else None,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        due = f", due {row['due']}" if row["due"] else ""
        click.echo(
            f"#{row['id']} {row['user']}: {row['kind']} {row['language']} units {row['units']}"
            f" ({row['words']} words, {row['words_left']} left{due})"
        )


@click.command("assign")
@click.argument("slug")
@click.option("--lang", "language", required=True, help="The edition to work on.")
@click.option("--to", "to", required=True, help="The person: e-mail address or name.")
@click.option("--review", is_flag=True, help="Review (default: translate).")
@click.option("--units", default="", help="Positions such as 1-120 (default: all).")
@click.option("--due", default="", help="Due date, YYYY-MM-DD.")
@click.option("--note", default="", help="A note for the person.")
@click.option("--json", "as_json", is_flag=True, help="Print the assignment as JSON.")
@with_appcontext
def assign_command(
    slug: str,
    language: str,
    to: str,
    review: bool,
    units: str,
    due: str,
    note: str,
    as_json: bool,
) -> None:
    """Give the LANG edition of document SLUG (or --units of it) to a person."""
    try:
        document = get_document(slug)
        first = last = None
        positions = parse_units(units)
        if positions is not None:
            first, last = units_at(document, *positions)
        kind = AssignmentKind.REVIEW if review else AssignmentKind.TRANSLATE
        made = assign(
            document,
            language,
            _user(to, "to"),
            kind,
            first_unit_id=first,
            last_unit_id=last,
            due=parse_due(due),
            note=note,
        )
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    _print([made], as_json)


@click.command("split")
@click.argument("slug")
@click.option("--lang", "language", required=True, help="The edition to split.")
@click.option("--among", required=True, help="Comma-separated e-mail addresses, in order.")
@click.option("--review", is_flag=True, help="Review (default: translate).")
@click.option("--due", default="", help="Due date, YYYY-MM-DD.")
@click.option("--note", default="", help="A note for everyone.")
@click.option("--json", "as_json", is_flag=True, help="Print the assignments as JSON.")
@with_appcontext
def split_command(
    slug: str, language: str, among: str, review: bool, due: str, note: str, as_json: bool
) -> None:
    """Split the LANG edition of document SLUG among people by equal word counts, cut
    between paragraphs."""
    try:
        document = get_document(slug)
        people = [_user(p, "among") for p in among.split(",") if p.strip()]
        kind = AssignmentKind.REVIEW if review else AssignmentKind.TRANSLATE
        made = split_edition(document, language, people, kind, due=parse_due(due), note=note)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    _print(made, as_json)
