"""The activity log reads the rows that already record each doing (revisions, structure
changes, assignment events, jobs, comments) as one stream: every source shows with
its person, kind and time; the filters narrow it; pages walked both ways have no gap
and no duplicate across sources, even when many rows share an instant; a person sees
only what ``activity_scope`` allows; the figures equal the kept counters."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.extensions import db as _db
from translator.models import (
    AssignmentEvent,
    AssignmentKind,
    Comment,
    Document,
    DocumentMember,
    Edition,
    Job,
    MemberRole,
    PersonDayCount,
    Revision,
    Segment,
    StructureChange,
    Unit,
    User,
)
from translator.services.activity import (
    ActivityFilter,
    activity_page,
    decode_cursor,
    parse_filter,
)
from translator.services.activity_figures import activity_figures, figures_csv, safe_cell
from translator.services.activity_sources import SOURCES, kinds
from translator.services.assignments import assign
from translator.services.comments import add_comment
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.imports import prepare_import, store_import
from translator.services.jobs import create_job
from translator.services.members import set_member
from translator.services.releases import publish_document
from translator.services.structure import merge_units
from translator.services.trash import delete_document, delete_edition
from translator.services.users import create_user

EN = "The first sentence. The second one.\n\nA third sentence here. And a fourth.\n"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass
class World:
    document: Document
    people: dict[str, User] = field(default_factory=dict)
    fr: list[int] = field(default_factory=list)  # fr segment ids in order


def _user(name: str, **kw: Any) -> User:
    return create_user(f"{name}@example.org", "correct horse", display_name=name, **kw)


def _fr_segments(document: Document) -> list[int]:
    fr = document.edition("fr")
    assert fr is not None
    return list(
        _db.session.scalars(
            sa.select(Segment.id)
            .join(Unit, Unit.id == Segment.unit_id)
            .where(Segment.edition_id == fr.id)
            .order_by(Unit.order_key)
        )
    )


def _save(segment_id: int, text: str, user: User, **kw: Any) -> None:
    segment = _db.session.get(Segment, segment_id)
    assert segment is not None
    save_segment(segment, text, base_version=segment.version, user=user, **kw)


@pytest.fixture
def world(db: Any) -> World:
    people = {
        "ana": _user("ana"),
        "ben": _user("ben"),
        "rita": _user("rita"),  # reviewer of fr
        "cleo": _user("cleo"),  # coordinator of the document
        "olga": _user("olga"),  # outsider
        "gil": _user("gil", is_coordinator=True),
        "adam": _user("adam", is_admin=True),
    }
    store_import(prepare_import(EN.encode(), "essay.txt", "en"), title="An essay")
    document = get_document("an-essay")
    start_translation(document, "fr")  # empty: each confirmation counts its words
    _db.session.flush()
    set_member(document, people["ana"], "fr", MemberRole.TRANSLATOR)
    set_member(document, people["ben"], "fr", MemberRole.TRANSLATOR)
    set_member(document, people["rita"], "fr", MemberRole.REVIEWER)
    set_member(document, people["cleo"], "", MemberRole.COORDINATOR)
    _db.session.commit()
    return World(document=document, people=people, fr=_fr_segments(document))


def _everything(world: World, viewer: Any = None, **kw: Any) -> list[Any]:
    return activity_page(ActivityFilter(**kw), viewer, limit=500).entries


def _one_of_each(world: World) -> None:
    """One row of every source, each by a different person."""
    p = world.people
    _save(world.fr[0], "Première phrase.", p["ana"], confirm=True)  # confirm
    _save(world.fr[1], "Deuxième", p["ben"])  # save (a draft)
    _save(world.fr[0], "Première phrase.", p["rita"], confirm=True)  # review
    document = world.document
    units = list(
        _db.session.scalars(
            sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    merge_units(document, units[-2], author_id=p["cleo"].id)  # merge
    assign(document, "fr", p["ben"], AssignmentKind.REVIEW, by=p["gil"])  # assignment
    create_job(
        "import",
        {"filename": "essai.txt", "language": "fr"},
        document_id=document.id,
        user_id=p["adam"].id,
    )
    add_comment(_db.session.get(Unit, units[0]), "Is this right?", user=p["ana"], language="fr")
    publish_document(document, ["en"], p["cleo"], "the print deadline")  # publication
    _db.session.commit()


def test_every_source_appears_with_its_person_kind_and_time(world: World) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    _one_of_each(world)
    entries = _everything(world)
    seen = {(e.source, e.kind, e.person) for e in entries}
    assert {
        ("revision", "confirm", "ana"),
        ("revision", "save", "ben"),
        ("revision", "review", "rita"),
        ("structure", "merge", "cleo"),
        ("assignment", "assignment", "gil"),
        ("job", "import", "adam"),
        ("comment", "comment", "ana"),
        ("publication", "publication", "cleo"),
    } <= seen
    assert {s.name for s in SOURCES} == {e.source for e in entries}
    # The import and the merge's rewritten cells are not lines of their own.
    assert all(e.kind in kinds() for e in entries)
    assert len(entries) == 8
    for entry in entries:
        assert before <= entry.at <= datetime.now(UTC)
        assert entry.document == "an-essay" and entry.title == "An essay"
    by_kind = {e.kind: e for e in entries}
    assert by_kind["confirm"].language == "fr" and by_kind["confirm"].unit_id is not None
    assert (
        by_kind["confirm"].text == "Première phrase." and by_kind["confirm"].action == "translated"
    )
    assert by_kind["review"].action == "reviewed"
    assert by_kind["merge"].language is None
    assert by_kind["assignment"].action == "created" and by_kind["assignment"].language == "fr"
    assert by_kind["import"].text == "essai.txt" and by_kind["import"].language == "fr"
    assert by_kind["comment"].text == "Is this right?"
    assert by_kind["publication"].action == "1"  # the version
    assert by_kind["publication"].text == "the print deadline"
    # Newest first, in the log's order (at, source, id).
    keys = [(e.at, e.cursor.rank, str(e.id)) for e in entries]
    assert keys == sorted(keys, reverse=True)


def test_filters_narrow_the_stream(world: World) -> None:
    _one_of_each(world)
    p = world.people
    mine = _everything(world, person_id=p["ana"].id)
    assert {e.kind for e in mine} == {"confirm", "comment"}
    fr = _everything(world, language="fr")
    assert "merge" not in {e.kind for e in fr}  # about the whole document
    assert {e.language for e in fr} == {"fr"}
    only = _everything(world, kinds=frozenset({"review", "merge"}))
    assert sorted(e.kind for e in only) == ["merge", "review"]
    store_import(prepare_import(b"Another text.", "other.txt", "en"), title="Other")
    other = get_document("other")
    _save(_fr_or_en(other), "Another text, again.", p["adam"], confirm=True)
    _db.session.commit()
    assert {e.document for e in _everything(world, document_id=other.id)} == {"other"}
    # Dates: move Ben's save to a day of its own.
    _db.session.execute(
        sa.update(Revision).where(Revision.author_id == p["ben"].id).values(created_at=T0)
    )
    _db.session.commit()
    day = _everything(world, since=T0 - timedelta(hours=9), until=T0 + timedelta(hours=15))
    assert [(e.person, e.kind, e.at) for e in day] == [("ben", "save", T0)]
    assert all(e.at != T0 for e in _everything(world, since=T0 + timedelta(days=1)))


def _fr_or_en(document: Document) -> int:
    return _db.session.scalar(
        sa.select(Segment.id).join(Edition).where(Edition.document_id == document.id).limit(1)
    )


def test_parse_filter_names_the_field_of_bad_input(world: World) -> None:
    p = world.people
    parsed = parse_filter(
        {"document": "an-essay", "person": "ana@example.org", "from": "2026-11-02", "to": ""},
        p["cleo"],
    )
    assert parsed.document_id == world.document.id and parsed.person_id == p["ana"].id
    assert parsed.since == T0.replace(hour=0) and parsed.until is None
    assert parse_filter({"person": "Ben"}, None).person_id == p["ben"].id  # a name
    for args, name in (
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "to"),
        ({"person": "nobody@example.org"}, "person"),
        ({"document": "no-such"}, "document"),
        ({"kind": "save,dance"}, "kind"),
        ({"language": "f r"}, "language"),
    ):
        with pytest.raises(InputError) as caught:
            parse_filter(args, p["cleo"])
        assert caught.value.field == name, args
    # A document the viewer may not see is unknown to them (not a hint it exists).
    with pytest.raises(InputError) as caught:
        parse_filter({"document": "an-essay"}, p["olga"])
    assert caught.value.field == "document"
    for bad in ("x", "1.2", "12.9.abc", "12.99.1", "99999999999999999999999.1.1"):
        with pytest.raises(InputError):
            decode_cursor(bad)


def _spread(world: World, rows: int) -> None:
    """Many rows of every source, half of them at the very same instant."""
    p = world.people
    units = list(_db.session.scalars(sa.select(Unit).where(Unit.document_id == world.document.id)))
    for i in range(rows):
        _save(world.fr[i % len(world.fr)], f"Texte {i}.", p["ana"], confirm=i % 2 == 0)
        add_comment(units[i % len(units)], f"Note {i}", user=p["ben"])
        create_job("export", {"format": "txt"}, document_id=world.document.id, user_id=p["rita"].id)
        if i % 5 == 0:
            assign(world.document, "fr", p["ben"], AssignmentKind.TRANSLATE, by=p["cleo"])
    _db.session.flush()
    for model in (Revision, Comment, Job, AssignmentEvent, StructureChange):
        ids = list(_db.session.scalars(sa.select(model.id)))
        same = ids[::2]
        _db.session.execute(sa.update(model).where(model.id.in_(same)).values(created_at=T0))
    _db.session.commit()


@pytest.mark.parametrize("limit", [7, 20])
def test_pages_walked_both_ways_have_no_gap_and_no_duplicate(world: World, limit: int) -> None:
    _spread(world, 30)
    everything = _everything(world)
    assert len(everything) > 4 * limit
    expected = [(e.source, e.id) for e in everything]
    flt = ActivityFilter()
    walked, pages = [], []
    page = activity_page(flt, None, limit=limit)
    assert page.newer is None
    while True:
        pages.append(page)
        walked += [(e.source, e.id) for e in page.entries]
        if page.older is None:
            break
        page = activity_page(flt, None, after=decode_cursor(page.older), limit=limit)
    assert walked == expected
    assert all(len(p.entries) == limit for p in pages[:-1])
    # And back, newer and newer, from the last page: the same pages.
    back = pages[-1]
    newer = []
    while back.newer is not None:
        back = activity_page(flt, None, before=decode_cursor(back.newer), limit=limit)
        newer = [(e.source, e.id) for e in back.entries] + newer
    assert newer + [(e.source, e.id) for e in pages[-1].entries] == expected


def test_a_person_sees_only_what_they_may(world: World) -> None:
    _one_of_each(world)
    p = world.people
    assert _everything(world, p["olga"]) == []  # an outsider: nothing of the document
    assert {(e.person, e.kind) for e in _everything(world, p["ana"])} == {
        ("ana", "confirm"),
        ("ana", "comment"),
    }  # a translator: their own doings
    everything = _everything(world)
    for viewer in ("cleo", "gil", "adam"):  # coordinators and administrators: all
        assert len(_everything(world, p[viewer])) == len(everything), viewer
    # A translator's own work in a document they no longer see is gone from their log.
    _db.session.execute(sa.delete(DocumentMember).where(DocumentMember.user_id == p["ana"].id))
    _db.session.commit()
    assert _everything(world, p["ana"]) == []
    assert activity_figures(date(2000, 1, 1), date(2100, 1, 1), ActivityFilter(), p["ana"]) == []


def test_figures_equal_the_counters_for_a_range(world: World) -> None:
    p = world.people
    _save(world.fr[0], "Première phrase, enfin.", p["ana"], confirm=True)
    _save(world.fr[1], "La deuxième.", p["ana"], confirm=True)
    _save(world.fr[2], "Une troisième", p["ben"])  # a draft: no words, one segment
    _save(world.fr[0], "Première phrase, enfin.", p["rita"], confirm=True)
    _db.session.commit()
    day = datetime.now(UTC).date()
    # Work of another day, outside the range asked.
    _db.session.add(
        PersonDayCount(
            user_id=p["ana"].id,
            edition_id=world.document.edition("fr").id,  # type: ignore[union-attr]
            day=day - timedelta(days=40),
            words_translated=1000,
            words_reviewed=0,
        )
    )
    _db.session.commit()
    rows = activity_figures(day - timedelta(days=7), day, ActivityFilter(), None)
    counted = {
        (user_id, translated, reviewed)
        for user_id, translated, reviewed in _db.session.execute(
            sa.select(
                PersonDayCount.user_id,
                sa.func.sum(PersonDayCount.words_translated),
                sa.func.sum(PersonDayCount.words_reviewed),
            )
            .where(PersonDayCount.day >= day - timedelta(days=7))
            .group_by(PersonDayCount.user_id)
        )
    }
    assert {
        (r.person_id, r.words_translated, r.words_reviewed)
        for r in rows
        if any((r.words_translated, r.words_reviewed))
    } == counted
    by_person = {r.person: r for r in rows}
    assert by_person["ana"].words_translated == 5 and by_person["ana"].segments_saved == 2
    assert by_person["rita"].words_reviewed == 3 and by_person["rita"].segments_saved == 1
    assert by_person["ben"].words_translated == 0 and by_person["ben"].segments_saved == 1
    assert {r.document for r in rows} == {"an-essay"} and {r.language for r in rows} == {"fr"}
    old = activity_figures(
        day - timedelta(days=40), day - timedelta(days=40), ActivityFilter(), None
    )
    assert [(r.person, r.words_translated, r.segments_saved) for r in old] == [("ana", 1000, 0)]
    only_ana = activity_figures(day, day, ActivityFilter(person_id=p["ana"].id), None)
    assert [r.person for r in only_ana] == ["ana"]
    # Seen by ana herself: her own line only; by the coordinator: all of them.
    assert [r.person for r in activity_figures(day, day, ActivityFilter(), p["ana"])] == ["ana"]
    assert len(activity_figures(day, day, ActivityFilter(), p["cleo"])) == 3


def test_csv_cells_cannot_run_as_formulas(world: World) -> None:
    p = world.people
    p["ana"].display_name = '=HYPERLINK("http://evil.example","pay me")'
    _save(world.fr[0], "Première phrase.", p["ana"], confirm=True)
    _db.session.commit()
    day = datetime.now(UTC).date()
    text = figures_csv(activity_figures(day, day, ActivityFilter(), None))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "person",
        "email",
        "document",
        "title",
        "language",
        "words_translated",
        "words_reviewed",
        "segments_saved",
    ]
    assert rows[1][0] == "'" + p["ana"].display_name and rows[1][5] == "2"
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("Ana") == "Ana" and safe_cell(-3) == -3


def test_what_is_in_the_trash_leaves_the_log(world: World) -> None:
    _one_of_each(world)
    p = world.people
    delete_edition(world.document, "fr", user_id=p["adam"].id)
    _db.session.commit()
    left = _everything(world)
    # What was written in French goes with the edition; what is about the document stays
    # (a comment belongs to its row, seen from every language).
    assert {e.kind for e in left} == {"merge", "import", "comment", "publication"}
    delete_document(world.document, user_id=p["adam"].id)
    _db.session.commit()
    assert _everything(world) == []
    day = datetime.now(UTC).date()
    assert activity_figures(day, day, ActivityFilter(), None) == []
