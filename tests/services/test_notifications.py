"""Notifications are made by their causes in the unit of work, never for whoever caused
them, once per subject (a retry, a second scheduler insert nothing), and sent (live,
by e-mail to a real SMTP server, in the recipient's language) only after the commit."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Mailbox
from translator.models import (
    AssignmentKind,
    Channel,
    Document,
    MailState,
    MemberRole,
    NotificationKind,
    Unit,
    User,
)
from translator.services import live
from translator.services.assignments import assign, update_assignment
from translator.services.comments import add_comment
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.members import set_member
from translator.services.notification_causes import notify_release_published
from translator.services.notification_tick import send_due_notifications
from translator.services.notifications import (
    list_notifications,
    mark_read,
    save_settings,
    unread_count,
)
from translator.services.releases import publish_document
from translator.services.replace import apply_replace
from translator.services.review import reject_segment
from translator.services.units import unit_rows

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n\nLast line.\n"


@pytest.fixture
def smtp(app: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mailbox.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "translator@example.org")
    monkeypatch.setitem(app.config, "BASE_URL", "https://translate.example.org")
    return mailbox


@pytest.fixture
def team(db: Any, import_text: Any, create_user: Any) -> dict[str, Any]:
    """An English essay with an empty French edition; a coordinator, a French
    translator (whose interface is French), a French reviewer and an outsider."""
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = db.session.scalar(sa.select(Document))
    start_translation(document, "fr")
    people = {
        "cleo": create_user("cleo@example.org", display_name="Cleo Coord", is_coordinator=True),
        "ana": create_user("ana@example.org", display_name="Ana Silva"),
        "rui": create_user("rui@example.org", display_name="Rui"),
        "olga": create_user("olga@example.org", display_name="Olga"),
    }
    people["ana"].locale = "fr"
    set_member(document, people["ana"], "fr", MemberRole.TRANSLATOR)
    set_member(document, people["rui"], "fr", MemberRole.REVIEWER)
    db.session.commit()
    return {"document": document, **people}


def kinds(user: User) -> list[tuple[str, int | None]]:
    return [(n.kind.value, n.actor_id) for n in list_notifications(user.id)]


def test_an_assignment_tells_the_assignee_and_not_the_coordinator(
    db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    cleo, ana, rui = team["cleo"], team["ana"], team["rui"]
    made = assign(
        team["document"], "fr", ana, AssignmentKind.TRANSLATE, due=date(2027, 1, 15), by=cleo
    )
    assert kinds(ana) == [("assigned", cleo.id)]
    assert smtp.messages == []  # nothing before the commit
    db.session.commit()
    message = smtp.wait_for("ana@example.org", timeout=5)
    # In Ana's language (French): the header, and the date as French writes it (the
    # sentence itself is French once the lead translates the catalog).
    assert message["Content-Language"] == "fr"
    body = message.get_content()
    assert "15 janv. 2027" in body and "Jan 15, 2027" not in body
    assert f"https://translate.example.org/documents/an-essay/edit?assignment={made.id}" in body
    assert kinds(cleo) == []
    # An assignment one gives oneself tells nobody; a reassignment tells the new assignee.
    assign(team["document"], "fr", cleo, AssignmentKind.REVIEW, by=cleo)
    update_assignment(made, user=rui, by=cleo)
    db.session.commit()
    assert kinds(cleo) == [] and kinds(rui) == [("assigned", cleo.id)]
    english = smtp.wait_for("rui@example.org", timeout=5)
    assert english["Content-Language"] == "en"
    assert english["Subject"] == (
        "Cleo Coord asked you to translate the French edition of “An essay”. Due Jan 15, 2027."
    )


def test_a_mention_tells_whoever_may_see_the_document(db: Any, team: dict[str, Any]) -> None:
    ana, rui, olga, cleo = team["ana"], team["rui"], team["olga"], team["cleo"]
    unit = db.session.scalars(sa.select(Unit).order_by(Unit.order_key)).all()[1]
    add_comment(unit, "@rui and @ana@example.org, see this. @olga too; @AnaSilva again.", user=ana)
    db.session.commit()
    assert kinds(rui) == [("mention", ana.id)]
    assert kinds(ana) == []  # she wrote it (naming herself tells her nothing)
    assert kinds(olga) == []  # not a member: she may not see the document
    assert kinds(cleo) == []  # not named
    (notification,) = list_notifications(rui.id)
    assert notification.unit_id == unit.id
    assert "see this" in notification.payload["excerpt"]


def test_a_reviewer_replacing_or_rejecting_a_text_tells_its_author(
    db: Any, team: dict[str, Any]
) -> None:
    ana, rui = team["ana"], team["rui"]
    cell = unit_rows(team["document"])[1].cells["fr"]
    first = save_segment(cell.id, "Le chat dort.", base_version=cell.version, user=ana)
    db.session.commit()
    assert kinds(ana) == [] and kinds(rui) == []  # one's own text
    # The reviewer's autosaves: one notification, not one per save.
    version = first.segment.version
    for text in ("Le chat dor", "Le chat somnole.", "Le chat somnole bien."):
        version = save_segment(cell.id, text, base_version=version, user=rui).segment.version
    db.session.commit()
    assert kinds(ana) == [("replaced", rui.id)]
    # Ana writes again; the reviewer sends it back with a reason.
    version = save_segment(cell.id, "Le chat dort.", base_version=version, user=ana)
    db.session.commit()
    reject_segment(cell.id, "Le sens est perdu.", base_version=version.segment.version, user=rui)
    db.session.commit()
    assert kinds(ana) == [("replaced", rui.id), ("replaced", rui.id)]
    assert list_notifications(ana.id)[0].payload["rejected"] == "Le sens est perdu."
    assert kinds(rui) == []


def test_a_reviewer_replacing_text_by_search_and_replace_tells_its_author(
    db: Any, team: dict[str, Any], create_user: Any
) -> None:
    """Search and replace is a reviewer replacing text as much as a save in the editor
    is: the author of each text changed is told, once per segment and day; a
    translator's replacement, or a reviewer's in their own text, tells nobody."""
    ana, rui = team["ana"], team["rui"]
    tina = create_user("tina@example.org", display_name="Tina")
    set_member(team["document"], tina, "fr", MemberRole.TRANSLATOR)
    rows = unit_rows(team["document"])
    texts = {1: ("Le chat dort.", ana), 2: ("Le chien dort.", rui), 3: ("Dort la ligne.", tina)}
    for index, (text, author) in texts.items():
        cell = rows[index].cells["fr"]
        save_segment(cell.id, text, base_version=cell.version, user=author)
    db.session.commit()

    def replace(find: str, by: str, user: User) -> None:
        cells = [row.cells["fr"] for row in unit_rows(team["document"])]
        expected = {cell.id: cell.version for cell in cells if cell.text}
        apply_replace(
            team["document"],
            "fr",
            find,
            by,
            regex=False,
            case=True,
            expected=expected,
            author_id=user.id,
        )
        db.session.commit()

    replace("dort", "somnole", rui)
    assert kinds(ana) == [("replaced", rui.id)]
    assert kinds(tina) == []  # "Dort" with a capital: not changed
    assert kinds(rui) == []  # his own text
    (notification,) = list_notifications(ana.id)
    assert notification.unit_id == rows[1].id
    replace("somnole", "dort", tina)  # a translator: she tells nobody
    assert kinds(ana) == [("replaced", rui.id)] and kinds(rui) == []


def test_a_release_tells_the_members_but_its_publisher(db: Any, team: dict[str, Any]) -> None:
    ana, rui, olga, cleo = team["ana"], team["rui"], team["olga"], team["cleo"]
    set_member(team["document"], cleo, "", MemberRole.COORDINATOR)
    assert notify_release_published(team["document"], 1, cleo) == 2
    assert notify_release_published(team["document"], 1, cleo) == 0  # once per version
    db.session.commit()
    assert kinds(ana) == kinds(rui) == [("release", cleo.id)]
    assert kinds(olga) == [] and kinds(cleo) == []


def test_publishing_a_release_tells_the_members(db: Any, team: dict[str, Any]) -> None:
    """The releases' service itself tells them, in the transaction of the release."""
    ana, cleo = team["ana"], team["cleo"]
    set_member(team["document"], cleo, "", MemberRole.COORDINATOR)
    languages = [e.language for e in team["document"].editions]
    publish_document(team["document"], languages, cleo, "the printer waits")
    db.session.commit()
    assert kinds(ana) == [("release", cleo.id)] and kinds(cleo) == []
    assert list_notifications(ana.id)[0].payload["version"] == "1"


