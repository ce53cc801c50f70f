"""Who has which role in a document: per language (translator or reviewer: they may
edit that edition) or over the whole document (coordinator, reader). Administrators may
edit and review every language."""

from __future__ import annotations

from typing import TypeGuard

from sqlalchemy import select

from translator.errors import Forbidden, InputError, NotFound
from translator.extensions import db
from translator.models import (
    DOCUMENT_ROLES,
    LANGUAGE_ROLES,
    WHOLE_DOCUMENT,
    Document,
    DocumentMember,
    Edition,
    MemberRole,
    User,
)


def member_roles(user: User | None, document_id: int) -> dict[str, MemberRole]:
    """Language → role of ``user`` in the document (every language as reviewer for an
    administrator; nothing for an anonymous or inactive user)."""
    if not _signed_in(user):
        return {}
    if user.is_admin:
        languages = select(Edition.language).where(Edition.document_id == document_id)
        return {code: MemberRole.REVIEWER for code in db.session.scalars(languages)}
    rows = db.session.execute(
        select(DocumentMember.language, DocumentMember.role).where(
            DocumentMember.document_id == document_id,
            DocumentMember.user_id == user.id,
            DocumentMember.role.in_(LANGUAGE_ROLES),
        )
    )
    return {language: role for language, role in rows}


def language_role(user: User | None, document_id: int, language: str) -> MemberRole | None:
    """``user``'s role for that language of the document (reviewer for an
    administrator), or None if they may not edit it; one query at most."""
    if not _signed_in(user):
        return None
    if user.is_admin:
        return MemberRole.REVIEWER
    return membership_role(user, document_id, language)


def membership_role(user: User, document_id: int, language: str) -> MemberRole | None:
    """The role recorded in ``user``'s membership of that language, if any."""
    role: MemberRole | None = db.session.scalar(
        select(DocumentMember.role).where(
            DocumentMember.document_id == document_id,
            DocumentMember.user_id == user.id,
            DocumentMember.language == language,
            DocumentMember.role.in_(LANGUAGE_ROLES),
        )
    )
    return role


def role_of(user: User | None, membership: MemberRole | None) -> MemberRole | None:
    """``user``'s role given the role their membership records (read by the caller,
    e.g. joined into a larger query): reviewer for an administrator, nothing for an
    anonymous or inactive user."""
    if not _signed_in(user):
        return None
    return MemberRole.REVIEWER if user.is_admin else membership


def _signed_in(user: User | None) -> TypeGuard[User]:
    return user is not None and getattr(user, "is_authenticated", False) and bool(user.active)


def can_edit(user: User | None, document_id: int, language: str) -> bool:
    """Whether ``user`` may write segments of that language of that document."""
    return language_role(user, document_id, language) is not None


def is_reviewer(user: User | None, document_id: int, language: str) -> bool:
    """Whether a confirmation by ``user`` marks a segment ``reviewed``."""
    return language_role(user, document_id, language) == MemberRole.REVIEWER


def check_can_edit(user: User | None, document_id: int, language: str) -> MemberRole:
    """``user``'s role for that language; Forbidden unless they may edit it."""
    return require_role(language_role(user, document_id, language), language)


def require_role(role: MemberRole | None, language: str) -> MemberRole:
    """``role`` (as ``language_role`` gives it); Forbidden if there is none."""
    if role is None:
        raise Forbidden(f"you may not edit the {language} edition of this document")
    return role


def list_members(document: Document) -> list[DocumentMember]:
    """The document's memberships, by user then language."""
    return list(
        db.session.scalars(
            select(DocumentMember)
            .join(User, User.id == DocumentMember.user_id)
            .where(DocumentMember.document_id == document.id)
            .order_by(User.email, DocumentMember.language)
        )
    )


def set_member(document: Document, user: User, language: str, role: MemberRole) -> DocumentMember:
    """Give ``user`` ``role`` in the document: for a translator or reviewer, in
    ``language`` (replacing their role there); a coordinator or reader role is over the
    whole document (``language`` is ignored; it replaces their other role of that kind)."""
    if role in DOCUMENT_ROLES:
        language = WHOLE_DOCUMENT
    elif language not in document.languages:
        raise InputError(f"the document has no {language} edition", field="language")
    member = db.session.scalar(
        select(DocumentMember).where(
            DocumentMember.document_id == document.id,
            DocumentMember.user_id == user.id,
            DocumentMember.language == language,
        )
    )
    if member is None:
        member = DocumentMember(document_id=document.id, user_id=user.id, language=language)
        db.session.add(member)
    member.role = role
    db.session.flush()
    return member


def remove_member(document: Document, member_id: int) -> None:
    """Take one language membership away."""
    member = db.session.get(DocumentMember, member_id)
    if member is None or member.document_id != document.id:
        raise NotFound(f"no membership {member_id} in this document", field="member")
    db.session.delete(member)
    db.session.flush()
