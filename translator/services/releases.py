"""Releases: publish a document's chosen editions together, once they are all ready.

``publish_document`` checks that every chosen edition is ready (``services.progress``:
reviewed or confirmed, nothing outdated, nothing waiting for an alignment); if one is
not, it refuses with ``NotReady``, which lists each edition's blockers, unless the
coordinator overrides with a reason (recorded on the release and logged). A release
is a frozen snapshot (``models.releases``): the rows in order with their structure and
each edition's metadata and texts. Its exports are built from that snapshot only
(``services.release_exports``). Edits made afterwards go into the next release;
``changes_since_release`` lists the rows whose text differs from the last one.

For the other parts of the service (dashboard, activity log, notifications):
``list_releases(document)`` (newest first), ``latest_release``, ``get_release``, and the
rows' ``version``, ``created_at``, ``created_by``, ``override_reason``, ``languages``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.formats.publication import EditionInfo
from translator.models import (
    Document,
    Edition,
    Release,
    ReleaseEdition,
    Segment,
    SegmentStatus,
    Unit,
    User,
)
from translator.services.notification_causes import notify_release_published
from translator.services.progress import Blocker, EditionProgress, edition_progress
from translator.services.publication import document_rows, edition_info
from translator.services.users import get_user_names

log = logging.getLogger(__name__)

_STATUS_CODES = {status: str(status) for status in SegmentStatus}


class NotReady(Conflict):
    """Some chosen editions are not ready: ``blockers`` maps each such language to
    what holds it back."""

    def __init__(self, blockers: dict[str, list[Blocker]]) -> None:
        parts = [
            f"{language}: " + ", ".join(f"{b.segments} {b.reason}" for b in found)
            for language, found in blockers.items()
        ]
        super().__init__("not every edition is ready (" + "; ".join(parts) + ")")
        self.blockers = blockers

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "blockers": {
                language: [blocker_data(b, language) for b in found]
                for language, found in self.blockers.items()
            },
        }


def blocker_data(blocker: Blocker, language: str) -> dict[str, Any]:
    """A blocker as plain data, with the editor filters that list its segments."""
    return {
        "reason": blocker.reason,
        "segments": blocker.segments,
        "words": blocker.words,
        "filters": {**blocker.editor_filters, "status_language": language},
    }


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether one edition may be published, and what holds it back."""

    language: str
    ready: bool
    blockers: tuple[Blocker, ...]


def _blockers_of(progress: EditionProgress | None) -> list[Blocker]:
    if progress is None or progress.total_segments == 0:
        return [Blocker("empty", 0)]  # an edition with no text is never ready
    return progress.blockers


def edition_readiness(document: Document, languages: list[str] | None = None) -> list[Readiness]:
    """Each edition's readiness (``languages`` in that order; every edition by
    default), from the kept counters: no segment is read."""
    figures = edition_progress([document.id])
    found = []
    for language in languages if languages is not None else document.languages:
        edition = _edition(document, language)
        blockers = _blockers_of(figures.get(edition.id))
        found.append(Readiness(language, not blockers, tuple(blockers)))
    return found


def _edition(document: Document, language: str) -> Edition:
    edition = document.edition(language)
    if edition is None:
        known = ", ".join(document.languages) or "none"
        raise InputError(
            f"the document has no {language!r} edition (editions: {known})", field="languages"
        )
    return edition


def _checked_languages(document: Document, languages: list[str]) -> list[str]:
    langs = [language.strip() for language in languages if language.strip()]
    if not langs:
        raise InputError("name the editions to publish", field="languages")
    if len(set(langs)) != len(langs):
        raise InputError("an edition is named twice", field="languages")
    for language in langs:
        _edition(document, language)
    return langs


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _info_data(info: EditionInfo, typography: bool, moment: str) -> dict[str, Any]:
    return {
        "title": info.title,
        "document_title": info.document_title,
        "slug": info.slug,
        "identifier": info.identifier,
        "people": [[person.name, person.role] for person in info.people],
        "credits": info.credits,
        "date": info.date.isoformat() if info.date else None,
        "modified": moment,
        "typography": typography,
    }


def publish_document(
    document: Document,
    languages: list[str],
    user: User | None,
    override_reason: str | None = None,
    *,
    note: str = "",
) -> Release:
    """Record the next release of ``document`` with the editions ``languages``: a
    frozen copy of their texts, row by row. Refuses with ``NotReady`` (each edition's
    blockers) unless every edition is ready, or ``override_reason`` (not blank) says
    why to publish anyway, which the release keeps and the log says. Flushes."""
    langs = _checked_languages(document, languages)
    reason = (override_reason or "").strip() or None
    # Two coordinators publishing at once: the second waits here, then takes the next
    # version (a row lock that still lets rows referring to the document be written).
    db.session.execute(
        select(Document.id).where(Document.id == document.id).with_for_update(key_share=True)
    )
    readiness = edition_readiness(document, langs)
    blocked = {r.language: list(r.blockers) for r in readiness if not r.ready}
    if blocked and reason is None:
        raise NotReady(blocked)
    version = (
        db.session.scalar(
            select(func.max(Release.version)).where(Release.document_id == document.id)
        )
        or 0
    ) + 1
    now = datetime.now(UTC).replace(microsecond=0)
    moment = _moment(now)
    editions = [_edition(document, language) for language in langs]
    units: list[list[Any]] = []
    cells: dict[int, list[list[Any]]] = {edition.id: [] for edition in editions}
    for row in document_rows(document):
        units.append([row.unit, str(row.role), row.level, row.label, row.paragraph])
        for edition in editions:
            cell = row.cells.get(edition.id)
            cells[edition.id].append(
                [cell.text, _STATUS_CODES[cell.status], cell.outdated]
                if cell is not None
                else ["", "empty", False]
            )
    release = Release(
        document_id=document.id,
        version=version,
        created_at=now,
        created_by=user.id if user is not None else None,
        note=note.strip(),
        override_reason=reason,
        units=units,
    )
    for edition in editions:
        release.editions.append(
            ReleaseEdition(
                language=edition.language,
                edition_id=edition.id,
                info=_info_data(edition_info(document, edition), edition.typography, moment),
                cells=cells[edition.id],
                blockers=[
                    blocker_data(b, edition.language) for b in blocked.get(edition.language, [])
                ],
            )
        )
    db.session.add(release)
    db.session.flush()
    notify_release_published(document, version, user)  # sent once the release commits
    if reason is not None and blocked:
        log.warning(
            "release %d of %s published with an override by %s (not ready: %s): %s",
            version,
            document.slug,
            user.email if user is not None else "the command line",
            ", ".join(sorted(blocked)),
            reason,
        )
    else:
        log.info("release %d of %s published (%s)", version, document.slug, ", ".join(langs))
    return release


