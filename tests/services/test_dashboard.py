"""The dashboard's figures against the real database (PostgreSQL, and SQLite on its
own): velocity, forecast, overdue and at-risk order, the review phase, the daily
snapshots of the burndown, people's throughput, and who sees which documents. The
counters are written by real saves (today, UTC); the dates are controlled by asking
the figures for other days (``today=``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.conftest import dispose_engines, make_app
from translator.extensions import db as _db
from translator.models import (
    AssignmentKind,
    Document,
    EditionDay,
    MemberRole,
    Segment,
    SegmentStatus,
    Unit,
    User,
)
from translator.services.assignments import assign
from translator.services.dashboard import (
    FORECAST_HORIZON_DAYS,
    edition_row,
    edition_rows,
    forecast_day,
    utc_today,
)
from translator.services.dashboard_history import (
    burndown,
    record_edition_days,
    record_edition_days_once,
    throughput,
)
from translator.services.dashboard_page import Totals, page_rows, ranked_editions
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.imports import prepare_import, store_import
from translator.services.members import set_member
from translator.services.progress import edition_progress, editions_progress
from translator.services.rights import managed_documents
from translator.services.trash import delete_document, delete_edition
from translator.services.users import create_user

# Four paragraphs of five words each: 20 words of the original.
TEXT = (
    "One two three four five.\n\nSix seven eight nine ten.\n\n"
    "Eleven twelve thirteen fourteen fifteen.\n\nSixteen seventeen eighteen nineteen twenty.\n"
)
FIVE = "Un deux trois quatre cinq."  # five words in French too


@pytest.fixture(params=["default", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The test database (PostgreSQL where there is one), and SQLite on its own."""
    if request.param == "default":
        yield request.getfixturevalue("db")
        return
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'dashboard.sqlite3'}")
    with app.app_context():
        upgrade()
        yield _db
    dispose_engines(app)


def _document(title: str) -> Document:
    """An English original of 20 words and an empty French translation."""
    summary = store_import(prepare_import(TEXT.encode(), "text.txt", "en"), title=title)
    document = get_document(summary.document)
    start_translation(document, "fr")
    _db.session.commit()
    return document


def _cells(document: Document, language: str) -> list[Segment]:
    edition = document.edition(language)
    assert edition is not None
    return list(
        _db.session.scalars(
            sa.select(Segment)
            .join(Unit, Unit.id == Segment.unit_id)
            .where(Segment.edition_id == edition.id)
            .order_by(Unit.order_key)
        )
    )


def _translate(document: Document, user: User, count: int, *, review: bool = False) -> None:
    """Confirm the first ``count`` French cells (as reviewed with ``review``)."""
    set_member(document, user, "fr", MemberRole.REVIEWER if review else MemberRole.TRANSLATOR)
    for segment in _cells(document, "fr")[:count]:
        save_segment(
            segment,
            FIVE,
            base_version=segment.version,
            user=user,
            confirm=not review,
            status=SegmentStatus.REVIEWED if review else None,
        )
    _db.session.commit()


def _user(email: str, **kw: Any) -> User:
    user = create_user(email, "correct horse", **kw)
    _db.session.commit()
    return user


def _fr(rows: list[Any]) -> list[Any]:
    return [r for r in rows if r.language == "fr"]


def test_velocity_forecast_and_the_order_of_rows(database: Any) -> None:
    today = utc_today()
    ana = _user("ana@example.org", display_name="Ana")
    ben = _user("ben@example.org", display_name="Ben")
    steady, stalled, late = (_document(t) for t in ("Steady", "Stalled", "Late"))
    _document("Nobody's")
    _translate(steady, ana, 2)  # 10 words today
    assign(steady, "fr", ana, AssignmentKind.TRANSLATE, due=today + timedelta(days=10))
    assign(stalled, "fr", ben, AssignmentKind.TRANSLATE, due=today + timedelta(days=3))
    assign(late, "fr", ben, AssignmentKind.TRANSLATE, due=today - timedelta(days=1))
    _db.session.commit()

    rows = edition_rows(sa.true(), today=today)
    fr = _fr(rows)
    assert [r.title for r in fr] == ["Late", "Stalled", "Steady", "Nobody's"]
    late_row, stalled_row, steady_row, nobody = fr
    assert late_row.overdue and not late_row.at_risk
    assert stalled_row.at_risk and not stalled_row.overdue  # 20 words left, nobody at work
    assert stalled_row.velocity == 0 and stalled_row.forecast is None
    assert steady_row.words_left == 10 and steady_row.words_to_review == 20
    assert steady_row.velocity == pytest.approx(10 / 7)
    assert steady_row.forecast == today + timedelta(days=7)  # ceil(10 / (10/7))
    assert not steady_row.at_risk and not steady_row.overdue  # due in 10 days
    assert [a.name for a in steady_row.assignees] == ["Ana"]
    assert nobody.due is None and not nobody.assignees
    # The rows with work and a date come before those without, whatever the language.
    assert rows[:3] == fr[:3]

    # A week later, nobody having worked since: no velocity, so no forecast; at risk.
    later = edition_row(steady, "fr", today=today + timedelta(days=8))
    assert later is not None
    assert later.velocity == 0 and later.forecast is None and later.at_risk
    # Past the due date: overdue.
    past = edition_row(steady, "fr", today=today + timedelta(days=11))
    assert past is not None and past.overdue and not past.at_risk
    # Due later than the forecast, but the forecast itself is past the due date: at risk.
    assign(steady, "fr", ana, AssignmentKind.TRANSLATE, due=today + timedelta(days=2))
    _db.session.commit()
    tight = edition_row(steady, "fr", today=today)
    assert tight is not None and tight.due == today + timedelta(days=2) and tight.at_risk


