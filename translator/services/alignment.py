"""Aligning a document's editions into units (the alignment job's service) and the
summary it reports. The aligner itself is pure (``translator.text.alignment``); this
module reads the editions, applies the result as a new layout in bulk, and records the
old layout as a StructureChange so that it can be restored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from translator.errors import Conflict, InputError
from translator.extensions import db
from translator.models import (
    Document,
    Edition,
    Job,
    JobState,
    RevisionReason,
    Segment,
    StructureChange,
    StructureKind,
    Unit,
)
from translator.services.alignment_left_out import (
    CHOSEN,
    current_placements,
    near_empty_editions,
    put_back,
)
from translator.services.languages import normalize_language
from translator.services.layout import record_change, snapshot_units
from translator.services.layout_bulk import replace_all_units
from translator.services.segments import count_changed, lock_segments
from translator.services.structure import STATUS_RANK
from translator.text.alignment import BlockInfo, EditionText, align_editions
from translator.text.alignment.confidence import REVIEW_THRESHOLD

LOW_CONFIDENCE = REVIEW_THRESHOLD  # below this a unit is listed under "needs review"
MANUAL_KINDS = (StructureKind.MERGE, StructureKind.SPLIT, StructureKind.MOVE, StructureKind.INSERT)


@dataclass(slots=True)
class Atom:
    """One non-empty cell of an edition, in document order: what the aligner moves."""

    text: str
    status: str
    role: str
    level: int | None
    label: str | None
    block: int  # index of the edition's block it belongs to


@dataclass(slots=True)
class AlignmentSummary:
    document: str
    pivot: str
    languages: list[str]
    units: int
    beads: dict[str, Counter[str]] = field(default_factory=dict)
    mean_confidence: float = 0.0
    low_confidence: int = 0
    left_out: dict[str, str] = field(default_factory=dict)  # language -> why (alignment_left_out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "pivot": self.pivot,
            "languages": self.languages,
            "units": self.units,
            "beads": {pair: dict(sorted(c.items())) for pair, c in self.beads.items()},
            "mean_confidence": round(self.mean_confidence, 4),
            "low_confidence": self.low_confidence,
            "threshold": LOW_CONFIDENCE,
            "left_out": dict(self.left_out),
        }


def _edition_atoms(document: Document, edition: Edition) -> list[Atom]:
    """The edition's non-empty cells in unit order, grouped into the edition's own blocks:
    its imported paragraphs while it is still unaligned (paired by position), else the
    units' paragraphs."""
    rows = db.session.execute(
        select(
            Segment.text,
            Segment.status,
            Segment.aligned,
            Unit.role,
            Unit.level,
            Unit.label,
            Unit.paragraph_key,
        )
        .join(Unit, Unit.id == Segment.unit_id)
        .where(Segment.edition_id == edition.id, Segment.text != "")
        .order_by(Unit.order_key)
    ).all()
    structure = edition.structure or []
    own_blocks = not any(r.aligned for r in rows) and sum(
        int(b.get("sentences", 0)) for b in structure
    ) == len(rows)
    atoms: list[Atom] = []
    if own_blocks:
        position = 0
        for index, block in enumerate(structure):
            for _ in range(int(block["sentences"])):
                r = rows[position]
                atoms.append(
                    Atom(
                        r.text,
                        str(r.status),
                        block["role"],
                        block.get("level"),
                        block.get("label"),
                        index,
                    )
                )
                position += 1
        return atoms
    number = -1
    previous: tuple[int, str] | None = None
    for r in rows:
        key = (r.paragraph_key, str(r.role))
        if key != previous:
            number += 1
            previous = key
        atoms.append(Atom(r.text, str(r.status), str(r.role), r.level, r.label, number))
    return atoms


def _blocks(atoms: list[Atom]) -> list[BlockInfo]:
    blocks: list[BlockInfo] = []
    for i, atom in enumerate(atoms):
        if i == 0 or atom.block != atoms[i - 1].block:
            blocks.append(BlockInfo(atom.role, 0))
        last = blocks[-1]
        blocks[-1] = BlockInfo(last.role, last.n_sentences + 1)
    return blocks


