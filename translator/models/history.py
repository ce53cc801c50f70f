"""History: Revision (one row per saved change of a segment's text) and
StructureChange (one row per change of the unit layout: an alignment run, a merge,
a split, a sentence moved, a unit inserted, an undo)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow
from translator.models.segments import SegmentStatus

if TYPE_CHECKING:
    from translator.models.segments import Segment
    from translator.models.users import User


class RevisionReason(enum.StrEnum):
    IMPORT = "import"
    EDIT = "edit"
    ALIGNMENT = "alignment"
    MERGE = "merge"
    SPLIT = "split"
    MOVE = "move"
    REVERT = "revert"
    REPLACE = "replace"
    SUGGESTION = "suggestion"  # an accepted suggestion
    MINOR = "minor"  # a change that does not affect meaning: it flags no other edition
    REJECT = "reject"  # a reviewer sent the text back to its translator, with a reason


# Reasons of revisions that rewrite text without a person's writing it (an import, an
# alignment, a fix of the rows): the activity log shows their import or fix instead.
STRUCTURAL_REASONS = ("import", "alignment", "merge", "split", "move")
_PERSONAL = sql_text(f"reason NOT IN ({', '.join(repr(r) for r in STRUCTURAL_REASONS)})")


def _activity_index(name: str, *columns: str) -> Index:
    """A partial index of the revisions the activity log reads (``services.activity``):
    newest first, without the bulk of imports and realignments."""
    return Index(name, *columns, postgresql_where=_PERSONAL, sqlite_where=_PERSONAL)


class Revision(db.Model):  # type: ignore[name-defined,misc]
    """Append-only: one row per saved change of a segment. A revision outlives its
    segment (a merge or a realignment removes segments): ``segment_id`` then becomes
    NULL and ``edition_id`` / ``unit_id`` still say where the text was."""

    __tablename__ = "revisions"
    __table_args__ = (
        # The unit's previous revision in the edition (was its status already this?).
        Index("ix_revisions_edition_unit", "edition_id", "unit_id", "id"),
        # The activity log, newest first: all, by person, by edition.
        _activity_index("ix_revisions_activity", "created_at", "id"),
        _activity_index("ix_revisions_activity_author", "author_id", "created_at", "id"),
        _activity_index("ix_revisions_activity_edition", "edition_id", "created_at", "id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("segments.id", ondelete="SET NULL"), index=True
    )
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[SegmentStatus] = mapped_column(str_enum(SegmentStatus, "revision_status"))
    reason: Mapped[RevisionReason] = mapped_column(str_enum(RevisionReason, "revision_reason"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    # The text's words (what a person's day counts; None before they were recorded).
    words: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Set by the database as the row is inserted: a person's change (not an import or a
    # structure change) that brought the cell to translated or reviewed from another
    # status. What a person's day counts (``models.counters.PersonDayCount``).
    advanced: Mapped[bool] = mapped_column(Boolean, server_default=false())

    segment: Mapped[Segment | None] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class StructureKind(enum.StrEnum):
    ALIGNMENT = "alignment"
    MERGE = "merge"
    SPLIT = "split"
    MOVE = "move"
    INSERT = "insert"
    UNDO = "undo"


class StructureChange(db.Model):  # type: ignore[name-defined,misc]
    """A change of a document's unit layout, with the layout of the affected units
    before and after (``services.layout`` snapshots), so that it can be undone and a
    previous alignment restored. Text changes it caused also have their Revisions."""

    __tablename__ = "structure_changes"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[StructureKind] = mapped_column(str_enum(StructureKind, "structure_kind"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[list[dict[str, Any]]] = mapped_column(JSON, deferred=True)
    after: Mapped[list[int]] = mapped_column(JSON)  # ids of the units that replaced `before`
    # Segment id (as a string) → "content hash status" of the `after` units' cells once
    # the change was made: an undo that would replace later work is refused (None for
    # changes recorded before this existed).
    after_states: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("structure_changes.id"))
    # Indexed: the activity log reads it newest first (services.activity).
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, index=True)

    author: Mapped[User | None] = relationship()


class SegmentForward(db.Model):  # type: ignore[name-defined,misc]
    """Where the text of a segment removed by a structure change went: a save still
    aimed at the removed segment is kept as a suggestion on its successor. Always one
    step: when a successor is removed in turn, its forwards are pointed further."""

    __tablename__ = "segment_forwards"

    segment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    successor_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
