"""Keeping the editions of a unit in step.

``Segment.sibling_hashes`` maps each sibling language to the content hash of that
sibling's text when this segment was last checked against it (confirmed, aligned, or
written to follow it). A segment is *outdated* when a sibling's text no longer has the
recorded hash, so the flag is derived: editing French back to what it was clears the
flags it raised. Saves apply the rule one unit at a time (``services.editing``); this
module holds the rule itself, the bulk helpers for alignment runs and replaces, and what
an outdated cell shows (the sibling's change since it was checked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select, update
from sqlalchemy.orm import attributes
from sqlalchemy.orm.util import identity_key

from translator.extensions import db
from translator.models import Document, Edition, Revision, Segment
from translator.services.segments import content_hash


def is_outdated(recorded: Mapping[str, str], current: Mapping[str, str]) -> bool:
    """The rule: some sibling's current text no longer has the hash recorded for it
    (``current``: language → hash of the siblings' texts now, of those that may flag
    the segment: ``flagging``)."""
    return any(lang in current and current[lang] != hashed for lang, hashed in recorded.items())


def flagging(language: str, original: str | None, current: Mapping[str, str]) -> dict[str, str]:
    """The siblings (of ``current``) whose change may flag a segment in ``language``:
    with an original edition, only the original flags a translation, and nothing flags
    the original (a translator's change does not make the other editions outdated);
    without one, the editions are peers and any of them flags the others."""
    if original is None:
        return dict(current)
    if language == original:
        return {}
    return {lang: hashed for lang, hashed in current.items() if lang == original}


def original_language(document_id: int) -> str | None:
    """The language of the document's original edition, or None (peers)."""
    language: str | None = db.session.scalar(
        select(Edition.language)
        .join(Document, Document.original_edition_id == Edition.id)
        .where(Document.id == document_id)
    )
    return language


@dataclass(frozen=True, slots=True)
class SiblingChange:
    """What changed in a sibling since ``segment`` was last checked against it;
    ``before`` is None when that text is no longer in the sibling's history."""

    language: str
    before: str | None
    after: str


def sibling_changes(segment: Segment) -> list[SiblingChange]:
    """For an outdated segment: each sibling whose text moved on since it was checked."""
    recorded = segment.sibling_hashes or {}
    original = original_language(segment.edition.document_id)
    language = segment.edition.language
    changes = []
    siblings = db.session.scalars(
        select(Segment)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id == segment.unit_id, Segment.id != segment.id)
        .order_by(Edition.language)
    )
    for sibling in siblings:
        other = sibling.edition.language
        if other not in recorded or recorded[other] == sibling.content_hash:
            continue
        if not flagging(language, original, {other: sibling.content_hash}):
            continue
        before = None
        texts = db.session.scalars(
            select(Revision.text)
            .where(Revision.segment_id == sibling.id)
            .order_by(Revision.id.desc())
        )
        for text in texts:
            if content_hash(text) == recorded[other]:
                before = text
                break
        if before is None and recorded[other] == content_hash(""):
            before = ""
        changes.append(SiblingChange(other, before, sibling.text))
    return changes


def in_step_records(cells: Sequence[tuple[str, str, str]]) -> list[dict[str, str]]:
    """The sibling records of a row's cells, given as ``(language, text, content hash)``,
    when they are all in step: for each cell, the hashes of the row's other cells with
    text, by language."""
    return [
        {language: digest for k, (language, text, digest) in enumerate(cells) if k != own and text}
        for own in range(len(cells))
    ]


def baseline_siblings(unit_ids: list[int]) -> None:
    """Record every segment of these units as in step with its siblings (after an
    alignment or a manual fix, the rows are what someone decided belong together)."""
    if not unit_ids:
        return
    rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.text, Segment.content_hash, Edition.language)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(unit_ids))
    ).all()
    by_unit: dict[int, list[Any]] = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    table = Segment.__table__
    values: list[dict[str, Any]] = []
    for cells in by_unit.values():
        records = in_step_records([(c.language, c.text, c.content_hash) for c in cells])
        values.extend({"b_id": c.id, "hashes": h} for c, h in zip(cells, records, strict=True))
    if values:
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(sibling_hashes=bindparam("hashes"), outdated=False),
            values,
        )


