"""Assignments: a range of an edition given to a person, split by equal words at
paragraph boundaries, kept on its text through merges, and counted in the original's
words (left to translate, left to review)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.models import (
    AssignmentAction,
    AssignmentKind,
    AssignmentState,
    Document,
    MemberRole,
    Segment,
    Unit,
    User,
)
from translator.services.assignment_figures import assignment_figures
from translator.services.assignments import (
    assign,
    assignment_events,
    close_assignment,
    paragraph_words,
    parse_units,
    split_edition,
    split_points,
    units_at,
    update_assignment,
)
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.members import membership_role
from translator.services.structure import merge_units

# The opening of the Communist Manifesto (public domain): paragraphs of very unequal
# lengths, several sentences (units) each.
MANIFESTO = """# Manifesto of the Communist Party

A spectre is haunting Europe — the spectre of communism. All the powers of old Europe \
have entered into a holy alliance to exorcise this spectre: Pope and Tsar, Metternich \
and Guizot, French Radicals and German police-spies.

Where is the party in opposition that has not been decried as communistic by its \
opponents in power? Where is the opposition that has not hurled back the branding \
reproach of communism, against the more advanced opposition parties, as well as \
against its reactionary adversaries?

Two things result from this fact.

Communism is already acknowledged by all European powers to be itself a power. It is \
high time that Communists should openly, in the face of the whole world, publish their \
views, their aims, their tendencies, and meet this nursery tale of the Spectre of \
Communism with a manifesto of the party itself.

To this end, Communists of various nationalities have assembled in London and sketched \
the following manifesto, to be published in the English, French, German, Italian, \
Flemish and Danish languages.

## I. Bourgeois and Proletarians

The history of all hitherto existing society is the history of class struggles.

