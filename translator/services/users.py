"""User accounts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.models import Document, User, UserSession

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


# Global roles, as the users page offers them: a coordinator coordinates every
# document (not accounts); an administrator may do everything.
ROLES = ("member", "coordinator", "administrator")


def role_of(user: User) -> str:
    """``administrator``, ``coordinator`` or ``member``."""
    if user.is_admin:
        return "administrator"
    return "coordinator" if user.is_coordinator else "member"


def _active_admins() -> int:
    count = db.session.scalar(
        select(func.count(User.id)).where(User.is_admin.is_(True), User.active.is_(True))
    )
    return int(count or 0)


def set_role(user: User, role: str, *, by: User) -> None:
    """Give ``user`` the global role ``role`` (one of ROLES); the last active
    administrator stays one (Conflict)."""
    if role not in ROLES:
        raise InputError(f"the role must be one of {', '.join(ROLES)}, not {role!r}", field="role")
    make_admin = role == "administrator"
    if user.is_admin and not make_admin and user.active and _active_admins() <= 1:
        raise Conflict("the last administrator cannot stop being one", field="role")
    user.is_admin = make_admin
    user.is_coordinator = role == "coordinator"
    db.session.flush()


def deactivate_user(user: User, *, by: User) -> int:
    """Deactivate ``user``: they can no longer sign in, and every session of theirs
    ends (returns how many). Their API tokens stay, unusable while the account is
    inactive, and work again if it is reactivated. Nobody deactivates themselves, nor
    the last active administrator (Conflict)."""
    if user.id == by.id:
        raise Conflict("you cannot deactivate your own account", field="user")
    if user.is_admin and user.active and _active_admins() <= 1:
        raise Conflict("the last administrator cannot be deactivated", field="user")
    user.active = False
    ended: int = db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id)
    ).rowcount  # type: ignore[attr-defined]
    db.session.flush()
    return ended


def reactivate_user(user: User) -> None:
    """Let ``user`` sign in again."""
    user.active = True
    db.session.flush()


def list_users() -> list[tuple[User, datetime | None]]:
    """Every account, by e-mail, with when it was last seen signed in (its most
    recently used session), if known."""
    last_seen = (
        select(UserSession.user_id, func.max(UserSession.last_seen_at).label("seen"))
        .group_by(UserSession.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User, last_seen.c.seen)
        .outerjoin(last_seen, last_seen.c.user_id == User.id)
        .order_by(User.email)
    )
    return [(user, seen) for user, seen in rows]


def get_user(user_id: int) -> User:
    """The user ``user_id``, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}", field="user")
    return user


def suggest_users(query: str, limit: int = 10) -> list[User]:
    """Active users whose name or e-mail contains ``query`` (at least 2 characters),
    those starting with it first."""
    query = query.strip().lower()
    if len(query) < 2:
        return []
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    name, email = func.lower(User.display_name), func.lower(User.email)
    users = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            name.like(pattern, escape="\\") | email.like(pattern, escape="\\"),
        )
        .order_by(User.email)
        .limit(200)
    )
    ranked = sorted(
        users,
        key=lambda u: (
            not (u.email.lower().startswith(query) or u.display_name.lower().startswith(query)),
            u.email,
        ),
    )
    return ranked[:limit]


def find_person(text: str) -> User | None:
    """The active user ``text`` names: their e-mail, or their name when exactly one
    active user has it (case-insensitive)."""
    user = find_user(text)
    if user is not None:
        return user if user.active else None
    named = list(
        db.session.scalars(
            select(User)
            .where(func.lower(User.display_name) == text.strip().lower(), User.active.is_(True))
            .limit(2)
        )
    )
    return named[0] if len(named) == 1 and text.strip() else None