def keep_flags_of_kept_rows(
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    *,
    of_old_rows: ColumnElement[bool],
) -> None:
    """After a realignment baselined every new row: a new row whose cells hold exactly
    the texts of an old row (``before``/``after``: snapshot units with ``id`` and
    ``cells``) was kept as it was, so its segments that were outdated there take back
    their pending flag and the sibling records behind it (over the new baseline: a
    segment without a record of a sibling must not lose the baseline, or no later
    change of that sibling would flag it). ``of_old_rows`` picks the segments of the
    ``before`` rows. Call before the old rows are deleted."""
    # Only the pending flags matter: read those first (most rows have none).
    rows = db.session.execute(
        select(Segment.unit_id, Segment.edition_id, Segment.sibling_hashes).where(
            of_old_rows, Segment.outdated
        )
    ).all()
    old_flags = {(r.unit_id, r.edition_id): r.sibling_hashes for r in rows}
    if not old_flags:
        return
    kept: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for unit in before:
        kept.setdefault(_row_texts(unit), []).append(unit["id"])
    pairs = {}  # new unit id -> old unit id
    for unit in after:
        old = kept.get(_row_texts(unit))
        if old:
            pairs[unit["id"]] = old.pop(0)
    if not pairs:
        return
    new_rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.edition_id, Segment.sibling_hashes).where(
            Segment.unit_id.in_(list(pairs))
        )
    ).all()
    values = []
    for row in new_rows:
        found = old_flags.get((pairs[row.unit_id], row.edition_id))
        if found is not None:  # a pending flag: kept with its records
            hashes = {**(row.sibling_hashes or {}), **(found or {})}
            values.append({"b_id": row.id, "hashes": hashes, "b_outdated": True})
    if values:
        table = Segment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(sibling_hashes=bindparam("hashes"), outdated=bindparam("b_outdated")),
            values,
        )


def _row_texts(unit: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A row's non-empty cells as (edition id, text), to recognise a row kept as it was."""
    cells = unit["cells"]
    return tuple(sorted((e, c["text"]) for e, c in cells.items() if c and c.get("text")))


def keep_in_step(language: str, changes: dict[int, tuple[str, str]]) -> None:
    """After minor edits of ``language`` cells (unit id → (old hash, new hash)): the
    siblings that were in step with the old text are in step with the new one."""
    if not changes:
        return
    rows = db.session.execute(
        select(Segment.id, Segment.unit_id, Segment.sibling_hashes)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(list(changes)), Edition.language != language)
    ).all()
    values = []
    for row in rows:
        recorded = dict(row.sibling_hashes or {})
        old, new = changes[row.unit_id]
        if recorded.get(language) == old:
            recorded[language] = new
            values.append({"b_id": row.id, "hashes": recorded})
    if values:
        table = Segment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(sibling_hashes=bindparam("hashes")),
            values,
        )
        for value in values:
            sync_loaded(value["b_id"], sibling_hashes=value["hashes"])


def refresh_outdated(unit_ids: list[int]) -> None:
    """Re-derive ``outdated`` for every segment of these units after a bulk change of
    text that did not go through ``save_segment``, without bumping versions: the changed
    texts may put their siblings behind, or back in step."""
    if not unit_ids:
        return
    rows = db.session.execute(
        select(
            Segment.id,
            Segment.unit_id,
            Segment.content_hash,
            Segment.sibling_hashes,
            Segment.outdated,
            Edition.language,
            Edition.document_id,
        )
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(unit_ids))
    ).all()
    originals = {d: original_language(d) for d in {row.document_id for row in rows}}
    current: dict[int, dict[str, str]] = {}
    for row in rows:
        current.setdefault(row.unit_id, {})[row.language] = row.content_hash
    values: list[dict[str, Any]] = []
    for row in rows:
        siblings = {lang: h for lang, h in current[row.unit_id].items() if lang != row.language}
        may_flag = flagging(row.language, originals[row.document_id], siblings)
        outdated = is_outdated(row.sibling_hashes or {}, may_flag)
        if outdated != row.outdated:
            values.append({"b_id": row.id, "b_outdated": outdated})
    if values:
        table = Segment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(outdated=bindparam("b_outdated")),
            values,
        )
        for value in values:
            sync_loaded(value["b_id"], outdated=value["b_outdated"])


def sync_loaded(segment_id: int, **values: Any) -> None:
    """After a Core UPDATE of a segment: give a copy already loaded in the session the
    values written, so that it does not show (or flush) stale ones."""
    loaded = db.session.identity_map.get(identity_key(Segment, segment_id))
    if loaded is not None:
        for name, value in values.items():
            attributes.set_committed_value(loaded, name, value)
