"""Aligning editions into units: every sentence lands once, in order; structure kept;
manual fixes protected; the previous layout restorable."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import SHARED
from translator.errors import Conflict, InputError
from translator.models import (
    Comment,
    Document,
    Revision,
    RevisionReason,
    StructureChange,
    StructureKind,
    Unit,
    User,
)
from translator.services.alignment import align_document
from translator.services.comments import add_comment, open_comment_counts
from translator.services.editing import save_segment
from translator.services.structure import merge_units, undo_change
from translator.services.units import unit_rows

EN = """# The title

The first paragraph has two sentences. It talks about 1917 and about Lenin.

A second paragraph follows here. Its second sentence is short. Then a third one comes.

## A heading

The last paragraph mentions 42 anarchists in Barcelona.
"""
FR = """# Le titre

Le premier paragraphe a deux phrases. Il parle de 1917 et de Lénine.

Un deuxième paragraphe suit ici. Sa deuxième phrase est courte et une troisième vient ensuite.

## Un intertitre

Le dernier paragraphe mentionne 42 anarchistes à Barcelone.
"""


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    return db.session.scalar(sa.select(Document))


def _sentences(document: Document, lang: str) -> list[str]:
    return [r.cells[lang].text for r in unit_rows(document) if r.cells[lang].text]


def test_alignment_keeps_every_sentence_in_order_and_the_structure(
    db: Any, document: Document
) -> None:
    en_before = " ".join(_sentences(document, "en"))
    fr_before = " ".join(_sentences(document, "fr"))
    summary = align_document(document, pivot="en")
    db.session.commit()
    rows = unit_rows(document)
    assert " ".join(_sentences(document, "en")) == en_before
    assert " ".join(_sentences(document, "fr")) == fr_before
    assert all(c.aligned for r in rows for c in r.cells.values())
    pairs = [(r.role, r.cells["en"].text, r.cells["fr"].text) for r in rows]
    assert pairs[0] == ("heading", "The title", "Le titre")
    assert ("heading", "A heading", "Un intertitre") in pairs
    # The French merge of two English sentences is one unit (a 2-1 bead).
    merged = next(p for p in pairs if p[2].startswith("Sa deuxième phrase"))
    assert merged[1] == "Its second sentence is short. Then a third one comes."
    assert summary.units == len(rows)
    assert summary.beads["en-fr"]["2-1"] == 1
    assert all(r.confidence is not None and 0 <= r.confidence <= 1 for r in rows)
    # Revisions say why the text moved; the old layout is kept.
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Revision.reason == RevisionReason.ALIGNMENT)
    ) == sum(1 for r in rows for c in r.cells.values() if c.text)
    change = db.session.scalar(sa.select(StructureChange))
    assert change.kind == StructureKind.ALIGNMENT and len(change.before) == 8


def test_realignment_protects_manual_fixes_and_undo_restores(db: Any, document: Document) -> None:
    align_document(document, pivot="en")
    db.session.commit()
    merge_units(document, unit_rows(document)[1].id)
    db.session.commit()
    fixed = [(r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)]
    with pytest.raises(Conflict) as excinfo:
        align_document(document, pivot="en")
    assert excinfo.value.field == "force"
    db.session.rollback()
    assert [(r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)] == fixed
    align_document(document, pivot="en", force=True)
    db.session.commit()
    # Cells are what the aligner moves: the merged cell stays one piece of text.
    assert fixed[1][0] in [r.cells["en"].text for r in unit_rows(document)]
    undo_change(document)  # undo the realignment: exactly the layout with the fix
    db.session.commit()
    assert [(r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)] == fixed


def test_alignment_needs_two_editions_with_text(db: Any, import_text: Any) -> None:
    import_text("Only English here.", "en", title="Solo")
    document = db.session.scalar(sa.select(Document))
    with pytest.raises(InputError):
        align_document(document)
    with pytest.raises(InputError):
        align_document(document, languages=["en", "de"])


def test_udhr_three_way(db: Any, import_text: Any) -> None:
    """The UDHR in en, fr and pt, imported as Markdown (titles as headings, paragraphs),
    aligned three ways against the English: each article's title lands in one row with
    its translations, and no row mixes two articles."""
    import re

    texts, titles = {}, {}
    for lang, name in (("en", "udhr_eng.xml"), ("fr", "udhr_fra.xml"), ("pt", "udhr_por_PT.xml")):
        xml = (SHARED / "corpus" / "udhr" / name).read_text(encoding="utf-8")
        blocks = []
        for tag, body in re.findall(r"<(title|para)>(.*?)</\1>", xml, flags=re.S):
            text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
            if text:
                blocks.append(f"## {text}" if tag == "title" else text)
        texts[lang] = "\n\n".join(blocks) + "\n"
        articles = re.findall(r"<article[^>]*>\s*<title>(.*?)</title>", xml, flags=re.S)
        titles[lang] = [" ".join(t.split()) for t in articles]
        assert len(titles[lang]) == 30
    first = import_text(texts["en"], "en", filename="udhr.md", title="UDHR")
    import_text(texts["fr"], "fr", filename="udhr.md", document=first.document)
    import_text(texts["pt"], "pt", filename="udhr.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    align_document(document, pivot="en")
    db.session.commit()
    rows = [
        (r.cells["en"].text, r.cells["fr"].text, r.cells["pt"].text) for r in unit_rows(document)
    ]
    for en, fr, pt in zip(titles["en"], titles["fr"], titles["pt"], strict=True):
        assert (en, fr, pt) in rows, (en, fr, pt)


def test_comment_threads_follow_their_text_through_realignment_and_undo(
    db: Any, document: Document, create_user: Any
) -> None:
    user = create_user("cleo@example.org", is_admin=True)
    rows = unit_rows(document)
    # Before alignment (one unit per sentence of the pivot, French unaligned): a thread
    # on the French cell "Sa deuxième phrase …" and one on the English "Then a third …".
    fr_row = next(r for r in rows if r.cells["fr"].text.startswith("Sa deuxième"))
    en_row = next(r for r in rows if r.cells["en"].text.startswith("Then a third"))
    on_fr = add_comment(db.session.get(Unit, fr_row.id), "Accord ?", user=user, language="fr")
    on_en = add_comment(db.session.get(Unit, en_row.id), "Tense?", user=user, language="en")
    db.session.commit()

    def thread_rows() -> dict[int, tuple[str, str]]:
        texts = {r.id: (r.cells["en"].text, r.cells["fr"].text) for r in unit_rows(document)}
        db.session.expire_all()
        return {c.id: texts[c.unit_id] for c in db.session.scalars(sa.select(Comment)) if c.unit_id}

    align_document(document, pivot="en")
    db.session.commit()
    after = thread_rows()
    # Both land on the 2-1 bead that now holds their text.
    assert after[on_fr.id][1].startswith("Sa deuxième phrase")
    assert after[on_en.id][0].endswith("Then a third one comes.")
    assert open_comment_counts([u.id for u in unit_rows(document)]) != {}
    undo_change(document)
    db.session.commit()
    # Undone, the bead is two rows again; a thread on it goes where its text began.
    restored = thread_rows()
    assert restored[on_fr.id][1].startswith("Sa deuxième")
    assert restored[on_en.id][0] == "Its second sentence is short."


def test_an_edit_during_the_alignment_stops_it_and_is_kept(
    app: Any, db: Any, document: Document, create_user: Any
) -> None:
    """A translator saves a cell while the aligner runs: the run is refused at the end
    (Conflict, nothing replaced) instead of writing rows made from the older text."""
    admin_id = create_user("cleo@example.org", is_admin=True).id
    row = next(r for r in unit_rows(document) if r.cells["fr"].text.startswith("Sa deuxième"))
    fr_id, version = row.cells["fr"].id, row.cells["fr"].version
    db.session.commit()
    saved: list[bool] = []

    def meanwhile(percent: int, message: str) -> None:
        if saved:
            return
        with app.app_context():  # another request, its own transaction
            save_segment(
                fr_id,
                "Sa deuxième phrase, corrigée.",
                base_version=version,
                user=db.session.get(User, admin_id),
            )
            db.session.commit()
        saved.append(True)

    with pytest.raises(Conflict) as refused:
        align_document(document, pivot="en", progress=meanwhile)
    db.session.rollback()
    assert saved and refused.value.field == "document"
    assert "changed while the document was being aligned" in refused.value.message
    assert "Sa deuxième phrase, corrigée." in [r.cells["fr"].text for r in unit_rows(document)]
    assert db.session.scalar(sa.select(StructureChange)) is None  # nothing was replaced
