"""Progress counters: their full recount. The database keeps ``edition_counts`` and
``person_day_counts`` up to date itself (triggers, see ``models.counters``); this
rebuilds them from the segments and revisions (``translator progress --recount``), and
tells where the kept counters differ from a recount (what the tests check)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text

from translator.extensions import db
from translator.services.segments import take_write_lock

# Revisions that rewrite text without a person's translating or reviewing it.
_STRUCTURAL = "('import', 'alignment', 'merge', 'split', 'move')"

_EDITION_RECOUNT_OF = """
SELECT s.edition_id, s.status, count(*) AS segments, coalesce(sum(s.words), 0) AS words,
  sum(CASE WHEN s.aligned THEN 0 ELSE 1 END) AS unaligned,
  sum(CASE WHEN s.outdated THEN 1 ELSE 0 END) AS outdated,
  coalesce(sum(o.words), 0) AS original_words
FROM segments s
JOIN editions e ON e.id = s.edition_id
JOIN documents d ON d.id = e.document_id
LEFT JOIN segments o ON o.unit_id = s.unit_id AND o.edition_id = d.original_edition_id
  AND o.edition_id <> s.edition_id
{where}GROUP BY s.edition_id, s.status"""
_EDITION_RECOUNT = _EDITION_RECOUNT_OF.format(where="")
# The same, for one document's editions.
_DOCUMENT_RECOUNT = _EDITION_RECOUNT_OF.format(where="WHERE d.id = :document\n")
_ZERO_DOCUMENT = (
    "UPDATE edition_counts SET segments = 0, words = 0, unaligned = 0, outdated = 0,"
    " original_words = 0 WHERE edition_id IN"
    " (SELECT id FROM editions WHERE document_id = :document)"
)
# The counter rows set to a recount (``{recount}``), inserted where missing.
_EDITION_UPSERT = (
    "INSERT INTO edition_counts (edition_id, status, segments, words, unaligned,"
    " outdated, original_words) {recount}"
    " ON CONFLICT (edition_id, status) DO UPDATE SET segments = excluded.segments,"
    " words = excluded.words, unaligned = excluded.unaligned,"
    " outdated = excluded.outdated, original_words = excluded.original_words"
)
_RECOUNT_DOCUMENT = _EDITION_UPSERT.format(recount=_DOCUMENT_RECOUNT)
# The class of PostgreSQL advisory locks (with a document id) that counter writes take
# (migration c9d4e2a7f160).
COUNTER_LOCK = 1229


def _person_recount(dialect: str) -> str:
    day = (
        "CAST(created_at AT TIME ZONE 'UTC' AS date)"
        if dialect == "postgresql"
        else "date(created_at)"
    )
    return f"""
SELECT author_id AS user_id, edition_id, {day} AS day,
  sum(CASE WHEN status = 'translated' THEN coalesce(words, 0) ELSE 0 END) AS words_translated,
  sum(CASE WHEN status = 'reviewed' THEN coalesce(words, 0) ELSE 0 END) AS words_reviewed
FROM revisions
WHERE advanced AND edition_id IS NOT NULL AND author_id IN (SELECT id FROM users)
GROUP BY author_id, edition_id, {day}"""  # noqa: S608 - constants only


def recount_statements(dialect: str) -> list[str]:
    """The statements that set every counter to its recount: all to zero, then the
    recount upserted (the rows stay: a restore gives back the rows it backed up)."""
    return [
        "UPDATE edition_counts SET segments = 0, words = 0, unaligned = 0, outdated = 0,"
        " original_words = 0",
        "UPDATE person_day_counts SET words_translated = 0, words_reviewed = 0",
        _EDITION_UPSERT.format(recount=_EDITION_RECOUNT),
        "INSERT INTO person_day_counts (user_id, edition_id, day, words_translated,"
        f" words_reviewed) {_person_recount(dialect)}"
        " ON CONFLICT (user_id, edition_id, day) DO UPDATE SET"
        " words_translated = excluded.words_translated,"
        " words_reviewed = excluded.words_reviewed",
    ]


@contextmanager
def recounted(document_id: int) -> Iterator[None]:
    """Bulk writes of one document's segments (an alignment or its undo, an import, a
    new translation, a document made from an interchange file, a purge): on PostgreSQL
    the per-row counter trigger stands idle meanwhile (``translator.counts`` deferred,
    for this transaction only), then the document's counters are recounted in one
    statement. Row by row, each of thousands of changes rewrote the same counter row,
    and each rewrite walked the versions of it written before in the transaction: 12 s
    to delete the 9 000 old units of an alignment, 0.3 s now. Other writers of the
    document wait on its counter lock until the transaction ends, as they do for the
    trigger's. If the block raises, the transaction must be rolled back (the setting
    goes with it). SQLite keeps no row versions: its triggers count as they go."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(
        text("SELECT pg_advisory_xact_lock(:lock, :document)"),
        {"lock": COUNTER_LOCK, "document": document_id},
    )
    connection.execute(text("SELECT set_config('translator.counts', 'deferred', true)"))
    yield
    connection.execute(text("SELECT set_config('translator.counts', '', true)"))
    connection.execute(text(_ZERO_DOCUMENT), {"document": document_id})
    connection.execute(text(_RECOUNT_DOCUMENT), {"document": document_id})


def rebuild_counters(connection: Connection) -> None:
    """Set the counters to a recount of the rows (a restore calls it: the rows it
    inserts were counted by the triggers on top of the counters it restored)."""
    for statement in recount_statements(connection.dialect.name):
        connection.execute(text(statement))


def recount_progress() -> None:
    """Rebuild every counter from the segments and revisions. Writers of segments wait
    meanwhile (PostgreSQL: SHARE locks; SQLite: its write lock), so that no change lands
    between the recount and its write."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE segments, revisions, documents IN SHARE MODE"))
    else:
        take_write_lock()
    rebuild_counters(connection)
    db.session.flush()


def _rows(sql: str, keys: int) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Key columns → the other columns, all-zero rows left out (a counter row that went
    back to zero is not kept by a recount)."""
    result = {}
    for row in db.session.execute(text(sql)):
        values = tuple(int(v or 0) for v in row[keys:])
        if any(values):
            result[tuple(str(k) for k in row[:keys])] = values
    return result


def counter_mismatches() -> list[str]:
    """Every difference between the kept counters and a full recount ([] when none)."""
    dialect = db.session.connection().dialect.name
    pairs = [
        (
            "edition",
            _rows(
                "SELECT edition_id, status, segments, words, unaligned, outdated,"
                " original_words FROM edition_counts",
                2,
            ),
            _rows(_EDITION_RECOUNT, 2),
        ),
        (
            "person",
            _rows(
                "SELECT user_id, edition_id, day, words_translated, words_reviewed"
                " FROM person_day_counts",
                3,
            ),
            _rows(_person_recount(dialect), 3),
        ),
    ]
    problems = []
    for name, kept, counted in pairs:
        for key in sorted(kept.keys() | counted.keys()):
            if kept.get(key) != counted.get(key):
                problems.append(f"{name} {key}: kept {kept.get(key)}, counted {counted.get(key)}")
    return problems
