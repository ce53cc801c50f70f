"""Release: a published version of a document, frozen.

A release keeps, at the moment it was published, the document's rows in order (their
unit ids and structure: role, level, label, paragraph) and, for each chosen edition,
its metadata and the text of every row. Nothing refers back to the live segments to
read a release: its exports are made from this snapshot alone, so they come out the
same, byte for byte, whatever is edited afterwards. The rows are written once and
never updated (``_refuse_update`` makes a flush that tries fail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, utcnow


class Release(db.Model):  # type: ignore[name-defined,misc]
    """Version ``version`` (1, 2, 3 ... per document) of a document. ``units`` is the
    document's rows in order when it was published: ``[unit_id, role, level, label,
    paragraph]`` each; ``override_reason`` says why it was published although an
    edition was not ready (None: every edition was ready)."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("document_id", "version"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str | None] = mapped_column(Text)
    units: Mapped[list[list[Any]]] = mapped_column(JSON, default=list, deferred=True)

    editions: Mapped[list[ReleaseEdition]] = relationship(
        back_populates="release",
        cascade="all, delete-orphan",
        order_by="ReleaseEdition.id",
    )

    @property
    def languages(self) -> list[str]:
        """The languages of its editions, in the order they were chosen."""
        return [edition.language for edition in self.editions]

    def edition(self, language: str) -> ReleaseEdition | None:
        return next((e for e in self.editions if e.language == language), None)


class ReleaseEdition(db.Model):  # type: ignore[name-defined,misc]
    """One edition as released: ``info`` its metadata (titles, people, credits, date,
    identifier, the moment of the release, whether typography applies); ``cells`` one
    ``[text, status, outdated]`` per row of ``Release.units``, in the same order;
    ``blockers`` what kept it from being ready when it was published (empty if ready)."""

    __tablename__ = "release_editions"
    __table_args__ = (UniqueConstraint("release_id", "language"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(35))
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="SET NULL"), index=True
    )
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cells: Mapped[list[list[Any]]] = mapped_column(JSON, default=list, deferred=True)
    blockers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    release: Mapped[Release] = relationship(back_populates="editions")


@event.listens_for(Release, "before_update")
@event.listens_for(ReleaseEdition, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: Any) -> None:
    """A release is frozen: any change of a flushed row is a bug."""
    raise RuntimeError(f"{type(target).__name__} {target.id} is frozen and may not change")
