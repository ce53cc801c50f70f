"""The activity log's figures: per person, document and language over a range of
days, the words they translated and reviewed (the counters the database keeps,
``PersonDayCount``) and the segments they saved; as CSV for paying translators by words,
with cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from translator.errors import InputError
from translator.extensions import db
from translator.models import Document, Edition, PersonDayCount, Revision, User
from translator.services.activity import ActivityFilter, day_start
from translator.services.activity_sources import NOT_STRUCTURAL
from translator.services.rights import activity_scope


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One person × document × language over a date range: the words they brought to
    translated and to reviewed (``PersonDayCount``) and the segments they saved."""

    person_id: int
    person: str
    email: str
    document: str
    title: str
    language: str
    words_translated: int
    words_reviewed: int
    segments_saved: int


def activity_figures(
    start: date, end: date, flt: ActivityFilter, viewer: Any | None
) -> list[FigureRow]:
    """Per person, document and language, from ``start`` to ``end`` (UTC days, both
    included), as ``viewer`` may see them (None: everything): words translated and
    reviewed, from the kept counters, and segments saved (the distinct cells a person
    wrote in, imports and fixes of the rows left out). Sorted by person, document,
    language. ``flt``'s document, language and person narrow it; its dates are not used."""
    if end < start:
        raise InputError("the end of the range is before its start", field="to")
    key = (PersonDayCount.user_id, Edition.document_id, Edition.language)
    words = select(
        *key, func.sum(PersonDayCount.words_translated), func.sum(PersonDayCount.words_reviewed)
    ).join(Edition, Edition.id == PersonDayCount.edition_id)
    words = words.join(Document, Document.id == Edition.document_id).where(
        PersonDayCount.day >= start, PersonDayCount.day <= end
    )
    scope = activity_scope(viewer) if viewer is not None else None
    words = _narrow(words, flt, scope, PersonDayCount.user_id).group_by(*key)
    saved_key = (Revision.author_id, Edition.document_id, Edition.language)
    saved = (
        select(*saved_key, func.count(func.distinct(Revision.unit_id)))
        .select_from(Revision)
        .join(Edition, Edition.id == Revision.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .where(
            NOT_STRUCTURAL,
            Revision.author_id.is_not(None),
            Revision.created_at >= day_start(start),
            Revision.created_at < day_start(end + timedelta(days=1)),
        )
    )
    saved = _narrow(saved, flt, scope, Revision.author_id).group_by(*saved_key)
    figures: dict[tuple[int, int, str], list[int]] = {}
    for person, document, language, translated, reviewed in db.session.execute(words):
        figures[(person, document, language)] = [int(translated or 0), int(reviewed or 0), 0]
    for person, document, language, count in db.session.execute(saved):
        figures.setdefault((person, document, language), [0, 0, 0])[2] = int(count)
    return _figure_rows(figures)


def _narrow(query: Any, flt: ActivityFilter, scope: Any, person: Any) -> Any:
    query = query.where(Document.deleted_at.is_(None))
    if flt.document_id is not None:
        query = query.where(Edition.document_id == flt.document_id)
    if flt.language is not None:
        query = query.where(Edition.language == flt.language)
    if flt.person_id is not None:
        query = query.where(person == flt.person_id)
    if scope is not None:
        query = query.where(scope(Edition.document_id, person))
    return query


def _figure_rows(figures: dict[tuple[int, int, str], list[int]]) -> list[FigureRow]:
    people = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({k[0] for k in figures})))
    }
    documents = {
        d.id: (d.slug, d.title)
        for d in db.session.execute(
            select(Document.id, Document.slug, Document.title).where(
                Document.id.in_({k[1] for k in figures})
            )
        )
    }
    rows = [
        FigureRow(
            person_id=person,
            person=people[person].name if person in people else "",
            email=people[person].email if person in people else "",
            document=documents.get(document, ("", ""))[0],
            title=documents.get(document, ("", ""))[1],
            language=language,
            words_translated=values[0],
            words_reviewed=values[1],
            segments_saved=values[2],
        )
        for (person, document, language), values in figures.items()
        if any(values)
    ]
    rows.sort(key=lambda r: (r.person.lower(), r.email, r.document, r.language))
    return rows


FIGURE_COLUMNS = (
    "person",
    "email",
    "document",
    "title",
    "language",
    "words_translated",
    "words_reviewed",
    "segments_saved",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @`` (or a tab
    or carriage return) gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def figures_csv(rows: Iterable[FigureRow]) -> str:
    """The figures as CSV text with a header row, cells made safe (``safe_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIGURE_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(getattr(row, name)) for name in FIGURE_COLUMNS])
    return out.getvalue()
