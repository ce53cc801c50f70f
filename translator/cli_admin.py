"""``translator init``, ``create-user`` and ``member``: the database, the accounts and
who may do what in a document. Every command is a boundary: it commits once."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from translator.cli_common import fail
from translator.errors import InputError, NotFound, TranslatorError
from translator.extensions import db
from translator.models import WHOLE_DOCUMENT, MemberRole
from translator.services.documents import get_document
from translator.services.members import list_members, remove_member, set_member
from translator.services.users import create_user, find_user


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the database, or upgrade it to the latest schema."""
    upgrade()
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("create-user")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="Give the user administrator rights.")
@click.option(
    "--coordinator", is_flag=True, help="A coordinator of every document (not of accounts)."
)
@with_appcontext
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
        fail(exc)
    db.session.commit()
    role = " (admin)" if admin else " (coordinator)" if coordinator else ""
    click.echo(f"created user {user.email}{role}")


@click.command("member")
@click.argument("slug")
@click.argument("email")
@click.argument("languages", required=False, default="")
@click.option("--reviewer", is_flag=True, help="Confirmations mark segments reviewed.")
@click.option(
    "--coordinator", is_flag=True, help="Coordinator of the whole document (no LANGUAGES)."
)
@click.option("--reader", is_flag=True, help="Reader of the whole document (no LANGUAGES).")
@click.option("--remove", is_flag=True, help="Take the languages (or the role) away instead.")
@with_appcontext
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
        fail(exc)
    db.session.commit()
    assert user is not None  # _fail exits otherwise
    mine = [m for m in list_members(document) if m.user_id == user.id]
    rights = sorted(m.language for m in mine if m.language)
    roles = sorted(str(m.role) for m in mine if not m.language)
    also = f" ({', '.join(roles)})" if roles else ""
    click.echo(f"{user.email} may edit: {', '.join(rights) or 'nothing'} of {document.slug}{also}")
