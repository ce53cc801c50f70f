"""Who may do what: the one place that answers it.

Every web route declares the right it needs (``translator.web.rights.requires``); the
web layer resolves the route's target (the document, and the language for a segment)
and asks ``require`` before the view runs. Services that take a user check through the
same functions. A right is about a *target*: most are about a document (reading it,
managing it, changing its rows) or one of its languages (writing its segments).

The rules today (administrators may do everything):

- ``anyone``: public pages (sign-in, first-run setup, interface language).
- ``signed_in``: any active account (the document list, one's own account page).
- ``view_document``: any active account: the collective reads every text; reading
  includes proposing a text (a suggestion) and commenting.
- ``edit_edition``: a member of that language of the document (translator or reviewer).
- ``edit_any_edition``: a member of at least one language of the document.
- ``restructure_document``: a member of every language (a merge rewrites them all).
- ``manage_document`` (settings, members, new editions) and ``import_documents``
  (new documents): administrators.
- ``view_job``: the job's author, or whoever may view its document.
- ``retry_job``: the job's author, with the right its action needs (an alignment:
  ``restructure_document``; an import: administrators).
- ``administer``: administrators.

A request authenticated by a personal API token (``services.tokens``) also has the
token's scope: a ``read`` token may only read (GET, HEAD), whatever its user may do
(``require_scope``, asked by the same hook before the right itself).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from translator.errors import Forbidden, NotFound, SignInRequired
from translator.extensions import db
from translator.models import (
    Comment,
    Document,
    DocumentMember,
    Edition,
    Job,
    Segment,
    Suggestion,
    TokenScope,
    Unit,
    User,
)
from translator.services.carryover import successor_of


class Right(enum.StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed_in"
    ADMINISTER = "administer"
    IMPORT_DOCUMENTS = "import_documents"
    VIEW_DOCUMENT = "view_document"
    MANAGE_DOCUMENT = "manage_document"
    EDIT_EDITION = "edit_edition"
    EDIT_ANY_EDITION = "edit_any_edition"
    RESTRUCTURE_DOCUMENT = "restructure_document"
    VIEW_JOB = "view_job"
    RETRY_JOB = "retry_job"


# Rights about a document need one; EDIT_EDITION also a language; VIEW_JOB a job owner.
DOCUMENT_RIGHTS = frozenset(
    {
        Right.VIEW_DOCUMENT,
        Right.MANAGE_DOCUMENT,
        Right.EDIT_EDITION,
        Right.EDIT_ANY_EDITION,
        Right.RESTRUCTURE_DOCUMENT,
    }
)


@dataclass(frozen=True, slots=True)
class Target:
    """What a right is asked about: a document (``document_id``), one of its languages
    (``language``, for segment writes), and for a job its author (``owner_id``)."""

    document_id: int | None = None
    language: str | None = None
    owner_id: int | None = None
    job_kind: str | None = None


NOTHING = Target()


def signed_in(user: Any) -> bool:
    """Whether ``user`` is an active, authenticated account (not the anonymous user)."""
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "active", False))
    )


def _roles(user: User, document_id: int) -> set[str]:
    """The languages of the document ``user`` is a member of."""
    return set(
        db.session.scalars(
            select(DocumentMember.language).where(
                DocumentMember.document_id == document_id, DocumentMember.user_id == user.id
            )
        )
    )


def _languages(document_id: int) -> set[str]:
    return set(
        db.session.scalars(select(Edition.language).where(Edition.document_id == document_id))
    )


def _is_member_of(user: User, document_id: int, language: str) -> bool:
    found = db.session.scalar(
        select(DocumentMember.id).where(
            DocumentMember.document_id == document_id,
            DocumentMember.user_id == user.id,
            DocumentMember.language == language,
        )
    )
    return found is not None


def has_right(user: Any, right: Right, target: Target = NOTHING) -> bool:
    """Whether ``user`` (possibly anonymous) has ``right`` on ``target``."""
    if right is Right.ANYONE:
        return True
    if not signed_in(user):
        return False
    if user.is_admin or right is Right.SIGNED_IN:
        return True
    if right in (Right.ADMINISTER, Right.IMPORT_DOCUMENTS, Right.MANAGE_DOCUMENT):
        return False
    if right is Right.RETRY_JOB:  # its author, with the right the job's action needs
        if target.owner_id is None or target.owner_id != user.id:
            return False
        if target.job_kind == "align" and target.document_id is not None:
            return has_right(user, Right.RESTRUCTURE_DOCUMENT, target)
        if target.job_kind == "translations" and target.document_id is not None:
            return has_right(user, Right.EDIT_ANY_EDITION, target)
        return target.job_kind != "import"  # importing is for administrators
    if right is Right.VIEW_JOB:
        if target.owner_id is not None and target.owner_id == user.id:
            return True
        return target.document_id is not None and has_right(user, Right.VIEW_DOCUMENT, target)
    if target.document_id is None:
        raise ValueError(f"the right {right} is about a document; none was given")
    if right is Right.VIEW_DOCUMENT:
        return True
    if right is Right.EDIT_EDITION:
        if target.language is None:
            raise ValueError("edit_edition is about a language; none was given")
        return _is_member_of(user, target.document_id, target.language)
    roles = _roles(user, target.document_id)
    if right is Right.EDIT_ANY_EDITION:
        return bool(roles)
    if right is Right.RESTRUCTURE_DOCUMENT:
        languages = _languages(target.document_id)
        return bool(languages) and languages <= roles
    raise ValueError(f"unknown right {right!r}")


def require(user: Any, right: Right, target: Target = NOTHING) -> None:
    """Raise SignInRequired (nobody signed in) or Forbidden unless ``user`` has
    ``right`` on ``target``; the message says what is missing."""
    if has_right(user, right, target):
        return
    if not signed_in(user):
        raise SignInRequired("please sign in")
    raise Forbidden(_REFUSALS[right].format(language=target.language))


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


def unit_target(unit_id: int) -> Target:
    """The document of unit ``unit_id`` (NotFound if there is none)."""
    return _document_of(Unit, unit_id, "unit")


def comment_target(comment_id: int) -> Target:
    """The document of comment ``comment_id`` (NotFound if there is none)."""
    return _document_of(Comment, comment_id, "comment")


_REFUSALS: dict[Right, str] = {
    Right.ANYONE: "",
    Right.SIGNED_IN: "please sign in",
    Right.ADMINISTER: "only an administrator may do this",
    Right.IMPORT_DOCUMENTS: "only an administrator may import new documents",
    Right.VIEW_DOCUMENT: "you may not see this document",
    Right.MANAGE_DOCUMENT: "only an administrator may change this document's settings, "
    "members and editions",
    Right.EDIT_EDITION: "you may not edit the {language} edition of this document",
    Right.EDIT_ANY_EDITION: "you may not edit any edition of this document",
    Right.RESTRUCTURE_DOCUMENT: "changing the alignment needs the right to edit every edition",
    Right.VIEW_JOB: "you may not see this job",
    Right.RETRY_JOB: "only the person who started this job (with the right to do it "
    "again) or an administrator may retry it",
}
