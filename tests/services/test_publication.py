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


NUMBERED = """<html><body><h1>Steps</h1>
<ol start="3"><li>Open the box.</li><li>Read the notice.
<ol type="a"><li>The first page.</li><li>The second page.</li></ol></li></ol>
<p>Then:</p><ul><li>Rest.</li></ul>
</body></html>"""


def test_a_translation_is_numbered_as_its_original(import_text: Any, db: Any) -> None:
    from lxml import html as lxml_html

    from translator.formats.exports import ExportOptions
    from translator.formats.html_export import write_html
    from translator.services.editions import start_translation

    import_text(NUMBERED, "en", filename="steps.html", title="Steps")
    document = get_document("steps")
    start_translation(document, "fr")
    db.session.commit()
    french = document.edition("fr")
    for segment in db.session.scalars(sa.select(Segment).where(Segment.edition_id == french.id)):
        segment.text = f"fr {segment.unit_id}"
    db.session.flush()
    english = build_publication(document, "en").passages
    translated = build_publication(document, "fr").passages
    labels = [(p.level, p.label) for p in english if p.role is BlockRole.LIST_ITEM]
    assert labels == [(1, "3."), (1, "4."), (2, "a."), (2, "b."), (1, None)]
    assert [(p.level, p.label) for p in translated if p.role is BlockRole.LIST_ITEM] == labels
    page = lxml_html.fromstring(write_html(build_publication(document, "fr"), ExportOptions()))
    lists = [(ol.get("start"), ol.get("type"), len(ol.findall("li"))) for ol in page.iter("ol")]
    assert lists[:2] == [("3", None, 2), (None, "a", 2)]


CONTINUED = """<html><body><h1>Points</h1>
<ol><li><p>First point. It has two sentences.</p><p>More about the first point.</p></li>
<li>Second point.</li></ol></body></html>"""


def test_a_parallel_export_continues_an_item_over_its_units(import_text: Any, db: Any) -> None:
    """Every unit of item 1 carries its label "1.", its second paragraph none: side by
    side, the item shows "1." once, and its other rows neither a number nor a bullet."""
    from lxml import html as lxml_html

    from translator.formats.exports import ExportOptions
    from translator.formats.html_parallel import write_parallel_html
    from translator.services.editions import start_translation

    import_text(CONTINUED, "en", filename="points.html", title="Points")
    document = get_document("points")
    start_translation(document, "fr")
    french = document.edition("fr")
    for segment in db.session.scalars(sa.select(Segment).where(Segment.edition_id == french.id)):
        segment.text = f"fr {segment.unit_id}"
    db.session.flush()
    parallel = build_parallel(document, ["en", "fr"])
    items = [row for row in parallel.rows if row.role is BlockRole.LIST_ITEM]
    assert [row.label for row in items] == ["1.", "1.", None, "2."]  # as stored, per unit
    page = lxml_html.fromstring(write_parallel_html(parallel, ExportOptions()))
    shown = []
    for tr in page.xpath("//tr[contains(@class, 'list-item')]"):
        cell = tr.find("td")  # the English column
        ol = cell.find("ol")
        mark = f"{ol.get('start', '1')}." if ol is not None else ""
        mark = "•" if cell.find("ul") is not None else mark
        shown.append((mark, cell.text_content().strip()))
    assert shown == [
        ("1.", "First point."),
        ("", "It has two sentences."),
        ("", "More about the first point."),
        ("2.", "Second point."),
    ]
