"""The database side of a restore: the checks made before anything is written (schema
revision, tables and columns, an empty database) and the writes themselves — rows in
dependency order in batches, deferred foreign keys set once every row exists, and
PostgreSQL's sequences moved past the restored ids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from translator.errors import Conflict, InputError
from translator.services.backup_archive import ArchiveReader
from translator.services.backup_tables import TablePlan

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BATCH = 1000


def code_revision() -> str:
    """The schema revision this code's models describe (the migrations' head)."""
    return ",".join(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads()))


def schema_revision(conn: sa.Connection, *, label: str) -> str:
    """The database's Alembic revision; it must be this code's, or the tables and the
    models differ and a backup or restore would lose columns."""
    revision = ",".join(sorted(MigrationContext.configure(conn).get_current_heads()))
    expected = code_revision()
    if not revision:
        raise InputError(f"{label} has no schema: run `translator init` first", field="schema")
    if revision != expected:
        raise InputError(
            f"{label} is at schema revision {revision}, this translator's is {expected}: "
            "run `translator init` to upgrade it",
            field="schema",
        )
    return revision


def check_revision(reader: ArchiveReader, conn: sa.Connection) -> None:
    """Refuse an archive made at another schema revision than the database's."""
    archived = reader.manifest.get("schema_revision")
    current = schema_revision(conn, label="the database")
    if archived != current:
        raise InputError(
            f"the archive was made at schema revision {archived} (translator "
            f"{reader.manifest.get('app_version')}), the database is at {current}: restore "
            f"it with a translator at revision {archived}, into a database made by its "
            "`translator init`, then upgrade",
            file=reader.label,
            field="schema_revision",
        )


def check_archive_tables(reader: ArchiveReader, plans: Sequence[TablePlan]) -> None:
    """The archive has exactly the database's tables, each with its columns."""
    listed = reader.manifest.get("tables")
    if not isinstance(listed, list) or not all(isinstance(t, dict) for t in listed):
        raise InputError("the manifest lists no tables", file=reader.label, field="tables")
    archived = {str(t.get("name")): t for t in listed}
    expected = {p.name: p for p in plans}
    if set(archived) != set(expected):
        missing = sorted(set(expected) - set(archived))
        extra = sorted(set(archived) - set(expected))
        raise InputError(
            f"the archive's tables differ from the database's (missing: {missing}, "
            f"unknown: {extra})",
            file=reader.label,
            field="tables",
        )
    for name, plan in expected.items():
        entry = archived[name]
        if entry.get("member") != plan.member or plan.member not in reader.members:
            raise InputError(f"table {name}: no member {plan.member}", file=reader.label)
        if not isinstance(entry.get("rows"), int):
            raise InputError(f"table {name}: no row count", file=reader.label)
        if sorted(entry.get("columns") or []) != sorted(plan.column_names):
            raise InputError(
                f"table {name}: the archive's columns {entry.get('columns')} are not the "
                f"database's {plan.column_names}",
                file=reader.label,
                field="columns",
            )


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def check_empty(conn: sa.Connection, plans: Sequence[TablePlan], folders: Sequence[Path]) -> None:
    """Refuse to mix an archive into a service that already holds data."""
    counts = {p.name: n for p in plans if (n := _count(conn, p.table))}
    if not counts and not folders:
        return
    held = [f"{name}: {n} rows" for name, n in counts.items()]
    held += [f"{folder} is not empty" for folder in folders]
    raise Conflict(
        f"the service already holds data ({'; '.join(held)}); a restore replaces "
        "everything only when asked to (--replace)",
        field="replace",
    )


def clear_tables(conn: sa.Connection, plans: Sequence[TablePlan]) -> None:
    """Delete every row, dependants first (deferred foreign keys emptied beforehand)."""
    for plan in plans:
        if plan.deferred:
            conn.execute(sa.update(plan.table).values({name: None for name in plan.deferred}))
    for plan in reversed(plans):
        conn.execute(sa.delete(plan.table))


def _decoded(plan: TablePlan, record: dict[str, Any], number: int) -> dict[str, Any]:
    try:
        return plan.decode(record)
    except (TypeError, ValueError) as exc:
        raise InputError(f"a value cannot be read: {exc}", file=plan.member, line=number) from exc


def _unfit(exc: Exception, where: str) -> InputError:
    cause = getattr(exc, "orig", None) or exc
    return InputError(f"the rows do not fit the database: {cause}", file=where)


def _bad_rows(exc: Exception) -> bool:
    """Whether an error says the archived values are wrong (not the database down)."""
    if isinstance(exc, sa.exc.IntegrityError | sa.exc.DataError | sa.exc.ProgrammingError):
        return True
    return isinstance(exc, sa.exc.StatementError) and isinstance(exc.orig, LookupError | ValueError)


