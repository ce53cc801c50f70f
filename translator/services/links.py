"""One-time links sent by e-mail: an invitation (a new account sets its name and first
password) and a password reset (a forgotten password is replaced).

A link carries a random token (32 bytes from ``secrets``); the server keeps only its
SHA-256, as for API tokens (``services.tokens`` says why a fast hash is enough for a
random secret). A link works once, until it expires (``INVITATION_LIFETIME``, default
7 days; ``RESET_LIFETIME``, default 1 hour), and only for an active account; creating
a link replaces the older unused links of the same purpose for that user. Using one
signs its user in; a reset also ends every other session of the user (whoever knew the
old password is signed out).

Asking for a reset is counted with the sign-in attempts (``services.sessions``), under
a key of its own so that it never locks the account's sign-in, and the answer is the
same whether an account has that address or not.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from translator.errors import InputError
from translator.extensions import db
from translator.models import LinkPurpose, LoginAttempt, OneTimeLink, User
from translator.models._types import utcnow
from translator.services.sessions import check_throttle, end_other_sessions
from translator.services.users import MIN_PASSWORD_LENGTH, find_user

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
RESET_KEY = "reset:"  # prefix of the attempts counted for reset requests


class LinkRefused(Exception):
    """The link cannot be used; ``reason`` is ``unknown``, ``expired``, ``used``,
    ``replaced`` or ``inactive`` (the pages say each in words)."""

    def __init__(self, reason: str, link: OneTimeLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


@dataclass(frozen=True)
class IssuedLink:
    """A new link's row and its token (stored nowhere: only in the e-mail or on the
    administrator's screen)."""

    link: OneTimeLink
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they are UTC."""
    return value.replace(tzinfo=utcnow().tzinfo) if value.tzinfo is None else value


def lifetime(purpose: LinkPurpose) -> timedelta:
    """How long a new link of ``purpose`` works (configurable, in seconds)."""
    if purpose is LinkPurpose.INVITATION:
        seconds = current_app.config.get("INVITATION_LIFETIME")
        default = INVITATION_LIFETIME
    else:
        seconds = current_app.config.get("RESET_LIFETIME")
        default = RESET_LIFETIME
    return timedelta(seconds=float(seconds)) if seconds else default


def issue_link(user: User, purpose: LinkPurpose, *, created_by: User | None = None) -> IssuedLink:
    """A new one-time link for ``user``; the user's older unused links of the same
    purpose stop working."""
    now = utcnow()
    db.session.execute(
        update(OneTimeLink)
        .where(
            OneTimeLink.user_id == user.id,
            OneTimeLink.purpose == purpose,
            OneTimeLink.used_at.is_(None),
            OneTimeLink.replaced_at.is_(None),
        )
        .values(replaced_at=now)
    )
    token = secrets.token_urlsafe(32)
    link = OneTimeLink(
        user_id=user.id,
        purpose=purpose,
        token_hash=_hash(token),
        created_by=created_by.id if created_by is not None else None,
        created_at=now,
        expires_at=now + lifetime(purpose),
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link, token)


def find_link(token: str, purpose: LinkPurpose) -> OneTimeLink:
    """The usable link ``token`` names; LinkRefused saying why it cannot be used."""
    if not TOKEN_RE.fullmatch(token):
        raise LinkRefused("unknown")
    link: OneTimeLink | None = db.session.scalar(
        select(OneTimeLink).where(
            OneTimeLink.token_hash == _hash(token), OneTimeLink.purpose == purpose
        )
    )
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used", link)
    if link.replaced_at is not None:
        raise LinkRefused("replaced", link)
    if _aware(link.expires_at) <= utcnow():
        raise LinkRefused("expired", link)
    if not link.user.active:
        raise LinkRefused("inactive", link)
    return link


def use_link(
    token: str, purpose: LinkPurpose, password: str, *, display_name: str | None = None
) -> User:
    """Set the password (and, for an invitation, the name) of the link's user and mark
    the link used; a reset also ends the user's sessions. Returns the user, for the
    caller to sign in (``services.sessions.start_session``)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    link = find_link(token, purpose)
    # Only one use wins, even when two arrive together: the update is conditional.
    claimed = db.session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        raise LinkRefused("used", link)
    db.session.refresh(link)
    user = link.user
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()[:200]
    user.set_password(password)
    db.session.flush()
    if purpose is LinkPurpose.PASSWORD_RESET:
        user.session_key = None
        end_other_sessions(user)  # without a current session: every one of them
    return user


def pending_invitations(user_ids: list[int]) -> dict[int, OneTimeLink]:
    """For each user who never used an invitation, their latest invitation link."""
    if not user_ids:
        return {}
    links = db.session.scalars(
        select(OneTimeLink)
        .where(OneTimeLink.user_id.in_(user_ids), OneTimeLink.purpose == LinkPurpose.INVITATION)
        .order_by(OneTimeLink.created_at, OneTimeLink.id)
    )
    latest: dict[int, OneTimeLink] = {}
    accepted: set[int] = set()
    for link in links:
        latest[link.user_id] = link
        if link.used_at is not None:
            accepted.add(link.user_id)
    return {uid: link for uid, link in latest.items() if uid not in accepted}


def link_expired(link: OneTimeLink) -> bool:
    """Whether the link's time is over."""
    return _aware(link.expires_at) <= utcnow()


def request_reset(email: str, *, address: str) -> IssuedLink | None:
    """A reset link for the active account with this e-mail, or None when there is none
    (the caller answers the same either way). Counted and throttled like sign-ins
    (TooManyAttempts), under a key of its own."""
    email = email.strip().lower()
    key = (RESET_KEY + email)[:254]
    address = address[:45]
    check_throttle(key, address)
    db.session.add(LoginAttempt(email=key, address=address, succeeded=False))
    db.session.flush()
    user = find_user(email)
    if user is None or not user.active:
        return None
    return issue_link(user, LinkPurpose.PASSWORD_RESET)
