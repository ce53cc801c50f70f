"""The unit list's filters on the real database: each filter keeps exactly the units it
names, a unit matching in several columns is one row, bad input names its field."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.models import Comment, Document, Edition, Segment, SegmentStatus, Unit
from translator.services.search import UnitFilter, filter_units, parse_unit_filter

EN = "One cat. Two dogs. Half is 50% off. Snake_case here. A back\\slash. Kenobi.\n"
FR = "Un chat. Deux chiens. La moitié à 50 %. Le snake. Une barre. Kenobi.\n"
EN_TEXTS = [
    "One cat.",
    "Two dogs.",
    "Half is 50% off.",
    "Snake_case here.",
    "A back\\slash.",
    "Kenobi.",
]
LANGUAGES = ["en", "fr"]


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return db.session.scalar(sa.select(Document))


def _segment(db: Any, document: Document, language: str, index: int) -> Segment:
    return db.session.scalars(
        sa.select(Segment)
        .join(Unit, Unit.id == Segment.unit_id)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Unit.document_id == document.id, Edition.language == language)
        .order_by(Unit.order_key)
    ).all()[index]


def _kept(db: Any, document: Document, f: UnitFilter) -> list[str]:
    """The English text of the units the filter keeps, in document order."""
    units = filter_units(sa.select(Unit.id), document.id, f).order_by(Unit.order_key)
    ids = list(db.session.scalars(units))
    assert len(ids) == len(set(ids)), "a unit was listed twice"
    texts = db.session.execute(
        sa.select(Segment.unit_id, Segment.text)
        .join(Edition, Edition.id == Segment.edition_id)
        .where(Segment.unit_id.in_(ids), Edition.language == "en")
    )
    by_unit = {row.unit_id: row.text for row in texts}
    return [by_unit[i] for i in ids]


def _parse(**args: str) -> UnitFilter:
    return parse_unit_filter(args, languages=LANGUAGES, low_confidence=0.5)


def test_the_fixture_pairs_one_sentence_per_unit(db: Any, document: Document) -> None:
    assert _kept(db, document, UnitFilter()) == EN_TEXTS
    assert UnitFilter().is_empty()


def test_plain_search_ignores_case_unless_asked(db: Any, document: Document) -> None:
    assert _kept(db, document, _parse(q="CAT")) == ["One cat."]
    assert _kept(db, document, _parse(q="CAT", case="1")) == []
    assert _kept(db, document, _parse(q="cat", case="1")) == ["One cat."]
    assert not _parse(q="cat").is_empty()


def test_like_wildcards_are_searched_literally(db: Any, document: Document) -> None:
    assert _kept(db, document, _parse(q="%")) == ["Half is 50% off."]
    assert _kept(db, document, _parse(q="e_c")) == ["Snake_case here."]
    assert _kept(db, document, _parse(q="k\\s")) == ["A back\\slash."]
    assert _kept(db, document, _parse(q="%", case="1")) == ["Half is 50% off."]
    assert _kept(db, document, _parse(q="e_c", case="1")) == ["Snake_case here."]


def test_regex_search_with_and_without_case(db: Any, document: Document) -> None:
    assert _kept(db, document, _parse(q="^(one|two) ", regex="1")) == ["One cat.", "Two dogs."]
    assert _kept(db, document, _parse(q="^(one|two) ", regex="1", case="1")) == []
    assert _kept(db, document, _parse(q="[0-9]+%", regex="1")) == ["Half is 50% off."]


def test_search_in_one_column_or_any(db: Any, document: Document) -> None:
    assert _kept(db, document, _parse(q="chiens")) == ["Two dogs."]
    assert _kept(db, document, _parse(q="chiens", q_language="en")) == []
    assert _kept(db, document, _parse(q="chiens", q_language="fr")) == ["Two dogs."]
    # "Kenobi" is in both columns: still one row.
    assert _kept(db, document, _parse(q="kenobi")) == ["Kenobi."]


def test_status_and_outdated_per_column(db: Any, document: Document) -> None:
    draft = _segment(db, document, "fr", 1)
    draft.status = SegmentStatus.DRAFT
    stale = _segment(db, document, "fr", 3)
    stale.outdated = True
    db.session.commit()
    assert _kept(db, document, _parse(status="draft")) == ["Two dogs."]
    assert _kept(db, document, _parse(status="draft", status_language="fr")) == ["Two dogs."]
    assert _kept(db, document, _parse(status="draft", status_language="en")) == []
    assert _kept(db, document, _parse(status="translated", status_language="en")) == EN_TEXTS
    assert _kept(db, document, _parse(outdated="1")) == ["Snake_case here."]
    assert _kept(db, document, _parse(outdated="1", status_language="en")) == []
    # Two conditions: the units with a draft and the word "dogs" somewhere.
    assert _kept(db, document, _parse(status="draft", q="dogs")) == ["Two dogs."]
    assert _kept(db, document, _parse(status="draft", q="cat")) == []


def test_open_comments_and_low_confidence(db: Any, document: Document) -> None:
    units = list(
        db.session.scalars(
            sa.select(Unit).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    db.session.add_all(
        [
            Comment(document_id=document.id, unit_id=units[0].id, body="open"),
            Comment(document_id=document.id, unit_id=units[0].id, body="open too"),
            Comment(document_id=document.id, unit_id=units[2].id, body="done", resolved=True),
        ]
    )
    units[4].confidence = 0.2
    units[5].confidence = 0.9
    db.session.commit()
    assert _kept(db, document, _parse(comments="1")) == ["One cat."]
    assert _kept(db, document, _parse(low="1")) == ["A back\\slash."]
    assert _parse(low="1").low_confidence == 0.5
    assert _kept(db, document, _parse(low="1", comments="1")) == []


def test_filter_composes_with_a_count(db: Any, document: Document) -> None:
    count = filter_units(
        sa.select(sa.func.count(Unit.id)).where(Unit.document_id == document.id),
        document.id,
        _parse(q="e"),
    )
    assert db.session.scalar(count) == 5  # every English sentence but "A back\slash."


def test_bad_parameters_name_their_field(db: Any, document: Document) -> None:
    cases = [
        ({"status": "done"}, "status"),
        ({"status": "draft", "status_language": "de"}, "status_language"),
        ({"q": "x", "q_language": "de"}, "q_language"),
        ({"q": "(unclosed", "regex": "1"}, "q"),
        ({"q": "x" * 1001}, "q"),
    ]
    for args, field in cases:
        with pytest.raises(InputError) as caught:
            parse_unit_filter(args, languages=LANGUAGES, low_confidence=0.5)
        assert caught.value.field == field, args
    # Not a regex: "(" is searched as text.
    assert _kept(db, document, _parse(q="(unclosed")) == []


def test_a_regex_only_postgresql_rejects_is_a_field_error(db: Any, document: Document) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's regex flavour")
    with pytest.raises(InputError) as caught:
        _parse(q="(?P<word>cat)", regex="1")  # Python accepts named groups, PostgreSQL not
    assert caught.value.field == "q"
    assert "regular expression" in caught.value.message
    # The check ran in a savepoint: the session is still usable.
    assert _kept(db, document, _parse(q="cat")) == ["One cat."]


@pytest.mark.parametrize(
    "pattern", [r"^(\w+\s?)*$", r"(a+)+$", r"(.*a){20}", r"(\w|\d|[a-z])*!$", r"(x+x+)+y"]
)
def test_catastrophic_patterns_filter_in_time(db: Any, document: Document, pattern: str) -> None:
    """On SQLite the filter runs RE2 (Python's re took 26 s on the sentence, hours on the
    100 KB segment); PostgreSQL's engine copes with these."""
    long_text = ("aaaa bbb a1 " * 9000)[:100_000]
    for index, text in ((1, "Nobody expects the Spanish armadas!"), (3, long_text)):
        segment = _segment(db, document, "en", index)
        db.session.execute(sa.update(Segment).where(Segment.id == segment.id).values(text=text))
    db.session.commit()
    start = time.perf_counter()
    kept = _kept(db, document, _parse(q=pattern, regex="1"))
    assert time.perf_counter() - start < 5
    assert long_text not in kept or pattern != r"(x+x+)+y"


def test_unicode_classes_and_unsupported_syntax_on_sqlite(db: Any, document: Document) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("RE2 runs the filter on SQLite")
    assert _kept(db, document, _parse(q=r"moiti\w", regex="1")) == ["Half is 50% off."]
    assert _kept(db, document, _parse(q=r"50\s%", regex="1")) == ["Half is 50% off."]
    for pattern, says in ((r"(c)\1", "backreferences"), (r"(?<=a)b", "lookbehind")):
        with pytest.raises(InputError) as caught:
            _parse(q=pattern, regex="1")
        assert caught.value.field == "q" and says in caught.value.message


def test_not_aligned_yet_per_column(db: Any, document: Document) -> None:
    """The French edition was added by position: its cells wait for an alignment until
    one is made (a release blocker's link lists them)."""
    first = _segment(db, document, "fr", 0)
    first.aligned = True
    db.session.flush()
    assert _kept(db, document, _parse(unaligned="1", status_language="fr")) == EN_TEXTS[1:]
    assert _kept(db, document, _parse(unaligned="1", status_language="en")) == []
    assert _kept(db, document, _parse(unaligned="1")) == EN_TEXTS[1:]
    assert not _parse(unaligned="1").is_empty()
