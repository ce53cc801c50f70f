"""Running the alignment again on an aligned document: what it keeps."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.services.test_alignment import EN, FR
from translator.errors import InputError
from translator.models import Document, Segment
from translator.services.alignment import align_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.structure import undo_change
from translator.services.units import unit_rows


def _outdated(document: Document) -> dict[tuple[str, str], bool]:
    """(English text, language) -> the cell's outdated flag, for every row."""
    return {
        (r.cells["en"].text, lang): cell.outdated
        for r in unit_rows(document)
        for lang, cell in r.cells.items()
    }


def test_realignment_keeps_the_pending_outdated_flags_of_the_rows_it_keeps(
    db: Any, import_text: Any, create_user: Any
) -> None:
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    admin = create_user("cleo@example.org", is_admin=True)
    align_document(document, pivot="en")
    db.session.commit()
    row = next(r for r in unit_rows(document) if r.cells["en"].text.startswith("The last"))
    en = db.session.get(Segment, row.cells["en"].id)
    edited = "The last paragraph mentions 43 anarchists in Barcelona."
    save_segment(en, edited, base_version=en.version, user=admin, confirm=True)
    db.session.commit()
    edited_hash = en.content_hash
    assert _outdated(document)[(edited, "fr")]

    align_document(document, pivot="en")
    db.session.commit()
    flags = _outdated(document)
    # The row came out of the realignment as it was: French is still behind English.
    assert flags[(edited, "fr")] and not flags[(edited, "en")]
    # Nothing else was flagged on the way.
    assert [key for key, flag in flags.items() if flag] == [(edited, "fr")]
    fr = db.session.get(
        Segment, next(r for r in unit_rows(document) if r.cells["en"].text == edited).cells["fr"].id
    )
    assert fr.sibling_hashes["en"] != edited_hash  # still checked against the old text


def test_after_a_first_alignment_a_change_flags_the_other_edition(
    db: Any, import_text: Any, create_user: Any
) -> None:
    """Rows paired by position before the first alignment had no sibling records: the
    rows the alignment keeps must still get its baseline, or no later change of one
    edition would ever flag the other (the rows kept as they were lost it once)."""
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    document.original_edition_id = None  # peers: either edition's change flags the other
    admin = create_user("cleo@example.org", is_admin=True)
    align_document(document, pivot="en")
    db.session.commit()
    for row in unit_rows(document):
        fr = db.session.get(Segment, row.cells["fr"].id)
        assert set(fr.sibling_hashes) == {"en"}, row.cells["en"].text
    row = next(r for r in unit_rows(document) if r.cells["fr"].text)
    fr = db.session.get(Segment, row.cells["fr"].id)
    save_segment(fr, fr.text + " Voilà.", base_version=fr.version, user=admin, confirm=True)
    db.session.commit()
    assert _outdated(document)[(row.cells["en"].text, "en")]


def _en_fr(document: Document) -> list[tuple[str, str]]:
    return [(r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)]


def _three(document: Document) -> list[tuple[str, str, str]]:
    return [tuple(r.cells[lang].text for lang in ("en", "fr", "pt")) for r in unit_rows(document)]  # type: ignore[misc]


def test_a_near_empty_edition_does_not_distort_the_others_and_undo_works(
    db: Any, import_text: Any, create_user: Any
) -> None:
    """A translation just started (start_translation: an empty cell in every row) with
    one sentence typed: the others align as if it were absent, the typed sentence stays
    beside the text it translates, the job says so, and undo restores the rows."""
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    admin = create_user("cleo@example.org", is_admin=True)
    align_document(document, pivot="en", languages=["en", "fr"])
    db.session.commit()
    align_document(document, pivot="en", languages=["en", "fr"])  # the reference layout
    db.session.commit()
    expected = _en_fr(document)
    start_translation(document, "pt")
    db.session.commit()
    row = next(r for r in unit_rows(document) if r.cells["en"].text.startswith("A second"))
    typed = "Segue-se um segundo parágrafo."
    pt = db.session.get(Segment, row.cells["pt"].id)
    save_segment(pt, typed, base_version=pt.version, user=admin)
    db.session.commit()
    before = _three(document)

    summary = align_document(document, pivot="en")
    db.session.commit()
    assert _en_fr(document) == expected
    rows = {r.cells["en"].text: r.cells["pt"].text for r in unit_rows(document)}
    assert rows["A second paragraph follows here."] == typed
    assert sum(1 for text in rows.values() if text) == 1
    assert summary.to_dict()["left_out"] == {"pt": "near_empty"}

    undo_change(document)
    db.session.commit()
    assert _three(document) == before


def test_an_edition_left_out_keeps_its_cells_beside_the_same_pivot_text(
    db: Any, import_text: Any
) -> None:
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    import_text(FR.replace("Le ", "La "), "pt", filename="pt.md", document=first.document)
    document = db.session.scalar(sa.select(Document))

    def beside() -> list[tuple[str, str]]:
        return [(r.cells["en"].text, r.cells["pt"].text) for r in unit_rows(document)]

    before = [(en, pt) for en, pt in beside() if pt]
    summary = align_document(document, pivot="en", languages=["en", "fr"])
    db.session.commit()
    assert summary.languages == ["en", "fr"] and summary.to_dict()["left_out"] == {"pt": "chosen"}
    after = beside()
    # Each Portuguese cell is still in the row of the English text it sat beside.
    for en, pt in before:
        assert any(en in row_en and pt in row_pt for row_en, row_pt in after), (en, pt)
    assert " ".join(pt for _, pt in after if pt) == " ".join(pt for _, pt in before)
    # The aligned editions are aligned as if Portuguese were not there.
    assert any(p[1].startswith("Sa deuxième phrase") for p in _en_fr(document))
    with pytest.raises(InputError):
        align_document(document, pivot="pt", languages=["en", "fr"])
