"""How each table of the metadata goes into a backup and back: the order tables are
restored in, the foreign keys that must wait until every row exists, and a portable
text form of every column value (the same in a backup of SQLite and of PostgreSQL).

Generic over ``db.metadata``: a table added later is backed up without touching this
code; a column type with no portable form raises ``TypeError`` when the plan is built,
so it can never be skipped silently."""

from __future__ import annotations

import base64
import enum
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import sort_tables_and_constraints

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _encode_datetime(value: datetime) -> str:
    # SQLite hands back naive values for timezone-aware columns; they were written in UTC.
    value = value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return value.isoformat()


def _encode_naive_datetime(value: datetime) -> str:
    return value.isoformat()


def _decode_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _encode_json_text(text: str) -> str:
    # The JSON document as text (a JSON ``null`` stays distinct from SQL NULL), in the
    # one spelling SQLAlchemy writes, whichever database produced it.
    return json.dumps(json.loads(text))


def _decode_json_text(text: str) -> Any:
    value = json.loads(text)
    return sa.JSON.NULL if value is None else value


def _codec(column: sa.Column[Any]) -> tuple[Encoder, Decoder, sa.types.TypeEngine[Any]]:
    """(encode, decode, bind type) of one column; encode/decode never see None."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return _encode_json_text, _decode_json_text, sa.JSON(none_as_null=True)
    if isinstance(kind, sa.Enum):
        return _enum_value, _same, kind
    if isinstance(kind, sa.DateTime):
        encode = _encode_datetime if kind.timezone else _encode_naive_datetime
        return encode, _decode_datetime, kind
    if isinstance(kind, sa.Date):
        return date.isoformat, date.fromisoformat, kind
    if isinstance(kind, sa.Time):
        return time.isoformat, time.fromisoformat, kind
    if isinstance(kind, sa.LargeBinary):
        return (
            lambda v: base64.b64encode(bytes(v)).decode("ascii"),
            base64.b64decode,
            kind,
        )
    if isinstance(kind, sa.Uuid):
        return str, uuid.UUID if kind.as_uuid else _same, kind
    if isinstance(kind, sa.Float):
        return float, _same, kind
    if isinstance(kind, sa.Numeric):
        return str, Decimal if kind.asdecimal else float, kind
    if isinstance(kind, sa.Boolean | sa.Integer | sa.String):
        return _same, _same, kind
    raise TypeError(
        f"column {column.table.name}.{column.name}: no portable backup form for "
        f"type {kind!r}; add one to translator/services/backup_tables.py"
    )


@dataclass
class ColumnPlan:
    name: str
    encode: Encoder
    decode: Decoder
    bind_type: sa.types.TypeEngine[Any]
    read: sa.ColumnElement[Any]


@dataclass
class TablePlan:
    """One table: its columns' codecs and the columns written NULL first and set once
    every row exists (a self-reference, or a foreign key in a cycle)."""

    table: sa.Table
    columns: list[ColumnPlan]
    deferred: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def member(self) -> str:
        return f"tables/{self.table.name}.jsonl"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def keys(self) -> list[sa.Column[Any]]:
        """The primary key, or (for a table without one) every comparable column."""
        return list(self.table.primary_key.columns) or [
            c for c in self.table.columns if not isinstance(c.type, sa.JSON)
        ]

    def select(self) -> sa.Select[Any]:
        """Every row, in key order (so two backups of one state are identical)."""
        return sa.select(*(c.read for c in self.columns)).order_by(*self.keys)

    def encode(self, row: sa.Row[Any]) -> dict[str, Any]:
        """A row as a JSON object of portable values."""
        return {
            c.name: None if value is None else c.encode(value)
            for c, value in zip(self.columns, row, strict=True)
        }

    def decode(self, record: dict[str, Any]) -> dict[str, Any]:
        """A JSON object of the archive as bind parameters."""
        return {
            c.name: None if (v := record[c.name]) is None else c.decode(v) for c in self.columns
        }

    def insert(self) -> sa.Insert:
        return sa.insert(self.table).values(
            {c.name: sa.bindparam(c.name, type_=c.bind_type) for c in self.columns}
        )

    @property
    def kept_on_update(self) -> list[str]:
        """Columns an UPDATE would restamp (``onupdate``): set back to their values."""
        return [
            c.name
            for c in self.table.columns
            if (c.onupdate is not None or c.server_onupdate is not None)
            and c.name not in self.deferred
        ]

    def deferred_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """The parameters of ``update_deferred`` for one decoded row."""
        names = self.deferred + self.kept_on_update
        return {n: values[n] for n in names} | {f"key_{k.name}": values[k.name] for k in self.keys}

    def update_deferred(self) -> sa.Update:
        """Sets the deferred columns of one row, found by its key."""
        types = {c.name: c.bind_type for c in self.columns}
        where = [k == sa.bindparam(f"key_{k.name}", type_=types[k.name]) for k in self.keys]
        names = self.deferred + self.kept_on_update
        return (
            sa.update(self.table)
            .where(*where)
            .values({n: sa.bindparam(n, type_=types[n]) for n in names})
        )


def _read(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    if isinstance(column.type, sa.JSON):
        # Read as text: decoded, a JSON null and an SQL NULL would both be None.
        return sa.cast(column, sa.Text).label(column.name)
    return column


def table_plans(tables: Iterable[sa.Table]) -> list[TablePlan]:
    """The tables in an order that satisfies their foreign keys, each with its codecs."""
    by_name = sorted(tables, key=lambda t: t.name)
    ordered = sort_tables_and_constraints(by_name)  # type: ignore[no-untyped-call]
    cyclic = {fkc for table, fkcs in ordered if table is None for fkc in fkcs}
    plans = []
    for table, _fkcs in ordered:
        if table is None:
            continue
        columns = []
        for column in table.columns:
            encode, decode, bind_type = _codec(column)
            columns.append(ColumnPlan(column.name, encode, decode, bind_type, _read(column)))
        deferred = [
            column.name
            for fkc in table.foreign_key_constraints
            if fkc in cyclic or fkc.referred_table is table
            for column in fkc.columns
            if column.nullable
        ]
        plans.append(TablePlan(table, columns, sorted(set(deferred))))
    return plans
