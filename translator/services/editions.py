"""Start a translation from the original: an empty edition that follows its units.

The new edition gets one empty cell per unit of the document (status ``empty``,
aligned: the rows are the original's), the original's block structure, and no title of
its own until its title row is translated (``title_from_heading``): a French edition
must not be titled in English."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from translator.errors import InputError
from translator.extensions import db
from translator.models import Document, Edition, Segment, SegmentStatus, Unit, UnitRole
from translator.models._types import utcnow
from translator.services.counters import recounted
from translator.services.documents import add_edition
from translator.services.events import record_structure_changed
from translator.services.segments import new_segment_row

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class NewTranslation:
    """What ``start_translation`` made: the edition, from which original, how many
    cells to translate and how many words the original has."""

    edition: Edition
    original: str
    units: int
    words_to_translate: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.edition.language,
            "original": self.original,
            "units": self.units,
            "words_to_translate": self.words_to_translate,
        }


def _original(document: Document, source: str | None) -> Edition:
    if source:
        edition = document.edition(source)
        if edition is None:
            raise InputError(f"the document has no {source!r} edition", field="source")
        return edition
    original = document.original
    if original is None:
        if len(document.editions) == 1:
            return document.editions[0]
        raise InputError(
            "the document declares no original edition: say which edition to translate from",
            field="source",
        )
    return original


def start_translation(
    document: Document, language: str, *, title: str = "", source: str | None = None
) -> NewTranslation:
    """A new, empty ``language`` edition of ``document`` whose cells follow the units of
    its original (or of ``source``), ready to translate. InputError if the language is
    invalid or the document has no text yet; Conflict if the edition exists."""
    original = _original(document, source)
    edition = add_edition(document, language)
    edition.title = title.strip()  # else empty until the title row is translated
    edition.structure = list(
        db.session.scalar(select(Edition.structure).where(Edition.id == original.id)) or []
    )
    unit_ids = list(
        db.session.scalars(
            select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    if not unit_ids:
        raise InputError("the document has no text to translate yet", field="document")
    with recounted(document.id):  # a cell per unit: their counters in one recount
        db.session.execute(
            insert(Segment),
            [
                new_segment_row(u, edition.id, "", SegmentStatus.EMPTY, aligned=True)
                for u in unit_ids
            ],
        )
    words = db.session.scalar(
        select(db.func.coalesce(db.func.sum(Segment.words), 0)).where(
            Segment.edition_id == original.id
        )
    )
    if document.original_edition_id is None and len(document.editions) == 2:
        # A document of one edition (imported before originals existed) that is now
        # translated from it: that edition is its original.
        document.original_edition_id = original.id
    document.updated_at = utcnow()
    db.session.flush()
    record_structure_changed(document.id)  # open editors show the new column
    return NewTranslation(edition, original.language, len(unit_ids), int(words or 0))


def title_from_heading(edition_id: int, unit_id: int, text: str) -> None:
    """Give an untitled edition the text of its title row, once that row is translated:
    the first unit of the document, when it is a heading. Flushes with the save."""
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.title or not text.strip():
        return
    first = db.session.execute(
        select(Unit.id, Unit.role)
        .where(Unit.document_id == edition.document_id)
        .order_by(Unit.order_key)
        .limit(1)
    ).first()
    if first is None or first.id != unit_id or first.role != UnitRole.HEADING:
        return
    edition.title = " ".join(html.unescape(_TAG.sub("", text)).split())[:500]
