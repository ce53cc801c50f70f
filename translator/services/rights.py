"""Who may do what: the one place that answers it.

Every web route declares the right it needs (``translator.web.rights.requires``); the
web layer resolves the route's target (the document, and the language for a segment)
and asks ``require`` before the view runs. Services that take a user check through the
same functions. A right is about a *target*: most are about a document (reading it,
managing it, changing its rows) or one of its languages (writing its segments).

The rules, one per right, are listed with the rights themselves
(``services.rights_table``).

A request authenticated by a personal API token (``services.tokens``) also has the
token's scope: a ``read`` token may only read (GET, HEAD), whatever its user may do
(``require_scope``, asked by the same hook before the right itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_, select, true

from translator.errors import Forbidden, NotFound, SignInRequired
from translator.extensions import db
from translator.models import (
    LANGUAGE_ROLES,
    Comment,
    Document,
    DocumentMember,
    Edition,
    Job,
    MemberRole,
    Project,
    ProjectMember,
    Segment,
    Suggestion,
    TokenScope,
    Unit,
    User,
)
from translator.services.carryover import successor_of
from translator.services.members import membership_role, memberships
from translator.services.rights_table import PROJECT_RIGHTS, refusal

# Right is re-exported: some 45 views, services and tests name the right they need from here.
from translator.services.rights_table import Right as Right


@dataclass(frozen=True, slots=True)
class Target:
    """What a right is asked about: a document (``document_id``), one of its languages
    (``language``, for segment writes), for a job its author (``owner_id``), or a
    project (``project_id``)."""

    document_id: int | None = None
    language: str | None = None
    owner_id: int | None = None
    job_kind: str | None = None
    project_id: int | None = None


NOTHING = Target()


def signed_in(user: Any) -> bool:
    """Whether ``user`` is an active, authenticated account (not the anonymous user)."""
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "active", False))
    )


def _memberships(user: User, document_id: int) -> list[tuple[str, MemberRole]]:
    """(language, role) of each of ``user``'s memberships of the document, their own and
    their project's (the language is ``WHOLE_DOCUMENT`` for a coordinator or reader)."""
    return list(memberships(user, document_id).items())


def _project_roles(user: User, project_id: int) -> set[MemberRole]:
    return set(
        db.session.scalars(
            select(ProjectMember.role).where(
                ProjectMember.project_id == project_id, ProjectMember.user_id == user.id
            )
        )
    )


def _has_project_right(user: User, right: Right, project_id: int | None) -> bool:
    if right is Right.MANAGE_PROJECTS:
        return bool(user.is_coordinator)
    if project_id is None:
        raise ValueError(f"the right {right} is about a project; none was given")
    if user.is_coordinator:
        return True
    roles = _project_roles(user, project_id)
    if right is Right.MANAGE_PROJECT_TEAM:
        return MemberRole.COORDINATOR in roles
    # VIEW_PROJECT: a member of its team, or of one of its documents.
    if roles:
        return True
    own = select(DocumentMember.id).join(Document, Document.id == DocumentMember.document_id)
    found = own.where(Document.project_id == project_id, DocumentMember.user_id == user.id)
    return db.session.scalar(found.limit(1)) is not None


def _coordinates(user: User, memberships: list[tuple[str, MemberRole]]) -> bool:
    return bool(user.is_coordinator) or any(
        role is MemberRole.COORDINATOR for _, role in memberships
    )


def _edits(memberships: list[tuple[str, MemberRole]]) -> set[str]:
    """The languages these memberships may edit."""
    return {language for language, role in memberships if role in LANGUAGE_ROLES}


def _languages(document_id: int) -> set[str]:
    return set(
        db.session.scalars(select(Edition.language).where(Edition.document_id == document_id))
    )


def _is_member_of(
    user: User, document_id: int, language: str, role: MemberRole | None = None
) -> bool:
    """Whether ``user`` is a translator or reviewer (``role``, if given) of that
    language of the document."""
    found = membership_role(user, document_id, language)
    return found is not None and (role is None or found == role)


