"""Query budgets on the real database (PostgreSQL, and SQLite in the embedded pass): a
query over its budget is stopped by the database, the caller gets a 400-class error
naming the field, and the session and its connection go on working."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from translator.services.deadlines import TooSlow, deadline_passed, query_budget

# A query that counts to a hundred million: seconds on either database.
SLOW = sa.text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000)"
    " SELECT count(*) FROM c"
)
QUICK = sa.text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)"
    " SELECT count(*) FROM c"
)


def _timeout(db: Any) -> str | None:
    if db.engine.dialect.name != "postgresql":
        return None
    return str(db.session.scalar(sa.text("SHOW statement_timeout")))


def test_a_query_over_its_budget_is_stopped(db: Any) -> None:
    before = _timeout(db)
    start = time.perf_counter()
    with pytest.raises(TooSlow) as caught, query_budget(0.2, field="q"):
        db.session.execute(SLOW)
    assert time.perf_counter() - start < 3
    assert caught.value.field == "q"
    assert "took too long" in caught.value.message and "narrow it" in caught.value.message
    # The transaction and the connection go on; no timeout or handler is left behind.
    assert db.session.scalar(sa.text("SELECT 1")) == 1
    assert _timeout(db) == before
    assert db.session.scalar(QUICK) == 200000


def test_queries_within_the_budget_run_and_leave_nothing_behind(db: Any) -> None:
    before = _timeout(db)
    with query_budget(30, field="q") as budget:
        assert db.session.scalar(QUICK) == 200000
        budget.renew()
        if before is not None:
            assert _timeout(db) != before  # the block's own timeout
        assert db.session.scalar(sa.text("SELECT 2")) == 2
    assert _timeout(db) == before


def test_the_budget_is_shared_by_the_statements_of_a_block(db: Any) -> None:
    with pytest.raises(TooSlow), query_budget(0.05, field="q") as budget:
        time.sleep(0.1)
        budget.renew()  # nothing left for the next statement
    assert db.session.scalar(sa.text("SELECT 1")) == 1


def test_other_errors_pass_through_and_leave_the_session_usable(db: Any) -> None:
    with pytest.raises(sa.exc.DBAPIError), query_budget(5, field="q"):
        db.session.execute(sa.text("SELECT * FROM no_such_table"))
    if db.engine.dialect.name == "sqlite":
        db.session.rollback()
    assert db.session.scalar(sa.text("SELECT 1")) == 1


def test_code_inside_a_statement_can_tell_the_budget_ran_out(db: Any) -> None:
    """What the SQLite regex function asks before each row (SQLite's progress handler
    counts a whole function call as one step); PostgreSQL stops its statements itself."""
    assert not deadline_passed()
    with query_budget(0.01, field="q"):
        time.sleep(0.02)
        assert deadline_passed() == (db.engine.dialect.name == "sqlite")
    assert not deadline_passed()
