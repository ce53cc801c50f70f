"""The sources of the activity log (``services.activity``): one entry per table that
already records a kind of doing, each a SELECT giving the same columns.

``Revision``: saves, confirmations, reviews, minor edits, rejections, reverts,
replacements, accepted suggestions (not the revisions of imports and fixes of the rows:
those are in the log once, as their import or fix); ``StructureChange``: alignments,
merges, splits, moves, inserts, undos; ``AssignmentEvent``: assigning, reassigning,
due dates, closing; ``Job``: imports, exports, translations brought back; ``Comment``.
Adding a source is one ``register_source`` call, here or in the module that owns the
table (give it a rank no other source has).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select, String, case, cast, func, literal_column, true, type_coerce

from translator.models import (
    Assignment,
    AssignmentEvent,
    Comment,
    Document,
    Edition,
    Job,
    Release,
    Revision,
    RevisionReason,
    SegmentStatus,
    StructureChange,
    StructureKind,
)
from translator.models.history import STRUCTURAL_REASONS

EXCERPT = 120  # characters of a text shown in the log

# Revisions that rewrite text without a person's translating or reviewing it: the
# import, alignment or fix they belong to is in the log once, through its own source.
# Literal values (not bound parameters), so that the partial indexes of the migration
# ``activity_indexes`` match the condition whatever plan the database caches.
NOT_STRUCTURAL = Revision.reason.notin_([literal_column(f"'{r}'") for r in STRUCTURAL_REASONS])
JOB_KINDS = ("import", "export", "translations")  # an alignment job is its StructureChange


@dataclass(frozen=True, slots=True)
class Source:
    """One table of the log: its columns as SQL expressions over ``frame``'s FROM.

    ``kinds`` maps each kind of row it gives to the condition selecting those rows
    (mutually exclusive); ``id`` orders rows of the same instant (``text_id``: it is a
    string, as a job's is); ``language`` and ``unit`` may be None (the row is about the
    whole document)."""

    name: str
    rank: int
    at: Any
    id: Any
    person: Any
    document: Any
    language: Any | None
    kinds: Mapping[str, Any]
    action: Any
    text: Any
    unit: Any | None
    frame: Callable[[Select[Any]], Select[Any]]
    text_id: bool = False

    def kind_column(self) -> Any:
        if len(self.kinds) == 1:
            return literal_column(f"'{next(iter(self.kinds))}'")
        return case(*[(cond, literal_column(f"'{k}'")) for k, cond in self.kinds.items()])


SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    """Add a source to the log (a new table of doings: one call, nothing else)."""
    if any(s.rank == source.rank or s.name == source.name for s in SOURCES):
        raise ValueError(f"an activity source already has the name or rank of {source.name}")
    SOURCES.append(source)


def kinds() -> list[str]:
    """Every kind of row the log can show, in the sources' order."""
    return [kind for source in SOURCES for kind in source.kinds]


def as_text(column: Any) -> Any:
    """``column`` read as a plain string (an enum's value)."""
    return type_coerce(column, String)


def sqlite() -> bool:
    """Whether the application's database is SQLite."""
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")


def not_deleted(model: Any) -> Any:
    """Not in the trash. On SQLite said so that no index of ``deleted_at`` tempts its
    planner (which has no statistics) to start from the editions or documents and sort
    every revision of them: the log is read from its newest rows down. PostgreSQL
    plans by its statistics and gets the plain condition. The queries that use it
    opt out of ``models.trash``'s own criteria."""
    if sqlite():
        return func.coalesce(model.deleted_at, None).is_(None)
    return model.deleted_at.is_(None)


def _excerpt(column: Any) -> Any:
    return func.substr(column, 1, EXCERPT)


def _through_edition(edition_id: Any) -> Callable[[Select[Any]], Select[Any]]:
    def frame(query: Select[Any]) -> Select[Any]:
        return (
            query.join(Edition, Edition.id == edition_id)
            .join(Document, Document.id == Edition.document_id)
            .where(not_deleted(Edition))
        )

    return frame


