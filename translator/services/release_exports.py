"""Exports of a release: its editions' files, made from the frozen snapshot alone.

A release (``services.releases``) keeps its rows with their structure and each
edition's metadata and texts as they were when it was published. The writers take
that snapshot, never the live document, and the release's moment is every date inside
the file, so the same release always gives the same bytes, however the document was
edited since.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from translator.errors import InputError
from translator.formats.base import BlockRole
from translator.formats.exports import ExportKind, ExportOptions, export_format
from translator.formats.publication import (
    EditionInfo,
    ParallelPublication,
    Person,
    Publication,
)
from translator.models import Release, ReleaseEdition, SegmentStatus
from translator.services.publication import (
    Cell,
    Row,
    assemble_parallel,
    assemble_publication,
    styler,
)


def _snapshot_rows(release: Release, languages: list[str]) -> Iterator[Row]:
    editions = [_released(release, language) for language in languages]
    for position, (unit, role, level, label, paragraph) in enumerate(release.units, start=1):
        cells: dict[Hashable, Cell] = {}
        for edition in editions:
            text, status, outdated = edition.cells[position - 1]
            cells[edition.language] = Cell(text, SegmentStatus(status), bool(outdated))
        yield Row(position, BlockRole(role), level, label, paragraph, cells, unit)


def _released(release: Release, language: str) -> ReleaseEdition:
    edition = release.edition(language)
    if edition is None:
        known = ", ".join(release.languages)
        raise InputError(
            f"release {release.version} has no {language!r} edition (editions: {known})",
            field="languages",
        )
    return edition


def _released_info(edition: ReleaseEdition) -> EditionInfo:
    info = edition.info
    return EditionInfo(
        language=edition.language,
        title=info["title"],
        document_title=info["document_title"],
        slug=info["slug"],
        identifier=info["identifier"],
        people=tuple(Person(name, role) for name, role in info["people"]),
        credits=info["credits"],
        date=date.fromisoformat(info["date"]) if info.get("date") else None,
        modified=info["modified"],
    )


def _style(edition: ReleaseEdition, typography: bool | None) -> Any:
    return styler(
        edition.language, edition.info["typography"] if typography is None else typography
    )


def release_publication(
    release: Release, language: str, *, typography: bool | None = None
) -> Publication:
    """The ``language`` edition of ``release`` as a writer takes it, from the snapshot
    alone (its dates are the release's)."""
    edition = _released(release, language)
    return assemble_publication(
        _released_info(edition),
        _snapshot_rows(release, [language]),
        language,
        _style(edition, typography),
    )


def release_parallel(
    release: Release, languages: list[str], *, typography: bool | None = None
) -> ParallelPublication:
    """Two or three editions of ``release`` side by side, from the snapshot alone."""
    if not 2 <= len(languages) <= 3 or len(set(languages)) != len(languages):
        raise InputError(
            "a parallel edition takes two or three different editions", field="languages"
        )
    editions = [_released(release, language) for language in languages]
    return assemble_parallel(
        tuple(_released_info(edition) for edition in editions),
        _snapshot_rows(release, languages),
        list(languages),
        [_style(edition, typography) for edition in editions],
    )


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """An export of a release: the bytes, and how to offer them."""

    filename: str
    media_type: str
    content: bytes


def export_release(release: Release, format_name: str, languages: list[str]) -> ReleaseFile:
    """The file of ``format_name`` (an edition format with one language, or a parallel
    one with two or three) made from ``release``'s snapshot: the same bytes every
    time. Interchange formats (XLIFF, PO, TMX) are for live work, not releases."""
    fmt = export_format(format_name)
    langs = [language.strip() for language in languages if language.strip()]
    data: Publication | ParallelPublication
    if fmt.kind is ExportKind.EDITION:
        if len(langs) != 1:
            raise InputError(
                f"{fmt.name} exports one edition: name one language", field="languages"
            )
        data = release_publication(release, langs[0])
    elif fmt.kind is ExportKind.PARALLEL:
        data = release_parallel(release, langs)
    else:
        raise InputError(
            f"{fmt.name} is for translation work; a release exports editions", field="format"
        )
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", release_slug(release)).strip("-") or "document"
    filename = f"{slug}.v{release.version}.{'-'.join(langs)}.{fmt.extension}"
    return ReleaseFile(filename, fmt.media_type, fmt.write(data, ExportOptions()))


def release_slug(release: Release) -> str:
    """The document's slug as the release recorded it."""
    first = release.editions[0] if release.editions else None
    return str(first.info.get("slug", "")) if first is not None else ""
