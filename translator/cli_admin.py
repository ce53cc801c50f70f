"""``translator init``, ``create-user`` and ``member``: the database, the accounts and
who may do what in a document. Every command is a boundary: it commits once."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from translator.cli_common import fail
from translator.cli_members import member_command as scope_member_command
from translator.errors import TranslatorError
from translator.extensions import db
from translator.models import DocumentMember, User
from translator.services.documents import get_document
from translator.services.member_scopes import DocumentScope, Scope
from translator.services.users import create_user


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


def _document_roles(scope: Scope[Any], user: User, mine: list[DocumentMember]) -> str:
    rights = [m.language for m in mine if m.language]
    roles = [str(m.role) for m in mine if not m.language]
    also = f" ({', '.join(roles)})" if roles else ""
    return f"{user.email} may edit: {', '.join(rights) or 'nothing'} of {scope.owner.slug}{also}"


member_command = scope_member_command(
    "document",
    lambda slug: DocumentScope(get_document(slug)),
    _document_roles,
    help="Let user EMAIL edit LANGUAGES (comma-separated) of document SLUG, or with "
    "--coordinator / --reader give them that role over the whole document.",
)