Freeman and slave, patrician and plebeian, lord and serf, guild-master and journeyman, \
in a word, oppressor and oppressed, stood in constant opposition to one another. They \
carried on an uninterrupted, now hidden, now open fight. It was a fight that each time \
ended, either in a revolutionary reconstitution of society at large, or in the common \
ruin of the contending classes.
"""


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    summary = import_text(MANIFESTO, "en", filename="manifesto.md")
    document: Document = db.session.scalar(sa.select(Document))
    start_translation(document, "fr")
    db.session.commit()
    assert summary.document == document.slug
    return document


@pytest.fixture
def people(create_user: Any) -> dict[str, User]:
    return {name: create_user(f"{name}@example.org") for name in ("ana", "ben", "coordinator")}


def _units(document: Document) -> list[Unit]:
    from translator.extensions import db

    query = sa.select(Unit).where(Unit.document_id == document.id).order_by(Unit.order_key)
    return list(db.session.scalars(query))


def _fr(db: Any, document: Document, unit_id: int) -> Segment:
    edition = document.edition("fr")
    assert edition is not None
    segment: Segment = db.session.scalar(
        sa.select(Segment).where(Segment.unit_id == unit_id, Segment.edition_id == edition.id)
    )
    return segment


def test_split_points_cut_at_the_paragraph_end_nearest_each_share() -> None:
    assert split_points([10, 10, 10, 10], 2) == [2, 4]
    assert split_points([30, 5, 5, 5, 5, 10], 2) == [1, 6]  # 30 | 30
    assert split_points([8, 8, 8, 30], 2) == [3, 4]  # 24 | 30 beats 16 | 38
    assert split_points([5, 100, 5], 3) == [1, 2, 3]  # every part gets a paragraph
    with pytest.raises(InputError) as err:
        split_points([5, 5], 3)
    assert err.value.field == "among"


def test_split_an_imported_edition_by_equal_words_at_paragraph_boundaries(
    db: Any, document: Document, people: dict[str, User]
) -> None:
    paragraphs = paragraph_words(document)
    total = sum(w for _, _, w in paragraphs)
    assert len(paragraphs) == 9 and total > 200
    made = split_edition(
        document,
        "fr",
        [people["ana"], people["ben"]],
        AssignmentKind.TRANSLATE,
        due=date(2027, 1, 15),
        by=people["coordinator"],
    )
    db.session.commit()
    units = _units(document)
    figures = assignment_figures([a.id for a in made])
    first, second = (figures[a.id] for a in made)
    # Contiguous, covering every unit once, cut between two paragraphs.
    assert first.first_position == 1 and second.last_position == len(units)
    assert second.first_position == first.last_position + 1
    cut = units[first.last_position - 1], units[second.first_position - 1]
    assert cut[0].paragraph_key != cut[1].paragraph_key
    assert first.words + second.words == total
    # As equal as whole paragraphs allow: no other cut is nearer half.
    best = min(
        abs(sum(w for _, _, w in paragraphs[:i]) * 2 - total) for i in range(1, len(paragraphs))
    )
    assert abs(first.words - second.words) == best
    # Nothing is translated yet: all words are left.
    assert first.words_left == first.words and second.words_left == second.words
    assert first.first_to_do == units[0].id
    assert {m.due for m in made} == {date(2027, 1, 15)}
    # The assignees became translators of French.
    assert membership_role(people["ana"], document.id, "fr") is MemberRole.TRANSLATOR


def test_words_left_counts_the_originals_words_of_what_is_not_done(
    db: Any, document: Document, people: dict[str, User]
) -> None:
    units = _units(document)
    first, last = units_at(document, 2, 4)
    assert (first, last) == (units[1].id, units[3].id)
    translate = assign(
        document,
        "fr",
        people["ana"],
        AssignmentKind.TRANSLATE,
        first_unit_id=first,
        last_unit_id=last,
    )
    review = assign(
        document, "fr", people["ben"], AssignmentKind.REVIEW, first_unit_id=first, last_unit_id=last
    )
    db.session.commit()
    english = document.edition("en")
    assert english is not None
    words = {
        s.unit_id: s.words
        for s in db.session.scalars(sa.select(Segment).where(Segment.edition_id == english.id))
    }
    in_range = [u.id for u in units[1:4]]
    before = assignment_figures([translate.id, review.id])
    assert before[translate.id].words == sum(words[u] for u in in_range)
    assert before[translate.id].units == 3
    done = _fr(db, document, in_range[0])
    save_segment(
        done,
        "Un spectre hante l'Europe.",
        base_version=done.version,
        user=people["ana"],
        confirm=True,
    )
    db.session.commit()
    after = assignment_figures([translate.id, review.id])
    assert after[translate.id].words_left == before[translate.id].words - words[in_range[0]]
    assert after[translate.id].first_to_do == in_range[1]
    # Translated is not reviewed: the review still has every word left.
    assert after[review.id].words_left == before[review.id].words
    assert after[review.id].first_to_do == in_range[0]
    # A review made the reviewer a reviewer of French.
    assert membership_role(people["ben"], document.id, "fr") is MemberRole.REVIEWER


def test_a_range_survives_a_merge_of_its_boundary_unit(
    db: Any, document: Document, people: dict[str, User]
) -> None:
    units = _units(document)
    assignment = assign(
        document,
        "fr",
        people["ana"],
        AssignmentKind.TRANSLATE,
        first_unit_id=units[2].id,
        last_unit_id=units[4].id,
    )
    db.session.commit()
    words_before = assignment_figures([assignment.id])[assignment.id].words
    # Merge the first unit of the range into the unit before it: the range now starts at
    # the merged unit, which holds its text; merge the last one with the next one too.
    merge_units(document, units[1].id, author_id=people["coordinator"].id)
    db.session.commit()
    merge_units(document, units[4].id, author_id=people["coordinator"].id)
    db.session.commit()
    db.session.expire_all()
    remaining = {u.id for u in _units(document)}
    assert assignment.first_unit_id in remaining and assignment.last_unit_id in remaining
    figures = assignment_figures([assignment.id])[assignment.id]
    assert figures.units == 3 and figures.words > words_before  # the merged text is in


def test_reassign_change_and_close_are_logged(
    db: Any, document: Document, people: dict[str, User]
) -> None:
    boss = people["coordinator"]
    assignment = assign(document, "fr", people["ana"], AssignmentKind.TRANSLATE, by=boss)
    update_assignment(assignment, user=people["ben"], due=date(2027, 2, 1), note="fast", by=boss)
    close_assignment(assignment, by=boss)
    close_assignment(assignment, by=boss)  # twice: once in the log
    db.session.commit()
    assert assignment.user_id == people["ben"].id
    assert assignment.state is AssignmentState.CLOSED
    events = assignment_events([assignment.id])[assignment.id]
    assert [e.action for e in events] == [
        AssignmentAction.CREATED,
        AssignmentAction.REASSIGNED,
        AssignmentAction.DUE_CHANGED,
        AssignmentAction.NOTE_CHANGED,
        AssignmentAction.CLOSED,
    ]
    assert events[1].detail == "ana@example.org → ben@example.org"
    assert all(e.actor_id == boss.id for e in events)
    assert membership_role(people["ben"], document.id, "fr") is MemberRole.TRANSLATOR


def test_bad_input_names_the_field(db: Any, document: Document, people: dict[str, User]) -> None:
    units = _units(document)
    cases = [
        (lambda: parse_units("3-1"), "units"),
        (lambda: parse_units("a-b"), "units"),
        (lambda: units_at(document, 1, 999), "units"),
        (lambda: assign(document, "de", people["ana"], AssignmentKind.TRANSLATE), "language"),
        (
            lambda: assign(
                document,
                "fr",
                people["ana"],
                AssignmentKind.TRANSLATE,
                first_unit_id=units[3].id,
                last_unit_id=units[1].id,
            ),
            "units",
        ),
        (
            lambda: assign(
                document, "fr", people["ana"], AssignmentKind.TRANSLATE, first_unit_id=10**9
            ),
            "first_unit",
        ),
        (lambda: split_edition(document, "fr", [], AssignmentKind.TRANSLATE), "among"),
    ]
    for call, field in cases:
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == field


def test_a_forced_realignment_keeps_the_range_on_its_text(
    db: Any, import_text: Any, people: dict[str, User]
) -> None:
    from tests.services.test_alignment import EN, FR
    from translator.services.alignment import align_document

    first = import_text(EN, "en", filename="essay.md")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    document = db.session.scalar(sa.select(Document).where(Document.slug == first.document))
    units = _units(document)
    start = next(u for u in units if _fr(db, document, u.id).text.startswith("Un deuxième"))
    end = next(u for u in units if _fr(db, document, u.id).text.startswith("Le dernier"))
    assignment = assign(
        document,
        "fr",
        people["ana"],
        AssignmentKind.REVIEW,
        first_unit_id=start.id,
        last_unit_id=end.id,
    )
    db.session.commit()
    start_id, end_id = start.id, end.id
    align_document(document, pivot="en", force=True)
    db.session.commit()
    db.session.expire_all()
    # The realignment rebuilt at least one of the rows the range ends on (it keeps only
    # rows it leaves exactly as they were): the range had to follow its text to a new unit.
    assert not {start_id, end_id} <= {u.id for u in _units(document)}
    begins = _fr(db, document, assignment.first_unit_id).text
    ends = _fr(db, document, assignment.last_unit_id).text
    assert begins.startswith("Un deuxième") and ends.startswith("Le dernier")


def test_figures_of_many_assignments_across_documents_in_a_fixed_number_of_queries(
    db: Any, document: Document, import_text: Any, people: dict[str, User]
) -> None:
    # A second document imported from the same text: its units have the same order keys,
    # so a unit found by its key must be looked for in its own document.
    other_slug = import_text(MANIFESTO, "en", filename="again.md").document
    other: Document = db.session.scalar(sa.select(Document).where(Document.slug == other_slug))
    start_translation(other, "fr")
    ours, theirs = _units(document), _units(other)
    assert [u.order_key for u in ours] == [u.order_key for u in theirs]
    made = [
        assign(document, "fr", people["ana"], AssignmentKind.TRANSLATE),
        assign(
            other,
            "fr",
            people["ana"],
            AssignmentKind.TRANSLATE,
            first_unit_id=theirs[2].id,
            last_unit_id=theirs[4].id,
        ),
        assign(other, "fr", people["ben"], AssignmentKind.REVIEW),
    ]
    done = _fr(db, other, theirs[2].id)  # ana may save it now that she has the work
    save_segment(done, "Deux choses.", base_version=done.version, user=people["ana"], confirm=True)
    db.session.commit()
    ids = [a.id for a in made]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        one = assignment_figures(ids[:1])
        asked = len(statements)
        statements.clear()
        figures = assignment_figures(ids)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == asked
    assert one[ids[0]] == figures[ids[0]]
    whole, ranged, review = (figures[i] for i in ids)
    assert (whole.first_position, whole.last_position, whole.units) == (1, len(ours), len(ours))
    assert whole.first_to_do == ours[0].id
    assert (ranged.first_position, ranged.last_position, ranged.units) == (3, 5, 3)
    # Its first unit is translated: the first to do is the next one, in its document.
    assert ranged.first_to_do == theirs[3].id
    assert review.first_to_do == theirs[0].id
    assert review.words == whole.words
