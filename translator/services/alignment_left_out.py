"""Editions left out of an alignment run: their cells stay where they are.

A person may leave editions out of a run (the form's checkboxes, ``translator align
--skip``), and an edition that is empty or nearly so (a translation just started: a
sentence or two typed) is always left out: aligned, its few sentences would be matched
against the whole pivot and could merge real rows of every edition. The others are
aligned as if it were absent; then each of its cells goes back beside the pivot text it
sat beside (the row that now holds that pivot sentence), or, in a row without pivot
text, into a row of its own right after the row of the pivot sentence before it. Nothing
typed is lost and nothing moves relative to the pivot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from translator.extensions import db
from translator.models import Document, Edition, Segment, Unit
from translator.services.structure import STATUS_RANK

NEAR_EMPTY_SHARE = 0.1  # fewer sentences than this share of the pivot's: left out
NEAR_EMPTY_FEW = 2  # this many sentences or fewer, under a third of the pivot's: left out
CHOSEN, NEAR_EMPTY, EMPTY = "chosen", "near_empty", "empty"


def near_empty_editions(sentences: dict[str, int], pivot: str) -> dict[str, str]:
    """Language -> ``empty`` or ``near_empty`` for the editions (``sentences``: language
    -> how many sentences it has) too small to be aligned to the pivot's: none, under a
    tenth of the pivot's, or one or two sentences against three times as many."""
    found = {}
    whole = sentences[pivot]
    for language, count in sentences.items():
        if language == pivot:
            continue
        if count == 0:
            found[language] = EMPTY
        elif count < NEAR_EMPTY_SHARE * whole or (count <= NEAR_EMPTY_FEW and 3 * count < whole):
            found[language] = NEAR_EMPTY
    return found


@dataclass(slots=True)
class Placement:
    """The left-out cells of one current row: the pivot sentence they go with (its index
    among the pivot's non-empty cells; -1 before the first), whether that sentence is in
    their row (else they get a row of their own after it), the row's structure, and the
    cells by edition id."""

    anchor: int
    with_pivot: bool
    role: str
    level: int | None
    label: str | None
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)


def current_placements(
    document: Document, pivot: Edition, left_out: Sequence[Edition]
) -> list[Placement]:
    """Where the left-out editions' non-empty cells sit now, relative to the pivot."""
    if not left_out:
        return []
    wanted = [pivot.id, *(e.id for e in left_out)]
    rows = db.session.execute(
        select(Unit.id, Unit.role, Unit.level, Unit.label, Segment.edition_id, Segment.text,
               Segment.status, Segment.aligned)
        .join(Segment, Segment.unit_id == Unit.id)
        .where(Unit.document_id == document.id, Segment.edition_id.in_(wanted))
        .order_by(Unit.order_key, Unit.id)
    ).all()  # fmt: skip
    by_unit: dict[int, list[Any]] = {}
    for row in rows:
        by_unit.setdefault(row.id, []).append(row)
    placements = []
    next_pivot = 0  # index of the next non-empty pivot cell
    for cells in by_unit.values():
        has_pivot = any(c.edition_id == pivot.id and c.text for c in cells)
        texts = {
            str(c.edition_id): {"text": c.text, "status": str(c.status), "aligned": c.aligned}
            for c in cells
            if c.edition_id != pivot.id and c.text
        }
        anchor = next_pivot if has_pivot else next_pivot - 1
        if texts:
            first = cells[0]
            placements.append(
                Placement(anchor, has_pivot, str(first.role), first.level, first.label, texts)
            )
        next_pivot += has_pivot
    return placements


def put_back(
    layout: list[dict[str, Any]], units: Sequence[Any], pivot: str, placements: list[Placement]
) -> list[dict[str, Any]]:
    """The aligned ``layout`` (one entry per aligned unit of ``units``) with the left-out
    cells put back (module docstring)."""
    unit_of: dict[int, int] = {}
    for index, unit in enumerate(units):
        for sentence in unit.cells.get(pivot, ()):
            unit_of[sentence] = index
    after: dict[int, list[dict[str, Any]]] = {}  # layout index (-1: the top) -> own rows
    for placement in placements:
        index = unit_of.get(placement.anchor, -1)
        if placement.with_pivot and index >= 0:
            cells = layout[index]["cells"]
            for edition_id, cell in placement.cells.items():
                cells[edition_id] = _joined(cells.get(edition_id), cell)
            continue
        paragraph = layout[index]["paragraph_key"] if index >= 0 else 0
        own = {
            "role": placement.role,
            "level": placement.level,
            "label": placement.label,
            "paragraph_key": paragraph,
            "confidence": None,
            "cells": dict(placement.cells),
        }
        after.setdefault(index, []).append(own)
    result = list(after.get(-1, ()))
    for index, row in enumerate(layout):
        result.append(row)
        result.extend(after.get(index, ()))
    return result


def _joined(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Two cells of one edition that now share a row (their pivot sentences were merged)."""
    if not old or not old.get("text"):
        return dict(new)
    status = min(old["status"], new["status"], key=STATUS_RANK.__getitem__)
    return {"text": f"{old['text']} {new['text']}", "status": status, "aligned": new["aligned"]}
