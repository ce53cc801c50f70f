"""Inviting people: an account created by an administrator (or a document's manager),
which its owner completes through a one-time link (``services.links``): they choose
their name and password there. Until then the account has a random password nobody
knows, so it cannot be signed in to."""

from __future__ import annotations

import secrets

from flask import current_app

from translator.errors import Conflict, InputError
from translator.extensions import db
from translator.models import LinkPurpose, User
from translator.services.links import IssuedLink, issue_link, pending_invitations
from translator.services.users import EMAIL_RE, find_user, set_role


def invite_user(
    email: str,
    *,
    invited_by: User,
    display_name: str = "",
    role: str = "member",
    locale: str | None = None,
) -> IssuedLink:
    """Create the account of ``email`` and its invitation link (for ``invited_by`` to
    send or hand over). Conflict if an account already has this address."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise InputError(f"{email!r} is not an e-mail address", field="email")
    if find_user(email) is not None:
        raise Conflict(f"a user with e-mail {email} already exists", field="email")
    if locale is not None and locale not in current_app.config["LANGUAGES"]:
        raise InputError(f"no interface language {locale!r}", field="locale")
    user = User(email=email, display_name=display_name.strip()[:200], locale=locale or None)
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the link sets one
    db.session.add(user)
    db.session.flush()
    set_role(user, role, by=invited_by)
    return issue_link(user, LinkPurpose.INVITATION, created_by=invited_by)


def resend_invitation(user: User, *, invited_by: User) -> IssuedLink:
    """A new invitation link for an account that never used one (the old one stops
    working); Conflict once the account is set up."""
    if user.id not in pending_invitations([user.id]):
        raise Conflict(f"{user.email} has already set up the account", field="user")
    return issue_link(user, LinkPurpose.INVITATION, created_by=invited_by)