def test_the_review_phase_counts_reviewed_words(database: Any) -> None:
    today = utc_today()
    ana = _user("ana@example.org")
    rui = _user("rui@example.org")
    document = _document("Reviewed")
    _translate(document, ana, 4)
    assign(document, "fr", ana, AssignmentKind.TRANSLATE, due=today + timedelta(days=1))
    assign(document, "fr", rui, AssignmentKind.REVIEW, due=today + timedelta(days=30))
    _db.session.commit()
    row = edition_row(document, "fr", today=today)
    assert row is not None and row.phase == "review"
    assert row.words_left == 20 and row.velocity == 0
    assert row.due == today + timedelta(days=30)  # the review's date, in the review phase
    _translate(document, rui, 2, review=True)
    row = edition_row(document, "fr", today=today)
    assert row is not None and row.words_left == 10
    assert row.velocity == pytest.approx(10 / 7)
    assert row.forecast == today + timedelta(days=7) and not row.at_risk
    _translate(document, rui, 4, review=True)
    row = edition_row(document, "fr", today=today)
    assert row is not None and row.phase == "done" and row.ready
    assert row.words_left == 0 and row.forecast is None and not row.at_risk
    rows = edition_rows(sa.true(), today=today)
    assert rows[-1].language == "fr"  # ready editions last


def test_snapshots_are_upserted_once_a_day_and_make_the_burndown(database: Any) -> None:
    today = utc_today()
    ana = _user("ana@example.org")
    document = _document("Burning")
    record_edition_days(today - timedelta(days=2))  # as the housekeeping did then
    assert record_edition_days_once(today) is True
    assert record_edition_days_once(today) is False
    record_edition_days(today)  # again: the same rows, the same values
    snapshot = sa.select(EditionDay.edition_id, EditionDay.day, EditionDay.words_to_translate)
    first = sorted(_db.session.execute(snapshot.where(EditionDay.day == today)).all())
    assert len(first) == 2 and sorted(r[2] for r in first) == [0, 20]
    _translate(document, ana, 3)
    record_edition_days(today)
    again = sorted(_db.session.execute(snapshot.where(EditionDay.day == today)).all())
    assert len(again) == 2 and sorted(r[2] for r in again) == [0, 5]
    row = edition_row(document, "fr", today=today)
    assert row is not None
    points = burndown(row, today=today)
    assert [p.day for p in points] == [today - timedelta(days=i) for i in (2, 1, 0)]
    assert [p.to_translate for p in points] == [20, None, 5]
    assert [p.to_review for p in points] == [20, None, 20]


def test_throughput_per_person(database: Any) -> None:
    today = utc_today()
    ana = _user("ana@example.org", display_name="Ana")
    ben = _user("ben@example.org", display_name="Ben")
    first, second = _document("First"), _document("Second")
    _translate(first, ana, 1)
    _translate(second, ben, 3)
    people = throughput(sa.true(), today=today)
    assert [(p.name, p.translated, p.reviewed) for p in people] == [
        ("Ben", 15, 0),
        ("Ana", 5, 0),
    ]
    assert people[0].days == {today: (15, 0)}
    assert throughput(Document.id == first.id, today=today)[0].name == "Ana"
    assert throughput(sa.true(), today=today + timedelta(days=30)) == []


