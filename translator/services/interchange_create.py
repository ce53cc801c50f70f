"""A new document from an interchange file that matches none: an edition per language
of the file, a unit per file unit in file order (each its own paragraph), every cell
with the file's text and status, one import revision per text, the units' notes as
comments, and the editions in step with each other (the file's rows are aligned)."""

from __future__ import annotations

import re
from pathlib import PurePath

from fractional_indexing import generate_n_keys_between
from sqlalchemy import insert, select

from translator.errors import InputError
from translator.extensions import db
from translator.formats.base import BlockRole
from translator.formats.interchange import INTERCHANGE_EXTENSIONS, interchange_kind
from translator.formats.publication import InterchangeFile
from translator.models import (
    Comment,
    Document,
    RevisionReason,
    Segment,
    SegmentStatus,
    Unit,
    UnitRole,
    User,
)
from translator.models._types import utcnow
from translator.services.comments import MAX_COMMENT_LENGTH
from translator.services.counters import recounted
from translator.services.documents import (
    MAX_SLUG,
    SLUG_RE,
    add_edition,
    create_document,
    slug_taken,
)
from translator.services.segments import new_segment_row, record_revisions_of
from translator.services.siblings import baseline_siblings

__all__ = ["create_from_interchange", "default_title"]

# A language or a language pair as file names end: "fr", "pt_BR", "en-fr", "en-pt-BR".
_LANGUAGES = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})*$")
_LEVELS = {BlockRole.HEADING: 2, BlockRole.LIST_ITEM: 1}


def default_title(filename: str) -> str:
    """A document title from a file name: "validators.fr.xlf" gives "Validators",
    "all.en-pt-BR.tmx" gives "All"."""
    parts = PurePath(filename).name.split(".")
    while len(parts) > 1 and (
        f".{parts[-1].lower()}" in INTERCHANGE_EXTENSIONS or _LANGUAGES.match(parts[-1])
    ):
        parts.pop()
    stem = " ".join(".".join(parts).replace("_", " ").replace("-", " ").split())
    return (stem[:1].upper() + stem[1:])[:500] or "Untitled"


def _free_slug(slug: str | None) -> str | None:
    if not slug or not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        return None
    return None if slug_taken(slug) else slug


def create_from_interchange(parsed: InterchangeFile, filename: str, *, user: User) -> Document:
    """Store ``parsed`` (languages already normalized) as a new document; its slug is
    the file's when that is a free, valid slug. InputError for a file whose languages
    repeat or whose texts cannot be stored."""
    if len(set(parsed.languages)) != len(parsed.languages):
        raise InputError("the file names a language twice", file=filename, field="language")
    title = (parsed.title or "").strip()[:500] or default_title(filename)
    document = create_document(title, slug=_free_slug(parsed.slug))
    editions = {
        lang: add_edition(
            document,
            lang,
            source_filename=PurePath(filename).name[-255:],
            source_format=(interchange_kind(filename) or "").lower(),
        )
        for lang in parsed.languages
    }
    keys = generate_n_keys_between(None, None, len(parsed.units))
    db.session.execute(
        insert(Unit),
        [
            {
                "document_id": document.id,
                "order_key": key,
                "role": UnitRole(unit.role.value),
                "level": _LEVELS.get(unit.role),
                "label": None,
                "paragraph_key": number,
            }
            for number, (key, unit) in enumerate(zip(keys, parsed.units, strict=True), start=1)
        ],
    )
    unit_ids = list(
        db.session.scalars(
            select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    rows = []
    for unit_id, unit in zip(unit_ids, parsed.units, strict=True):
        for lang, edition in editions.items():
            cell = unit.segments.get(lang)
            text = cell.text if cell else ""
            status = SegmentStatus(cell.status) if cell and text else SegmentStatus.EMPTY
            if text and status == SegmentStatus.EMPTY:
                status = SegmentStatus.DRAFT
            rows.append(new_segment_row(unit_id, edition.id, text, status, aligned=True))
    with recounted(document.id):  # every cell: their counters in one recount
        db.session.execute(insert(Segment), rows)
    edition_ids = [edition.id for edition in editions.values()]
    record_revisions_of(
        Segment.edition_id.in_(edition_ids), RevisionReason.IMPORT, author_id=user.id
    )
    baseline_siblings(unit_ids)
    for edition in editions.values():
        edition.structure = [
            {"role": u.role.value, "level": _LEVELS.get(u.role), "label": None, "sentences": 1}
            for u in parsed.units
        ]
    comments = [
        {
            "document_id": document.id,
            "unit_id": unit_id,
            "language": None,
            "body": note[:MAX_COMMENT_LENGTH],
            "author_id": user.id,
            "created_at": utcnow(),
        }
        for unit_id, unit in zip(unit_ids, parsed.units, strict=True)
        for note in unit.notes
    ]
    if comments:
        db.session.execute(insert(Comment), comments)
    db.session.flush()
    return document
