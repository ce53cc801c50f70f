"""The dashboard's figures over time: the daily snapshots of every edition's words left
(``models.burndown``), the burndown of one edition drawn from them, and people's
throughput per day from the kept counters (``PersonDayCount``).

The rows and their rule (phase, velocity, forecast, due date, order) live in
``services.dashboard``; this module only reads a row's live figures for today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, func, select, text

from translator.extensions import db
from translator.models import Document, Edition, EditionDay, PersonDayCount, User
from translator.services.dashboard import Row, utc_today

THROUGHPUT_DAYS = 30
BURNDOWN_DAYS = 60


# --- snapshots: the burndown ---------------------------------------------------------

# A translation of the document's original counts the original's words.
_MEASURE = (
    "CASE WHEN d.original_edition_id IS NOT NULL AND d.original_edition_id <> c.edition_id"
    " THEN c.original_words ELSE c.words END"
)
_RECORD_DAYS = f"""
INSERT INTO edition_days (edition_id, day, words_total, words_to_translate, words_to_review)
SELECT c.edition_id, :day, sum({_MEASURE}),
  sum(CASE WHEN c.status IN ('empty', 'draft') THEN {_MEASURE} ELSE 0 END),
  sum(CASE WHEN c.status <> 'reviewed' THEN {_MEASURE} ELSE 0 END)
FROM edition_counts c
JOIN editions e ON e.id = c.edition_id
JOIN documents d ON d.id = e.document_id
WHERE e.deleted_at IS NULL AND d.deleted_at IS NULL
GROUP BY c.edition_id
ORDER BY c.edition_id
ON CONFLICT (edition_id, day) DO UPDATE SET words_total = excluded.words_total,
  words_to_translate = excluded.words_to_translate,
  words_to_review = excluded.words_to_review"""  # noqa: S608 - constants only


def record_edition_days(today: date | None = None) -> None:
    """Upsert today's snapshot of every edition's words left (one statement over the
    counters; the last call of a day sets the day's values). The housekeeping calls it
    every hour; doing it twice changes nothing more."""
    statement = text(_RECORD_DAYS).bindparams(bindparam("day", type_=Date))
    db.session.execute(statement, {"day": today or utc_today()})
    db.session.flush()


def record_edition_days_once(today: date | None = None) -> bool:
    """Take today's snapshot if none was taken today yet (the first dashboard view of a
    day); True if it was taken now."""
    today = today or utc_today()
    taken = db.session.scalar(select(EditionDay.edition_id).where(EditionDay.day == today).limit(1))
    if taken is not None:
        return False
    record_edition_days(today)
    return True


@dataclass(frozen=True, slots=True)
class DayPoint:
    """An edition's words left on a day (None: no snapshot that day)."""

    day: date
    to_translate: int | None
    to_review: int | None


def burndown(row: Row, *, today: date | None = None, days: int = BURNDOWN_DAYS) -> list[DayPoint]:
    """The edition's words left per day, from its first snapshot of the last ``days``
    days to today (today: the live figures of ``row``)."""
    today = today or utc_today()
    since = today - timedelta(days=days - 1)
    kept = {
        day: (translate, review)
        for day, translate, review in db.session.execute(
            select(EditionDay.day, EditionDay.words_to_translate, EditionDay.words_to_review)
            .where(
                EditionDay.edition_id == row.edition_id,
                EditionDay.day >= since,
                EditionDay.day < today,
            )
            .order_by(EditionDay.day)
        )
    }
    start = min(kept, default=today)
    points = []
    for offset in range((today - start).days):
        day = start + timedelta(days=offset)
        translate, review = kept.get(day, (None, None))
        points.append(DayPoint(day, translate, review))
    points.append(DayPoint(today, row.words_to_translate, row.words_to_review))
    return points


# --- throughput ----------------------------------------------------------------------


@dataclass(slots=True)
class Throughput:
    """A person's words brought to translated and to reviewed, per UTC day."""

    user_id: int
    name: str
    days: dict[date, tuple[int, int]] = field(default_factory=dict)

    @property
    def translated(self) -> int:
        return sum(t for t, _ in self.days.values())

    @property
    def reviewed(self) -> int:
        return sum(r for _, r in self.days.values())


def throughput(
    condition: Any, *, today: date | None = None, days: int = THROUGHPUT_DAYS
) -> list[Throughput]:
    """Per person, the words they brought to translated and reviewed each day of the
    last ``days`` days in the editions meeting ``condition`` (on ``Document`` and
    ``Edition``), most words first. One query of the kept counters."""
    today = today or utc_today()
    since = today - timedelta(days=days - 1)
    people: dict[int, Throughput] = {}
    for user_id, display_name, email, day, translated, reviewed in db.session.execute(
        select(
            User.id,
            User.display_name,
            User.email,
            PersonDayCount.day,
            func.sum(PersonDayCount.words_translated),
            func.sum(PersonDayCount.words_reviewed),
        )
        .join(User, User.id == PersonDayCount.user_id)
        .join(Edition, Edition.id == PersonDayCount.edition_id)
        .join(Document, Document.id == Edition.document_id)
        .where(condition, PersonDayCount.day >= since, PersonDayCount.day <= today)
        .group_by(User.id, User.display_name, User.email, PersonDayCount.day)
    ):
        person = people.setdefault(user_id, Throughput(user_id, display_name or email))
        person.days[day] = (int(translated or 0), int(reviewed or 0))
    busy = [p for p in people.values() if p.translated or p.reviewed]
    return sorted(busy, key=lambda p: (-(p.translated + p.reviewed), p.name.casefold()))