def has_right(user: Any, right: Right, target: Target = NOTHING) -> bool:
    """Whether ``user`` (possibly anonymous) has ``right`` on ``target``."""
    if right is Right.ANYONE:
        return True
    if not signed_in(user):
        return False
    if user.is_admin or right is Right.SIGNED_IN:
        return True
    if right is Right.ADMINISTER:
        return False
    if right is Right.VIEW_ACTIVITY:  # everyone has their own; visible_activity narrows it
        return True
    if right in (Right.IMPORT_DOCUMENTS, Right.MANAGE_TRASH):
        return bool(user.is_coordinator)
    if right is Right.COORDINATE:
        return bool(user.is_coordinator) or _coordinates_any(user)
    if right is Right.RETRY_JOB:  # its author, with the right the job's action needs
        if target.owner_id is None or target.owner_id != user.id:
            return False
        if target.job_kind == "align" and target.document_id is not None:
            return has_right(user, Right.RESTRUCTURE_DOCUMENT, target)
        if target.job_kind == "translations" and target.document_id is not None:
            return has_right(user, Right.EDIT_ANY_EDITION, target)
        if target.job_kind == "import" and target.document_id is not None:
            return has_right(user, Right.MANAGE_DOCUMENT, target)  # a new edition
        if target.job_kind == "import":
            return bool(user.is_coordinator)  # importing new documents is for coordinators
        return True
    if right in PROJECT_RIGHTS or right is Right.MANAGE_PROJECTS:
        return _has_project_right(user, right, target.project_id)
    if right is Right.VIEW_JOB:
        if target.owner_id is not None and target.owner_id == user.id:
            return True
        return target.document_id is not None and has_right(user, Right.VIEW_DOCUMENT, target)
    if target.document_id is None:
        raise ValueError(f"the right {right} is about a document; none was given")
    if right is Right.EDIT_EDITION:
        if target.language is None:
            raise ValueError("edit_edition is about a language; none was given")
        return _is_member_of(user, target.document_id, target.language)
    if right is Right.REVIEW_EDITION:
        if target.language is None:
            raise ValueError("review_edition is about a language; none was given")
        return _is_member_of(user, target.document_id, target.language, MemberRole.REVIEWER)
    if user.is_coordinator and right in (Right.VIEW_DOCUMENT, Right.MANAGE_DOCUMENT):
        return True  # no membership to read (the import form asks it of every document)
    memberships = _memberships(user, target.document_id)
    if right is Right.VIEW_DOCUMENT:
        return bool(memberships) or bool(user.is_coordinator)
    if right is Right.MANAGE_DOCUMENT:
        return _coordinates(user, memberships)
    if right is Right.EDIT_ANY_EDITION:
        return bool(_edits(memberships))
    if right is Right.RESTRUCTURE_DOCUMENT:
        if _coordinates(user, memberships):
            return True
        languages = _languages(target.document_id)
        return bool(languages) and languages <= _edits(memberships)
    raise ValueError(f"unknown right {right!r}")


def visible_documents(user: Any) -> Any:
    """A condition on ``Document`` selecting the documents ``user`` may see (for lists:
    the same rule as ``view_document``)."""
    if not signed_in(user):
        return false()
    if user.is_admin or user.is_coordinator:
        return true()
    member_of = select(DocumentMember.document_id).where(DocumentMember.user_id == user.id)
    in_team_of = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    return or_(Document.id.in_(member_of), Document.project_id.in_(in_team_of))


def visible_projects(user: Any) -> Any:
    """A condition on ``Project`` selecting the projects ``user`` may see (the same rule
    as ``view_project``)."""
    if not signed_in(user):
        return false()
    if user.is_admin or user.is_coordinator:
        return true()
    in_team_of = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    member_of = (
        select(Document.project_id)
        .join(DocumentMember, DocumentMember.document_id == Document.id)
        .where(DocumentMember.user_id == user.id, Document.project_id.is_not(None))
    )
    return or_(Project.id.in_(in_team_of), Project.id.in_(member_of))


def _coordinates_any(user: User) -> bool:
    """Whether ``user`` coordinates at least one document (not in the trash), as its
    own coordinator or a coordinator of its project's team."""
    found = db.session.scalar(select(Document.id).where(managed_documents(user)).limit(1))
    return found is not None


def managed_documents(user: Any) -> Any:
    """A condition on ``Document`` selecting the documents ``user`` may manage (the
    same rule as ``manage_document``, for the dashboard's lists)."""
    if not signed_in(user):
        return false()
    if user.is_admin or user.is_coordinator:
        return true()
    coordinated = select(DocumentMember.document_id).where(
        DocumentMember.user_id == user.id, DocumentMember.role == MemberRole.COORDINATOR
    )
    team = select(ProjectMember.project_id).where(
        ProjectMember.user_id == user.id, ProjectMember.role == MemberRole.COORDINATOR
    )
    return or_(Document.id.in_(coordinated), Document.project_id.in_(team))


