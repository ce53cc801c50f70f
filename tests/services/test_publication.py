"""What an export is given: passages per edition from the units, the notice of what
is unfinished, metadata, typography per edition setting, parallel rows."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.formats.base import BlockRole
from translator.models import Segment, SegmentStatus
from translator.services.documents import get_document, update_document, update_edition
from translator.services.editing import save_segment
from translator.services.publication import build_parallel, build_publication

EN = """# An essay

## The start

The cat sleeps.[^1] The dog barks.

> A quoted line.

- one
- two

[^1]: A note.
"""

FR = """# Un essai

## Le début

Le chat dort.[^1] Le chien aboie.

> Une ligne citée.

- un
- deux

[^1]: Une note.
"""


@pytest.fixture
def essay(import_text: Any, create_user: Any) -> Any:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text(FR, "fr", filename="essai.md", document="an-essay")
    return get_document("an-essay")


def _segment(document: Any, language: str, text: str) -> Segment:
    edition = document.edition(language)
    from translator.extensions import db

    return db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == edition.id, Segment.text == text)
    ).one()


def test_passages_follow_the_structure_with_footnotes_last(essay: Any) -> None:
    publication = build_publication(essay, "en")
    roles = [p.role for p in publication.passages]
    assert roles == [
        BlockRole.HEADING,
        BlockRole.HEADING,
        BlockRole.PARAGRAPH,
        BlockRole.QUOTE,
        BlockRole.LIST_ITEM,
        BlockRole.LIST_ITEM,
        BlockRole.FOOTNOTE,
    ]
    assert publication.passages[2].sentences == ("The cat sleeps.[1]", "The dog barks.")
    assert publication.passages[-1].label == "1"
    assert publication.info.language == "en"
    assert publication.info.identifier.startswith("urn:uuid:")


def test_an_unfinished_edition_lists_its_empty_draft_and_outdated_cells(
    essay: Any, create_user: Any, db: Any
) -> None:
    user = create_user(is_admin=True)
    assert build_publication(essay, "fr").notice is None  # everything imported has text
    dog = _segment(essay, "fr", "Le chien aboie.")
    save_segment(dog, "", base_version=dog.version, user=user)
    item = _segment(essay, "fr", "un")
    item.status = SegmentStatus.DRAFT
    _segment(essay, "fr", "Le chat dort.[1]").outdated = True
    db.session.flush()
    notice = build_publication(essay, "fr").notice
    assert notice is not None
    assert len(notice.untranslated) == 1 and len(notice.drafts) == 1
    assert len(notice.outdated) == 1
    assert notice.untranslated[0] == notice.outdated[0] + 1  # rows numbered in order
    passage = build_publication(essay, "fr").passages[2]
    assert passage.sentences == ("Le chat dort.[1]",)  # the emptied cell is left out


def test_the_same_edition_gives_the_same_identifier_and_metadata(essay: Any, db: Any) -> None:
    update_document(essay, title="An essay", author="Ada Author; Bo Writer", notes="")
    update_edition(essay.edition("fr"), title="Un essai", credits="Traduit par le collectif.")
    first = build_publication(essay, "fr").info
    assert first == build_publication(essay, "fr").info
    assert first.title == "Un essai" and first.credits == "Traduit par le collectif."
    assert [p.name for p in first.people if p.role == "aut"] == ["Ada Author", "Bo Writer"]
    assert first.identifier != build_publication(essay, "en").info.identifier


def test_typography_follows_the_edition_setting(
    import_text: Any, create_user: Any, db: Any
) -> None:
    import_text('Il a dit : "oui" ; puis ?', "fr", title="Dit")
    document = get_document("dit")
    typeset = build_publication(document, "fr").passages[0].sentences[0]
    assert "«\u00a0oui\u00a0»" in typeset and "\u202f;" in typeset
    update_edition(document.edition("fr"), title="", credits="", typography=False)
    plain = build_publication(document, "fr").passages[0].sentences[0]
    assert plain == 'Il a dit : "oui" ; puis ?'
    assert _segment(document, "fr", plain).text == plain  # never stored


def test_parallel_rows_one_per_unit(essay: Any) -> None:
    parallel = build_parallel(essay, ["en", "fr"])
    assert [info.language for info in parallel.infos] == ["en", "fr"]
    assert parallel.rows[2].cells == ("The cat sleeps.[1]", "Le chat dort.[1]")
    assert parallel.notices == (None, None)
    with pytest.raises(InputError):
        build_parallel(essay, ["en"])
    with pytest.raises(InputError):
        build_parallel(essay, ["en", "de"])
