"""Column types and helpers shared by the model modules."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, String

# SQLite reuses the highest id once its row is deleted (a merge, a realignment, an
# undo): a client still holding that id would then write to another row. AUTOINCREMENT
# makes ids never come back there; PostgreSQL's sequences never reuse them anyway.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    return datetime.now(UTC)


def TZDateTime() -> DateTime:
    return DateTime(timezone=True)


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR + CHECK constraint storing the enum *values*."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        validate_strings=True,
        values_callable=lambda cls: [member.value for member in cls],
    )


def ordered_string(length: int) -> Any:
    """A string column sorted bytewise on every backend (fractional order keys need it;
    PostgreSQL's default collation would sort 'a0' and 'aZ' case-insensitively)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")
