"""Running the alignment again on an aligned document: what it keeps."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.services.test_alignment import EN, FR
from translator.models import Document, Segment
from translator.services.alignment import align_document
from translator.services.editing import save_segment
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
