"""Releases: the gate (every chosen edition ready, or an override with a reason), the
frozen snapshot, exports of a release that come out byte for byte the same, and what
changed since the last release."""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError, NotFound
from translator.models import Release, ReleaseEdition, Segment, SegmentStatus
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.release_exports import export_release, release_publication
from translator.services.releases import (
    NotReady,
    changes_since_release,
    edition_readiness,
    get_release,
    latest_release,
    list_releases,
    publish_document,
)
from translator.services.trash import (
    delete_document,
    delete_edition,
    purge_document,
    purge_edition,
    trashed_edition,
)

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n\nA second paragraph.\n"
FR = ["Un essai", "Le chat dort.", "Le chien aboie.", "Un second paragraphe."]


@pytest.fixture
def admin(create_user: Any) -> Any:
    return create_user("rita@example.org", is_admin=True, display_name="Rita")


@pytest.fixture
def essay(db: Any, import_text: Any) -> Any:
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = get_document("an-essay")
    start_translation(document, "fr")
    db.session.commit()
    return document


def _cells(db: Any, document: Any, language: str) -> list[Segment]:
    return list(
        db.session.scalars(
            sa.select(Segment)
            .where(Segment.edition_id == document.edition(language).id)
            .order_by(Segment.unit_id)
        )
    )


def _fill(
    db: Any,
    document: Any,
    language: str,
    user: Any,
    texts: list[str] | None = None,
    status: SegmentStatus = SegmentStatus.REVIEWED,
) -> None:
    for index, cell in enumerate(_cells(db, document, language)):
        text = texts[index] if texts else cell.text
        save_segment(cell, text, base_version=cell.version, user=user, status=status)
    db.session.commit()


def _ready(db: Any, essay: Any, admin: Any) -> None:
    _fill(db, essay, "en", admin)
    _fill(db, essay, "fr", admin, FR)


def test_publish_refuses_until_every_edition_is_ready(db: Any, essay: Any, admin: Any) -> None:
    with pytest.raises(NotReady) as refused:
        publish_document(essay, ["en", "fr"], admin)
    # en is imported as translated: not reviewed yet; fr is empty.
    assert {lang: [b.reason for b in found] for lang, found in refused.value.blockers.items()} == {
        "en": ["translated"],
        "fr": ["empty"],
    }
    details = refused.value.to_dict()["blockers"]
    assert details["fr"][0]["filters"] == {"status": "empty", "status_language": "fr"}
    assert "fr: 4 empty" in str(refused.value)
    db.session.rollback()
    assert list_releases(essay) == []

    _fill(db, essay, "en", admin)
    _fill(db, essay, "fr", admin, FR, status=SegmentStatus.DRAFT)
    with pytest.raises(NotReady) as refused:
        publish_document(essay, ["en", "fr"], admin)
    assert list(refused.value.blockers) == ["fr"]
    assert [b.reason for b in refused.value.blockers["fr"]] == ["draft"]
    db.session.rollback()

    # English alone is ready: it may be released without French.
    release = publish_document(essay, ["en"], admin)
    db.session.commit()
    assert (release.version, release.languages, release.override_reason) == (1, ["en"], None)

    _fill(db, essay, "fr", admin, FR)
    second = publish_document(essay, ["en", "fr"], admin, note="first bilingual")
    db.session.commit()
    assert (second.version, second.languages, second.note) == (2, ["en", "fr"], "first bilingual")
    assert [r.version for r in list_releases(essay)] == [2, 1]
    assert latest_release(essay).version == 2
    assert get_release(essay, 1).created_by == admin.id
    with pytest.raises(NotFound):
        get_release(essay, 3)


