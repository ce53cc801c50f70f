"""User accounts and their credentials: passwords (hashed with scrypt, werkzeug's
default KDF), sign-in sessions, sign-in attempts and personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A coordinator of every document: creates documents, manages members, settings,
    # alignment and deletion (services.rights); not an administrator of accounts.
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(35))
    # UI choices remembered per user, e.g. {"editor_columns": {"<document id>": ["fr", "en"]}}
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The sign-in session this request runs in (set when it is loaded; not a column).
    __allow_unmapped__ = True
    session_key: str | None = None

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login: what the session and remember cookies hold
        if self.session_key is None:
            raise RuntimeError("a user signs in through services.sessions.start_session")
        return f"{self.id}:{self.session_key}"

    @property
    def name(self) -> str:
        return self.display_name or self.email


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in (a browser): its cookies name it by a random key, stored here only as
    a hash. Signing out deletes it, so a replayed cookie no longer works; changing the
    password deletes the user's other sessions."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)


class LoginAttempt(db.Model):  # type: ignore[name-defined,misc]
    """A sign-in attempt, counted to slow down password guessing per account and per
    address (``services.sessions``); kept a day."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created_at", "email", "created_at"),
        Index("ix_login_attempts_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)


class TokenScope(enum.StrEnum):
    READ = "read"  # GET and HEAD only
    WRITE = "write"  # every method the user's rights allow


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A personal API token: a script acts as its user on ``/api/v1/`` with
    ``Authorization: Bearer <token>``. Only the SHA-256 of the token is stored
    (``services.tokens`` says why that is enough); ``prefix`` is its first, public part,
    shown to tell tokens apart. Revoking keeps the row (``revoked_at``) so the account
    page still lists it."""

    __tablename__ = "api_tokens"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, "token_scope"))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(TZDateTime())

    user: Mapped[User] = relationship()


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"  # set a name and a first password (a new account)
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password


class OneTimeLink(db.Model):  # type: ignore[name-defined,misc]
    """A link sent by e-mail that signs its user in once: an invitation or a password
    reset. Only the SHA-256 of its random token is stored, as for API tokens
    (``services.links``); it works until ``expires_at``, once (``used_at``), and a newer
    link of the same purpose for the same user replaces it."""

    __tablename__ = "one_time_links"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(str_enum(LinkPurpose, "link_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(TZDateTime())
    used_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    # Set when a newer link of the same purpose replaced this one (it no longer works).
    replaced_at: Mapped[datetime | None] = mapped_column(TZDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
