"""Who has which role in a document: per language (translator or reviewer: they may
edit that edition) or over the whole document (coordinator, reader). Administrators may
edit and review every language.

A document of a project also has the project's team (``models.projects``): a project
member is a member of each of its documents with the same role and language, on top of
the document's own memberships; where both give a role, the stronger one counts
(reviewer over translator, coordinator over reader). Every question about a person's
role goes through ``memberships`` or ``membership_role``, which read both."""

from __future__ import annotations

from typing import Any, TypeGuard

from sqlalchemy import Select, select, union_all

from translator.errors import Forbidden
from translator.extensions import db
from translator.models import (
    LANGUAGE_ROLES,
    Document,
    DocumentMember,
    Edition,
    MemberRole,
    ProjectMember,
    User,
)
from translator.services.member_scopes import (
    DocumentScope,
    list_scope_members,
    remove_scope_member,
    set_scope_member,
)

# Where a person has two roles of one kind (their own and the project's), the stronger.
_STRENGTH = {
    MemberRole.TRANSLATOR: 1,
    MemberRole.REVIEWER: 2,
    MemberRole.READER: 1,
    MemberRole.COORDINATOR: 2,
}


def stronger(first: MemberRole | None, second: MemberRole | None) -> MemberRole | None:
    """The stronger of two roles of the same kind (None: no role)."""
    if first is None or second is None:
        return first or second
    return first if _STRENGTH[first] >= _STRENGTH[second] else second


def _both(user_id: int, document_id: int) -> Select[Any]:
    """(language, role) rows of the user's own memberships of the document and of those
    of its project's team (a document of no project has none of the latter)."""
    own = select(DocumentMember.language, DocumentMember.role).where(
        DocumentMember.document_id == document_id, DocumentMember.user_id == user_id
    )
    project_id = select(Document.project_id).where(Document.id == document_id).scalar_subquery()
    inherited = select(ProjectMember.language, ProjectMember.role).where(
        ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
    )
    both = union_all(own, inherited).subquery()
    return select(both.c.language, both.c.role)


def memberships(user: User, document_id: int) -> dict[str, MemberRole]:
    """Language (``WHOLE_DOCUMENT`` for a coordinator or reader) → ``user``'s role in the
    document, their own and their project's together (the stronger where both), in one
    query. Not about administrators or global coordinators: ``services.rights`` is."""
    found: dict[str, MemberRole] = {}
    for language, role in db.session.execute(_both(user.id, document_id)):
        found[language] = stronger(found.get(language), MemberRole(role)) or MemberRole(role)
    return found


def people_with_role(document_id: int, language: str, role: MemberRole) -> list[User]:
    """The users with ``role`` in that language of the document, by their own
    membership or their project's team, by id (e.g. the translators an export credits)."""
    own = select(DocumentMember.user_id).where(
        DocumentMember.document_id == document_id,
        DocumentMember.language == language,
        DocumentMember.role == role,
    )
    project_id = select(Document.project_id).where(Document.id == document_id).scalar_subquery()
    team = select(ProjectMember.user_id).where(
        ProjectMember.project_id == project_id,
        ProjectMember.language == language,
        ProjectMember.role == role,
    )
    query = select(User).where(User.id.in_(own.union(team))).order_by(User.id)
    return list(db.session.scalars(query))


def member_ids(document_id: int) -> Select[Any]:
    """A query of the ids of everyone with a role in the document, by their own
    membership or their project's team (for ``IN``: who is told of its changes)."""
    own = select(DocumentMember.user_id).where(DocumentMember.document_id == document_id)
    project_id = select(Document.project_id).where(Document.id == document_id).scalar_subquery()
    team = select(ProjectMember.user_id).where(ProjectMember.project_id == project_id)
    return select(own.union(team).subquery().c.user_id)


def member_roles(user: User | None, document_id: int) -> dict[str, MemberRole]:
    """Language → role of ``user`` in the document (every language as reviewer for an
    administrator; nothing for an anonymous or inactive user)."""
    if not _signed_in(user):
        return {}
    if user.is_admin:
        languages = select(Edition.language).where(Edition.document_id == document_id)
        return {code: MemberRole.REVIEWER for code in db.session.scalars(languages)}
    return {
        language: role
        for language, role in memberships(user, document_id).items()
        if role in LANGUAGE_ROLES
    }


def language_role(user: User | None, document_id: int, language: str) -> MemberRole | None:
    """``user``'s role for that language of the document (reviewer for an
    administrator), or None if they may not edit it; one query at most."""
    if not _signed_in(user):
        return None
    if user.is_admin:
        return MemberRole.REVIEWER
    return membership_role(user, document_id, language)


def membership_role(user: User, document_id: int, language: str) -> MemberRole | None:
    """``user``'s translator or reviewer role for that language of the document, from
    their own membership or their project's (the stronger), if any; one query."""
    query = _both(user.id, document_id).subquery()
    roles = db.session.scalars(select(query.c.role).where(query.c.language == language))
    found: MemberRole | None = None
    for role in roles:
        if MemberRole(role) in LANGUAGE_ROLES:
            found = stronger(found, MemberRole(role))
    return found


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
    return list_scope_members(DocumentScope(document))


def set_member(document: Document, user: User, language: str, role: MemberRole) -> DocumentMember:
    """Give ``user`` ``role`` in the document: for a translator or reviewer, in
    ``language`` (one of its editions; replacing their role there); a coordinator or
    reader role is over the whole document (``language`` is ignored; it replaces their
    other role of that kind). ``services.member_scopes.set_scope_member`` for a document."""
    return set_scope_member(DocumentScope(document), user, language, role)


def remove_member(document: Document, member_id: int) -> None:
    """Take one language membership away (NotFound if it is not the document's)."""
    remove_scope_member(DocumentScope(document), member_id)