def test_nothing_is_made_or_sent_for_a_change_rolled_back(
    db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    with live.get_hub().subscribe_user(team["ana"].id, 0.2) as events:
        assign(team["document"], "fr", team["ana"], AssignmentKind.TRANSLATE, by=team["cleo"])
        db.session.rollback()
        db.session.commit()
        assert next(events) is None
    assert kinds(team["ana"]) == [] and smtp.messages == []


def test_the_bell_hears_of_new_and_read_notifications_after_the_commit(
    db: Any, team: dict[str, Any]
) -> None:
    ana, cleo = team["ana"], team["cleo"]
    with live.get_hub().subscribe_user(ana.id, 0.3) as events:
        assign(team["document"], "fr", ana, AssignmentKind.TRANSLATE, by=cleo)
        assert next(events) is None  # not before the commit
        db.session.commit()
        name, data = next(events)  # type: ignore[misc]
        assert name == "notification" and data["unread"] == 1
        assert data["notification"]["kind"] == "assigned"
        assert "Cleo Coord" in data["notification"]["text"]
        assert mark_read(ana) == 1
        db.session.commit()
        assert next(events) == ("notification", {"unread": 0, "notification": None})
    assert unread_count(ana.id) == 0


def test_settings_turn_a_kind_off_or_to_the_digest(
    db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    ana, cleo = team["ana"], team["cleo"]
    save_settings(ana, {"assigned": Channel.OFF.value, "mention": "digest"}, 9)
    db.session.commit()
    assign(team["document"], "fr", ana, AssignmentKind.TRANSLATE, by=cleo)
    unit = db.session.scalars(sa.select(Unit)).first()
    add_comment(unit, "@ana look", user=cleo)
    db.session.commit()
    (mention,) = list_notifications(ana.id)
    assert mention.kind is NotificationKind.MENTION and mention.mail is MailState.DIGEST
    assert smtp.messages == []  # neither e-mailed at once


def _due(team: dict[str, Any], days: int) -> Any:
    today = datetime.now(UTC).date()
    return assign(
        team["document"],
        "fr",
        team["ana"],
        AssignmentKind.TRANSLATE,
        due=today + timedelta(days=days),
        by=team["cleo"],
    )


def test_due_soon_and_overdue_are_sent_once_however_often_the_tick_runs(
    db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    soon, late, later = _due(team, 2), _due(team, -1), _due(team, 5)
    db.session.commit()
    smtp.messages.clear()
    now = datetime.now(UTC)
    first = send_due_notifications(now)
    db.session.commit()
    second = send_due_notifications(now + timedelta(minutes=5))
    db.session.commit()
    assert (first.due_soon, first.overdue) == (1, 1)
    assert (second.due_soon, second.overdue) == (0, 0)
    made = {
        (n.kind.value, n.assignment_id)
        for n in list_notifications(team["ana"].id)
        if n.kind is not NotificationKind.ASSIGNED
    }
    assert made == {("due_soon", soon.id), ("overdue", late.id)}
    assert later.id not in {a for _, a in made}
    smtp.wait_for("ana@example.org", timeout=5)
    assert len(smtp.messages) == 2
    # A new due date is a new thing to be told.
    update_assignment(late, due=now.date() - timedelta(days=3), by=team["cleo"])
    db.session.commit()
    assert send_due_notifications(now).overdue == 1
    db.session.commit()


def test_two_schedulers_at_once_send_each_due_date_and_digest_once(
    app: Any, db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    ana, rui = team["ana"], team["rui"]
    save_settings(rui, {"assigned": "digest"}, 0)
    db.session.commit()
    for _ in range(3):
        _due(team, 1)
    assign(team["document"], "fr", rui, AssignmentKind.REVIEW, by=team["cleo"])
    db.session.commit()
    smtp.messages.clear()
    now = datetime.now(UTC) + timedelta(days=1)  # past Rui's digest hour, his assignment before
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            with app.app_context():
                barrier.wait(5)
                send_due_notifications(now)
                db.session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    due = [n for n in list_notifications(ana.id) if n.kind is NotificationKind.DUE_SOON]
    assert len(due) == 3
    smtp.wait_for("rui@example.org", timeout=5)
    deadline = datetime.now(UTC) + timedelta(seconds=3)
    while len(smtp.messages) < 4 and datetime.now(UTC) < deadline:
        threading.Event().wait(0.05)
    threading.Event().wait(0.3)  # any duplicate would have arrived by now
    to = sorted(m["To"] for m in smtp.messages)
    assert to == ["ana@example.org"] * 3 + ["rui@example.org"]
    digest = next(m for m in smtp.messages if m["To"] == "rui@example.org")
    assert digest["Subject"] == "1 new notification on the translation service"
    assert "Cleo Coord asked you to review" in digest.get_content()


def test_a_digest_waits_for_its_hour_and_goes_once_a_day(
    db: Any, team: dict[str, Any], smtp: Mailbox
) -> None:
    ana, cleo = team["ana"], team["cleo"]
    save_settings(ana, {"assigned": "digest", "mention": "digest"}, 8)
    db.session.commit()
    assign(team["document"], "fr", ana, AssignmentKind.TRANSLATE, by=cleo)
    db.session.commit()
    made = list_notifications(ana.id)[0].created_at
    day = made.date() + timedelta(days=1)
    early = datetime(day.year, day.month, day.day, 7, 59, tzinfo=UTC)
    assert send_due_notifications(early).digests == 0
    db.session.commit()
    assert smtp.messages == []
    on_time = early + timedelta(minutes=1)
    assert send_due_notifications(on_time).digests == 1
    db.session.commit()
    assert send_due_notifications(on_time + timedelta(hours=3)).digests == 0
    db.session.commit()
    message = smtp.wait_for("ana@example.org", timeout=5)
    assert message["Content-Language"] == "fr"
    assert len(smtp.messages) == 1
