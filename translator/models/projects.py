"""Project: a collection of documents (a publication series) with default languages,
an original language and a team.

A ``ProjectMember`` has the same roles as a ``DocumentMember``: per language,
``translator`` and ``reviewer``; over the whole project (``language`` is
``WHOLE_DOCUMENT``), ``coordinator`` and ``reader``. Every document of the project
inherits the team: a project member is a member of each of its documents with that
role, on top of the document's own memberships (``services.members``). A document
belongs to at most one project (``Document.project_id``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, TZDateTime, str_enum, utcnow
from translator.models.members import MemberRole

if TYPE_CHECKING:
    from translator.models.users import User


class Project(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "projects"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The language its documents are written in (BCP 47), if they share one.
    original_language: Mapped[str | None] = mapped_column(String(35))
    # The languages every document of the project should have (BCP 47, in order).
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def all_languages(self) -> list[str]:
        """The original language (if any), then the default languages, without repeats."""
        found = [self.original_language] if self.original_language else []
        return found + [code for code in self.languages if code not in found]


class ProjectMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "project_members"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "language"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    role: Mapped[MemberRole] = mapped_column(
        str_enum(MemberRole, "project_member_role"), default=MemberRole.TRANSLATOR
    )

    user: Mapped[User] = relationship()
