"""User accounts."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from translator.errors import Conflict, InputError
from translator.extensions import db
from translator.models import Document, User

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


def create_user(
    email: str,
    password: str,
    *,
    display_name: str = "",
    is_admin: bool = False,
    is_coordinator: bool = False,
) -> User:
    """Create an account; the password is stored only as a scrypt hash."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise InputError(f"{email!r} is not an e-mail address", field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if find_user(email) is not None:
        raise Conflict(f"a user with e-mail {email} already exists", field="email")
    user = User(
        email=email,
        display_name=display_name.strip(),
        is_admin=is_admin,
        is_coordinator=is_coordinator,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_user(email: str) -> User | None:
    """The user with this e-mail (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user_names(user_ids: set[int]) -> dict[int, str]:
    """Display names of the users ``user_ids`` (for "made by" columns), by id."""
    if not user_ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)))
    return {user.id: user.name for user in users}


def has_users() -> bool:
    """Whether any account exists (a new install asks for the first administrator)."""
    return db.session.scalar(select(User.id).limit(1)) is not None


def editor_columns(user: User, document: Document) -> list[str]:
    """The editions ``user`` chose to see in the editor, in their order (all by default;
    editions added since are appended, removed ones dropped)."""
    languages = document.languages
    chosen = (user.preferences or {}).get("editor_columns", {}).get(str(document.id))
    if not chosen:
        return languages
    return [code for code in chosen if code in languages]


def set_editor_columns(user: User, document: Document, columns: list[Any]) -> None:
    """Remember which editions ``user`` sees in the editor, and in which order."""
    if not columns or not all(isinstance(code, str) for code in columns):
        raise InputError("choose at least one edition", field="columns")
    unknown = [code for code in columns if code not in document.languages]
    if unknown:
        raise InputError(f"the document has no {unknown[0]} edition", field="columns")
    if len(set(columns)) != len(columns):
        raise InputError("an edition is chosen twice", field="columns")
    preferences = dict(user.preferences or {})
    per_document = dict(preferences.get("editor_columns", {}))
    per_document[str(document.id)] = list(columns)
    preferences["editor_columns"] = per_document
    user.preferences = preferences  # a new dict: the JSON column sees the change
    db.session.flush()
