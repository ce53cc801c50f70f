"""A document as an ``InterchangeFile``, for the XLIFF, PO and TMX writers.

Read-only: the export job calls it and hands the result to the registered writer.
Every cell carries its content hash as ``base`` (what an import of the file compares
with to tell a change in the file from a change in the service); a unit's open comments
are its notes.
"""

from __future__ import annotations

from sqlalchemy import select

from translator.errors import InputError
from translator.extensions import db
from translator.formats.base import BlockRole
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit
from translator.models import Comment, Document, Edition, Segment, Unit
from translator.services.languages import normalize_language

__all__ = ["build_interchange"]


def _languages(
    document: Document, languages: list[str], source: str | None, target: str | None
) -> list[str]:
    wanted = [normalize_language(code) for code in languages]
    ends = [normalize_language(code) for code in (source, target) if code]
    ordered: list[str] = []
    for code in [*ends, *wanted]:
        if code not in ordered:
            ordered.append(code)
    if not ordered:
        ordered = list(document.languages)
    missing = [code for code in ordered if document.edition(code) is None]
    if missing:
        raise InputError(
            f"document {document.slug!r} has no edition in {', '.join(missing)}",
            field="languages",
        )
    return ordered


def build_interchange(
    document: Document, languages: list[str], *, source: str | None, target: str | None
) -> InterchangeFile:
    """The document's units in ``languages`` (every edition when empty), ``source`` and
    ``target`` first (the pair a bilingual format writes): text, status, outdated flag
    and content hash of each cell, open comments as notes. InputError for a language
    the document has no edition in. Writes nothing."""
    ordered = _languages(document, languages, source, target)
    rows = db.session.execute(
        select(
            Unit.id,
            Unit.role,
            Edition.language,
            Segment.text,
            Segment.status,
            Segment.outdated,
            Segment.content_hash,
        )
        .join(Segment, Segment.unit_id == Unit.id)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Unit.document_id == document.id, Edition.language.in_(ordered))
        .order_by(Unit.order_key, Edition.language)
    )
    cells: dict[int, dict[str, InterchangeSegment]] = {}
    roles: dict[int, BlockRole] = {}
    for unit_id, role, language, text, status, outdated, hashed in rows:
        roles.setdefault(unit_id, BlockRole(role.value))
        cells.setdefault(unit_id, {})[language] = InterchangeSegment(
            text, str(status), bool(outdated and text), hashed
        )
    notes: dict[int, list[str]] = {}
    comments = db.session.execute(
        select(Comment.unit_id, Comment.body)
        .where(
            Comment.document_id == document.id,
            Comment.unit_id.is_not(None),
            Comment.resolved.is_(False),
        )
        .order_by(Comment.id)
    )
    for commented, body in comments:
        if commented is not None:
            notes.setdefault(commented, []).append(body)
    units = [
        InterchangeUnit(
            str(unit_id),
            {lang: segments[lang] for lang in ordered if lang in segments},
            roles[unit_id],
            tuple(notes.get(unit_id, ())),
        )
        for unit_id, segments in cells.items()
    ]
    return InterchangeFile(languages=ordered, units=units, slug=document.slug, title=document.title)
