"""What an export writes, read from the database: an edition (or editions side by side)
as the plain data of ``formats.publication``, with the language's typography applied.

Nothing here writes: the export service (``services.exports``) hands these to a writer
and stores the file. Passages follow the units: consecutive units with the same
``paragraph_key`` form one passage (heading, paragraph, quote, list item, footnote);
an edition's empty cells are left out of its passages and listed in its ``Notice``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from translator.errors import InputError
from translator.extensions import db
from translator.formats.base import BlockRole
from translator.formats.publication import (
    EditionInfo,
    Notice,
    ParallelPublication,
    ParallelRow,
    Passage,
    Person,
    Publication,
)
from translator.models import (
    Document,
    Edition,
    MemberRole,
    Segment,
    SegmentStatus,
    Unit,
)
from translator.services.members import people_with_role
from translator.text.typography import typeset

# Stable across exports and instances of the same edition (EPUB's dc:identifier).
_IDENTIFIERS = uuid.UUID("6f1d3c2e-8a4b-4f0e-9c7d-2b5a1e0f9d31")


@dataclass(frozen=True, slots=True)
class Cell:
    """An edition's text in a row, with its status (a release keeps these too)."""

    text: str
    status: SegmentStatus
    outdated: bool


@dataclass(frozen=True, slots=True)
class Row:
    """A unit with its cells by edition (keyed by edition id when read from the
    database, by language in a release), its 1-based position in the document, and
    its id (``unit``)."""

    position: int
    role: BlockRole
    level: int | None
    label: str | None
    paragraph: int
    cells: dict[Hashable, Cell]
    unit: int = 0


def document_rows(document: Document) -> Iterator[Row]:
    """The document's units in order with every edition's cell (one query, streamed)."""
    query = (
        select(
            Unit.id,
            Unit.role,
            Unit.level,
            Unit.label,
            Unit.paragraph_key,
            Segment.edition_id,
            Segment.text,
            Segment.status,
            Segment.outdated,
        )
        .join(Segment, Segment.unit_id == Unit.id)
        .where(Unit.document_id == document.id)
        .order_by(Unit.order_key, Segment.edition_id)
    )
    current: int | None = None
    row: Row | None = None
    position = 0
    for (
        unit_id,
        role,
        level,
        label,
        paragraph,
        edition_id,
        text,
        status,
        outdated,
    ) in db.session.execute(query).yield_per(2000):
        if unit_id != current:
            if row is not None:
                yield row
            position += 1
            current = unit_id
            row = Row(position, BlockRole(role.value), level, label, paragraph, {}, unit_id)
        assert row is not None
        row.cells[edition_id] = Cell(text or "", status, bool(outdated))
    if row is not None:
        yield row


def _edition(document: Document, language: str) -> Edition:
    edition = document.edition(language)
    if edition is None:
        known = ", ".join(document.languages) or "none"
        raise InputError(
            f"the document {document.slug!r} has no {language!r} edition (editions: {known})",
            field="language",
        )
    return edition


def _people(document: Document, edition: Edition) -> tuple[Person, ...]:
    people = [Person(name.strip(), "aut") for name in document.author.split(";") if name.strip()]
    translators = people_with_role(document.id, edition.language, MemberRole.TRANSLATOR)
    people.extend(Person(user.name, "trl") for user in translators)
    return tuple(people)


def _modified(edition: Edition) -> str:
    latest = db.session.scalar(
        select(func.max(Segment.updated_at)).where(Segment.edition_id == edition.id)
    )
    moment = latest or edition.created_at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def edition_info(document: Document, edition: Edition) -> EditionInfo:
    """The metadata of ``edition``: titles, people credited, dates, a stable identifier."""
    identifier = uuid.uuid5(_IDENTIFIERS, f"{document.slug}/{edition.language}/{edition.id}")
    return EditionInfo(
        language=edition.language,
        title=edition.title or document.title,
        document_title=document.title,
        slug=document.slug,
        identifier=f"urn:uuid:{identifier}",
        people=_people(document, edition),
        credits=edition.credits or document.credits,
        date=document.publication_date,
        modified=_modified(edition),
    )


def _styled(edition: Edition, typography: bool | None) -> Callable[[str], str]:
    return styler(edition.language, edition.typography if typography is None else typography)


