"""Manual alignment fixes: each applies across all languages of a row, writes revisions
for the texts it changes, is recorded, and can be undone."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, InputError
from translator.models import (
    Document,
    Revision,
    RevisionReason,
    Segment,
    SegmentStatus,
    StructureChange,
    StructureKind,
    User,
)
from translator.services.carryover import successor_of
from translator.services.editing import save_segment, segment_history
from translator.services.structure import (
    Side,
    insert_unit,
    merge_units,
    move_sentence,
    split_offsets,
    split_unit,
    undo_change,
)
from translator.services.units import unit_rows

EN = "One. Two. Three.\n\nFour.\n"
FR = "Un. Deux. Trois.\n\nQuatre.\n"


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return db.session.scalar(sa.select(Document))


def _table(document: Document) -> list[tuple[str, str]]:
    return [(r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)]


def _revision_texts(db: Any, reason: RevisionReason) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Revision.text).where(Revision.reason == reason).order_by(Revision.id)
        )
    )


def test_merge_joins_every_language_and_undo_restores(db: Any, document: Document) -> None:
    rows = unit_rows(document)
    merge_units(document, rows[0].id)
    db.session.commit()
    assert _table(document) == [
        ("One. Two.", "Un. Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]
    assert sorted(_revision_texts(db, RevisionReason.MERGE)) == ["One. Two.", "Un. Deux."]
    change = db.session.scalar(sa.select(StructureChange))
    assert change.kind == StructureKind.MERGE
    undo_change(document)
    db.session.commit()
    assert _table(document) == [
        ("One.", "Un."),
        ("Two.", "Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]
    assert unit_rows(document)[0].id == rows[0].id  # the first row kept its identity
    with pytest.raises(InputError):
        undo_change(document)  # the merge was the only change
    db.session.rollback()


def test_merge_of_the_last_unit_is_refused(db: Any, document: Document) -> None:
    last = unit_rows(document)[-1]
    with pytest.raises(InputError):
        merge_units(document, last.id)


def test_split_at_a_sentence_boundary_sends_other_languages_to_one_side(
    db: Any, document: Document
) -> None:
    first = unit_rows(document)[0]
    merge_units(document, first.id)
    db.session.commit()
    text = unit_rows(document)[0].cells["fr"].text  # "Un. Deux."
    offsets = split_offsets(text, "fr")
    assert offsets == [4]
    split_unit(document, first.id, "fr", offsets[0], others=Side.SECOND)
    db.session.commit()
    assert _table(document)[:2] == [("", "Un."), ("One. Two.", "Deux.")]
    assert "Un." in _revision_texts(db, RevisionReason.SPLIT)
    undo_change(document)
    db.session.commit()
    assert _table(document)[0] == ("One. Two.", "Un. Deux.")


def test_split_at_a_cursor_offset(db: Any, document: Document) -> None:
    unit = unit_rows(document)[0]
    split_unit(document, unit.id, "en", 2, others=Side.FIRST)
    db.session.commit()
    assert _table(document)[:2] == [("On", "Un."), ("e.", "")]
    with pytest.raises(InputError):
        split_unit(document, unit.id, "en", 0)


def test_move_sentences_between_neighbours(db: Any, document: Document) -> None:
    rows = unit_rows(document)
    merge_units(document, rows[0].id)
    db.session.commit()
    rows = unit_rows(document)
    move_sentence(document, rows[0].id, "en", to_next=True)
    db.session.commit()
    assert _table(document)[:2] == [("One.", "Un. Deux."), ("Two. Three.", "Trois.")]
    move_sentence(document, rows[1].id, "fr", to_next=False)
    db.session.commit()
    assert _table(document)[:2] == [("One.", "Un. Deux. Trois."), ("Two. Three.", "")]
    assert len(_revision_texts(db, RevisionReason.MOVE)) == 4
    undo_change(document)
    undo_change(document)
    undo_change(document)
    db.session.commit()
    assert _table(document) == [
        ("One.", "Un."),
        ("Two.", "Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]


def test_insert_an_empty_unit(db: Any, document: Document) -> None:
    rows = unit_rows(document)
    new = insert_unit(document, rows[0].id)
    db.session.commit()
    table = _table(document)
    assert table[1] == ("", "") and len(table) == 5
    assert unit_rows(document)[1].id == new.id
    assert unit_rows(document)[1].paragraph == rows[0].paragraph
    undo_change(document)
    db.session.commit()
    assert len(_table(document)) == 4


def test_history_follows_its_text_through_a_merge(db: Any, document: Document) -> None:
    """The second unit's segments are gone after a merge; their revisions now belong to
    the merged segment that holds their text, and its history shows them."""
    rows = unit_rows(document)
    second_fr = rows[1].cells["fr"].id
    merge_units(document, rows[0].id)
    db.session.commit()
    merged = unit_rows(document)[0]
    history = segment_history(db.session.get(Segment, merged.cells["fr"].id))
    assert "Deux." in {r.text for r in history}
    assert "Two." in {
        r.text for r in segment_history(db.session.get(Segment, merged.cells["en"].id))
    }
    moved = db.session.scalars(sa.select(Revision).where(Revision.text == "Deux.")).all()
    assert moved and all(r.unit_id == merged.id for r in moved)
    assert second_fr not in set(db.session.scalars(sa.select(Revision.segment_id)))
    assert successor_of(second_fr) == merged.cells["fr"].id


def test_a_merge_waits_for_a_save_in_its_units_and_keeps_its_text(
    app: Any, db: Any, document: Document, create_user: Any
) -> None:
    """A save in progress in the second unit: the merge waits for it, then merges the
    saved text (without the lock it merged the old one and the save was lost)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serializes whole writes)")
    admin_id = create_user("admin@example.org", is_admin=True).id
    first, second = unit_rows(document)[:2]
    fr_id, version, document_id = second.cells["fr"].id, second.cells["fr"].version, document.id
    db.session.commit()
    done: dict[str, Any] = {}

    def merge() -> None:
        with app.app_context():
            try:
                merge_units(db.session.get(Document, document_id), first.id)
                db.session.commit()
                done["merged"] = True
            except Exception as exc:
                done["error"] = repr(exc)

    with app.app_context():
        user = db.session.get(User, admin_id)
        save_segment(fr_id, "Deux, enfin.", base_version=version, user=user, confirm=True)
        merging = threading.Thread(target=merge)
        merging.start()
        merging.join(0.5)
        assert merging.is_alive(), done  # waiting for the save's transaction
        db.session.commit()
    merging.join(20)
    assert done == {"merged": True}
    db.session.expire_all()
    assert _table(document)[0] == ("One. Two.", "Un. Deux, enfin.")


