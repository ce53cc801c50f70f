"""`translator align` when the job queue cannot be reached: it says so and exits
non-zero, and leaves the job failed (not pending), so nothing blocks a later alignment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from tests.conftest import dispose_engines, make_app, truncate_all
from translator.cli import cli
from translator.extensions import db
from translator.models import Job, JobState
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import


@pytest.fixture
def no_queue(tmp_path: Path, database_url: str, app: Flask) -> Iterator[Flask]:
    """An app whose broker is a closed port. No ``db`` fixture: with its app context
    open, the command would run in that app instead."""
    broken = make_app(
        tmp_path,
        database_url,
        CELERY={"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0"},
    )
    with broken.app_context():
        slug = store_import(prepare_import(b"One. Two.", "a.txt", "en"), title="Pair").document
        store_import(prepare_import(b"Un. Deux.", "b.txt", "fr"), document=get_document(slug))
        db.session.commit()
    yield broken
    with broken.app_context():
        truncate_all(db.engine)
    dispose_engines(broken)


def test_align_says_the_queue_is_unreachable(no_queue: Flask) -> None:
    def align(*extra: str) -> Any:
        return CliRunner().invoke(
            cli, ["align", "pair", *extra], obj=ScriptInfo(create_app=lambda: no_queue)
        )

    result = align("--wait")
    assert result.exit_code == 1
    assert "alignment not started: the job queue is unreachable" in result.output
    with no_queue.app_context():
        assert db.session.scalars(sa.select(Job.state)).all() == [JobState.FAILED]
    assert align("--local").exit_code == 0  # nothing left pending blocks the document
