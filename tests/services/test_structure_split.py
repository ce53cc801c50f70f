"""Splitting a row with a choice per other language: each stays in the first row, goes
to the second, or is cut too; what people wrote on a cell goes with its text; the split
is recorded and undone like any other change."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.models import Comment, Document, Segment, StructureChange, Suggestion, Unit
from translator.services.comments import add_comment
from translator.services.structure import Side, merge_units, split_unit, undo_change
from translator.services.suggestions import propose_text
from translator.services.units import unit_rows

EN = "One. Two.\n\nThree.\n"
FR = "Un. Deux.\n\nTrois.\n"
DE = "Eins. Zwei.\n\nDrei.\n"


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    import_text(DE, "de", document=first.document)
    document: Document = db.session.scalar(sa.select(Document))
    merge_units(document, unit_rows(document)[0].id)  # sentence rows: one row of two
    db.session.commit()
    return document


def _table(document: Document) -> list[tuple[str, str, str]]:
    return [
        (r.cells["en"].text, r.cells["fr"].text, r.cells["de"].text) for r in unit_rows(document)
    ]


def test_each_other_language_goes_where_the_user_chose(db: Any, document: Document) -> None:
    unit = unit_rows(document)[0]
    split_unit(
        document,
        unit.id,
        "en",
        len("One."),
        others=Side.SECOND,
        placements={"fr": Side.FIRST, "de": Side.SECOND},
    )
    db.session.commit()
    assert _table(document) == [
        ("One.", "Un. Deux.", ""),
        ("Two.", "", "Eins. Zwei."),
        ("Three.", "Trois.", "Drei."),
    ]
    change = db.session.scalar(sa.select(StructureChange).order_by(StructureChange.id.desc()))
    assert set(change.summary["others"].values()) == {"first", "second"}
    undo_change(document)
    db.session.commit()
    assert _table(document)[0] == ("One. Two.", "Un. Deux.", "Eins. Zwei.")


def test_another_language_can_be_cut_at_its_own_offset(db: Any, document: Document) -> None:
    unit = unit_rows(document)[0]
    split_unit(document, unit.id, "en", len("One."), placements={"fr": len("Un."), "de": 2})
    db.session.commit()
    assert _table(document)[:2] == [("One.", "Un.", "Ei"), ("Two.", "Deux.", "ns. Zwei.")]
    undo_change(document)
    db.session.commit()
    assert _table(document)[0] == ("One. Two.", "Un. Deux.", "Eins. Zwei.")


def test_suggestions_and_comments_follow_a_cell_sent_to_the_second_row(
    db: Any, document: Document, create_user: Any
) -> None:
    user = create_user("admin@example.org", is_admin=True)
    row = unit_rows(document)[0]
    unit = db.session.get(Unit, row.id)
    fr = next(s for s in unit.segments if s.edition.language == "fr")
    en = next(s for s in unit.segments if s.edition.language == "en")
    propose_text(fr, "Un ! Deux !", user=user)
    propose_text(en, "One! Two!", user=user)
    add_comment(unit, "about the French", user=user, language="fr")
    add_comment(unit, "about the row", user=user)
    db.session.commit()
    first, second = split_unit(
        document, row.id, "en", len("One."), placements={"fr": Side.SECOND, "de": Side.FIRST}
    )
    db.session.commit()
    suggestions = dict(db.session.execute(sa.select(Suggestion.text, Suggestion.unit_id)).all())
    assert suggestions == {"Un ! Deux !": second.id, "One! Two!": first.id}
    held = sa.select(Segment).join(Suggestion, Suggestion.segment_id == Segment.id)
    french = db.session.scalar(held.where(Suggestion.text == "Un ! Deux !"))
    assert (french.unit_id, french.text) == (second.id, "Un. Deux.")
    comments = dict(db.session.execute(sa.select(Comment.body, Comment.unit_id)).all())
    assert comments == {"about the French": second.id, "about the row": first.id}
    undo_change(document)  # the second row goes: its things come back to the first
    db.session.commit()
    comments = dict(db.session.execute(sa.select(Comment.body, Comment.unit_id)).all())
    assert comments == {"about the French": first.id, "about the row": first.id}
    french = db.session.scalar(held.where(Suggestion.text == "Un ! Deux !"))
    assert (french.unit_id, french.text) == (first.id, "Un. Deux.")


@pytest.mark.parametrize(
    ("placements", "field"),
    [
        ({"en": Side.FIRST}, "placements.en"),
        ({"xx": Side.FIRST}, "placements.xx"),
        ({"fr": 0}, "placements.fr"),
        ({"fr": 99}, "placements.fr"),
    ],
)
def test_a_bad_placement_is_refused_naming_it(
    db: Any, document: Document, placements: dict[str, Any], field: str
) -> None:
    unit = unit_rows(document)[0]
    with pytest.raises(InputError) as refused:
        split_unit(document, unit.id, "en", len("One."), placements=placements)
    assert refused.value.field == field
    db.session.rollback()
    assert _table(document)[0] == ("One. Two.", "Un. Deux.", "Eins. Zwei.")
