"""What people wrote follows its text through every change of rows: suggestions,
revisions and comment threads survive merges, splits, moves, undos and realignments,
and a save aimed at a removed segment is kept on the segment that holds its text."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.services.test_alignment import EN, FR
from translator.models import (
    Comment,
    Document,
    Revision,
    Segment,
    Suggestion,
    SuggestionState,
    Unit,
    User,
)
from translator.services.alignment import align_document
from translator.services.carryover import successor_of, successors
from translator.services.comments import add_comment
from translator.services.editing import save_segment, segment_history
from translator.services.structure import (
    Side,
    insert_unit,
    merge_units,
    move_sentence,
    split_unit,
    undo_change,
)
from translator.services.suggestions import propose_text
from translator.services.units import unit_rows


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    return db.session.scalar(sa.select(Document))


@pytest.fixture
def admin(create_user: Any) -> User:
    user: User = create_user("cleo@example.org", is_admin=True)
    return user


def _cell(db: Any, document: Document, lang: str, starts: str) -> Segment:
    row = next(r for r in unit_rows(document) if r.cells[lang].text.startswith(starts))
    segment: Segment = db.session.get(Segment, row.cells[lang].id)
    return segment


def _open_suggestions(db: Any) -> dict[str, str]:
    """Suggestion text → the text of the segment it is on now."""
    db.session.expire_all()
    found = {}
    for suggestion in db.session.scalars(sa.select(Suggestion)):
        assert suggestion.segment_id is not None, "a suggestion lost its segment"
        segment = db.session.get(Segment, suggestion.segment_id)
        assert segment is not None
        assert suggestion.unit_id == segment.unit_id
        found[suggestion.text] = segment.text
    return found


def test_suggestions_follow_their_text_through_merge_split_undo(
    db: Any, document: Document, admin: User
) -> None:
    second = _cell(db, document, "fr", "Il parle")
    propose_text(second, "Il évoque 1917 et Lénine.", user=admin)
    db.session.commit()
    first_unit = _cell(db, document, "fr", "Le premier").unit_id
    merge_units(document, first_unit, author_id=admin.id)
    db.session.commit()
    kept = _open_suggestions(db)
    assert kept["Il évoque 1917 et Lénine."].endswith("Il parle de 1917 et de Lénine.")
    undo_change(document, author_id=admin.id)
    db.session.commit()
    assert "Il évoque 1917 et Lénine." in _open_suggestions(db)
    # Split a cell that has a suggestion, then undo the split: still there.
    third = _cell(db, document, "fr", "Un deuxième")
    propose_text(third, "Un second paragraphe suit.", user=admin)
    db.session.commit()
    split_unit(document, third.unit_id, "fr", 3, others=Side.SECOND, author_id=admin.id)
    db.session.commit()
    undo_change(document, author_id=admin.id)
    db.session.commit()
    assert set(_open_suggestions(db)) == {"Il évoque 1917 et Lénine.", "Un second paragraphe suit."}


def test_a_forced_realignment_keeps_every_open_suggestion_on_its_text(
    db: Any, document: Document, admin: User
) -> None:
    """The reported case: one forced realignment deleted all 329 open suggestions."""
    proposals = {}
    for row in unit_rows(document):
        for lang in ("en", "fr"):
            cell = row.cells[lang]
            if cell.text:
                text = f"[{lang}] {cell.text} (proposed)"
                propose_text(db.session.get(Segment, cell.id), text, user=admin)
                proposals[text] = cell.text
    db.session.commit()
    merge_units(document, unit_rows(document)[0].id, author_id=admin.id)  # a manual fix
    db.session.commit()
    align_document(document, pivot="en", force=True)
    db.session.commit()
    kept = _open_suggestions(db)
    assert set(kept) == set(proposals)
    for text, original in proposals.items():
        assert original in kept[text], f"{text!r} is not on the cell holding {original!r}"
    undo_change(document, author_id=admin.id)  # undo the alignment: still all there
    db.session.commit()
    assert set(_open_suggestions(db)) == set(proposals)
    assert db.session.scalar(
        sa.select(sa.func.count(Suggestion.id)).where(Suggestion.state == SuggestionState.OPEN)
    ) == len(proposals)


def test_history_follows_its_text_through_realignment(
    db: Any, document: Document, admin: User
) -> None:
    cell = _cell(db, document, "fr", "Sa deuxième")
    save_segment(cell, "Sa deuxième phrase, revue.", base_version=cell.version, user=admin)
    db.session.commit()
    align_document(document, pivot="en")
    db.session.commit()
    now = _cell(db, document, "fr", "Sa deuxième")
    texts = [r.text for r in segment_history(now)]
    assert "Sa deuxième phrase, revue." in texts
    assert any(t.startswith("Sa deuxième phrase est courte") for t in texts)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Revision.id)).where(Revision.segment_id.is_(None))
        )
        == 0
    ), "every revision belongs to a segment holding its text"


def test_a_save_to_a_removed_segment_is_kept_on_its_successor(
    db: Any, document: Document, admin: User
) -> None:
    second = _cell(db, document, "fr", "Il parle")
    removed_id, version = second.id, second.version
    merge_units(document, _cell(db, document, "fr", "Le premier").unit_id, author_id=admin.id)
    db.session.commit()
    result = save_segment(
        removed_id, "Il parle de 1917, de Lénine.", base_version=version, user=admin
    )
    db.session.commit()
    assert not result.saved and result.moved and result.suggestion is not None
    merged = _cell(db, document, "fr", "Le premier")
    assert result.segment.id == merged.id
    assert db.session.get(Suggestion, result.suggestion.id).segment_id == merged.id
    # A realignment removes the merged segment too: the old forward follows.
    align_document(document, pivot="en", force=True)
    db.session.commit()
    holder = next(
        r.cells["fr"].id for r in unit_rows(document) if "Il parle de 1917" in r.cells["fr"].text
    )
    assert successor_of(removed_id) == holder
    again = save_segment(removed_id, "Encore une version.", base_version=version, user=admin)
    db.session.commit()
    assert again.moved and again.suggestion is not None


def test_a_thread_on_a_moved_sentence_follows_the_merge_and_the_move(
    db: Any, document: Document, admin: User
) -> None:
    cell = _cell(db, document, "en", "It talks")
    comment = add_comment(db.session.get(Unit, cell.unit_id), "Which 1917?", user=admin)
    db.session.commit()
    merge_units(document, _cell(db, document, "en", "The first").unit_id, author_id=admin.id)
    move_sentence(document, _cell(db, document, "en", "The first").unit_id, "en", to_next=True)
    db.session.commit()
    db.session.expire_all()
    unit_id = db.session.get(Comment, comment.id).unit_id
    assert unit_id is not None and db.session.get(Unit, unit_id) is not None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("ab ", min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(st.integers(1, 4), min_size=1, max_size=30),
)
def test_successors_find_the_new_row_holding_each_old_cell(
    sentences: list[str], sizes: list[int]
) -> None:
    """Regroup one edition's sentences into new rows: each old cell goes to the row
    where its first non-space character now is."""
    sentences = [s for s in sentences if s.strip()] or ["a"]
    before = [{"id": i, "cells": {"1": {"text": s}}} for i, s in enumerate(sentences)]
    after, position, new_id = [], 0, 100
    for size in sizes:
        if position >= len(sentences):
            break
        group = sentences[position : position + size]
        after.append({"id": new_id, "cells": {"1": {"text": " ".join(group)}}})
        for old in range(position, position + len(group)):
            before[old]["expected"] = new_id
        position += len(group)
        new_id += 1
    if position < len(sentences):
        after.append({"id": new_id, "cells": {"1": {"text": " ".join(sentences[position:])}}})
        for old in range(position, len(sentences)):
            before[old]["expected"] = new_id
    found = successors(before, after, ["1"])
    for old in before:
        assert found[(old["id"], "1")] == old["expected"]


def test_a_save_to_a_row_whose_insert_was_undone_is_kept_beside_it(
    db: Any, document: Document, admin: User
) -> None:
    """Undoing an insert removes a row that nothing replaces: a save still aimed at it
    is kept on the row before."""
    first = unit_rows(document)[0]
    inserted = insert_unit(document, first.id, author_id=admin.id)
    db.session.commit()
    segment_id = next(s.id for s in inserted.segments if s.edition.language == "fr")
    undo_change(document, author_id=admin.id)
    db.session.commit()
    result = save_segment(segment_id, "Tapé trop tard.", base_version=1, user=admin)
    db.session.commit()
    assert result.moved and result.suggestion is not None
    assert result.segment.unit_id == first.id


def test_a_window_read_while_rows_change_has_every_cell(
    db: Any, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows and cells are read by two statements: a realignment committed in between
    left rows without cells (the editor then failed on them). The window is read again."""
    from translator.services import units

    real = units._add_cells
    doomed = unit_rows(document)[1].id
    calls: list[int] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        if not calls:  # another transaction removes a row between the two reads
            with db.engine.begin() as other:
                other.execute(sa.delete(Unit).where(Unit.id == doomed))
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(units, "_add_cells", meanwhile)
    rows = units.unit_window(document, limit=50)
    assert rows and all(set(r.cells) == {"en", "fr"} for r in rows)
    assert doomed not in {r.id for r in rows}
