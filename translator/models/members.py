"""DocumentMember: who may edit which language of a document (administrators may edit
everything). A reviewer's confirmation marks a segment ``reviewed``."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from translator.extensions import db
from translator.models._types import NEVER_REUSE_IDS, str_enum

if TYPE_CHECKING:
    from translator.models.users import User


class MemberRole(enum.StrEnum):
    TRANSLATOR = "translator"
    REVIEWER = "reviewer"


class DocumentMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "document_members"
    __table_args__ = (UniqueConstraint("document_id", "user_id", "language"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    role: Mapped[MemberRole] = mapped_column(
        str_enum(MemberRole, "member_role"), default=MemberRole.TRANSLATOR
    )

    user: Mapped[User] = relationship()
