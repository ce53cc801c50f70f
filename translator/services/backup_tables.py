"""How each table of the metadata goes into a backup and back: the order tables are
restored in, the foreign keys that must wait until every row exists, and a portable
text form of every column value (the same in a backup of SQLite and of PostgreSQL).

Generic over ``db.metadata``: a table added later is backed up without touching this
code; a column type with no portable form raises ``TypeError`` when the plan is built,
so it can never be skipped silently."""

from __future__ import annotations

import base64
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


def _encode_datetime(value: datetime) -> str:
    # SQLite hands back naive values for timezone-aware columns; they were written in UTC.
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(UTC).isoformat()


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


def _codec(column: sa.Column[Any]) -> tuple[Encoder | None, Decoder | None]:
    """(encode, decode) of one column's non-NULL values; None where the value read from
    the database (or from the archive) is already the portable one."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return _encode_json_text, _decode_json_text
    if isinstance(kind, sa.Enum):
        return None, None  # read as its stored string; the Enum type binds that string
    if isinstance(kind, sa.DateTime):
        return _encode_datetime if kind.timezone else _encode_naive_datetime, _decode_datetime
    if isinstance(kind, sa.Date):
        return date.isoformat, date.fromisoformat
    if isinstance(kind, sa.Time):
        return time.isoformat, time.fromisoformat
    if isinstance(kind, sa.LargeBinary):
        return lambda v: base64.b64encode(bytes(v)).decode("ascii"), base64.b64decode
    if isinstance(kind, sa.Uuid):
        return str, uuid.UUID if kind.as_uuid else None
    if isinstance(kind, sa.Float):
        return float, None
    if isinstance(kind, sa.Numeric):
        return str, Decimal
    if isinstance(kind, sa.Boolean | sa.Integer | sa.String):
        return None, None
    raise TypeError(
        f"column {column.table.name}.{column.name}: no portable backup form for "
        f"type {kind!r}; add one to translator/services/backup_tables.py"
    )


def _read(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    if isinstance(column.type, sa.JSON):
        # Read as text: decoded, a JSON null and an SQL NULL would both be None.
        return sa.cast(column, sa.Text).label(column.name)
    if isinstance(column.type, sa.Enum):
        return sa.type_coerce(column, sa.String()).label(column.name)
    return column


def _bind_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    if isinstance(column.type, sa.JSON):
        return sa.JSON(none_as_null=True)  # None is SQL NULL; JSON.NULL is a JSON null
    return column.type


@dataclass
class ColumnPlan:
    name: str
    encode: Encoder | None
    decode: Decoder | None
    bind_type: sa.types.TypeEngine[Any]
    read: sa.ColumnElement[Any]
    binary: bool  # base64 in the archive


@dataclass
class TablePlan:
    """One table: its columns' codecs and the columns written NULL first and set once
    every row exists (a self-reference, or a foreign key in a cycle)."""

    table: sa.Table
    columns: list[ColumnPlan]
    deferred: list[str] = field(default_factory=list)
    column_names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.column_names = [c.name for c in self.columns]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def member(self) -> str:
        return f"tables/{self.table.name}.jsonl"

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
        record = dict(zip(self.column_names, row, strict=True))
        for c in self.columns:
            if c.encode is not None and (value := record[c.name]) is not None:
                record[c.name] = c.encode(value)
        return record

    def decode(self, record: dict[str, Any]) -> dict[str, Any]:
        """A JSON object of the archive as bind parameters (changed in place)."""
        for c in self.columns:
            if c.decode is not None and (value := record[c.name]) is not None:
                record[c.name] = c.decode(value)
        return record

    def copy_row(self, record: dict[str, Any]) -> list[Any]:
        """An archived row as the values of PostgreSQL's COPY (text it parses itself)."""
        return [
            base64.b64decode(v)
            if c.binary and (v := record[c.name]) is not None
            else record[c.name]
            for c in self.columns
        ]

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


def _deferrable(tables: list[sa.Table]) -> set[sa.ForeignKeyConstraint]:
    """Foreign keys that are self-references or part of a cycle, and nullable: their
    columns are written NULL first, and set once every row exists."""
    cyclic = {
        fkc
        for table, fkcs in sort_tables_and_constraints(tables)  # type: ignore[no-untyped-call]
        if table is None
        for fkc in fkcs
    }
    return {
        fkc
        for table in tables
        for fkc in table.foreign_key_constraints
        if (fkc in cyclic or fkc.referred_table is table) and all(c.nullable for c in fkc.columns)
    }


def table_plans(tables: Iterable[sa.Table]) -> list[TablePlan]:
    """The tables in an order that satisfies their foreign keys (the deferrable ones
    aside), each with its codecs. Raises ``TypeError`` for a column type without a
    portable form, and for a cycle of foreign keys that are all NOT NULL."""
    by_name = sorted(tables, key=lambda t: t.name)
    deferrable = _deferrable(by_name)
    ordered = sort_tables_and_constraints(  # type: ignore[no-untyped-call]
        by_name, filter_fn=lambda fkc: True if fkc in deferrable else None
    )
    stuck = {fkc for table, fkcs in ordered if table is None for fkc in fkcs} - deferrable
    if stuck:
        names = sorted(f"{fkc.table.name}.{','.join(fkc.column_keys)}" for fkc in stuck)
        raise TypeError(
            f"tables cannot be restored in any order: the NOT NULL foreign keys {names} "
            "form a cycle"
        )
    plans = []
    for table in (table for table, _fkcs in ordered if table is not None):
        columns = [
            ColumnPlan(
                column.name,
                *_codec(column),
                _bind_type(column),
                _read(column),
                isinstance(column.type, sa.LargeBinary),
            )
            for column in table.columns
        ]
        deferred = {
            column.name
            for fkc in table.foreign_key_constraints
            if fkc in deferrable
            for column in fkc.columns
        }
        plans.append(TablePlan(table, columns, sorted(deferred)))
    return plans
