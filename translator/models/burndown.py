"""EditionDay: an edition's words left on one UTC day, for the dashboard's burndown.

The counters (``models.counters``) hold only the present; this keeps one row per
edition and day, upserted by the hourly housekeeping and at the first dashboard view of
a day (``services.dashboard_history.record_edition_days``): the last value seen that day.
Words are counted as the dashboard counts them: a translation of the original in the
original's words, any other edition in its own."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from translator.extensions import db


class EditionDay(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "edition_days"

    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    words_total: Mapped[int] = mapped_column(Integer, default=0)
    words_to_translate: Mapped[int] = mapped_column(Integer, default=0)  # empty or draft
    words_to_review: Mapped[int] = mapped_column(Integer, default=0)  # not reviewed yet