def activity_scope(user: Any) -> Callable[[Any, Any], Any]:
    """What ``user`` may see in the activity log and its figures, as a builder of the
    condition on a row's document and person columns: everything of the documents
    they coordinate, themselves or as their project's coordinators (all for global
    coordinators and administrators), their own rows in the others they see. One query
    (the documents they coordinate), however many tables the condition is then applied
    to."""
    if not signed_in(user):
        return lambda document_id, person_id: false()
    if user.is_admin or user.is_coordinator:
        return lambda document_id, person_id: true()
    # The same rules as the document list and the dashboard (a project's team counts).
    member_of = select(Document.id).where(visible_documents(user))
    coordinated = list(db.session.scalars(select(Document.id).where(managed_documents(user))))

    def condition(document_id: Any, person_id: Any) -> Any:
        # Their own rows alone when they coordinate nothing: an index by person serves.
        own = (person_id == user.id) & document_id.in_(member_of)
        return or_(document_id.in_(coordinated), own) if coordinated else own

    return condition


def visible_activity(user: Any, document_id: Any, person_id: Any) -> Any:
    """The condition ``activity_scope`` builds, for one table's columns."""
    return activity_scope(user)(document_id, person_id)


def require(user: Any, right: Right, target: Target = NOTHING) -> None:
    """Raise SignInRequired (nobody signed in) or Forbidden unless ``user`` has
    ``right`` on ``target``; the message says what is missing."""
    if has_right(user, right, target):
        return
    if not signed_in(user):
        raise SignInRequired(refusal(Right.SIGNED_IN))
    raise Forbidden(refusal(right, target.language))


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def require_scope(scope: TokenScope | None, method: str) -> None:
    """Raise Forbidden if a request authenticated by an API token of ``scope`` may not
    use ``method``: a ``read`` token reads only. ``None`` (a browser session) and a
    ``write`` token are limited by the user's rights alone."""
    if scope is TokenScope.READ and method not in READ_METHODS:
        raise Forbidden(
            f"this API token has the scope 'read': it may only read (GET), not {method}; "
            "use a token with the scope 'write'",
            field="Authorization",
        )


# --- targets named by a route's URL --------------------------------------------------


def segment_target(segment_id: int) -> Target:
    """The document and language of segment ``segment_id`` (NotFound if there is none)."""
    row = db.session.execute(
        select(Edition.document_id, Edition.language)
        .join(Segment, Segment.edition_id == Edition.id)
        .where(Segment.id == segment_id)
    ).first()
    if row is None:
        successor = successor_of(segment_id)  # removed by a structure change
        if successor is None:
            raise NotFound(f"no segment {segment_id}", field="segment")
        return segment_target(successor)
    return Target(document_id=row.document_id, language=row.language)


def _document_of(model: Any, object_id: int, name: str) -> Target:
    document_id = db.session.scalar(select(model.document_id).where(model.id == object_id))
    if document_id is None:
        raise NotFound(f"no {name} {object_id}", field=name)
    return Target(document_id=document_id)


def suggestion_target(suggestion_id: int) -> Target:
    """The target of the segment suggestion ``suggestion_id`` is for."""
    segment_id = db.session.scalar(
        select(Suggestion.segment_id).where(Suggestion.id == suggestion_id)
    )
    if segment_id is None:
        raise NotFound(f"no suggestion {suggestion_id}", field="suggestion")
    return segment_target(segment_id)


def job_target(job_id: str) -> Target:
    """The document and author of job ``job_id`` (NotFound if there is none)."""
    row = db.session.execute(
        select(Job.document_id, Job.user_id, Job.kind).where(Job.id == job_id)
    ).first()
    if row is None:
        raise NotFound(f"no job {job_id!r}", field="job")
    return Target(document_id=row.document_id, owner_id=row.user_id, job_kind=row.kind)


def document_target(slug: str) -> Target:
    """The document with this slug (NotFound if there is none)."""
    document_id = db.session.scalar(select(Document.id).where(Document.slug == slug))
    if document_id is None:
        raise NotFound(f"no document with slug {slug!r}", field="document")
    return Target(document_id=document_id)


def project_target(slug: str) -> Target:
    """The project with this slug (NotFound if there is none)."""
    project_id = db.session.scalar(select(Project.id).where(Project.slug == slug))
    if project_id is None:
        raise NotFound(f"no project with slug {slug!r}", field="project")
    return Target(project_id=project_id)


def unit_target(unit_id: int) -> Target:
    """The document of unit ``unit_id`` (NotFound if there is none)."""
    return _document_of(Unit, unit_id, "unit")


def comment_target(comment_id: int) -> Target:
    """The document of comment ``comment_id`` (NotFound if there is none)."""
    return _document_of(Comment, comment_id, "comment")