def test_each_coordinator_sees_the_documents_they_manage(database: Any) -> None:
    cleo = _user("cleo@example.org")
    boss = _user("boss@example.org", is_coordinator=True)
    mine, other = _document("Mine"), _document("Other")
    set_member(mine, cleo, "", MemberRole.COORDINATOR)
    set_member(other, cleo, "fr", MemberRole.TRANSLATOR)  # not managing it
    _db.session.commit()
    assert {r.title for r in edition_rows(managed_documents(cleo))} == {"Mine"}
    assert {r.title for r in edition_rows(managed_documents(boss))} == {"Mine", "Other"}
    assert edition_rows(managed_documents(_user("nobody@example.org"))) == []


def test_a_reviewer_confirming_empty_cells_moves_the_translation_on(database: Any) -> None:
    today = utc_today()
    rui = _user("rui@example.org")
    document = _document("Straight to reviewed")
    _translate(document, rui, 2, review=True)  # empty → reviewed, never "translated"
    row = edition_row(document, "fr", today=today)
    assert row is not None and row.phase == "translate" and row.words_left == 10
    assert row.velocity == pytest.approx(10 / 7)
    assert row.forecast == today + timedelta(days=7)


def test_editions_progress_gives_what_edition_progress_gives(database: Any) -> None:
    """The dashboard's one-row-per-edition sum of the counters and the per-document
    reading agree on every figure, readiness and blockers included."""
    ana = _user("ana@example.org")
    rui = _user("rui@example.org")
    first, second = _document("First"), _document("Second")
    _translate(first, ana, 3)
    _translate(second, rui, 1, review=True)
    peer = store_import(prepare_import(TEXT.encode(), "peer.txt", "en"), title="Peers")
    peers = get_document(peer.document)
    peers.original_edition_id = None  # no original: every edition counts its own words
    second.review_required = False  # translated is done there: other blockers
    _db.session.commit()
    ids = [first.id, second.id, peers.id]
    assert editions_progress(Document.id.in_(ids)) == edition_progress(ids)
    relaxed = [p for e, p in editions_progress(Document.id == second.id).items()]
    assert relaxed and not any(p.review_required for p in relaxed)
    assert editions_progress(Document.id == first.id) == edition_progress([first.id])


def test_editions_in_the_trash_are_left_out(database: Any) -> None:
    kept, gone = _document("Kept"), _document("Gone")
    delete_edition(kept, "fr", user_id=None)
    delete_document(gone, user_id=None)
    _db.session.commit()
    assert [(r.title, r.language) for r in edition_rows(sa.true())] == [("Kept", "en")]
    record_edition_days(utc_today())
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(EditionDay)) == 1


def test_the_pages_rank_in_sql_as_the_rule_does(database: Any) -> None:
    """``ranked_editions`` (the order computed in SQL) and ``page_rows`` give what
    ``edition_rows`` (the rule, in Python) gives: the same order, ties included, the
    same rows, the same totals, on several days; pages follow each other without gap
    or repeat."""
    today = utc_today()
    ana = _user("ana@example.org", display_name="Ana")
    rui = _user("rui@example.org", display_name="Rui")
    documents = {
        t: _document(t)
        for t in ("Late", "Stalled", "Steady", "Edge", "Tight", "banana", "Apple", "Éclair")
    }
    twins = [_document("Twin"), _document("Twin")]  # the same title: the id decides
    relaxed, done, gone = _document("Relaxed"), _document("Done"), _document("Gone")
    for title in ("Steady", "Edge", "Tight"):
        _translate(documents[title], ana, 2)  # 10 words today: 10 left, forecast in 7 days
    _translate(relaxed, ana, 4)  # every cell translated: ready where no review is needed
    relaxed.review_required = False
    _translate(done, rui, 4, review=True)
    due = {"Late": -1, "Stalled": 3, "Steady": 10, "Edge": 7, "Tight": 6, "banana": 4}
    due |= {"Apple": 4, "Éclair": 4, "Relaxed": 2, "Done": 1}
    for title, days in due.items():
        document = documents.get(title) or {"Relaxed": relaxed, "Done": done}[title]
        assign(document, "fr", ana, AssignmentKind.TRANSLATE, due=today + timedelta(days=days))
    for twin in twins:
        assign(twin, "fr", rui, AssignmentKind.TRANSLATE, due=today + timedelta(days=4))
    assign(relaxed, "fr", rui, AssignmentKind.REVIEW, due=today + timedelta(days=20))
    delete_document(gone, user_id=None)
    _db.session.commit()

    expected = ["Late", "Stalled", "Apple", "banana", "Twin", "Twin", "Éclair", "Tight"]
    rule = _fr(edition_rows(sa.true(), today=today))
    assert [r.title for r in rule][:8] == expected
    # Relaxed: ready (no review needed) yet at risk: its review, due in 20 days, has
    # not started. Edge: due on its forecast, on track.
    assert [r.title for r in rule][8:] == ["Relaxed", "Edge", "Steady", "Done"]
    assert rule[0].overdue and all(r.at_risk for r in rule[1:9])
    assert rule[8].ready and rule[8].phase == "review"
    assert not rule[9].at_risk and rule[9].forecast == rule[9].due
    assert rule[11].ready and not rule[11].work_left

    for day in (today, today + timedelta(days=5), today + timedelta(days=8)):
        rows = edition_rows(sa.true(), today=day)
        ranked = ranked_editions(sa.true(), today=day)
        assert [r.key.edition_id for r in ranked] == [r.edition_id for r in rows], day
        assert [r.due for r in ranked] == [r.due for r in rows]
        assert [bool(r.ready) for r in ranked] == [r.ready for r in rows]
        totals = Totals.of(ranked)
        assert (totals.editions, totals.overdue, totals.at_risk, totals.ready) == (
            len(rows),
            sum(r.overdue for r in rows),
            sum(r.at_risk for r in rows),
            sum(r.ready for r in rows),
        )
        pages = [page_rows(ranked, offset=at, limit=5, today=day) for at in range(0, 30, 5)]
        assert [len(p) for p in pages] == [5, 5, 5, 5, 4, 0]  # 12 originals, 12 translations
        assert [r for page in pages for r in page] == rows  # every figure, in order


