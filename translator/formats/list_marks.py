"""List marks one passage, or one row of editions side by side, at a time: what a list
item shows before its text when a writer cannot nest it in a list element (a table cell
of the parallel exports). The lists come from ``lists.list_tree``, so that a
numbered item's further paragraph goes on with the item there as it does in one
edition's export (no label, no bullet), and a bullet is a bullet by the same rule.
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from translator.formats.base import BlockRole
from translator.formats.lists import ItemList, list_tree
from translator.formats.publication import ParallelRow, Passage

__all__ = ["ItemMark", "item_marks", "parallel_marks"]


@dataclass(frozen=True, slots=True)
class ItemMark:
    """What a list passage shows before its text, at ``depth`` in its lists: the
    ``label`` of the numbered item it opens, a bullet (``bullet``), or neither when it
    goes on with the item before it (a further paragraph, a later sentence)."""

    depth: int
    label: str | None = None
    bullet: bool = False


def item_marks(lists: list[ItemList]) -> list[ItemMark]:
    """The mark of each passage of ``lists``, in reading order (the order of the run
    of passages ``lists`` was built from)."""
    marks: list[ItemMark] = []
    for item_list in lists:
        for item in item_list.items:
            for index, part in enumerate(item.parts):
                if isinstance(part, ItemList):
                    marks.extend(item_marks([part]))
                elif index:  # a further paragraph: only an item's first block is marked
                    marks.append(ItemMark(item_list.depth))
                else:
                    marks.append(ItemMark(item_list.depth, item.label, not item_list.ordered))
    return marks


def parallel_marks(rows: Sequence[ParallelRow]) -> list[tuple[ItemMark, ...] | None]:
    """For each row of editions side by side, the mark of each of its cells (None for
    a row that is no list item). The rows of one paragraph are one passage, and a run
    of list passages makes lists as ``list_tree`` makes them for one edition: a
    passage's mark goes to its first row with text in that column, and its other
    rows go on with the item, as do its further paragraphs."""
    marks: list[tuple[ItemMark, ...] | None] = [None] * len(rows)
    passages: list[list[int]] = []  # the current run of list items, rows by passage
    for index, row in enumerate([*rows, None]):
        if row is not None and row.role is BlockRole.LIST_ITEM:
            if passages and rows[passages[-1][0]].paragraph == row.paragraph:
                passages[-1].append(index)
            else:
                passages.append([index])
            continue
        run = [rows[group[0]] for group in passages]
        tree = list_tree([Passage(r.role, (), r.level, r.label) for r in run])
        for group, mark in zip(passages, item_marks(tree), strict=True):
            shown: set[int] = set()  # the columns that showed the mark already
            for member in group:
                cells = rows[member].cells
                opens = [n not in shown and bool(text.strip()) for n, text in enumerate(cells)]
                shown.update(n for n, flag in enumerate(opens) if flag)
                marks[member] = tuple(mark if flag else ItemMark(mark.depth) for flag in opens)
        passages = []
    return marks
