"""The trash: deleting a document or an edition hides it; restoring brings it back
exactly as it was; purging (after TRASH_DAYS, or by hand) is the only hard delete.

Deleting sets ``deleted_at`` / ``deleted_by_id`` and nothing else: the rows of a
deleted edition (its segments in their units, their revisions, suggestions) and of a
deleted document stay untouched, and every query leaves them out (``models.trash``).
A deleted document keeps its slug: a new document with the same title gets another
one, and a restored document keeps its links. Purging deletes the rows in one
statement per table (the database cascades the rest); the export files of what was
purged are returned for the boundary to remove once the purge is committed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select, update

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.models import (
    INCLUDE_DELETED,
    Comment,
    Document,
    DocumentMember,
    Edition,
    ExportArtifact,
    Segment,
    SegmentForward,
    Unit,
    User,
)
from translator.models._types import utcnow
from translator.services.counters import recounted
from translator.services.events import record_structure_changed
from translator.services.languages import normalize_language
from translator.services.siblings import refresh_outdated


@dataclass(frozen=True, slots=True)
class TrashItem:
    """A document or an edition in the trash, who put it there and when it goes."""

    kind: str  # "document" or "edition"
    id: int
    document_id: int
    slug: str
    title: str
    language: str | None
    deleted_at: datetime
    deleted_by: str | None
    purge_at: datetime
    document_deleted: bool  # an edition of a document that is in the trash too

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "document": self.slug,
            "title": self.title,
            "language": self.language,
            "deleted_at": self.deleted_at.isoformat(),
            "deleted_by": self.deleted_by,
            "purge_at": self.purge_at.isoformat(),
        }


@dataclass(slots=True)
class Purged:
    """What a purge removed: counts, and the export files to remove after the commit."""

    documents: int = 0
    editions: int = 0
    stored_names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "editions": self.editions}


def trash_days() -> float:
    """How many days something stays in the trash (TRANSLATOR_TRASH_DAYS)."""
    return float(current_app.config.get("TRASH_DAYS", 30))


def _purge_at(deleted_at: datetime) -> datetime:
    return deleted_at + timedelta(days=trash_days())


# --- finding what is in the trash ------------------------------------------------------


def _any_document(slug: str) -> Document | None:
    document: Document | None = db.session.scalar(
        select(Document).where(Document.slug == slug).execution_options(**{INCLUDE_DELETED: True})
    )
    return document


def trashed_document(slug: str) -> Document:
    """The document in the trash with this slug (NotFound if it is not in the trash)."""
    document = _any_document(slug)
    if document is None or document.deleted_at is None:
        raise NotFound(f"no document {slug!r} in the trash", field="document")
    return document


def document_with_trash(slug: str) -> Document:
    """The document with this slug, in the trash or not (NotFound if there is none)."""
    document = _any_document(slug)
    if document is None:
        raise NotFound(f"no document with slug {slug!r}", field="document")
    return document


def trashed_edition(document: Document, language: str) -> Edition:
    """The document's edition in ``language`` that is in the trash (NotFound if none)."""
    language = normalize_language(language, field="edition")
    edition = next((e for e in document.deleted_editions if e.language == language), None)
    if edition is None:
        raise NotFound(
            f"document {document.slug!r} has no {language} edition in the trash", field="edition"
        )
    return edition


def list_trash(document: Document | None = None) -> list[TrashItem]:
    """What is in the trash (of ``document`` only, if given), most recently deleted
    first: deleted documents, and deleted editions of any document."""
    everything = {INCLUDE_DELETED: True}
    documents = select(Document).where(Document.deleted_at.is_not(None))
    editions = (
        select(Edition, Document)
        .join(Document, Document.id == Edition.document_id)
        .where(Edition.deleted_at.is_not(None))
    )
    if document is not None:
        documents = documents.where(Document.id == document.id)
        editions = editions.where(Edition.document_id == document.id)
    names = {
        u.id: u.display_name or u.email
        for u in db.session.scalars(select(User)).all()  # few: the people of one instance
    }
    items = [
        TrashItem(
            "document",
            d.id,
            d.id,
            d.slug,
            d.title,
            None,
            d.deleted_at,
            names.get(d.deleted_by_id) if d.deleted_by_id else None,
            _purge_at(d.deleted_at),
            True,
        )
        for d in db.session.scalars(documents.execution_options(**everything))
        if d.deleted_at is not None
    ]
    for e, d in db.session.execute(editions.execution_options(**everything)).all():
        assert e.deleted_at is not None
        items.append(
            TrashItem(
                "edition",
                e.id,
                d.id,
                d.slug,
                e.title or d.title,
                e.language,
                e.deleted_at,
                names.get(e.deleted_by_id) if e.deleted_by_id else None,
                _purge_at(e.deleted_at),
                d.deleted_at is not None,
            )
        )
    return sorted(items, key=lambda i: i.deleted_at, reverse=True)


# --- delete and restore ----------------------------------------------------------------


def delete_document(document: Document, *, user_id: int | None) -> None:
    """Put the document in the trash (with everything in it) until it is restored or
    purged. Its slug stays taken."""
    if document.deleted_at is not None:
        raise Conflict(f"document {document.slug!r} is already in the trash", field="document")
    document.deleted_at = utcnow()
    document.deleted_by_id = user_id
    db.session.flush()
    record_structure_changed(document.id)  # open editors learn it is gone


