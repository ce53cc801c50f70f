"""The document list: the documents a person may see, filtered by project, language,
person and state, a page at a time in a stable order.

Every filter is a condition of the one query that reads a page (plus one count and the
editions of the page's documents): a page costs the same with 10 or 10 000 documents.
The state of an edition is read from the kept counters (``models.counters``) with the
same rule as ``services.progress.EditionProgress.ready``."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from translator.extensions import db
from translator.models import (
    Assignment,
    AssignmentState,
    Document,
    DocumentMember,
    Edition,
    EditionCount,
    ProjectMember,
    SegmentStatus,
)
from translator.services.rights import visible_documents

PER_PAGE = 50
NO_PROJECT = "none"  # the project filter's value for documents of no project


class DocumentState(enum.StrEnum):
    """What the state filter asks for: ``ready`` (every edition, or the chosen
    language's, ready to publish), ``in_progress`` (not ready), ``overdue`` (an open
    assignment, in the chosen language if any, whose due date has passed)."""

    IN_PROGRESS = "in_progress"
    READY = "ready"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    """The list's filters, each None when not used. ``project`` is a project id (or
    ``NO_PROJECT``), ``person`` a user id: a member of the document (its own or through
    its project's team) or the assignee of one of its open assignments."""

    project: int | str | None = None
    language: str | None = None
    person: int | None = None
    state: DocumentState | None = None


@dataclass(slots=True)
class DocumentPage:
    """One page of the list: its documents (editions and project loaded), the number of
    documents that pass the filters, and where the page is."""

    documents: list[Document]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))


def _edition_not_ready() -> ColumnElement[bool]:
    """On ``Edition``: it is not ready, as
    ``EditionProgress.ready`` says (no segment at all, or a segment not reviewed — not
    confirmed, where the document needs no review — outdated or waiting for an
    alignment)."""
    counted = select(EditionCount.edition_id).where(
        EditionCount.edition_id == Edition.id, EditionCount.segments > 0
    )
    done = or_(
        EditionCount.status == str(SegmentStatus.REVIEWED),
        and_(
            EditionCount.status == str(SegmentStatus.TRANSLATED),
            Edition.document_id.in_(select(Document.id).where(Document.review_required.is_(False))),
        ),
    )
    holding_back = counted.where(
        or_(not_(done), EditionCount.outdated > 0, EditionCount.unaligned > 0)
    )
    return or_(~exists(counted), exists(holding_back))


def _editions(language: str | None, *conditions: Any) -> ColumnElement[bool]:
    """On ``Document``: it has an edition (in ``language``, if given) meeting
    ``conditions``."""
    query = select(Edition.id).where(Edition.document_id == Document.id, *conditions)
    if language:
        query = query.where(Edition.language == language)
    return exists(query)


def _state(state: DocumentState, language: str | None, today: date) -> ColumnElement[bool]:
    not_ready = _editions(language, _edition_not_ready())
    if state is DocumentState.READY:
        return and_(_editions(language), not_(not_ready))
    if state is DocumentState.IN_PROGRESS:
        return or_(not_(_editions(language)), not_ready)
    late = select(Assignment.id).where(
        Assignment.document_id == Document.id,
        Assignment.state == AssignmentState.OPEN,
        Assignment.due < today,
    )
    if language:
        late = late.join(Edition, Edition.id == Assignment.edition_id).where(
            Edition.language == language
        )
    return exists(late)


def _person(user_id: int) -> ColumnElement[bool]:
    member = select(DocumentMember.id).where(
        DocumentMember.document_id == Document.id, DocumentMember.user_id == user_id
    )
    in_team = select(ProjectMember.project_id).where(ProjectMember.user_id == user_id)
    assignee = select(Assignment.id).where(
        Assignment.document_id == Document.id,
        Assignment.user_id == user_id,
        Assignment.state == AssignmentState.OPEN,
    )
    return or_(exists(member), Document.project_id.in_(in_team), exists(assignee))


def filter_conditions(
    visible_to: Any, filters: DocumentFilters, today: date | None = None
) -> list[ColumnElement[bool]]:
    """The conditions on ``Document`` of the list: what ``visible_to`` may see, and the
    filters."""
    conditions: list[ColumnElement[bool]] = [visible_documents(visible_to)]
    if filters.project == NO_PROJECT:
        conditions.append(Document.project_id.is_(None))
    elif filters.project is not None:
        conditions.append(Document.project_id == filters.project)
    if filters.language:
        conditions.append(_editions(filters.language))
    if filters.person is not None:
        conditions.append(_person(filters.person))
    if filters.state is not None:
        conditions.append(_state(filters.state, filters.language, today or date.today()))
    return conditions


def document_page(
    visible_to: Any,
    filters: DocumentFilters = DocumentFilters(),  # frozen: never changed
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> DocumentPage:
    """Page ``page`` (from 1) of the documents ``visible_to`` may see that pass
    ``filters``, most recently updated first (then newest first: a stable order),
    with their editions and project; a page past the last one is empty."""
    conditions = filter_conditions(visible_to, filters, today)
    total = db.session.scalar(select(func.count(Document.id)).where(*conditions)) or 0
    documents = list(
        db.session.scalars(
            select(Document)
            .where(*conditions)
            .options(selectinload(Document.editions), selectinload(Document.project))
            .order_by(Document.updated_at.desc(), Document.id.desc())
            .offset((max(page, 1) - 1) * per_page)
            .limit(per_page)
        )
    )
    return DocumentPage(documents, total, page, per_page)


def visible_languages(visible_to: Any) -> list[str]:
    """The languages of the editions of the documents ``visible_to`` may see, sorted
    (the language filter's choices)."""
    query = (
        select(Edition.language)
        .join(Document, Document.id == Edition.document_id)
        .where(visible_documents(visible_to))
        .distinct()
        .order_by(Edition.language)
    )
    return list(db.session.scalars(query))
