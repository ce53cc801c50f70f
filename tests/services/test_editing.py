"""Saving segments: optimistic locking that never loses the stale text, confirmation,
revert, suggestions, rights, and keeping the editions of a unit in step."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, Forbidden
from translator.models import (
    Document,
    MemberRole,
    Revision,
    RevisionReason,
    Segment,
    SegmentStatus,
    Suggestion,
    SuggestionState,
    Unit,
    User,
)
from translator.services.editing import revert_segment, save_segment
from translator.services.members import set_member
from translator.services.segments import write_segment_row
from translator.services.siblings import baseline_siblings, sibling_changes
from translator.services.suggestions import accept_suggestion, propose_text, reject_suggestion


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text("The cat sleeps.\n\nThe dog barks.\n", "en", title="Doc")
    import_text("Le chat dort.\n\nLe chien aboie.\n", "fr", document=first.document)
    import_text("O gato dorme.\n\nO cão ladra.\n", "pt", document=first.document)
    document = db.session.scalar(sa.select(Document))
    document.original_edition_id = None  # peers: a change in any edition flags the others
    baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
    db.session.commit()
    return document


@pytest.fixture
def admin(db: Any, create_user: Any) -> User:
    return create_user("admin@example.org", is_admin=True)


def cell(db: Any, document: Document, language: str, row: int = 0) -> Segment:
    unit_id = db.session.scalars(
        sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
    ).all()[row]
    segment = db.session.scalar(
        sa.select(Segment).where(
            Segment.unit_id == unit_id,
            Segment.edition.has(language=language),
        )
    )
    assert segment is not None
    return segment


def test_a_save_writes_a_draft_with_its_revision(db: Any, document: Document, admin: User) -> None:
    fr = cell(db, document, "fr")
    result = save_segment(fr, "Le chat dort bien.", base_version=fr.version, user=admin)
    db.session.commit()
    assert result.saved and result.changed
    assert fr.status == SegmentStatus.DRAFT
    revision = db.session.scalars(
        sa.select(Revision).where(Revision.segment_id == fr.id).order_by(Revision.id.desc())
    ).first()
    assert revision is not None
    assert (revision.text, revision.version, revision.author_id) == (
        "Le chat dort bien.",
        fr.version,
        admin.id,
    )


def test_a_stale_save_is_kept_as_a_suggestion_and_never_overwrites(
    db: Any, document: Document, admin: User, create_user: Any
) -> None:
    other = create_user("bea@example.org", is_admin=True)
    fr = cell(db, document, "fr")
    seen = fr.version
    save_segment(fr, "Le chat dort (Ana).", base_version=seen, user=admin)
    db.session.commit()
    result = save_segment(fr, "Le chat dort (Bea).", base_version=seen, user=other)
    db.session.commit()
    assert not result.saved
    assert fr.text == "Le chat dort (Ana)."
    kept = db.session.scalar(sa.select(Suggestion))
    assert kept is not None
    assert (kept.text, kept.author_id, kept.base_version, kept.state) == (
        "Le chat dort (Bea).",
        other.id,
        seen,
        SuggestionState.OPEN,
    )
    # Retrying the same stale save does not pile up copies.
    save_segment(fr, "Le chat dort (Bea).", base_version=seen, user=other)
    assert db.session.scalar(sa.select(sa.func.count(Suggestion.id))) == 1


def test_a_stale_save_of_the_same_text_is_harmless(
    db: Any, document: Document, admin: User
) -> None:
    fr = cell(db, document, "fr")
    seen = fr.version
    save_segment(fr, "Le chat dort.", base_version=seen, user=admin, confirm=True)
    db.session.commit()
    result = save_segment(fr, "Le chat dort.", base_version=seen, user=admin, confirm=True)
    assert result.saved
    assert db.session.scalar(sa.select(sa.func.count(Suggestion.id))) == 0


def test_accept_and_reject_suggestions(db: Any, document: Document, admin: User) -> None:
    fr = cell(db, document, "fr")
    first = propose_text(fr, "Le chat somnole.", user=admin)
    second = propose_text(fr, "Le minou dort.", user=admin)
    result = accept_suggestion(first, base_version=fr.version, user=admin)
    reject_suggestion(second, user=admin)
    db.session.commit()
    assert result.saved and fr.text == "Le chat somnole."
    assert (first.state, second.state) == (SuggestionState.ACCEPTED, SuggestionState.REJECTED)
    reasons = db.session.scalars(
        sa.select(Revision.reason).where(Revision.segment_id == fr.id)
    ).all()
    assert RevisionReason.SUGGESTION in reasons


def test_revert_is_a_new_revision(db: Any, document: Document, admin: User) -> None:
    fr = cell(db, document, "fr")
    original = db.session.scalar(sa.select(Revision).where(Revision.segment_id == fr.id))
    assert original is not None
    save_segment(fr, "Texte abîmé.", base_version=fr.version, user=admin)
    result = revert_segment(fr, original, base_version=fr.version, user=admin)
    db.session.commit()
    assert result.saved and fr.text == "Le chat dort."
    revisions = db.session.scalars(
        sa.select(Revision.reason).where(Revision.segment_id == fr.id).order_by(Revision.id)
    ).all()
    assert revisions == [RevisionReason.IMPORT, RevisionReason.EDIT, RevisionReason.REVERT]


def test_only_members_edit_and_only_reviewers_review(
    db: Any, document: Document, create_user: Any
) -> None:
    cleo = create_user("cleo@example.org")
    fr, en = cell(db, document, "fr"), cell(db, document, "en")
    with pytest.raises(Forbidden):
        save_segment(fr, "Non.", base_version=fr.version, user=cleo)
    set_member(document, cleo, "fr", MemberRole.TRANSLATOR)
    set_member(document, cleo, "en", MemberRole.REVIEWER)
    save_segment(fr, "Le chat dort.", base_version=fr.version, user=cleo, confirm=True)
    save_segment(en, "The cat sleeps.", base_version=en.version, user=cleo, confirm=True)
    assert (fr.status, en.status) == (SegmentStatus.TRANSLATED, SegmentStatus.REVIEWED)
    with pytest.raises(Forbidden):
        save_segment(
            fr, "Le chat dort.", base_version=fr.version, user=cleo, status=SegmentStatus.REVIEWED
        )
    with pytest.raises(Forbidden):
        save_segment(cell(db, document, "pt"), "Não.", base_version=1, user=cleo)
    # A translator who types in a reviewed cell and then presses Esc puts back the
    # reviewed text and status; any other text stays out of "reviewed".
    admin = create_user("root@example.org", is_admin=True)
    save_segment(fr, "Le chat dort.", base_version=fr.version, user=admin, confirm=True)
    assert fr.status == SegmentStatus.REVIEWED
    save_segment(fr, "Le chat dort pas.", base_version=fr.version, user=cleo)
    assert fr.status == SegmentStatus.DRAFT
    save_segment(
        fr, "Le chat dort.", base_version=fr.version, user=cleo, status=SegmentStatus.REVIEWED
    )
    assert fr.status == SegmentStatus.REVIEWED


def test_editing_french_flags_english_and_portuguese_with_the_change(
    db: Any, document: Document, admin: User
) -> None:
    fr, en, pt = (cell(db, document, lang) for lang in ("fr", "en", "pt"))
    en_version = en.version
    result = save_segment(fr, "Le chat ronfle.", base_version=fr.version, user=admin, confirm=True)
    db.session.commit()
    assert {s.language for s in result.siblings} == {"en", "pt"}
    db.session.expire_all()
    assert (fr.outdated, en.outdated, pt.outdated) == (False, True, True)
    # Flagging a sibling does not bump its version: whoever types in English keeps going.
    assert en.version == en_version
    (change,) = sibling_changes(en)
    assert (change.language, change.before, change.after) == (
        "fr",
        "Le chat dort.",
        "Le chat ronfle.",
    )
    # The other row is untouched.
    assert not cell(db, document, "en", 1).outdated
    # Confirming English (text unchanged) clears its flag, and does not flag French back.
    save_segment(en, en.text, base_version=en.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert (en.outdated, fr.outdated, pt.outdated) == (False, False, True)


def test_a_sibling_catching_up_does_not_flag_back(db: Any, document: Document, admin: User) -> None:
    fr, en = cell(db, document, "fr"), cell(db, document, "en")
    save_segment(en, "The cat snores.", base_version=en.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert fr.outdated
    # French follows English: a draft, then the confirmation. English is never flagged.
    save_segment(fr, "Le chat ron", base_version=fr.version, user=admin)
    db.session.commit()
    db.session.expire_all()
    assert fr.outdated and not en.outdated
    save_segment(fr, "Le chat ronfle.", base_version=fr.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert not fr.outdated and not en.outdated
    # A later change of French leads again: English is flagged.
    save_segment(fr, "Le chat ronfle fort.", base_version=fr.version, user=admin)
    db.session.commit()
    db.session.expire_all()
    assert en.outdated


def test_undoing_the_change_clears_the_flags(db: Any, document: Document, admin: User) -> None:
    fr, en = cell(db, document, "fr"), cell(db, document, "en")
    save_segment(fr, "Le chat dort?", base_version=fr.version, user=admin)
    db.session.commit()
    db.session.expire_all()
    assert en.outdated
    save_segment(fr, "Le chat dort.", base_version=fr.version, user=admin)
    db.session.commit()
    db.session.expire_all()
    assert not en.outdated


def test_a_first_translation_does_not_flag_its_source(
    db: Any, import_text: Any, admin: User
) -> None:
    first = import_text("The cat sleeps.\n", "en", title="Solo")
    document = db.session.scalar(sa.select(Document))
    assert document is not None
    from translator.services.documents import add_edition

    add_edition(document, "fr")
    db.session.flush()
    from translator.services.layout import replace_units, snapshot_units

    units = list(db.session.scalars(sa.select(Unit.id)))
    replace_units(document, units, snapshot_units(document, units), reason=RevisionReason.EDIT)
    db.session.commit()
    assert first.document
    fr, en = cell(db, document, "fr"), cell(db, document, "en")
    save_segment(fr, "Le chat", base_version=fr.version, user=admin)
    save_segment(fr, "Le chat dort.", base_version=fr.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert not en.outdated and not fr.outdated
    # From now on English follows French's later changes, and French English's.
    save_segment(en, "The cat sleeps well.", base_version=en.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert fr.outdated and not en.outdated


def test_saves_in_one_unit_wait_for_the_unit_lock(
    app: Any, db: Any, document: Document, admin: User
) -> None:
    """While one save holds its unit, a stale save of the same segment and a
    confirmation of a sibling wait; then the stale text becomes a suggestion and the
    sibling records the text that was committed (no lost update, no lost record)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serializes whole writes)")
    fr, en = cell(db, document, "fr"), cell(db, document, "en")
    fr_id, en_id, seen, admin_id = fr.id, en.id, fr.version, admin.id
    db.session.commit()
    results: dict[str, Any] = {}

    def other_session(name: str, segment_id: int, text: str, version: int, **kw: Any) -> None:
        with app.app_context():
            user = db.session.get(User, admin_id)
            result = save_segment(segment_id, text, base_version=version, user=user, **kw)
            db.session.commit()
            results[name] = (result.saved, result.segment.version)

    with app.app_context():
        user = db.session.get(User, admin_id)
        save_segment(fr_id, "Le chat ronfle.", base_version=seen, user=user, confirm=True)
        waiting = [
            threading.Thread(target=other_session, args=("stale", fr_id, "Le chat (B).", seen)),
            threading.Thread(
                target=other_session,
                args=("sibling", en_id, "The cat sleeps.", en.version),
                kwargs={"confirm": True},
            ),
        ]
        for thread in waiting:
            thread.start()
        for thread in waiting:
            thread.join(0.5)
        assert all(thread.is_alive() for thread in waiting), "saves went past the unit lock"
        db.session.commit()
    for thread in waiting:
        thread.join(10)
    assert results["stale"] == (False, seen + 1)
    assert results["sibling"][0]
    db.session.expire_all()
    assert fr.text == "Le chat ronfle."
    assert db.session.scalar(sa.select(Suggestion.text)) == "Le chat (B)."
    assert en.sibling_hashes["fr"] == fr.content_hash and not en.outdated


