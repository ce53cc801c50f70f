"""The trash: deleting hides a document or an edition everywhere and changes nothing
else; restoring brings everything back exactly, history included; purging (after
TRASH_DAYS, or by hand) deletes what it names and nothing else."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, InputError, NotFound
from translator.models import (
    Comment,
    Document,
    Edition,
    ExportArtifact,
    Revision,
    Segment,
    StructureChange,
    Suggestion,
    Unit,
    User,
)
from translator.models._types import utcnow
from translator.services.alignment import align_document
from translator.services.comments import add_comment
from translator.services.documents import add_edition, get_document, list_documents
from translator.services.editing import save_segment
from translator.services.exports import get_artifact, list_artifacts
from translator.services.progress import edition_progress
from translator.services.search import UnitFilter, filter_units
from translator.services.siblings import baseline_siblings
from translator.services.structure import merge_units
from translator.services.suggestions import propose_text
from translator.services.trash import (
    delete_document,
    delete_edition,
    list_trash,
    purge_document,
    purge_edition,
    purge_expired,
    restore_document,
    restore_edition,
    trashed_document,
    trashed_edition,
)
from translator.services.units import unit_rows

EN = "# An essay\n\nOne. Two. Three.\n\nFour.\n"
FR = "# Un essai\n\nUn. Deux. Trois.\n\nQuatre.\n"
PT = "# Um ensaio\n\nUm. Dois. Três.\n\nQuatro.\n"
KEPT = (Segment, Revision, Suggestion, Comment, Unit, StructureChange)


def _rows(db: Any, *models: Any) -> str:
    """Every row of these tables, in id order: equal means untouched."""
    out = []
    with db.engine.connect() as conn:
        for model in models:
            table = model.__table__
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            out.append([[str(v) for v in row] for row in rows])
    return json.dumps(out)


@pytest.fixture
def essay(db: Any, import_text: Any, create_user: Any) -> Document:
    """en (the original), fr and pt; a pt edit, a pt suggestion, a pt comment."""
    first = import_text(EN, "en", title="An essay", filename="essay.md")
    import_text(FR, "fr", document=first.document, filename="essai.md")
    import_text(PT, "pt", document=first.document, filename="ensaio.md")
    user = create_user("ana@example.org", is_admin=True)
    document = get_document(first.document)
    pt = document.edition("pt")
    assert pt is not None
    segment = db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == pt.id, Segment.text == "Dois.")
    ).one()
    save_segment(segment, "Dois!", base_version=segment.version, user=user)
    propose_text(segment, "Dois?", user=user)
    add_comment(segment.unit, "Dois ou dez?", user=user, language="pt")
    db.session.commit()
    return document


def _user(db: Any) -> User:
    return db.session.scalars(sa.select(User)).one()


def test_a_deleted_edition_leaves_every_view_and_comes_back_exactly(
    db: Any, essay: Document
) -> None:
    before = _rows(db, *KEPT)
    pt = delete_edition(essay, "pt", user_id=_user(db).id)
    db.session.commit()
    document = get_document("an-essay")
    assert document.languages == ["en", "fr"]
    assert document.edition("pt") is None
    assert all("pt" not in row.cells for row in unit_rows(document))
    assert pt.id not in edition_progress([document.id])
    search = filter_units(sa.select(Unit.id), document.id, UnitFilter(query="Dois"))
    assert list(db.session.scalars(search)) == []
    assert _rows(db, *KEPT) == before  # nothing but the edition row changed
    [item] = list_trash()
    assert (item.kind, item.slug, item.language) == ("edition", "an-essay", "pt")
    assert item.deleted_by == "ana@example.org"
    assert item.purge_at - item.deleted_at == timedelta(days=30)

    restore_edition(trashed_edition(document, "pt"))
    db.session.commit()
    assert get_document("an-essay").languages == ["en", "fr", "pt"]
    assert _rows(db, *KEPT) == before
    rows = unit_rows(get_document("an-essay"))
    assert [r.cells["pt"].text for r in rows][2] == "Dois!"
    history = db.session.scalars(
        sa.select(Revision.text).where(Revision.edition_id == pt.id).order_by(Revision.id)
    ).all()
    assert "Dois." in history and "Dois!" in history
    assert list_trash() == []


def test_a_deleted_document_is_not_found_and_keeps_its_slug(
    db: Any, essay: Document, import_text: Any
) -> None:
    before = _rows(db, *KEPT, Edition)
    delete_document(essay, user_id=_user(db).id)
    db.session.commit()
    with pytest.raises(NotFound):
        get_document("an-essay")
    assert list_documents() == []
    # A new document with the same title does not take the slug of the deleted one.
    assert import_text("Other.", "en", title="An essay").document == "an-essay-2"
    restore_document(trashed_document("an-essay"))
    db.session.commit()
    assert get_document("an-essay").languages == ["en", "fr", "pt"]
    assert _rows(db, *KEPT, Edition) != before  # the second document's rows
    assert {d.slug for d in list_documents()} == {"an-essay", "an-essay-2"}


def test_what_cannot_be_deleted_says_why(db: Any, essay: Document) -> None:
    with pytest.raises(InputError, match="original"):
        delete_edition(essay, "en", user_id=None)
    with pytest.raises(NotFound):
        delete_edition(essay, "de", user_id=None)
    delete_edition(essay, "pt", user_id=None)
    with pytest.raises(Conflict, match="in the trash"):
        add_edition(essay, "pt")
    with pytest.raises(Conflict):
        purge_edition(essay.edition("fr"))  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        purge_document(essay)
    essay.original_edition_id = None
    delete_edition(essay, "fr", user_id=None)
    with pytest.raises(InputError, match="only one"):
        delete_edition(essay, "en", user_id=None)


def test_purge_after_the_delay_removes_only_what_is_in_the_trash(
    db: Any, essay: Document, import_text: Any
) -> None:
    other = get_document(import_text("Another text.", "en", title="Other").document)
    delete_edition(essay, "pt", user_id=None)
    db.session.commit()
    pt_id = trashed_edition(essay, "pt").id
    others = _rows(db, Document)
    assert purge_expired(utcnow() + timedelta(days=29)).to_dict() == {
        "documents": 0,
        "editions": 0,
    }
    purged = purge_expired(utcnow() + timedelta(days=31))
    db.session.commit()
    assert purged.to_dict() == {"documents": 0, "editions": 1}
    for model in (Segment, Revision, Suggestion):
        left = db.session.scalar(sa.select(sa.func.count()).where(model.edition_id == pt_id))
        assert left == 0, model
    assert db.session.scalar(sa.select(sa.func.count()).where(Comment.language == "pt")) == 0
    assert get_document("an-essay").languages == ["en", "fr"]
    assert len(unit_rows(get_document("an-essay"))) == 5
    assert _rows(db, Document) == others  # the documents themselves untouched
    assert get_document(other.slug).languages == ["en"]


def test_purging_a_document_by_hand_removes_all_its_rows(
    db: Any, essay: Document, import_text: Any
) -> None:
    other = import_text("Another text.", "en", title="Other").document
    kept = _rows(db, *KEPT)
    delete_document(essay, user_id=None)
    document_id = essay.id
    assert purge_document(trashed_document("an-essay")).to_dict() == {
        "documents": 1,
        "editions": 3,
    }
    db.session.commit()
    assert db.session.get(Document, document_id) is None
    for model in (Unit, StructureChange, Comment):
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(model.document_id == document_id))
            == 0
        )
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == 1  # the other's
    assert kept != _rows(db, *KEPT)
    assert get_document(other).title == "Other"
    with pytest.raises(NotFound):
        trashed_document("an-essay")


def test_rows_changed_while_an_edition_is_deleted_keep_its_text(db: Any, essay: Document) -> None:
    delete_edition(essay, "pt", user_id=None)
    db.session.commit()
    document = get_document("an-essay")
    rows = unit_rows(document)
    merge_units(document, rows[1].id, author_id=None)  # "One." + "Two." (pt: Um. + Dois!)
    db.session.commit()
    summary = align_document(get_document("an-essay"), force=True)  # pt is not aligned
    db.session.commit()
    assert summary.languages == ["en", "fr"] and "pt" not in summary.left_out
    pt = trashed_edition(get_document("an-essay"), "pt")
    texts = db.session.scalars(
        sa.select(Segment.text)
        .join(Unit, Unit.id == Segment.unit_id)
        .where(Segment.edition_id == pt.id, Segment.text != "")
        .order_by(Unit.order_key)
    ).all()
    assert " ".join(texts) == "Um ensaio Um. Dois! Três. Quatro."
    restore_edition(pt)
    db.session.commit()
    rows = unit_rows(get_document("an-essay"))
    assert " ".join(r.cells["pt"].text for r in rows if r.cells["pt"].text) == (
        "Um ensaio Um. Dois! Três. Quatro."
    )
    assert not any(r.cells["pt"].aligned for r in rows if r.cells["pt"].text)


def test_saves_meanwhile_leave_a_deleted_edition_alone_and_flag_it_once_restored(
    db: Any, essay: Document
) -> None:
    # Rows in step: a change of the original flags the others.
    baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
    db.session.commit()
    delete_edition(essay, "pt", user_id=None)
    db.session.commit()
    en, pt = get_document("an-essay").edition("en"), trashed_edition(essay, "pt")
    assert en is not None
    source = db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == en.id, Segment.text == "Two.")
    ).one()
    cell = db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == pt.id, Segment.unit_id == source.unit_id)
    ).one()
    kept = (cell.version, cell.outdated, cell.text)
    save_segment(source, "Two, really.", base_version=source.version, user=_user(db))
    db.session.commit()
    db.session.refresh(cell)
    assert (cell.version, cell.outdated, cell.text) == kept == (kept[0], False, kept[2])
    assert kept[2]
    restore_edition(pt)
    db.session.commit()
    db.session.refresh(cell)
    assert cell.outdated and cell.text == kept[2]


def test_the_exports_of_a_deleted_edition_are_hidden_then_purged_with_it(
    db: Any, essay: Document
) -> None:
    def artifact(languages: list[str]) -> ExportArtifact:
        row = ExportArtifact(
            document_id=essay.id,
            format="txt",
            languages=languages,
            fingerprint="0" * 64,
            filename="-".join(languages) + ".txt",
            stored_name="-".join(languages) + ".txt",
            media_type="text/plain",
            size=1,
            checksum="0" * 64,
        )
        db.session.add(row)
        return row

    en, en_pt = artifact(["en"]), artifact(["en", "pt"])
    db.session.commit()
    delete_edition(essay, "pt", user_id=None)
    assert [a.id for a in list_artifacts(essay)] == [en.id]
    with pytest.raises(NotFound):
        get_artifact(essay, en_pt.id)
    restore_edition(trashed_edition(essay, "pt"))
    assert {a.id for a in list_artifacts(essay)} == {en.id, en_pt.id}
    delete_edition(essay, "pt", user_id=None)
    assert purge_edition(trashed_edition(essay, "pt")).stored_names == ["en-pt.txt"]
    db.session.commit()
    assert db.session.scalars(sa.select(ExportArtifact.stored_name)).all() == ["en.txt"]
