"""Signing in and out: sessions kept on the server, throttled password checks.

A sign-in creates a ``UserSession`` row named by a random key; the browser's session
and remember-me cookies carry ``"<user id>:<key>"`` (``User.get_id``) and the server
keeps only the key's hash. Signing out deletes the row, so a copied or replayed cookie
stops working; changing the password deletes every other session of the user.

Password guessing is slowed per account and per address: after ``ACCOUNT_LIMIT``
failures for one e-mail address (or ``ADDRESS_LIMIT`` from one network address) within
``WINDOW``, attempts are refused without checking the password until the window has
passed. Unknown addresses are counted and checked (against a dummy hash) exactly like
known ones, so neither the answer nor its timing says whether an account exists.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute
from werkzeug.security import check_password_hash, generate_password_hash

from translator.errors import Forbidden, InputError, TooManyAttempts
from translator.extensions import db
from translator.models import LoginAttempt, User, UserSession
from translator.models._types import utcnow
from translator.services.users import MIN_PASSWORD_LENGTH, find_user

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
KEEP_ATTEMPTS = timedelta(days=1)
IDLE_LIMIT = timedelta(days=30)  # a session unused this long is over
SEEN_EVERY = timedelta(minutes=5)  # how often last_seen_at is written

_users = User.__table__
_sessions = UserSession.__table__
# Built once: every signed-in request loads its user through this.
_USER_BY_SESSION = (
    select(User, _sessions.c.id, _sessions.c.last_seen_at)
    .join(_sessions, _sessions.c.user_id == _users.c.id)
    .where(_users.c.id == bindparam("b_user_id"), _sessions.c.key_hash == bindparam("b_hash"))
)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash with the same cost as a real one, checked when there is no account."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def _failures(column: InstrumentedAttribute[str], value: str, since: datetime) -> int:
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            column == value,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at > since,
        )
    )
    return int(count or 0)


def _last_success(email: str) -> datetime | None:
    last: datetime | None = db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
        )
    )
    return last


def check_throttle(email: str, address: str) -> None:
    """Raise TooManyAttempts (with the minutes to wait) if this account or this address
    failed too often lately. A successful sign-in clears the account's count."""
    now = utcnow()
    since = now - WINDOW
    last_success = _last_success(email)
    if last_success is not None and last_success.tzinfo is None:  # SQLite drops the zone
        last_success = last_success.replace(tzinfo=now.tzinfo)
    account_since = max(since, last_success) if last_success else since
    if _failures(LoginAttempt.email, email, account_since) >= ACCOUNT_LIMIT:
        raise TooManyAttempts(
            "too many failed sign-ins for this account; try again later",
            retry_after=int(WINDOW.total_seconds()),
        )
    if _failures(LoginAttempt.address, address, since) >= ADDRESS_LIMIT:
        raise TooManyAttempts(
            "too many failed sign-ins from your network address; try again later",
            retry_after=int(WINDOW.total_seconds()),
        )


def authenticate(email: str, password: str, *, address: str) -> User | None:
    """The active user with these credentials, or None; every attempt is counted and
    throttled (TooManyAttempts), and takes the same time whether the account exists."""
    email = email.strip().lower()[:254]
    address = address[:45]
    check_throttle(email, address)
    user = find_user(email)
    known = user is not None and user.active
    ok = check_password_hash(user.password_hash if known else _dummy_hash(), password)  # type: ignore[union-attr]
    succeeded = bool(known and ok)
    db.session.add(LoginAttempt(email=email, address=address, succeeded=succeeded))
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - KEEP_ATTEMPTS)
    )
    db.session.flush()
    return user if succeeded else None


def start_session(user: User, *, remember: bool, address: str = "", user_agent: str = "") -> str:
    """Open a sign-in session for ``user`` (sets ``user.session_key``); returns its key."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=_hash(key),
            remember=remember,
            address=address[:45],
            user_agent=user_agent[:200],
        )
    )
    db.session.flush()
    user.session_key = key
    return key


def load_session_user(identifier: str) -> User | None:
    """The active user of the session a cookie names (``"<user id>:<key>"``), or None
    when the session was ended, went unused too long, or never existed."""
    user_id, _, key = identifier.partition(":")
    if not user_id.isdigit() or not key or len(user_id) > 18:
        return None
    row = db.session.execute(
        _USER_BY_SESSION, {"b_user_id": int(user_id), "b_hash": _hash(key)}
    ).first()
    if row is None:
        return None
    user, session_id, last_seen = row
    now = utcnow()
    if last_seen.tzinfo is None:
        last_seen = last_seen.replace(tzinfo=now.tzinfo)
    if now - last_seen > IDLE_LIMIT or not user.active:
        return None
    if now - last_seen > SEEN_EVERY:
        _touch(session_id, now)
    user.session_key = key
    return user  # type: ignore[no-any-return]


def _touch(session_id: int, now: datetime) -> None:
    """Record that a session is in use, in its own short transaction (a GET request
    commits nothing of its own)."""
    with db.engine.begin() as connection:
        connection.execute(
            update(_sessions).where(_sessions.c.id == session_id).values(last_seen_at=now)
        )


def end_session(user: User) -> None:
    """Sign out: the current session (``user.session_key``) no longer exists."""
    if user.session_key:
        db.session.execute(
            delete(UserSession).where(UserSession.key_hash == _hash(user.session_key))
        )
        db.session.flush()


def end_other_sessions(user: User) -> int:
    """Sign ``user`` out everywhere but here; returns how many sessions ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if user.session_key:
        query = query.where(UserSession.key_hash != _hash(user.session_key))
    ended: int = db.session.execute(query).rowcount  # type: ignore[attr-defined]
    db.session.flush()
    return ended


def list_sessions(user: User) -> list[tuple[UserSession, bool]]:
    """The user's sessions, most recently used first, each with whether it is this one."""
    current = _hash(user.session_key) if user.session_key else None
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc())
    )
    return [(row, row.key_hash == current) for row in rows]


def change_password(user: User, current: str, new: str) -> int:
    """Set a new password after checking the current one; every other session of the
    user ends (a stolen cookie stops working). Returns how many ended."""
    if not check_password_hash(user.password_hash, current):
        raise Forbidden("the current password is wrong", field="current")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    user.set_password(new)
    db.session.flush()
    return end_other_sessions(user)
