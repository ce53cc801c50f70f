"""DocumentMember: a person's role in a document.

Per language: ``translator`` and ``reviewer`` may edit that edition (a reviewer's
confirmation marks a segment ``reviewed``). Over the whole document (``language`` is
``WHOLE_DOCUMENT``, the empty string, which no edition has): ``coordinator`` manages it
(members, settings, editions, alignment, deletion) and ``reader`` sees it, downloads its
exports and comments. Administrators and global coordinators (``User.is_coordinator``)
need no membership."""

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
    COORDINATOR = "coordinator"
    READER = "reader"


# The language of a membership over the whole document (coordinator, reader).
WHOLE_DOCUMENT = ""
LANGUAGE_ROLES = frozenset({MemberRole.TRANSLATOR, MemberRole.REVIEWER})
DOCUMENT_ROLES = frozenset({MemberRole.COORDINATOR, MemberRole.READER})


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
