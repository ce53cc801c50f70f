"""One ``member`` command for both scopes of a membership: ``translator member`` (a
document) and ``translator project member`` (a project's team) are built here from the
scope's name, how to find it and how to report a person's roles in it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import with_appcontext

from translator.cli_common import fail
from translator.errors import InputError, NotFound, TranslatorError
from translator.extensions import db
from translator.models import WHOLE_DOCUMENT, MemberRole, User
from translator.services.member_scopes import (
    Scope,
    remove_scope_member,
    set_scope_member,
    user_memberships,
)
from translator.services.projects import parse_languages
from translator.services.users import find_user

FindScope = Callable[[str], Scope[Any]]
Report = Callable[[Scope[Any], User, list[Any]], str]


def member_command(noun: str, find_scope: FindScope, report: Report, help: str) -> click.Command:
    """The ``member`` command over ``noun`` ("document", "project"): SLUG EMAIL
    [LANGUAGES] with --reviewer, --coordinator, --reader and --remove; it prints
    ``report(scope, user, their memberships by language)`` once committed."""

    @click.command("member", help=help)
    @click.argument("slug")
    @click.argument("email")
    @click.argument("languages", required=False, default="")
    @click.option("--reviewer", is_flag=True, help="Confirmations mark segments reviewed.")
    @click.option(
        "--coordinator", is_flag=True, help=f"Coordinator of the whole {noun} (no LANGUAGES)."
    )
    @click.option("--reader", is_flag=True, help=f"Reader of the whole {noun} (no LANGUAGES).")
    @click.option("--remove", is_flag=True, help="Take the languages (or the role) away instead.")
    @with_appcontext
    def command(
        slug: str,
        email: str,
        languages: str,
        reviewer: bool,
        coordinator: bool,
        reader: bool,
        remove: bool,
    ) -> None:
        try:
            scope = find_scope(slug)
            user = find_user(email)
            if user is None:
                raise NotFound(f"no user with e-mail {email}", field="email")
            whole = MemberRole.COORDINATOR if coordinator else MemberRole.READER if reader else None
            codes = [WHOLE_DOCUMENT] if whole is not None else parse_languages(languages)
            if not codes:
                raise InputError("name the LANGUAGES, or give --coordinator or --reader")
            mine = user_memberships(scope, user)
            for code in codes:
                if remove:
                    if code in mine:
                        remove_scope_member(scope, mine[code].id)
                else:
                    role = whole or (MemberRole.REVIEWER if reviewer else MemberRole.TRANSLATOR)
                    set_scope_member(scope, user, code, role)
        except TranslatorError as exc:
            fail(exc)
        db.session.commit()
        held = sorted(user_memberships(scope, user).values(), key=lambda m: m.language)
        click.echo(report(scope, user, held))

    return command