def styler(language: str, typography: bool) -> Callable[[str], str]:
    """What an export does to each sentence: the language's typography, or nothing."""
    if not typography:
        return lambda text: text
    return lambda text: typeset(text, language)


class _NoticeBuilder:
    """Collects an edition's unfinished cells as the rows go by."""

    def __init__(self, edition_id: Hashable) -> None:
        self.edition_id = edition_id
        self.untranslated: list[int] = []
        self.drafts: list[int] = []
        self.outdated: list[int] = []

    def add(self, row: Row) -> None:
        cell = row.cells.get(self.edition_id)
        text = cell.text.strip() if cell else ""
        if not text:
            if any(c.text.strip() for c in row.cells.values()):
                self.untranslated.append(row.position)
            return
        assert cell is not None
        if cell.status is SegmentStatus.DRAFT:
            self.drafts.append(row.position)
        if cell.outdated:
            self.outdated.append(row.position)

    def notice(self) -> Notice | None:
        if not (self.untranslated or self.drafts or self.outdated):
            return None
        return Notice(tuple(self.untranslated), tuple(self.drafts), tuple(self.outdated))


def build_publication(
    document: Document, language: str, *, typography: bool | None = None
) -> Publication:
    """The ``language`` edition of ``document`` as passages in reading order (footnotes
    last), typeset for its language unless the edition's typography is off; its
    ``notice`` lists what is unfinished (None when every cell is done). ``typography``
    True or False overrides the edition's setting for this export."""
    edition = _edition(document, language)
    return assemble_publication(
        edition_info(document, edition),
        document_rows(document),
        edition.id,
        _styled(edition, typography),
    )


def assemble_publication(
    info: EditionInfo, rows: Iterable[Row], key: Hashable, style: Callable[[str], str]
) -> Publication:
    """One edition (the cells ``key`` of ``rows``) as a Publication: consecutive rows
    of one paragraph make a passage, footnotes go last, each sentence is ``style``d.
    Used for the live document and for a release's snapshot alike."""
    notice = _NoticeBuilder(key)
    body: list[Passage] = []
    notes: list[Passage] = []
    group: list[Row] = []

    def close() -> None:
        if not group:
            return
        first = group[0]
        sentences = tuple(
            style(cell.text.strip())
            for row in group
            if (cell := row.cells.get(key)) is not None and cell.text.strip()
        )
        if sentences:
            passage = Passage(first.role, sentences, first.level, first.label)
            (notes if first.role is BlockRole.FOOTNOTE else body).append(passage)
        group.clear()

    for row in rows:
        notice.add(row)
        if group and (row.paragraph != group[0].paragraph or row.role is not group[0].role):
            close()
        group.append(row)
    close()
    return Publication(info, (*body, *notes), notice.notice())


def build_parallel(
    document: Document, languages: list[str], *, typography: bool | None = None
) -> ParallelPublication:
    """Two or three editions side by side, one row per unit (typeset per edition, or as
    ``typography`` says for all of them)."""
    if not 2 <= len(languages) <= 3 or len(set(languages)) != len(languages):
        raise InputError(
            "a parallel edition takes two or three different editions", field="languages"
        )
    editions = [_edition(document, language) for language in languages]
    return assemble_parallel(
        tuple(edition_info(document, edition) for edition in editions),
        document_rows(document),
        [edition.id for edition in editions],
        [_styled(edition, typography) for edition in editions],
    )


def assemble_parallel(
    infos: tuple[EditionInfo, ...],
    rows: Iterable[Row],
    keys: list[Hashable],
    styles: list[Callable[[str], str]],
) -> ParallelPublication:
    """Editions side by side (the cells ``keys`` of ``rows``, each ``styles``d): one
    row per unit that has text in any of them."""
    notices = [_NoticeBuilder(key) for key in keys]
    out: list[ParallelRow] = []
    for row in rows:
        texts = []
        for key, style, notice in zip(keys, styles, notices, strict=True):
            notice.add(row)
            cell = row.cells.get(key)
            texts.append(style(cell.text.strip()) if cell and cell.text.strip() else "")
        if any(texts):
            out.append(ParallelRow(row.role, tuple(texts), row.paragraph, row.level, row.label))
    return ParallelPublication(infos, tuple(out), tuple(notice.notice() for notice in notices))