def list_releases(document: Document) -> list[Release]:
    """The document's releases, newest first."""
    return list(
        db.session.scalars(
            select(Release)
            .where(Release.document_id == document.id)
            .order_by(Release.version.desc())
        )
    )


def latest_release(document: Document) -> Release | None:
    """The document's newest release, if any."""
    return db.session.scalars(
        select(Release)
        .where(Release.document_id == document.id)
        .order_by(Release.version.desc())
        .limit(1)
    ).first()


def get_release(document: Document, version: int) -> Release:
    """Release ``version`` of ``document``, or NotFound."""
    release = db.session.scalars(
        select(Release).where(Release.document_id == document.id, Release.version == version)
    ).first()
    if release is None:
        raise NotFound(f"the document {document.slug!r} has no release {version}")
    return release


# --- what changed since ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitChange:
    """A row whose text in one language differs from a release: ``kind`` is
    ``changed``, ``added`` (a row made since) or ``removed`` (a row gone since);
    ``position`` its 1-based place now (in the release, for a removed row)."""

    position: int
    unit_id: int
    before: str
    after: str
    kind: str


def changes_since_release(
    document: Document, release: Release | None = None
) -> dict[str, list[UnitChange]]:
    """Per language of ``release`` (the latest one by default) still in the document,
    the rows whose text is not what the release holds, in document order. Empty when
    the document has no release."""
    release = release or latest_release(document)
    if release is None:
        return {}
    editions = [e for e in release.editions if document.edition(e.language) is not None]
    released: dict[str, dict[int, str]] = {}
    released_position: dict[int, int] = {}
    for index, (unit, *_rest) in enumerate(release.units):
        released_position[unit] = index + 1
    for edition in editions:
        released[edition.language] = {
            unit[0]: cell[0] for unit, cell in zip(release.units, edition.cells, strict=True)
        }
    live_ids = {e.language: e.id for e in document.editions}
    changes: dict[str, list[UnitChange]] = {e.language: [] for e in editions}
    seen: set[int] = set()
    query = (
        select(Unit.id, Segment.edition_id, Segment.text)
        .join(Segment, Segment.unit_id == Unit.id)
        .where(
            Unit.document_id == document.id,
            Segment.edition_id.in_([live_ids[e.language] for e in editions] or [-1]),
        )
        .order_by(Unit.order_key, Segment.edition_id)
    )
    language_of = {live_ids[e.language]: e.language for e in editions}
    positions: dict[int, int] = {}
    for unit_id, edition_id, text in db.session.execute(query):
        position = positions.setdefault(unit_id, len(positions) + 1)
        seen.add(unit_id)
        language = language_of[edition_id]
        before = released[language].get(unit_id)
        after = text or ""
        if before is None:
            if after.strip():
                changes[language].append(UnitChange(position, unit_id, "", after, "added"))
        elif before != after:
            changes[language].append(UnitChange(position, unit_id, before, after, "changed"))
    for unit_id, position in released_position.items():
        if unit_id in seen:
            continue
        for language, texts in released.items():
            if texts[unit_id].strip():
                changes[language].append(
                    UnitChange(position, unit_id, texts[unit_id], "", "removed")
                )
    for found in changes.values():
        found.sort(key=lambda change: (change.position, change.kind != "removed"))
    return changes


# --- as plain data (CLI, API) ---------------------------------------------------------


def release_report(release: Release, names: dict[int, str] | None = None) -> dict[str, Any]:
    """A release as plain data: version, date, author, note, override reason, editions
    (with the blockers overridden) and how many rows each holds with text."""
    if names is None:
        names = get_user_names({release.created_by} if release.created_by else set())
    return {
        "version": release.version,
        "created_at": _moment(release.created_at),
        "created_by": names.get(release.created_by) if release.created_by else None,
        "note": release.note,
        "override_reason": release.override_reason,
        "editions": [
            {
                "language": edition.language,
                "title": edition.info.get("title", ""),
                "segments": sum(1 for cell in edition.cells if str(cell[0]).strip()),
                "overridden_blockers": list(edition.blockers),
            }
            for edition in release.editions
        ],
    }


def readiness_report(
    document: Document, languages: list[str] | None = None
) -> list[dict[str, Any]]:
    """Each edition's readiness as plain data, with each blocker's editor filters."""
    return [
        {
            "language": r.language,
            "ready": r.ready,
            "blockers": [blocker_data(b, r.language) for b in r.blockers],
        }
        for r in edition_readiness(document, languages)
    ]
