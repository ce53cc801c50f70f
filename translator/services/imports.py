"""Importing a file as an edition: parse and segment (``prepare_import``, no writes),
then store it in one flush (``store_import``). Splitting the two lets a job report
progress while the slow part runs, and keeps the write all-or-nothing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from fractional_indexing import generate_n_keys_between
from sqlalchemy import func, insert, select

from translator.errors import InputError
from translator.extensions import db
from translator.formats import ADAPTERS, parse
from translator.models import (
    Document,
    Edition,
    Project,
    RevisionReason,
    Segment,
    SegmentStatus,
    Unit,
    UnitRole,
)
from translator.models._types import utcnow
from translator.services.counters import recounted
from translator.services.documents import add_edition, create_document
from translator.services.events import record_structure_changed
from translator.services.languages import normalize_language
from translator.services.segments import new_segment_row, record_revisions_of
from translator.text.long_sentences import LONG_SENTENCE_LENGTH, split_long_sentence
from translator.text.segmentation import MAX_SEGMENT_LENGTH, split_sentences

ProgressCallback = Callable[[int, str], None]
MB = 1024 * 1024  # as the size limit (TRANSLATOR_MAX_UPLOAD_MB) counts them
FORMATS = ("auto", *sorted(ADAPTERS))
# PostgreSQL refuses NUL in text; no other control character belongs in a name either.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LABEL_LENGTH: int = Unit.__table__.c.label.type.length
_TITLE_LENGTH: int = Edition.__table__.c.title.type.length
_FILENAME_LENGTH: int = Edition.__table__.c.source_filename.type.length


@dataclass(slots=True)
class PreparedBlock:
    role: UnitRole
    level: int | None
    label: str | None
    sentences: list[str]


@dataclass(slots=True)
class PreparedImport:
    """A parsed and segmented file, ready to store."""

    filename: str
    language: str
    format: str
    title: str | None
    blocks: list[PreparedBlock]
    warnings: list[str] = field(default_factory=list)

    @property
    def sentence_count(self) -> int:
        return sum(len(b.sentences) for b in self.blocks)


@dataclass(slots=True)
class ImportSummary:
    """What an import did, as printed by ``translator import --json``."""

    document: str
    language: str
    units: int
    segments: int
    roles: Counter[str]
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "language": self.language,
            "units": self.units,
            "segments": self.segments,
            "headings": self.roles["heading"],
            "paragraphs": self.roles["paragraph"],
            "quotes": self.roles["quote"],
            "list_items": self.roles["list_item"],
            "footnotes": self.roles["footnote"],
            "warnings": self.warnings,
        }


def _check_size(size: int, filename: str) -> None:
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    if size > limit:
        raise InputError(
            f"the file is {size / MB:.1f} MB, over the {limit / MB:g} MB limit", file=filename
        )


def read_upload(path: Path, filename: str) -> bytes:
    """Read an import file, refusing it before reading when it is over the size limit."""
    filename = _CONTROLS.sub("", filename) or "<input>"  # errors are stored in the job row
    try:
        _check_size(path.stat().st_size, filename)
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=filename) from exc


def prepare_import(
    data: bytes,
    filename: str,
    language: str,
    fmt: str = "auto",
    progress: ProgressCallback | None = None,
) -> PreparedImport:
    """Parse ``data`` and split every block into sentences (no database writes).

    A sentence longer than ``LONG_SENTENCE_LENGTH`` is cut into pieces (see
    ``translator.text.long_sentences``), with a warning that counts them; control
    characters are removed from ``filename``, which names the file in errors."""
    filename = _CONTROLS.sub("", filename) or "<input>"
    language = normalize_language(language)
    if fmt not in FORMATS:
        raise InputError(
            f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})", field="format"
        )
    _check_size(len(data), filename)
    parsed = parse(data, filename, fmt, language=language)
    blocks: list[PreparedBlock] = []
    total = len(parsed.blocks)
    step = max(1, total // 20)
    long_sentences: list[int | None] = []  # the line of each sentence cut into pieces
    for index, block in enumerate(parsed.blocks):
        sentences = []
        for sentence in split_sentences(block.text, language):
            if len(sentence) > LONG_SENTENCE_LENGTH:
                long_sentences.append(block.line)
            sentences.extend(split_long_sentence(sentence))
        if any(len(sentence) > MAX_SEGMENT_LENGTH for sentence in sentences):
            raise InputError(  # only a tag longer than that could do it; none is written
                f"a piece of text is longer than {MAX_SEGMENT_LENGTH} characters even after "
                "cutting",
                file=filename,
                line=block.line,
            )
        if sentences:
            label = block.label[:_LABEL_LENGTH] if block.label else block.label
            blocks.append(PreparedBlock(UnitRole(block.role.value), block.level, label, sentences))
        if progress and index % step == 0:
            progress(int(80 * index / total), "segmenting")
    if not blocks:
        raise InputError("the file contains no text to import", file=filename)
    warnings = list(parsed.warnings)
    if long_sentences:
        warnings.append(_long_sentences_warning(long_sentences))
    return PreparedImport(
        filename=filename,
        language=language,
        format=parsed.format,
        title=parsed.title,
        blocks=blocks,
        warnings=warnings,
    )


def _long_sentences_warning(lines: list[int | None]) -> str:
    where = next((f" (the first at line {line})" for line in lines if line), "")
    count = len(lines)
    what = "1 sentence was" if count == 1 else f"{count} sentences were"
    return (
        f"{what} longer than {LONG_SENTENCE_LENGTH} characters and cut into pieces at "
        f"clause or word breaks{where}: check the pieces in the editor"
    )


def _default_title(prepared: PreparedImport) -> str:
    """The title the file declares (Markdown front matter or its one ``#`` heading), else
    its name without language and format suffixes: "bolshevik-counterrevolution.en.pdf.txt"
    gives "Bolshevik counterrevolution". Section headings are not titles."""
    if prepared.title:
        return prepared.title[:500]
    name = Path(prepared.filename).name
    parts = name.split(".")
    while len(parts) > 1 and (
        parts[-1].lower()
        in {"txt", "text", "md", "markdown", "pdf", "html", "htm", "xhtml", "docx", "odt", "epub"}
        or parts[-1].lower() == prepared.language.lower().split("-")[0]
    ):
        parts.pop()
    stem = " ".join(".".join(parts).replace("_", " ").replace("-", " ").split())
    return (stem[:1].upper() + stem[1:])[:500] if stem else "Untitled"


def _checked_title(title: str | None) -> str | None:
    """A title given with the import, stripped; refused when it cannot be stored."""
    if title is None:
        return None
    title = title.strip()
    if _CONTROLS.search(title):
        raise InputError("the title contains control characters", field="title")
    if len(title) > _TITLE_LENGTH:
        raise InputError(f"the title is longer than {_TITLE_LENGTH} characters", field="title")
    return title


def store_import(
    prepared: PreparedImport,
    *,
    document: Document | None = None,
    title: str | None = None,
    slug: str | None = None,
    author_id: int | None = None,
    job_id: str | None = None,
    project: Project | None = None,
) -> ImportSummary:
    """Store a prepared import as a new edition of ``document`` (or of a new document,
    in ``project`` if one is given).

    The first edition creates one unit per sentence. A further edition is paired with
    the existing units by position and marked unaligned until the alignment job runs;
    extra sentences get new units at the end, so nothing is ever dropped. Every unit
    gets a segment in every edition (empty where there is no text). Raises
    ``InputError`` for a ``title`` with control characters or over 500 characters."""
    title = _checked_title(title)
    if document is None:
        document = create_document(title or _default_title(prepared), slug=slug)
        document.project_id = project.id if project is not None else None
    edition = add_edition(
        document,
        prepared.language,
        title=title or "",
        source_filename=prepared.filename[-_FILENAME_LENGTH:],
        source_format=prepared.format,
    )
    edition.structure = [
        {"role": b.role.value, "level": b.level, "label": b.label, "sentences": len(b.sentences)}
        for b in prepared.blocks
    ]
    other_editions = [e for e in document.editions if e.id != edition.id]
    existing = db.session.execute(
        select(Unit.id, Unit.order_key)
        .where(Unit.document_id == document.id)
        .order_by(Unit.order_key)
    ).all()
    first_edition = not existing
    if first_edition and document.original_edition_id is None:
        document.original_edition_id = edition.id  # the first text imported is the original
    sentences = [(i, s) for i, b in enumerate(prepared.blocks) for s in b.sentences]

    # New units for what the existing ones cannot hold.
    extra = sentences[len(existing) :]
    next_paragraph = (
        db.session.scalar(
            select(func.max(Unit.paragraph_key)).where(Unit.document_id == document.id)
        )
        or 0
    ) + 1
    last_key = existing[-1].order_key if existing else None
    keys = generate_n_keys_between(last_key, None, len(extra)) if extra else []
    unit_rows = []
    for key, (block_index, _sentence) in zip(keys, extra, strict=True):
        block = prepared.blocks[block_index]
        unit_rows.append(
            {
                "document_id": document.id,
                "order_key": key,
                "role": block.role,
                "level": block.level,
                "label": block.label,
                "paragraph_key": next_paragraph + block_index,
            }
        )
    # Plain executemany, no RETURNING: the driver pipelines it with one prepared
    # statement (RETURNING makes SQLAlchemy render and psycopg parse huge VALUES lists).
    if unit_rows:
        db.session.execute(insert(Unit), unit_rows)
    unit_ids = list(
        db.session.scalars(
            select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )  # existing units first: the new keys all sort after the last existing one
    new_unit_ids = unit_ids[len(existing) :]

    # This edition's segments, one per unit; other editions get empty cells in new units.
    segment_rows = []
    for position, unit_id in enumerate(unit_ids):
        text = sentences[position][1] if position < len(sentences) else ""
        segment_rows.append(
            new_segment_row(
                unit_id, edition.id, text, SegmentStatus.TRANSLATED, aligned=first_edition
            )
        )
    for other in other_editions:
        segment_rows.extend(
            new_segment_row(unit_id, other.id, "", SegmentStatus.EMPTY, aligned=False)
            for unit_id in new_unit_ids
        )
    with recounted(document.id):  # thousands of rows: their counters in one recount
        db.session.execute(insert(Segment), segment_rows)
    # Each imported text gets its revision, copied from the stored row by the database.
    record_revisions_of(
        Segment.edition_id == edition.id, RevisionReason.IMPORT, author_id=author_id, job_id=job_id
    )
    document.updated_at = utcnow()
    db.session.flush()
    if not first_edition:
        record_structure_changed(document.id)  # open editors show the new edition

    return ImportSummary(
        document=document.slug,
        language=edition.language,
        units=len(unit_ids),
        segments=len(sentences),
        roles=Counter(b.role.value for b in prepared.blocks),
        warnings=prepared.warnings,
    )


def edition_for(document: Document, language: str) -> Edition | None:
    """The document's edition in ``language`` (normalised), if any."""
    return document.edition(normalize_language(language))
