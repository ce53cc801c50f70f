"""One membership component for the two places people are given roles: a document
(``DocumentMember``) and a project's team (``ProjectMember``, which every document of
the project inherits: ``services.members`` reads both).

A ``Scope`` wraps the document or the project; the functions here list, give, take
away and invite into either the same way. ``services.members`` (``set_member``...) and
``services.projects`` (``set_project_member``...) keep their names as thin wrappers.
Every function flushes; the caller commits."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import select

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.models import (
    DOCUMENT_ROLES,
    WHOLE_DOCUMENT,
    Document,
    DocumentMember,
    MemberRole,
    Project,
    ProjectMember,
    User,
)
from translator.services.invitations import invite_user
from translator.services.languages import normalize_language
from translator.services.links import IssuedLink

Member = TypeVar("Member", DocumentMember, ProjectMember)


class Scope(Generic[Member]):
    """Where memberships are held; ``noun`` names it in messages ("document")."""

    model: ClassVar[type[Any]]
    owner_key: ClassVar[str]  # the membership's column that points at the owner
    noun: ClassVar[str]

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    @property
    def owner_id(self) -> int:
        found: int = self.owner.id
        return found

    @property
    def languages(self) -> list[str]:
        """The languages a translator or reviewer may be given here, in order."""
        raise NotImplementedError

    def checked_language(self, language: str) -> str:
        """``language`` as a membership stores it; InputError if the scope lacks it."""
        raise NotImplementedError

    @property
    def inherited_from(self) -> Project | None:
        """Where the scope has more members from (a document: its project), if anywhere."""
        return None

    def inherited(self) -> list[ProjectMember]:
        """The memberships the scope has from ``inherited_from`` (its project's team)."""
        project = self.inherited_from
        return list_scope_members(ProjectScope(project)) if project is not None else []

    def _owned(self) -> Any:
        return getattr(self.model, self.owner_key) == self.owner_id


class DocumentScope(Scope[DocumentMember]):
    """A document's own members, per edition or over the whole document."""

    model = DocumentMember
    owner_key = "document_id"
    noun = "document"
    owner: Document

    @property
    def languages(self) -> list[str]:
        return self.owner.languages

    def checked_language(self, language: str) -> str:
        if language not in self.owner.languages:
            raise InputError(f"the document has no {language} edition", field="language")
        return language

    @property
    def inherited_from(self) -> Project | None:
        return self.owner.project


class ProjectScope(Scope[ProjectMember]):
    """A project's team, per language of the project or over the whole project."""

    model = ProjectMember
    owner_key = "project_id"
    noun = "project"
    owner: Project

    @property
    def languages(self) -> list[str]:
        return self.owner.all_languages

    def checked_language(self, language: str) -> str:
        language = normalize_language(language)
        if language not in self.owner.all_languages:
            known = ", ".join(self.owner.all_languages) or "none"
            raise InputError(
                f"the project has no {language} language (its languages: {known})",
                field="language",
            )
        return language


def list_scope_members(scope: Scope[Member]) -> list[Member]:
    """The scope's memberships, by user (e-mail) then language."""
    model = scope.model
    return list(
        db.session.scalars(
            select(model)
            .join(User, User.id == model.user_id)
            .where(scope._owned())
            .order_by(User.email, model.language)
        )
    )


def user_memberships(scope: Scope[Member], user: User) -> dict[str, Member]:
    """Language (``WHOLE_DOCUMENT`` for a coordinator or reader) → ``user``'s own
    membership in the scope (not what it inherits)."""
    model = scope.model
    rows = db.session.scalars(select(model).where(scope._owned(), model.user_id == user.id))
    return {member.language: member for member in rows}


def set_scope_member(scope: Scope[Member], user: User, language: str, role: MemberRole) -> Member:
    """Give ``user`` ``role`` in the scope: a translator or reviewer in ``language``
    (one of the scope's: ``Scope.checked_language``; replacing their role there), a
    coordinator or reader over the whole scope (``language`` is ignored; it replaces
    their other role of that kind)."""
    language = WHOLE_DOCUMENT if role in DOCUMENT_ROLES else scope.checked_language(language)
    member: Member | None = user_memberships(scope, user).get(language)
    if member is None:
        member = scope.model(user_id=user.id, language=language)
        setattr(member, scope.owner_key, scope.owner_id)
        db.session.add(member)
    member.role = role
    db.session.flush()
    return member


def remove_scope_member(scope: Scope[Member], member_id: int) -> None:
    """Take one membership away (NotFound if it is not the scope's)."""
    member = db.session.get(scope.model, member_id)
    if member is None or getattr(member, scope.owner_key) != scope.owner_id:
        raise NotFound(f"no membership {member_id} in this {scope.noun}", field="member")
    db.session.delete(member)
    db.session.flush()


def invite_member(
    scope: Scope[Member], email: str, language: str, role: MemberRole, *, invited_by: User
) -> IssuedLink:
    """Invite ``email``, who has no account yet (``services.invitations.invite_user``),
    and give the new account ``role`` in the scope, in one step; the caller commits and
    then sends or shows the link (``issued.link.user`` is the new account)."""
    issued = invite_user(email, invited_by=invited_by, locale=None)
    set_scope_member(scope, issued.link.user, language, role)
    return issued
