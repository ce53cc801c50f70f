"""Time budgets for queries that a user's input can make slow (the editor's text
search): past the budget the database itself stops the query, the caller gets a
``TooSlow`` error (a 400 naming the field) and the connection stays usable.

- SQLite: a progress handler on the connection (called every ``SQLITE_STEPS`` virtual
  machine instructions) interrupts the statement; it is removed afterwards. A function
  called once per row (our regular expressions) counts as one instruction, so it also
  looks at ``deadline_passed()`` before each row and stops the statement past it.
- PostgreSQL: ``statement_timeout`` set for the block's statements only
  (``set_config(..., true)`` in a savepoint, put back afterwards; a cancelled statement
  rolls the savepoint back, so the transaction goes on). An error of its regex engine
  while matching (out of memory, too complex) is a 400 naming the field too.

One call of such a function (the regular expression of one row) is not interrupted:
``translator.text.patterns`` keeps it linear in the row."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from translator.errors import InputError
from translator.extensions import db

SQLITE_STEPS = 1_000  # virtual machine instructions between two looks at the clock
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout
# What PostgreSQL's regex engine may still raise while matching a pattern that compiled:
# out of memory, too complex, invalid regular expression (REG_ESPACE and the like).
_TOO_COMPLEX = frozenset({"53200", "54000", "54001", "2201B"})


_active = threading.local()  # the deadline of this thread's query_budget block, if any


def deadline_passed() -> bool:
    """Whether the budget of the ``query_budget`` block this thread is in has run out
    (for code that SQLite calls inside a statement; False outside any block)."""
    at = getattr(_active, "at", None)
    return at is not None and time.monotonic() >= at


class TooSlow(InputError):
    """The work went over its time budget and was stopped."""


class QueryBudget:
    """The time left to the queries of one ``query_budget`` block."""

    def __init__(self, seconds: float, field: str, postgres: bool) -> None:
        self.seconds = seconds
        self.field = field
        self.postgres = postgres
        self.at = time.monotonic() + seconds

    def error(self) -> TooSlow:
        return TooSlow(
            f"the search took too long (over {self.seconds:g} s) and was stopped; "
            "narrow it: one column, a longer text, a simpler pattern",
            field=self.field,
        )

    def too_complex(self, exc: DBAPIError) -> InputError:
        message = str(exc.orig).strip().splitlines()[0]
        return InputError(
            f"the database could not run this search ({message}); narrow it: one column, "
            "a longer text, a simpler pattern",
            field=self.field,
        )

    def remaining_ms(self) -> int:
        """Milliseconds left (at least 1); raises TooSlow when none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.error()
        return max(1, int(left * 1000))

    def renew(self) -> None:
        """Before the block's next statement on PostgreSQL: give it only the time left
        (each statement has its own timeout there). Raises TooSlow when none is."""
        ms = self.remaining_ms()
        if self.postgres:
            db.session.execute(select(func.set_config("statement_timeout", str(ms), True)))


def _is_timeout(exc: DBAPIError, budget: QueryBudget) -> bool:
    orig: Any = exc.orig
    if budget.postgres:
        return getattr(orig, "sqlstate", None) == _QUERY_CANCELED
    stopped = ("interrupted", "user-defined function raised exception")
    return str(orig) in stopped and time.monotonic() >= budget.at


@contextmanager
def query_budget(seconds: float, *, field: str) -> Iterator[QueryBudget]:
    """Run the block's queries within ``seconds`` in all; past that they are stopped and
    TooSlow (naming ``field``) is raised. Call ``renew()`` between two statements that
    must share the budget on PostgreSQL."""
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    budget = QueryBudget(seconds, field, postgres)
    if not postgres:
        raw: Any = connection.connection.dbapi_connection
        raw.set_progress_handler(lambda: time.monotonic() >= budget.at, SQLITE_STEPS)
        _active.at = budget.at
        try:
            yield budget
        except DBAPIError as exc:
            if _is_timeout(exc, budget):
                raise budget.error() from None
            raise
        finally:
            _active.at = None
            raw.set_progress_handler(None, 0)
        return
    previous = db.session.scalar(select(func.current_setting("statement_timeout")))
    savepoint = db.session.begin_nested()
    try:
        budget.renew()
        yield budget
    except DBAPIError as exc:
        savepoint.rollback()
        if _is_timeout(exc, budget):
            raise budget.error() from None
        if getattr(exc.orig, "sqlstate", None) in _TOO_COMPLEX:
            raise budget.too_complex(exc) from None
        raise
    except BaseException:
        savepoint.rollback()
        raise
    db.session.execute(select(func.set_config("statement_timeout", previous, True)))
    savepoint.commit()