def preferred_pivot(document: Document, languages: list[str]) -> str | None:
    """The pivot a person would expect, if there is one among ``languages``: the one
    chosen for the document's last alignment, else its original."""
    results = db.session.scalars(
        select(Job.result)
        .where(
            Job.document_id == document.id,
            Job.kind == "align",
            Job.state == JobState.SUCCEEDED,
        )
        .order_by(Job.finished_at.desc())
        .limit(1)
    ).all()
    last = (results[0] or {}).get("pivot") if results else None
    if last in languages:
        return str(last)
    original = document.original
    if original is not None and original.language in languages:
        return original.language
    return None


def choose_pivot(document: Document, languages: list[str]) -> str:
    """The pivot by default: the last one chosen, else the original, else the most
    complete edition (the one with the most words, the first on a tie). An edition
    with no text is never the pivot."""
    words = dict(
        db.session.execute(
            select(Edition.language, func.coalesce(func.sum(Segment.words), 0))
            .join(Segment, Segment.edition_id == Edition.id)
            .where(Edition.document_id == document.id, Edition.language.in_(languages))
            .group_by(Edition.language)
        ).all()
    )
    preferred = preferred_pivot(document, languages)
    if preferred is not None and words.get(preferred, 0) > 0:
        return preferred
    return max(languages, key=lambda lang: (words.get(lang, 0), -languages.index(lang)))


def manual_changes_since_alignment(document: Document) -> int:
    """How many manual fixes (not undone) were made since the last alignment run."""
    changes = db.session.scalars(
        select(StructureChange.kind)
        .where(StructureChange.document_id == document.id, StructureChange.undone_by_id.is_(None))
        .order_by(StructureChange.id.desc())
    )
    count = 0
    for kind in changes:
        if kind is StructureKind.ALIGNMENT:
            break
        if kind in MANUAL_KINDS:
            count += 1
    return count


