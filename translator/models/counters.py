"""Progress counters, kept by the database itself: ``EditionCount`` (segments and words
of an edition by status) and ``PersonDayCount`` (words a person translated and reviewed
in an edition on a day).

Triggers on ``segments``, ``revisions`` and ``documents`` (created by the migration
``progress_counters``) update them in the statement that changes a segment, whatever
service wrote it (a save, a fix, an import, an alignment, a merge, a cascade), with
``n = n + delta`` upserts: two writers never lose each other's change.
``services.counters.recount_progress`` rebuilds them from the rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from translator.extensions import db


class EditionCount(db.Model):  # type: ignore[name-defined,misc]
    """One edition × one segment status. ``original_words`` (translations only): the
    words of the original's segments in the units where this edition has a segment of
    this status, so that the words left to translate are counted in the original's
    words (an empty cell has none of its own)."""

    __tablename__ = "edition_counts"

    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    segments: Mapped[int] = mapped_column(Integer, default=0)
    words: Mapped[int] = mapped_column(Integer, default=0)
    unaligned: Mapped[int] = mapped_column(Integer, default=0)
    outdated: Mapped[int] = mapped_column(Integer, default=0)
    original_words: Mapped[int] = mapped_column(Integer, default=0)


class PersonDayCount(db.Model):  # type: ignore[name-defined,misc]
    """Words a person brought to "translated" and to "reviewed" in an edition on one
    UTC day: the words of each of their revisions (a save, an accepted suggestion, a
    fix) that changed the unit's status to one of these, structural rewrites (import,
    alignment, merge, split, move) left out."""

    __tablename__ = "person_day_counts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Indexed: the dashboard reads the last days of every edition (velocity, throughput),
    # the activity figures a range of days.
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    words_translated: Mapped[int] = mapped_column(Integer, default=0)
    words_reviewed: Mapped[int] = mapped_column(Integer, default=0)
