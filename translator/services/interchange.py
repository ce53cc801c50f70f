"""Interchange files (XLIFF, PO, TMX) out of and back into the database.

``build_interchange`` reads a document into an ``InterchangeFile`` (no writes: the
export job calls it, then the registered writer). ``import_interchange`` reads a file
back, one cell at a time, with the rule that nothing is lost:

- a cell whose text (and, for a file this service wrote, status) is what the service
  has is left alone: no revision. The outdated flag in a file is information only: a
  cell that became outdated after the export would otherwise be "confirmed" by a file
  that never looked at it (a saved status of translated or reviewed confirms a cell);
  for the same reason a file's status alone only ever raises a cell's (a draft marked
  translated, a translation reviewed), never lowers it: with the same text, a lower
  status in the file is the status it was exported with;
- a cell the file changed is saved by the importing user (``services.editing``), with
  the file's status, when the service still has the text the file was exported with
  (its ``content_hash`` is the file's ``base``);
- when the service's text changed since the export as well, the file's text becomes a
  suggestion instead (so does a text for a language the user may not edit, and a text
  from a file made elsewhere, which says nothing of what it started from, over a cell
  that has text);
- a cell the file did not change is left alone even if the service changed it since,
  and an empty cell in the file never erases text;
- unknown unit ids are errors in the report, not a failure of the import;
- a note written in the file that is not yet one of the unit's comments is added to
  its thread (``ImportReport.comments``).

A file that names no document of the service (``original`` / ``X-Translator-Document``
/ ``x-document``) and is not imported into one creates a document: an edition per
language, a unit per file unit in file order, with the file's texts and statuses.
Everything is flushed, never committed: the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from translator.errors import InputError, NotFound, TranslatorError
from translator.extensions import db
from translator.formats.inline_codes import canonical_html
from translator.formats.interchange import interchange_kind, read_interchange
from translator.formats.publication import InterchangeFile, InterchangeSegment
from translator.models import (
    Comment,
    Document,
    Edition,
    MemberRole,
    Segment,
    SegmentStatus,
    Suggestion,
    SuggestionState,
    Unit,
    User,
)
from translator.services.comments import MAX_COMMENT_LENGTH, add_comment
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.interchange_build import build_interchange
from translator.services.interchange_create import create_from_interchange
from translator.services.languages import normalize_language
from translator.services.members import language_role
from translator.services.segments import content_hash
from translator.services.suggestions import propose_text

__all__ = ["ImportReport", "UnitOutcome", "build_interchange", "import_interchange"]


_RANK = [SegmentStatus.EMPTY, SegmentStatus.DRAFT, SegmentStatus.TRANSLATED, SegmentStatus.REVIEWED]


@dataclass(frozen=True, slots=True)
class UnitOutcome:
    """What the import did with one cell (``language`` "" for a whole unit)."""

    unit_id: str
    language: str
    outcome: str  # unchanged | updated | suggestion | created | error
    message: str = ""


@dataclass(slots=True)
class ImportReport:
    """Counts of cells by outcome (``created``: units of a new document), and each
    cell's outcome in file order."""

    document: str
    unchanged: int = 0
    updated: int = 0
    suggestions: int = 0
    created: int = 0
    errors: int = 0
    units: list[UnitOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    comments: int = 0  # notes written in the file, added to the units' threads

    def add(self, unit_id: str, language: str, outcome: str, message: str = "") -> None:
        """Record one outcome and count it."""
        self.units.append(UnitOutcome(unit_id, language, outcome, message))
        counter = {"suggestion": "suggestions", "error": "errors"}.get(outcome, outcome)
        setattr(self, counter, getattr(self, counter) + 1)

    def to_dict(self) -> dict[str, Any]:
        """The counts, as ``translator import --json`` prints them."""
        return {
            "document": self.document,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "suggestions": self.suggestions,
            "created": self.created,
            "errors": self.errors,
        }


@dataclass(slots=True)
class _Cell:
    segment_id: int
    text: str
    status: SegmentStatus
    outdated: bool
    content_hash: str
    version: int


def import_interchange(
    data: bytes, filename: str, *, user: User, document: Document | None = None
) -> ImportReport:
    """Read an XLIFF, PO or TMX file into ``document`` (default: the document the file
    names, or a new one). See the module docstring for what happens to each cell.
    InputError for an unreadable file or a language code that is not one."""
    parsed = read_interchange(data, filename)
    parsed.languages = [normalize_language(code) for code in parsed.languages]
    if len(set(parsed.languages)) != len(parsed.languages):
        raise InputError("the file names a language twice", file=filename, field="language")
    codes = {code: normalize_language(code) for unit in parsed.units for code in unit.segments}
    parsed.units = [
        replace(unit, segments={codes[k]: v for k, v in unit.segments.items()})
        for unit in parsed.units
    ]
    if document is None and parsed.slug:
        try:
            document = get_document(parsed.slug)
        except NotFound:
            document = None
    if document is None:
        created = create_from_interchange(parsed, filename, user=user)
        report = ImportReport(document=created.slug, warnings=list(parsed.warnings))
        for unit in parsed.units:
            report.add(unit.id, "", "created")
        return report
    report = ImportReport(document=document.slug, warnings=list(parsed.warnings))
    if parsed.slug and parsed.slug != document.slug:
        report.warnings.append(f"the file names another document: {parsed.slug!r}")
    _merge(parsed, document, user, report, bilingual=interchange_kind(filename) != "TMX")
    report.comments = _add_new_notes(parsed, document, user)
    return report


def _cells(document: Document, unit_ids: list[int], languages: list[str]) -> dict[Any, _Cell]:
    rows = db.session.execute(
        select(
            Segment.unit_id,
            Edition.language,
            Segment.id,
            Segment.text,
            Segment.status,
            Segment.outdated,
            Segment.content_hash,
            Segment.version,
        )
        .join(Edition, Edition.id == Segment.edition_id)
        .where(
            Edition.document_id == document.id,
            Edition.language.in_(languages),
            Segment.unit_id.in_(unit_ids),
        )
    )
    return {(row[0], row[1]): _Cell(*row[2:]) for row in rows}


def _merge(
    parsed: InterchangeFile, document: Document, user: User, report: ImportReport, bilingual: bool
) -> None:
    languages = [lang for lang in parsed.languages if document.edition(lang) is not None]
    for lang in parsed.languages:
        if lang not in languages:
            report.add("*", lang, "error", f"the document has no {lang} edition")
    numeric = [int(u.id) for u in parsed.units if u.id.isdigit()]
    known = set(
        db.session.scalars(
            select(Unit.id).where(Unit.document_id == document.id, Unit.id.in_(numeric))
        )
    )
    cells = _cells(document, sorted(known), languages)
    roles = {lang: language_role(user, document.id, lang) for lang in languages}
    source = parsed.languages[0] if bilingual and parsed.languages else None
    for unit in parsed.units:
        if not unit.id.isdigit() or int(unit.id) not in known:
            report.add(unit.id, "", "error", f"no unit {unit.id} in document {document.slug}")
            continue
        for lang, segment in unit.segments.items():
            cell = cells.get((int(unit.id), lang))
            if cell is None:
                continue  # a language the document does not have: reported once above
            try:
                outcome, message = _import_cell(
                    cell, segment, user, roles[lang], status_matters=lang != source
                )
            except TranslatorError as exc:
                outcome, message = "error", exc.message
            report.add(unit.id, lang, outcome, message)


def _add_new_notes(parsed: InterchangeFile, document: Document, user: User) -> int:
    """Add the notes someone wrote in the file to their units' threads. A note is new
    when one of its lines is in no comment of the unit (a PO file holds a unit's
    comments as one translator comment, one per line)."""
    noted = {int(u.id): u.notes for u in parsed.units if u.notes and u.id.isdigit()}
    if not noted:
        return 0
    lines: dict[int, set[str]] = {}
    for commented, body in db.session.execute(
        select(Comment.unit_id, Comment.body).where(
            Comment.document_id == document.id, Comment.unit_id.in_(list(noted))
        )
    ):
        if commented is not None:
            lines.setdefault(commented, set()).update(line.strip() for line in body.splitlines())
    added = 0
    for unit_id, notes in noted.items():
        unit = db.session.get(Unit, unit_id)
        if unit is None or unit.document_id != document.id:
            continue
        for note in notes:
            known = lines.get(unit_id, set())
            if all(not line.strip() or line.strip() in known for line in note.splitlines()):
                continue
            add_comment(unit, note[:MAX_COMMENT_LENGTH], user=user)
            lines.setdefault(unit_id, set()).update(line.strip() for line in note.splitlines())
            added += 1
    return added


def _import_cell(
    cell: _Cell,
    segment: InterchangeSegment,
    user: User,
    role: MemberRole | None,
    *,
    status_matters: bool,
) -> tuple[str, str]:
    text = segment.text
    ours = segment.base is not None  # a file this service wrote says what it started from
    same_text = text in (cell.text, canonical_html(cell.text))
    if not text:
        return "unchanged", "" if not cell.text else "an empty cell in the file erases nothing"
    if same_text:
        status = _status(segment)
        if not (ours and status_matters) or status == cell.status:
            return "unchanged", ""
        if _RANK.index(status) < _RANK.index(cell.status):
            return "unchanged", f"the file says {status}, an older status: kept {cell.status}"
        if role is None:
            return "unchanged", "the status was not changed: you may not edit this language"
        return _save(cell, cell.text, status, user, role)
    if ours and content_hash(text) == segment.base:
        return "unchanged", "changed in the service since the export; the file did not change it"
    in_step = cell.content_hash == segment.base if ours else not cell.text
    if role is None or not in_step:
        why = "you may not edit this language" if role is None else "changed since the export"
        _suggest(cell, text, user)
        return "suggestion", why
    status = _status(segment) if status_matters else cell.status
    return _save(cell, text, status, user, role)


def _status(segment: InterchangeSegment) -> SegmentStatus:
    status = SegmentStatus(segment.status)
    return SegmentStatus.DRAFT if segment.text and status == SegmentStatus.EMPTY else status


def _save(
    cell: _Cell, text: str, status: SegmentStatus, user: User, role: MemberRole
) -> tuple[str, str]:
    message = ""
    if status == SegmentStatus.REVIEWED and role != MemberRole.REVIEWER:
        status, message = SegmentStatus.TRANSLATED, "saved as translated: you are not a reviewer"
    if status == SegmentStatus.EMPTY:
        status = SegmentStatus.DRAFT
    result = save_segment(
        cell.segment_id, text, base_version=cell.version, user=user, status=status
    )
    if not result.saved:
        return "suggestion", "saved by someone else meanwhile"
    return ("updated" if result.changed else "unchanged"), message


def _suggest(cell: _Cell, text: str, user: User) -> None:
    """Offer ``text`` for the cell, once: importing the same file again adds nothing."""
    already = db.session.scalar(
        select(Suggestion.id).where(
            Suggestion.segment_id == cell.segment_id,
            Suggestion.author_id == user.id,
            Suggestion.state == SuggestionState.OPEN,
            Suggestion.text == text,
        )
    )
    if already is not None:
        return
    segment = db.session.get(Segment, cell.segment_id)
    if segment is None:  # removed since it was read (same transaction: cannot happen)
        raise NotFound(f"segment {cell.segment_id} is gone", field="segment")
    propose_text(segment, text, user=user)
