"""``translator token``: personal API tokens for operators and scripts (docs/api.md).
Each subcommand is a boundary: it commits once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click
from flask.cli import AppGroup

from translator.cli_common import fail
from translator.errors import NotFound, TranslatorError
from translator.extensions import db
from translator.models._types import utcnow
from translator.services.tokens import create_token, list_tokens, revoke_token, token_state
from translator.services.users import find_user


@click.group("token", cls=AppGroup)  # AppGroup: every subcommand runs in the app context
def token_group() -> None:
    """Personal API tokens: create, list, revoke (docs/api.md)."""


def _user_named(email: str) -> Any:
    user = find_user(email)
    if user is None:
        raise NotFound(f"no user with e-mail {email}", field="email")
    return user


@token_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What will use the token (shown on the account page).")
@click.option(
    "--scope", type=click.Choice(["read", "write"]), required=True, help="read: GET only."
)
@click.option(
    "--expires-in",
    "days",
    type=click.IntRange(1, 3650),
    help="Days it lives (default: until revoked).",
)
def token_create_command(email: str, name: str, scope: str, days: int | None) -> None:
    """Create an API token for user EMAIL and print it (the only time it is shown)."""
    try:
        expires_at = utcnow() + timedelta(days=days) if days else None
        row, token = create_token(_user_named(email), name, scope, expires_at=expires_at)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"token {row.id} ({row.prefix}, {row.scope}) for {email}; keep it now:", err=True)
    click.echo(token)


@token_group.command("list")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def token_list_command(email: str, as_json: bool) -> None:
    """List the API tokens of user EMAIL (never the tokens themselves)."""
    try:
        tokens = list_tokens(_user_named(email))
    except TranslatorError as exc:
        fail(exc)

    def when(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    rows = [
        {
            "id": t.id,
            "prefix": t.prefix,
            "name": t.name,
            "scope": str(t.scope),
            "state": token_state(t),
            "created_at": when(t.created_at),
            "last_used_at": when(t.last_used_at),
            "expires_at": when(t.expires_at),
        }
        for t in tokens
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']:>5}  {r['prefix']}  {r['scope']:<5}  {r['state']:<7}  "
            f"last used {r['last_used_at'] or 'never'}  {r['name']}"
        )


@token_group.command("revoke")
@click.argument("token_id", type=int)
def token_revoke_command(token_id: int) -> None:
    """Revoke API token TOKEN_ID (the number `token list` shows)."""
    try:
        row = revoke_token(token_id)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"token {row.id} ({row.prefix}) revoked")