_EDIT = Revision.reason == RevisionReason.EDIT
register_source(
    Source(
        name="revision",
        rank=1,
        at=Revision.created_at,
        id=Revision.id,
        person=Revision.author_id,
        document=Edition.document_id,
        language=Edition.language,
        kinds={
            "save": _EDIT & Revision.status.in_([SegmentStatus.EMPTY, SegmentStatus.DRAFT]),
            "confirm": _EDIT & (Revision.status == SegmentStatus.TRANSLATED),
            "review": _EDIT & (Revision.status == SegmentStatus.REVIEWED),
            "minor": Revision.reason == RevisionReason.MINOR,
            "reject": Revision.reason == RevisionReason.REJECT,
            "revert": Revision.reason == RevisionReason.REVERT,
            "replace": Revision.reason == RevisionReason.REPLACE,
            "suggestion": Revision.reason == RevisionReason.SUGGESTION,
        },
        action=as_text(Revision.status),
        text=_excerpt(Revision.text),
        unit=Revision.unit_id,
        frame=lambda q: _through_edition(Revision.edition_id)(
            q.select_from(Revision).where(NOT_STRUCTURAL)
        ),
    )
)
register_source(
    Source(
        name="structure",
        rank=2,
        at=StructureChange.created_at,
        id=StructureChange.id,
        person=StructureChange.author_id,
        document=StructureChange.document_id,
        language=None,
        kinds={str(k): StructureChange.kind == k for k in StructureKind},
        action=as_text(StructureChange.kind),
        text=literal_column("''"),
        unit=None,
        frame=lambda q: q.select_from(StructureChange).join(
            Document, Document.id == StructureChange.document_id
        ),
    )
)
register_source(
    Source(
        name="assignment",
        rank=3,
        at=AssignmentEvent.created_at,
        id=AssignmentEvent.id,
        person=AssignmentEvent.actor_id,
        document=Edition.document_id,
        language=Edition.language,
        kinds={"assignment": true()},
        action=as_text(AssignmentEvent.action),
        text=AssignmentEvent.detail,
        unit=None,
        frame=lambda q: _through_edition(Assignment.edition_id)(
            q.select_from(AssignmentEvent).join(
                Assignment, Assignment.id == AssignmentEvent.assignment_id
            )
        ),
    )
)
register_source(
    Source(
        name="job",
        rank=4,
        at=Job.created_at,
        id=Job.id,
        person=Job.user_id,
        document=Job.document_id,
        language=Job.params["language"].as_string(),
        kinds={kind: Job.kind == kind for kind in JOB_KINDS},
        action=as_text(Job.state),
        text=func.coalesce(Job.params["filename"].as_string(), Job.params["format"].as_string()),
        unit=None,
        frame=lambda q: (
            q.select_from(Job)
            .join(Document, Document.id == Job.document_id)
            .where(Job.kind.in_(JOB_KINDS))
        ),
        text_id=True,
    )
)
register_source(
    Source(
        name="comment",
        rank=5,
        at=Comment.created_at,
        id=Comment.id,
        person=Comment.author_id,
        document=Comment.document_id,
        language=Comment.language,
        kinds={"comment": true()},
        action=literal_column("''"),
        text=_excerpt(Comment.body),
        unit=Comment.unit_id,
        frame=lambda q: q.select_from(Comment).join(Document, Document.id == Comment.document_id),
    )
)
register_source(
    Source(
        name="publication",
        rank=6,
        at=Release.created_at,
        id=Release.id,
        person=Release.created_by,
        document=Release.document_id,
        language=None,
        kinds={"publication": true()},
        action=cast(Release.version, String),
        text=func.coalesce(Release.override_reason, Release.note),
        unit=None,
        frame=lambda q: q.select_from(Release).join(Document, Document.id == Release.document_id),
    )
)
