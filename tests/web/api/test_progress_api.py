"""GET /api/v1/documents/<slug>/progress: the kept counters, for the document's members."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from translator.models import Segment, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation


def test_progress_of_a_translation(
    client: Any, db: Any, login: Any, import_text: Any, create_user: Any
) -> None:
    summary = import_text("# Title\n\nOne sentence here. Two more.\n", "en", filename="a.md")
    document = get_document(summary.document)
    start_translation(document, "fr")
    db.session.commit()
    login("ana@example.org", is_admin=True, display_name="Ana")
    ana = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    cell = db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == document.edition("fr").id)
    ).first()
    save_segment(cell, "Titre", base_version=cell.version, user=ana, confirm=True)
    db.session.commit()
    response = client.get(f"/api/v1/documents/{document.slug}/progress")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["document"] == document.slug and body["assignments"] == []
    en, fr = body["editions"]
    assert en["original"] and en["words_left"] is None and en["segments"]["translated"] == 3
    assert fr["segments"]["empty"] == 2 and sum(fr["segments"].values()) == 3
    assert fr["original_words"] == 6 and fr["words_left"] == 5 and not fr["ready"]
    (activity,) = body["activity"]
    assert activity["user"]["name"] == "Ana" and activity["language"] == "fr"
    assert activity["words_translated"] + activity["words_reviewed"] == 1
    assert client.get("/api/v1/documents/nope/progress").status_code == 404