def align_document(
    document: Document,
    *,
    pivot: str | None = None,
    languages: list[str] | None = None,
    force: bool = False,
    author_id: int | None = None,
    job_id: str | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> AlignmentSummary:
    """Align the document's editions into units, one row per unit, one cell per edition.

    ``languages`` are the editions to align (default: all); the others, and any edition
    empty or nearly so, are left out: their cells stay beside the pivot text they sat
    beside (``services.alignment_left_out``) and the summary's ``left_out`` says which
    and why. Every sentence of every aligned edition lands in exactly one unit, in
    order. Manual fixes made since the last alignment are not thrown away unless
    ``force``; the replaced layout is kept as a StructureChange (undo restores it)."""
    editions = {e.language: e for e in document.editions}
    langs = [normalize_language(lang, field="langs") for lang in (languages or list(editions))]
    for lang in langs:
        if lang not in editions:
            raise InputError(f"document {document.slug!r} has no {lang} edition", field="langs")
    langs = list(dict.fromkeys(langs))
    of_document = Segment.unit_id.in_(select(Unit.id).where(Unit.document_id == document.id))
    read = dict(db.session.execute(select(Segment.id, Segment.version).where(of_document)).all())
    atoms = {lang: _edition_atoms(document, editions[lang]) for lang in editions}
    with_text = [lang for lang in langs if atoms[lang]]
    if len(with_text) < 2:
        raise InputError("alignment needs at least two editions with text", field="langs")
    pivot = normalize_language(pivot, field="pivot") if pivot else choose_pivot(document, with_text)
    if pivot not in langs:
        raise InputError(f"the pivot {pivot} is not among the aligned editions", field="pivot")
    left_out = {lang: CHOSEN for lang in editions if lang not in langs}
    left_out.update(near_empty_editions({lang: len(atoms[lang]) for lang in langs}, pivot))
    langs = [lang for lang in langs if lang not in left_out]
    if len(langs) < 2:
        raise InputError(
            "alignment needs at least two editions with text; "
            f"left out: {', '.join(sorted(left_out))}",
            field="langs",
        )
    manual = manual_changes_since_alignment(document)
    if manual and not force:
        raise Conflict(
            f"{manual} manual fix(es) since the last alignment would be replaced; "
            "confirm to realign anyway (they stay in the history)",
            field="force",
        )
    # Editions in the trash are left out too (silently): their cells stay beside the
    # pivot text they sat beside, ready for a restore.
    placements = current_placements(
        document,
        editions[pivot],
        [editions[lang] for lang in editions if lang in left_out] + document.deleted_editions,
    )

    texts = [
        EditionText(
            language=lang, sentences=[a.text for a in atoms[lang]], blocks=_blocks(atoms[lang])
        )
        for lang in langs
    ]

    def report(fraction: float) -> None:
        if progress:
            progress(5 + int(85 * fraction), "aligning")

    units = align_editions(texts, pivot, progress=report)
    # Nothing may land between what was aligned and its replacement: lock, then check
    # that no segment changed while the aligner ran (a save would be lost otherwise).
    changed = count_changed(read, lock_segments(of_document))
    if changed:
        raise Conflict(
            f"{changed} segment(s) changed while the document was being aligned; "
            "nothing was replaced: align again",
            field="document",
        )
    before = snapshot_units(document)
    layout, summary = _layout(document, langs, pivot, atoms, units)
    layout = put_back(layout, units, pivot, placements)
    summary.left_out = left_out
    after = replace_all_units(
        document,
        layout,
        before=before,
        reason=RevisionReason.ALIGNMENT,
        author_id=author_id,
        job_id=job_id,
    )
    record_change(
        document,
        StructureKind.ALIGNMENT,
        before,
        after,
        author_id=author_id,
        job_id=job_id,
        summary=summary.to_dict(),
    )
    return summary


def _layout(
    document: Document,
    langs: list[str],
    pivot: str,
    atoms: dict[str, list[Atom]],
    units: list[Any],
) -> tuple[list[dict[str, Any]], AlignmentSummary]:
    editions = {e.language: e for e in document.editions}
    order = [pivot] + [lang for lang in langs if lang != pivot]
    layout: list[dict[str, Any]] = []
    summary = AlignmentSummary(document.slug, pivot, langs, len(units))
    paragraph = 0
    previous_block: tuple[str, int] | None = None
    confidences = []
    for unit in units:
        cells: dict[str, tuple[int, ...]] = unit.cells
        anchor_lang = next((lang for lang in order if cells.get(lang)), pivot)
        anchor = atoms[anchor_lang][cells[anchor_lang][0]] if cells.get(anchor_lang) else None
        # Paragraphs follow the pivot; a row without pivot text stays in the current one.
        if anchor is None or (anchor_lang != pivot and previous_block is not None):
            block = previous_block
        else:
            block = (anchor_lang, anchor.block)
        if block != previous_block or block is None:
            paragraph += 1
            previous_block = block
        unit_cells = {}
        for lang in langs:
            parts = [atoms[lang][i] for i in cells.get(lang, ())]
            if parts:
                unit_cells[str(editions[lang].id)] = {
                    "text": " ".join(p.text for p in parts),
                    "status": min((p.status for p in parts), key=STATUS_RANK.__getitem__),
                    "aligned": True,
                }
        for lang in langs:
            if lang != pivot:
                pair = f"{pivot}-{lang}"
                kind = f"{len(cells.get(pivot, ()))}-{len(cells.get(lang, ()))}"
                summary.beads.setdefault(pair, Counter())[kind] += 1
        confidence = float(unit.confidence)
        confidences.append(confidence)
        layout.append(
            {
                "role": anchor.role if anchor else "paragraph",
                "level": anchor.level if anchor else None,
                "label": anchor.label if anchor else None,
                "paragraph_key": paragraph,
                "confidence": confidence,
                "cells": unit_cells,
            }
        )
    if confidences:
        summary.mean_confidence = sum(confidences) / len(confidences)
        summary.low_confidence = sum(1 for c in confidences if c < LOW_CONFIDENCE)
    return layout, summary