def test_a_forecast_beyond_the_horizon_reads_as_none(database: Any) -> None:
    """Thousands of words left at a fraction of a word a day: no forecast (decades
    away, or past the last date there is: it was a 500), at risk whatever the due date,
    in the rule and in the SQL order alike."""
    today = utc_today()
    ana = _user("ana@example.org", display_name="Ana")
    # A one-word paragraph, then 4 000 words: translating the first cell alone is
    # one word of the original this week, 1/7 of a word a day.
    long = "One.\n\n" + "\n\n".join(" ".join(["word"] * 100) + "." for _ in range(40)) + "\n"
    summary = store_import(prepare_import(long.encode(), "long.txt", "en"), title="Slow")
    slow = get_document(summary.document)
    start_translation(slow, "fr")
    _translate(slow, ana, 1)
    # Due in a century: later than the forecast would have been (4 000 × 7 days).
    assign(slow, "fr", ana, AssignmentKind.TRANSLATE, due=today + timedelta(days=36_600))
    _db.session.commit()

    row = edition_row(slow, "fr", today=today)
    assert row is not None
    assert row.words_left == 4000 and row.velocity == pytest.approx(1 / 7)
    assert row.forecast is None and row.at_risk and not row.overdue
    ranked = ranked_editions(sa.true(), today=today)
    assert [r.key.edition_id for r in ranked] == [
        r.edition_id for r in edition_rows(sa.true(), today=today)
    ]
    assert Totals.of(ranked).at_risk == 1

    # The day itself: rounded up, None past the horizon or the calendar's end.
    assert forecast_day(today, 0.5) == today + timedelta(days=1)
    assert forecast_day(today, FORECAST_HORIZON_DAYS) is not None
    assert forecast_day(today, FORECAST_HORIZON_DAYS + 0.5) is None
    assert forecast_day(today, 4000 / 1e-310) is None  # infinite
    assert forecast_day(date.max - timedelta(days=3), 5) is None
    assert forecast_day(date.max - timedelta(days=3), 3) == date.max


def test_the_sql_order_places_titles_beyond_ascii_as_python_does(database: Any) -> None:
    """The database sorts ASCII titles; the others (ß casefolds to "ss", É to "é") are
    put back where the rule places them."""
    today = utc_today()
    ana = _user("ana@example.org", display_name="Ana")
    titles = ("Strasz", "Straße", "Zulu", "äpfel", "Apfel", "ÉTÉ", "été", "STRASSE", "strb")
    for title in titles:
        assign(_document(title), "fr", ana, AssignmentKind.TRANSLATE, due=today)
    _db.session.commit()
    rows = edition_rows(sa.true(), today=today)
    expected = ["Apfel", "Straße", "STRASSE", "Strasz", "strb", "Zulu", "äpfel", "ÉTÉ", "été"]
    assert [r.title for r in rows][: len(titles)] == expected
    ranked = ranked_editions(sa.true(), today=today)
    assert [r.key.edition_id for r in ranked] == [r.edition_id for r in rows]