def test_an_override_needs_a_reason_and_is_recorded_and_logged(
    db: Any, essay: Any, admin: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _fill(db, essay, "en", admin)
    with pytest.raises(NotReady):
        publish_document(essay, ["en", "fr"], admin, override_reason="   ")
    db.session.rollback()
    with caplog.at_level(logging.WARNING, logger="translator.services.releases"):
        release = publish_document(essay, ["en", "fr"], admin, override_reason="Print deadline")
    db.session.commit()
    assert release.override_reason == "Print deadline"
    assert release.edition("en").blockers == []
    assert [b["reason"] for b in release.edition("fr").blockers] == ["empty"]
    assert "override" in caplog.text and "Print deadline" in caplog.text


def test_unknown_or_repeated_languages_are_refused(db: Any, essay: Any, admin: Any) -> None:
    for languages in ([], ["de"], ["en", "en"]):
        with pytest.raises(InputError) as refused:
            publish_document(essay, languages, admin, override_reason="anyway")
        assert refused.value.field == "languages"


def test_no_review_needed_makes_confirmed_cells_ready(db: Any, essay: Any, admin: Any) -> None:
    _fill(db, essay, "fr", admin, FR, status=SegmentStatus.TRANSLATED)
    readiness = {r.language: r for r in edition_readiness(essay)}
    assert not readiness["fr"].ready and readiness["fr"].blockers[0].reason == "translated"
    essay.review_required = False
    db.session.commit()
    readiness = {r.language: r for r in edition_readiness(essay)}
    assert readiness["fr"].ready and readiness["en"].ready
    # A draft still holds it back.
    cell = _cells(db, essay, "fr")[0]
    save_segment(cell, "Un essai !", base_version=cell.version, user=admin)
    db.session.commit()
    fr = next(r for r in edition_readiness(essay) if r.language == "fr")
    assert [(b.reason, b.segments) for b in fr.blockers] == [("draft", 1)]


def test_outdated_translations_block(db: Any, essay: Any, admin: Any) -> None:
    _ready(db, essay, admin)
    assert all(r.ready for r in edition_readiness(essay))
    cell = _cells(db, essay, "en")[1]
    save_segment(
        cell, "The cat sleeps soundly.", base_version=cell.version, user=admin, confirm=True
    )
    db.session.commit()
    fr = next(r for r in edition_readiness(essay) if r.language == "fr")
    assert [(b.reason, b.segments) for b in fr.blockers] == [("outdated", 1)]
    assert fr.blockers[0].editor_filters == {"outdated": "1"}


def test_unaligned_editions_block(db: Any, import_text: Any, admin: Any) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text("# Un essai\n\nLe chat dort.\n", "fr", filename="essai.md", document="an-essay")
    document = get_document("an-essay")
    fr = next(r for r in edition_readiness(document) if r.language == "fr")
    assert "unaligned" in [b.reason for b in fr.blockers]
    unaligned = next(b for b in fr.blockers if b.reason == "unaligned")
    assert unaligned.editor_filters == {"unaligned": "1"}


def test_the_snapshot_stays_as_released_after_later_edits(db: Any, essay: Any, admin: Any) -> None:
    _ready(db, essay, admin)
    release = publish_document(essay, ["en", "fr"], admin)
    db.session.commit()
    before = release_publication(release, "fr")
    assert before.passages[1].sentences == ("Le chat dort.", "Le chien aboie.")

    cell = _cells(db, essay, "fr")[1]
    save_segment(cell, "Le chat ronfle.", base_version=cell.version, user=admin, confirm=True)
    db.session.commit()
    db.session.expire_all()
    again = get_release(essay, 1)
    assert release_publication(again, "fr") == before

    # Nothing may change a release's rows.
    again.note = "rewritten"
    with pytest.raises(RuntimeError, match="frozen"):
        db.session.flush()
    db.session.rollback()
    edition = db.session.scalars(sa.select(ReleaseEdition)).first()
    edition.cells = []
    with pytest.raises(RuntimeError, match="frozen"):
        db.session.flush()
    db.session.rollback()

    changes = changes_since_release(essay)
    assert list(changes) == ["en", "fr"] and changes["en"] == []
    [change] = changes["fr"]
    assert (change.position, change.before, change.after, change.kind) == (
        2,
        "Le chat dort.",
        "Le chat ronfle.",
        "changed",
    )
    second = publish_document(essay, ["en", "fr"], admin, override_reason="outdated? no: fr only")
    db.session.commit()
    assert second.version == 2 and changes_since_release(essay) == {"en": [], "fr": []}


@pytest.mark.parametrize(
    ("fmt", "languages"),
    [
        ("epub", ["fr"]),
        ("docx", ["fr"]),
        ("md", ["fr"]),
        ("pdf", ["fr"]),
        ("html", ["fr"]),
        ("parallel-docx", ["en", "fr"]),
    ],
)
def test_exports_of_a_release_are_the_same_bytes_every_time(
    db: Any, essay: Any, admin: Any, fmt: str, languages: list[str]
) -> None:
    _ready(db, essay, admin)
    release = publish_document(essay, ["en", "fr"], admin)
    db.session.commit()
    first = export_release(release, fmt, languages)
    # The live document changes, time passes: the release's file does not.
    cell = _cells(db, essay, "fr")[2]
    save_segment(cell, "Le chien dort aussi.", base_version=cell.version, user=admin, confirm=True)
    essay.title = "Another title"
    db.session.commit()
    db.session.expire_all()
    second = export_release(get_release(essay, 1), fmt, languages)
    assert hashlib.sha256(first.content).hexdigest() == hashlib.sha256(second.content).hexdigest()
    assert (
        first.filename
        == second.filename
        == f"an-essay.v1.{'-'.join(languages)}.{fmt.split('-')[-1]}"
    )
    if fmt in ("md", "html"):
        text = first.content.decode()
        assert "Le chien aboie." in text and "aussi" not in text
    elif fmt == "pdf":
        assert first.content.startswith(b"%PDF")
    else:
        with zipfile.ZipFile(io.BytesIO(first.content)) as archive:
            # Dates inside the file are the release's, not the moment of the export.
            moment = release.created_at.strftime("%Y-%m-%dT%H:%M")
            inside = b"".join(archive.read(name) for name in archive.namelist())
            assert moment.encode() in inside
            assert all(info.date_time[0] < 2001 for info in archive.infolist())


def test_a_release_does_not_export_interchange_formats(db: Any, essay: Any, admin: Any) -> None:
    _ready(db, essay, admin)
    release = publish_document(essay, ["en", "fr"], admin)
    with pytest.raises(InputError, match="translation work"):
        export_release(release, "xliff", ["en", "fr"])
    with pytest.raises(InputError):
        export_release(release, "epub", ["pt"])


def test_releases_outlive_a_purged_edition_and_go_with_their_document(
    db: Any, essay: Any, admin: Any
) -> None:
    _ready(db, essay, admin)
    publish_document(essay, ["en", "fr"], admin)
    db.session.commit()
    delete_edition(essay, "fr", user_id=admin.id)
    purge_edition(trashed_edition(essay, "fr"))
    db.session.commit()
    release = get_release(get_document("an-essay"), 1)
    assert release.edition("fr").edition_id is None
    assert b"Le chat dort." in export_release(release, "md", ["fr"]).content
    assert changes_since_release(get_document("an-essay")) == {"en": []}
    document = get_document("an-essay")
    delete_document(document, user_id=admin.id)
    purge_document(document)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReleaseEdition)) == 0


def test_coordinators_publishing_at_once_get_the_next_versions(
    app: Any, db: Any, essay: Any, admin: Any
) -> None:
    """Three publications at once: none fails on the version's uniqueness, each takes
    the next number (the document row is locked while the version is chosen)."""
    import threading

    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serializes whole writes)")
    document_id, admin_id = essay.id, admin.id
    errors: list[str] = []
    start = threading.Barrier(3)

    def work() -> None:
        from translator.models import Document, User

        with app.app_context():
            document = db.session.get(Document, document_id)
            user = db.session.get(User, admin_id)
            start.wait()
            try:
                publish_document(document, ["en", "fr"], user, override_reason="at once")
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                errors.append(repr(exc))
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.expire_all()
    assert [r.version for r in list_releases(essay)] == [3, 2, 1]
