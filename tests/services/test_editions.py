"""Start a translation from the original: an empty edition that follows its units,
titled by its own title row once translated."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, InputError
from translator.models import Segment, SegmentStatus, Unit
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.publication import build_publication

EN = """# An essay

## The start

The cat sleeps.[^1] The dog barks.

> A quoted line.

- one
- two

[^1]: A note.
"""


@pytest.fixture
def essay(import_text: Any) -> Any:
    import_text(EN, "en", filename="essay.md", title="An essay")
    return get_document("an-essay")


def _cells(db: Any, document: Any, language: str) -> list[Segment]:
    edition = document.edition(language)
    return list(
        db.session.scalars(
            sa.select(Segment)
            .join(Unit, Unit.id == Segment.unit_id)
            .where(Segment.edition_id == edition.id)
            .order_by(Unit.order_key)
        )
    )


def test_the_first_import_is_the_original(essay: Any) -> None:
    assert essay.original is not None and essay.original.language == "en"


def test_a_new_translation_follows_the_original_unit_by_unit(essay: Any, db: Any) -> None:
    made = start_translation(essay, "fr")
    db.session.commit()
    english, french = _cells(db, essay, "en"), _cells(db, essay, "fr")
    assert len(french) == len(english) == made.units
    assert [c.unit_id for c in french] == [c.unit_id for c in english]
    assert all(c.text == "" and c.status == SegmentStatus.EMPTY and c.aligned for c in french)
    assert made.words_to_translate == sum(c.words for c in english) > 0
    assert made.edition.title == ""  # not the English title
    assert made.edition.structure == essay.original.structure
    structure = build_publication(essay, "fr")
    assert structure.notice is not None and len(structure.notice.untranslated) == made.units


def test_the_title_comes_from_the_translated_title_row(
    essay: Any, db: Any, create_user: Any
) -> None:
    user = create_user(is_admin=True)
    start_translation(essay, "fr")
    title, start = _cells(db, essay, "fr")[:2]
    save_segment(start, "Le début", base_version=start.version, user=user)
    assert essay.edition("fr").title == ""  # a heading, but not the title row
    save_segment(title, "Un <em>essai</em> &amp; plus", base_version=title.version, user=user)
    assert essay.edition("fr").title == "Un essai & plus"
    save_segment(title, "Autre titre", base_version=title.version, user=user)
    assert essay.edition("fr").title == "Un essai & plus"  # set once, then the editors'


def test_a_given_title_is_kept(essay: Any, db: Any) -> None:
    assert start_translation(essay, "pt", title=" Um ensaio ").edition.title == "Um ensaio"


def test_refusals_name_the_problem(essay: Any, import_text: Any, db: Any) -> None:
    start_translation(essay, "fr")
    with pytest.raises(Conflict):
        start_translation(essay, "fr")
    with pytest.raises(InputError) as bad:
        start_translation(essay, "not a language")
    assert bad.value.field == "language"
    with pytest.raises(InputError) as source:
        start_translation(essay, "de", source="it")
    assert source.value.field == "source"


def test_peers_need_a_source(essay: Any, import_text: Any, db: Any) -> None:
    import_text("# Un essai\n\nLe chat dort.\n", "fr", filename="f.md", document="an-essay")
    essay.original_edition_id = None
    db.session.flush()
    with pytest.raises(InputError) as refused:
        start_translation(essay, "pt")
    assert refused.value.field == "source"
    made = start_translation(essay, "pt", source="fr")
    assert made.original == "fr"


def test_progress_counts_words_left_in_the_original_s_words(
    essay: Any, db: Any, create_user: Any, client: Any
) -> None:
    from translator.services.progress import edition_progress

    user = create_user(is_admin=True)
    start_translation(essay, "fr")
    english = _cells(db, essay, "en")
    total = sum(c.words for c in english)
    progress = edition_progress([essay.id])
    french = progress[essay.edition("fr").id]
    assert (french.original_words, french.words_left) == (total, total)
    assert french.total_words == 0  # the empty cells have no words of their own
    assert progress[essay.edition("en").id].words_left is None  # the original itself
    cat = _cells(db, essay, "fr")[2]
    save_segment(cat, "Le chat dort.[1]", base_version=cat.version, user=user, confirm=True)
    db.session.commit()
    french = edition_progress([essay.id])[essay.edition("fr").id]
    assert french.words_left == total - english[2].words


def test_changing_the_original_rederives_the_flags(
    essay: Any, import_text: Any, db: Any, create_user: Any, client: Any, login: Any
) -> None:
    from tests.helpers import csrf_token

    user = create_user(is_admin=True)
    start_translation(essay, "fr")
    french = _cells(db, essay, "fr")[2]
    save_segment(french, "Le chat dort.[1]", base_version=french.version, user=user, confirm=True)
    english = _cells(db, essay, "en")[2]
    save_segment(english, "The cat sleeps well.[1]", base_version=english.version, user=user)
    db.session.commit()
    assert _cells(db, essay, "fr")[2].outdated  # the original changed

    login("boss@example.org", is_admin=True)
    token = csrf_token(client, "/documents/an-essay/settings")
    page = client.get("/documents/an-essay/settings").get_data(as_text=True)
    assert 'value="en" selected' in page
    response = client.post(
        "/documents/an-essay/settings",
        data={"csrf_token": token, "document-title": "An essay", "document-original": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    document = get_document("an-essay")
    assert document.original is None
    # As peers, the French is behind English still, and English is behind nothing.
    assert _cells(db, document, "fr")[2].outdated
    assert not _cells(db, document, "en")[2].outdated
    response = client.post(
        "/documents/an-essay/settings",
        data={"csrf_token": token, "document-title": "An essay", "document-original": "fr"},
    )
    db.session.expire_all()
    document = get_document("an-essay")
    assert document.original.language == "fr"
    assert not _cells(db, document, "fr")[2].outdated  # the original is never flagged