def test_undo_refuses_to_replace_work_done_since(
    db: Any, document: Document, create_user: Any
) -> None:
    """A cell of the merged row edited after the merge: undoing the merge would put the
    old texts back over it, so it is refused; undoing after that edit is undone works."""
    admin = create_user("admin@example.org", is_admin=True)
    merge_units(document, unit_rows(document)[0].id)
    db.session.commit()
    fr = unit_rows(document)[0].cells["fr"]
    save_segment(fr.id, "Un. Deux, enfin.", base_version=fr.version, user=admin)
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        undo_change(document)
    db.session.rollback()
    assert refused.value.field == "change" and "1 cell(s)" in refused.value.message
    assert _table(document)[0] == ("One. Two.", "Un. Deux, enfin.")
    # The same text and status as right after the merge: nothing to lose, undo works.
    fr = unit_rows(document)[0].cells["fr"]
    save_segment(
        fr.id, "Un. Deux.", base_version=fr.version, user=admin, status=SegmentStatus.TRANSLATED
    )
    db.session.commit()
    undo_change(document)
    db.session.commit()
    assert _table(document)[:2] == [("One.", "Un."), ("Two.", "Deux.")]


def test_a_merge_over_the_segment_length_limit_is_refused_and_changes_nothing(
    db: Any, document: Document, create_user: Any
) -> None:
    """One limit everywhere: a fix may not build a segment longer than a save may."""
    admin = create_user("admin@example.org", is_admin=True)
    first, second = unit_rows(document)[:2]
    for row in (first, second):
        cell = row.cells["fr"]
        long = ("Une phrase assez longue pour le test. " * 400)[:15_000]
        save_segment(cell.id, long, base_version=cell.version, user=admin)
    db.session.commit()
    before = _table(document)
    with pytest.raises(InputError) as refused:
        merge_units(document, first.id, author_id=admin.id)
    db.session.rollback()
    assert refused.value.field == "text" and "at most 20000 characters" in refused.value.message
    assert _table(document) == before
    assert db.session.scalar(sa.select(sa.func.count(StructureChange.id))) == 0