def _execute(conn: sa.Connection, statement: Any, rows: list[dict[str, Any]], where: str) -> None:
    if not rows:
        return
    try:
        conn.execute(statement, rows)
    except sa.exc.StatementError as exc:
        if _bad_rows(exc):
            raise _unfit(exc, where) from exc
        raise


Writer = Callable[[list[dict[str, Any]]], None]


def _insert(conn: sa.Connection, plan: TablePlan) -> Writer:
    """Executemany of an INSERT, for rows of bind parameters (decoded). On SQLite the
    types' bind processors are applied here and the driver's executemany is called
    directly: the statement is the same for every row, and SQLAlchemy's per-row
    parameter handling was most of a restore's time."""
    dialect = conn.dialect
    statement = plan.insert()
    compiled = statement.compile(dialect=dialect)
    if dialect.name != "sqlite" or compiled.positiontup != plan.column_names:
        return lambda rows: _execute(conn, statement, rows, plan.member)
    sql = compiled.string  # INSERT INTO t (a, b, ...) VALUES (?, ?, ...)
    processors = [c.bind_type.dialect_impl(dialect).bind_processor(dialect) for c in plan.columns]
    pairs = list(zip(plan.column_names, processors, strict=True))

    def write(rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        try:
            params = [tuple(p(row[n]) if p else row[n] for n, p in pairs) for row in rows]
            conn.exec_driver_sql(sql, params)
        except (LookupError, ValueError, TypeError) as exc:  # a bind processor refused it
            raise _unfit(exc, plan.member) from exc
        except sa.exc.StatementError as exc:
            if _bad_rows(exc):
                raise _unfit(exc, plan.member) from exc
            raise

    return write


def _copy(conn: sa.Connection, plan: TablePlan) -> Writer:
    """PostgreSQL's COPY, for rows as archived: the database parses the portable text
    (ISO dates, JSON documents) itself, several times faster than INSERTs."""
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in plan.column_names)
    sql = f"COPY {quote.format_table(plan.table)} ({names}) FROM STDIN"
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    assert driver is not None

    def write(rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(plan.copy_row(row))
        except (dbapi.IntegrityError, dbapi.DataError, dbapi.ProgrammingError) as exc:
            raise _unfit(exc, plan.member) from exc

    return write


def insert_tables(
    reader: ArchiveReader, plans: Sequence[TablePlan], conn: sa.Connection
) -> dict[str, int]:
    """Insert every table's rows in batches, keeping their ids; set the deferred foreign
    keys (self-references, cycles) once every row exists. Returns rows per table."""
    counts: dict[str, int] = {}
    deferred: list[tuple[TablePlan, list[dict[str, Any]]]] = []
    expected = {t["name"]: t["rows"] for t in reader.manifest["tables"]}
    copying = conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"
    for plan in plans:
        write = _copy(conn, plan) if copying else _insert(conn, plan)
        columns = set(plan.column_names)
        batch: list[dict[str, Any]] = []
        later: list[dict[str, Any]] = []
        count = 0
        for number, record in reader.records(plan.member):
            if record.keys() != columns:
                raise InputError(
                    f"the row's columns are not the table's {plan.column_names}",
                    file=plan.member,
                    line=number,
                )
            if any(record[name] is not None for name in plan.deferred):
                later.append(plan.deferred_values(_decoded(plan, dict(record), number)))
                record.update(dict.fromkeys(plan.deferred))
            batch.append(record if copying else _decoded(plan, record, number))
            count += 1
            if len(batch) >= BATCH:
                write(batch)
                batch = []
        write(batch)
        if count != expected[plan.name]:
            raise InputError(
                f"{count} rows, the manifest says {expected[plan.name]}", file=plan.member
            )
        counts[plan.name] = count
        deferred.append((plan, later))
    for plan, later in deferred:
        for start in range(0, len(later), BATCH):
            _execute(conn, plan.update_deferred(), later[start : start + BATCH], plan.member)
    return counts


def reset_sequences(conn: sa.Connection, plans: Sequence[TablePlan]) -> None:
    """PostgreSQL: move every serial/identity sequence past the largest restored id (the
    rows kept their ids, so the next insert would otherwise collide)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    quote = conn.dialect.identifier_preparer
    for plan in plans:
        table = quote.format_table(plan.table)
        for column in plan.table.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = conn.scalar(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table, "column": column.name},
            )
            if sequence is None:
                continue
            highest = conn.scalar(sa.select(sa.func.max(column)))
            conn.execute(
                sa.text("SELECT setval(:sequence, :value, :called)"),
                {
                    "sequence": sequence,
                    "value": highest if highest is not None else 1,
                    "called": highest is not None,
                },
            )
