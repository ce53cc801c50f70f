"""Personal API tokens: a script acts as its user on ``/api/v1/`` without a browser.

A token reads ``tr_<8 hex>_<43 characters>``: the first part (``prefix``, 11
characters) is public and shown on the account page to tell tokens apart; the whole
token is shown once, when it is created, and the server keeps only its SHA-256.

Why a plain SHA-256 and not a password hash (scrypt): the secret is 32 random bytes
from ``secrets`` (256 bits), not something a person chose, so there is no dictionary
to try and a brute-force search of 2**256 values is out of reach however fast the hash
is. A slow hash protects low-entropy secrets; here it would only cost every API request
tens of milliseconds. A deterministic hash also lets the token be found with one
indexed lookup of its hash (no per-user scan, no comparison that leaks timing about the
secret: an attacker learns at most how a hash of their guess compares to stored ones).

A token has a scope: ``read`` allows GET and HEAD only, ``write`` every method; either
way it never exceeds its user's rights (``services.rights``). It stops working when it
is revoked, when it expires, or when its user is deactivated: each is a 401 naming the
reason. ``last_used_at`` is written at most every ``USED_EVERY``, in its own short
transaction, so that a script's requests do not each write a row.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from translator.errors import InputError, NotFound, SignInRequired
from translator.extensions import db
from translator.models import ApiToken, TokenScope, User
from translator.models._types import utcnow

PREFIX = "tr_"
MAX_NAME_LENGTH = 100
MAX_LIFETIME = timedelta(days=3650)
USED_EVERY = timedelta(minutes=5)  # how often last_used_at is written
TOKEN_RE = re.compile(r"tr_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
_tokens = ApiToken.__table__


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=utcnow().tzinfo)
    return value


def parse_scope(scope: str | TokenScope) -> TokenScope:
    """``read`` or ``write`` as a TokenScope (InputError naming ``scope`` otherwise)."""
    try:
        return TokenScope(scope)
    except ValueError:
        raise InputError(
            f"the scope must be 'read' or 'write', not {scope!r}", field="scope"
        ) from None


def create_token(
    user: User,
    name: str,
    scope: str | TokenScope,
    *,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns its row and the token itself, which is
    stored nowhere (only its hash) and so cannot be shown again."""
    name = name.strip()
    if not name:
        raise InputError("give the token a name (what will use it)", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"a token name has at most {MAX_NAME_LENGTH} characters", field="name")
    chosen = parse_scope(scope)
    now = utcnow()
    if expires_at is not None:
        expires_at = _aware(expires_at)
        assert expires_at is not None
        if expires_at <= now:
            raise InputError("the expiry date is in the past", field="expires_at")
        if expires_at > now + MAX_LIFETIME:
            raise InputError("a token lives at most ten years", field="expires_at")
    prefix = PREFIX + secrets.token_hex(4)
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        user_id=user.id,
        name=name,
        scope=chosen,
        prefix=prefix,
        token_hash=_hash(token),
        created_at=now,
        expires_at=expires_at,
    )
    db.session.add(row)
    db.session.flush()
    return row, token


def authenticate_token(token: str) -> ApiToken:
    """The live token ``token`` names, with its user loaded; SignInRequired (a 401)
    saying why otherwise: unknown, revoked, expired, or its account deactivated."""
    if not TOKEN_RE.fullmatch(token):
        raise SignInRequired("this is not an API token of this service", field="Authorization")
    row: ApiToken | None = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _hash(token))
    )
    if row is None:
        raise SignInRequired("unknown API token", field="Authorization")
    now = utcnow()
    if row.revoked_at is not None:
        raise SignInRequired("this API token was revoked", field="Authorization")
    expires_at = _aware(row.expires_at)
    if expires_at is not None and expires_at <= now:
        raise SignInRequired("this API token has expired", field="Authorization")
    if not row.user.active:
        raise SignInRequired("the account of this API token is deactivated", field="Authorization")
    last_used = _aware(row.last_used_at)
    if last_used is None or now - last_used > USED_EVERY:
        _touch(row.id, now)
        set_committed_value(row, "last_used_at", now)  # as the database has it now
    return row


def _touch(token_id: int, now: datetime) -> None:
    """Record that a token is in use, in its own short transaction (a GET request
    commits nothing of its own, and a refused write rolls back)."""
    with db.engine.begin() as connection:
        connection.execute(update(_tokens).where(_tokens.c.id == token_id).values(last_used_at=now))


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones included)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_state(token: ApiToken) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    expires_at = _aware(token.expires_at)
    if expires_at is not None and expires_at <= utcnow():
        return "expired"
    return "active"


def revoke_token(token_id: int, *, user: User | None = None) -> ApiToken:
    """Revoke token ``token_id`` (one of ``user``'s when a user is given: another's is
    NotFound, as if it did not exist). Revoking twice changes nothing."""
    query = select(ApiToken).where(ApiToken.id == token_id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    row: ApiToken | None = db.session.scalar(query)
    if row is None:
        raise NotFound(f"no API token {token_id}", field="token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()
    return row