def delete_edition(document: Document, language: str, *, user_id: int | None) -> Edition:
    """Put the document's ``language`` edition in the trash: it leaves the document's
    pages, editor, exports, alignment and API; its cells, their history, suggestions and
    comments stay as they are. The original (while it has translations) and the only
    edition cannot be deleted: choose another original, or delete the document."""
    language = normalize_language(language, field="edition")
    edition = document.edition(language)
    if edition is None:
        raise NotFound(f"document {document.slug!r} has no {language} edition", field="edition")
    if len(document.editions) == 1:
        raise InputError(
            f"the {language} edition is the document's only one: delete the document instead",
            field="edition",
        )
    if edition.id == document.original_edition_id:
        raise InputError(
            f"the {language} edition is the original the others are translated from: "
            "choose another original (or none) in the settings first",
            field="edition",
        )
    edition.deleted_at = utcnow()
    edition.deleted_by_id = user_id
    document.updated_at = utcnow()  # exports made with it are no longer current
    db.session.flush()
    db.session.expire(document, ["editions", "all_editions"])
    record_structure_changed(document.id)  # open editors drop the column
    return edition


def restore_document(document: Document) -> None:
    """Take the document out of the trash, as it was (its deleted editions stay in the
    trash until restored on their own)."""
    if document.deleted_at is None:
        raise Conflict(f"document {document.slug!r} is not in the trash", field="document")
    document.deleted_at = None
    document.deleted_by_id = None
    db.session.flush()


def restore_edition(edition: Edition) -> None:
    """Take the edition out of the trash: its cells are where they were (in the rows
    they were in, if those rows changed meanwhile), with their history; those whose
    source changed while it was away are flagged outdated."""
    if edition.deleted_at is None:
        raise Conflict(f"the {edition.language} edition is not in the trash", field="edition")
    edition.deleted_at = None
    edition.deleted_by_id = None
    document = edition.document
    document.updated_at = utcnow()
    db.session.flush()
    db.session.expire(document, ["editions", "all_editions"])
    # Saves made meanwhile left its cells alone: what they changed flags them now.
    refresh_outdated(
        list(db.session.scalars(select(Unit.id).where(Unit.document_id == document.id)))
    )
    record_structure_changed(document.id)  # open editors show the column again


# --- purge -------------------------------------------------------------------------------


def _artifacts(document_id: int, language: str | None = None) -> list[ExportArtifact]:
    artifacts = db.session.scalars(
        select(ExportArtifact).where(ExportArtifact.document_id == document_id)
    ).all()
    return [a for a in artifacts if language is None or language in (a.languages or [])]


def _forget_forwards(segments: Any) -> None:
    db.session.execute(
        delete(SegmentForward).where(
            or_(SegmentForward.segment_id.in_(segments), SegmentForward.successor_id.in_(segments))
        )
    )


def purge_edition(edition: Edition) -> Purged:
    """Delete for good an edition in the trash: its segments, their revisions and
    suggestions, its comments and members, and the exports that included it."""
    if edition.deleted_at is None:
        raise Conflict(
            f"the {edition.language} edition is not in the trash: delete it first",
            field="edition",
        )
    document_id, language = edition.document_id, edition.language
    purged = Purged(editions=1)
    for artifact in _artifacts(document_id, language):
        purged.stored_names.append(artifact.stored_name)
        db.session.delete(artifact)
    _forget_forwards(select(Segment.id).where(Segment.edition_id == edition.id))
    for model in (Comment, DocumentMember):
        db.session.execute(
            delete(model).where(model.document_id == document_id, model.language == language)
        )
    with recounted(document_id):  # its thousands of segments: the others recounted once
        db.session.execute(delete(Edition).where(Edition.id == edition.id))  # cascades
    db.session.flush()
    db.session.expire_all()
    return purged


def purge_document(document: Document) -> Purged:
    """Delete for good a document in the trash, with everything it holds."""
    if document.deleted_at is None:
        raise Conflict(
            f"document {document.slug!r} is not in the trash: delete it first", field="document"
        )
    purged = Purged(documents=1, editions=len(document.all_editions))
    purged.stored_names = [a.stored_name for a in _artifacts(document.id)]
    units = select(Unit.id).where(Unit.document_id == document.id)
    _forget_forwards(select(Segment.id).where(Segment.unit_id.in_(units)))
    db.session.execute(
        update(Document).where(Document.id == document.id).values(original_edition_id=None)
    )
    with recounted(document.id):  # its counters go with its editions: nothing to count
        db.session.execute(delete(Document).where(Document.id == document.id))  # cascades
    db.session.flush()
    db.session.expire_all()
    return purged


def purge_expired(now: datetime | None = None) -> Purged:
    """Purge whatever has been in the trash for longer than TRASH_DAYS."""
    limit = (now or utcnow()) - timedelta(days=trash_days())
    everything = {INCLUDE_DELETED: True}
    total = Purged()
    for document in db.session.scalars(
        select(Document).where(Document.deleted_at < limit).execution_options(**everything)
    ).all():
        done = purge_document(document)
        total.documents += 1
        total.stored_names += done.stored_names
    for edition in db.session.scalars(
        select(Edition).where(Edition.deleted_at < limit).execution_options(**everything)
    ).all():
        done = purge_edition(edition)
        total.editions += 1
        total.stored_names += done.stored_names
    return total