def test_a_row_write_never_overwrites_a_newer_version(
    db: Any, document: Document, admin: User
) -> None:
    fr = cell(db, document, "fr")
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)))
    with pytest.raises(Conflict):
        write_segment_row(
            fr.id,
            version=fr.version - 1,
            unit_id=fr.unit_id,
            edition_id=fr.edition_id,
            text="Écrasé ?",
            status=SegmentStatus.DRAFT,
            sibling_hashes={},
            outdated=False,
            reason=RevisionReason.EDIT,
        )
    db.session.expire_all()
    assert fr.text == "Le chat dort."
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == revisions


def test_with_an_original_only_its_changes_flag_the_translations(
    db: Any, document: Document, admin: User
) -> None:
    document.original_edition_id = document.edition("en").id
    db.session.commit()
    fr, en, pt = (cell(db, document, lang) for lang in ("fr", "en", "pt"))
    # A translator's change flags nothing: not the original, not the other translation.
    result = save_segment(fr, "Le chat ronfle.", base_version=fr.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert result.siblings == [] or all(not s.outdated for s in result.siblings)
    assert (fr.outdated, en.outdated, pt.outdated) == (False, False, False)
    # A change of the original flags every translation, with the change to show.
    save_segment(en, "The cat snores.", base_version=en.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert (en.outdated, fr.outdated, pt.outdated) == (False, True, True)
    (change,) = sibling_changes(pt)
    assert (change.language, change.before, change.after) == (
        "en",
        "The cat sleeps.",
        "The cat snores.",
    )
    # The translation catching up clears its own flag and flags nothing back.
    save_segment(pt, "O gato ressona.", base_version=pt.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    assert (en.outdated, fr.outdated, pt.outdated) == (False, True, False)


def test_a_minor_edit_flags_nothing_and_the_history_says_so(
    db: Any, document: Document, admin: User
) -> None:
    fr, en, pt = (cell(db, document, lang) for lang in ("fr", "en", "pt"))
    save_segment(
        fr, "Le chat dort !", base_version=fr.version, user=admin, reason=RevisionReason.MINOR
    )
    db.session.commit()
    db.session.expire_all()
    assert (fr.outdated, en.outdated, pt.outdated) == (False, False, False)
    newest = db.session.scalars(
        sa.select(Revision).where(Revision.segment_id == fr.id).order_by(Revision.id.desc())
    ).first()
    assert newest is not None and newest.reason == RevisionReason.MINOR
    # The siblings are in step with the new text: a later real change flags them.
    save_segment(fr, "Le chat ronfle !", base_version=fr.version, user=admin)
    db.session.commit()
    db.session.expire_all()
    assert en.outdated and pt.outdated
    (change,) = [c for c in sibling_changes(en) if c.language == "fr"]
    assert change.before == "Le chat dort !"  # the change shown starts after the minor edit


def test_a_minor_replace_flags_no_other_edition(db: Any, document: Document, admin: User) -> None:
    from translator.services.replace import apply_replace, preview_replace

    pt = cell(db, document, "pt")
    previews = preview_replace(document, "pt", "gato", "gatinho", regex=False, case=True)
    expected = {p.segment_id: p.version for p in previews.previews}
    apply_replace(
        document,
        "pt",
        "gato",
        "gatinho",
        regex=False,
        case=True,
        expected=expected,
        author_id=admin.id,
        minor=True,
    )
    db.session.commit()
    db.session.expire_all()
    assert pt.text == "O gatinho dorme."
    assert not any(cell(db, document, lang).outdated for lang in ("fr", "en", "pt"))
    apply_replace(
        document,
        "pt",
        "gatinho",
        "gato",
        regex=False,
        case=True,
        expected={pt.id: pt.version},
        author_id=admin.id,
    )
    db.session.commit()
    db.session.expire_all()
    assert cell(db, document, "fr").outdated and cell(db, document, "en").outdated
