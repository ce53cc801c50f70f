"""The progress counters kept by the database (edition × status, person × day) agree
with a full recount after a seeded random run of everything that writes segments:
saves (confirmed, draft, emptied, reviewed), reverts, merges, splits, moves, inserts,
undos, realignments, search-and-replace, a new translation, a change of original."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import SHARED, dispose_engines, make_app
from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db as _db
from translator.models import Document, EditionCount, Revision, Segment, SegmentStatus, User
from translator.services.alignment import align_document
from translator.services.counters import counter_mismatches, recount_progress, recounted
from translator.services.documents import get_document, set_original
from translator.services.editing import revert_segment, save_segment
from translator.services.editions import start_translation
from translator.services.imports import prepare_import, store_import
from translator.services.progress import edition_progress
from translator.services.replace import apply_replace, preview_replace
from translator.services.structure import (
    insert_unit,
    merge_units,
    move_sentence,
    split_offsets,
    split_unit,
    undo_change,
)
from translator.services.units import unit_rows
from translator.services.users import create_user

ARTICLES = 6  # the preamble and the first articles: enough text, a fast run


def _udhr(name: str) -> str:
    xml = (SHARED / "corpus" / "udhr" / name).read_text(encoding="utf-8")
    blocks = []
    for tag, body in re.findall(r"<(title|para)>(.*?)</\1>", xml, flags=re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
        if text:
            blocks.append(f"## {text}" if tag == "title" else text)
    return "\n\n".join(blocks[: 4 * ARTICLES]) + "\n"


@pytest.fixture(params=["default", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The test database (PostgreSQL where there is one), and SQLite on its own."""
    if request.param == "default":
        yield request.getfixturevalue("db")
        return
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'counters.sqlite3'}")
    with app.app_context():
        upgrade()
        yield _db
    dispose_engines(app)


def _import(text: str, language: str, document: str | None = None) -> Document:
    prepared = prepare_import(text.encode(), "udhr.md", language, "auto")
    summary = store_import(
        prepared, document=get_document(document) if document else None, title="UDHR"
    )
    _db.session.commit()
    return get_document(summary.document)


def _segments(document: Document) -> list[Segment]:
    return list(
        _db.session.scalars(
            sa.select(Segment)
            .join(Segment.unit)
            .where(Segment.unit.property.mapper.class_.document_id == document.id)
            .order_by(Segment.id)
        )
    )


class Steps:
    """The random steps; each returns nothing and may raise a domain error (refused)."""

    def __init__(self, document: Document, users: list[User], rng: random.Random) -> None:
        self.document, self.users, self.rng = document, users, rng

    def _unit(self) -> int:
        return self.rng.choice(unit_rows(self.document)).id

    def _language(self) -> str:
        return self.rng.choice([e.language for e in self.document.editions])

    def save(self) -> None:
        segment = self.rng.choice(_segments(self.document))
        kind = self.rng.choice(["confirm", "draft", "empty", "reviewed", "same"])
        text = {
            "empty": "",
            "same": segment.text,
        }.get(kind, f"{segment.text} {self.rng.choice(['Yes.', 'Sim, sim.', 'Oui.'])}".strip())
        save_segment(
            segment,
            text,
            base_version=segment.version,
            user=self.rng.choice(self.users),
            confirm=kind == "confirm",
            status=SegmentStatus.REVIEWED if kind == "reviewed" and text else None,
        )

    def revert(self) -> None:
        segment = self.rng.choice(_segments(self.document))
        revisions = list(
            _db.session.scalars(sa.select(Revision).where(Revision.segment_id == segment.id))
        )
        if revisions:
            revert_segment(
                segment,
                self.rng.choice(revisions),
                base_version=segment.version,
                user=self.rng.choice(self.users),
            )

    def merge(self) -> None:
        merge_units(self.document, self._unit(), author_id=self.users[0].id)

    def split(self) -> None:
        language = self._language()
        for row in self.rng.sample(unit_rows(self.document), k=len(unit_rows(self.document))):
            cell = row.cells.get(language)
            offsets = split_offsets(cell.text, language) if cell else []
            if offsets:
                split_unit(self.document, row.id, language, self.rng.choice(offsets))
                return

    def move(self) -> None:
        language = self.rng.choice(["en", "fr", "pt"])  # the editions with text
        move_sentence(self.document, self._unit(), language, to_next=self.rng.random() < 0.5)

    def insert(self) -> None:
        insert_unit(self.document, self._unit(), after=self.rng.random() < 0.5)

    def undo(self) -> None:
        undo_change(self.document)

    def realign(self) -> None:
        align_document(self.document, pivot="en", force=True, author_id=self.users[0].id)

    def replace(self) -> None:
        language = self._language()
        find, by = self.rng.choice([("the", "THE"), ("de", "DE"), ("Oui", "Non"), ("e", "ee")])
        previews = preview_replace(self.document, language, find, by).previews
        expected = {p.segment_id: p.version for p in previews}
        apply_replace(
            self.document,
            language,
            find,
            by,
            regex=False,
            case=False,
            expected=expected,
            author_id=self.users[1].id,
        )

    def translate(self) -> None:
        start_translation(self.document, self.rng.choice(["de", "it", "es"]))

    def original(self) -> None:
        set_original(self.document, self.rng.choice(["en", "fr", None]))


WEIGHTS = {
    "save": 30,
    "revert": 4,
    "merge": 5,
    "split": 5,
    "move": 5,
    "insert": 4,
    "undo": 5,
    "realign": 2,
    "replace": 3,
    "translate": 2,
    "original": 4,
}


def _check(step: int, name: str) -> None:
    problems = counter_mismatches()
    assert problems == [], f"after step {step} ({name}): {problems[:5]}"


@pytest.mark.parametrize("seed", [7, 2026, 31])
def test_counters_agree_with_a_recount_after_random_work(database: Any, seed: int) -> None:
    users = [
        create_user("ana@example.org", "correct horse", is_admin=True),
        create_user("bea@example.org", "correct horse", is_admin=True),
    ]
    _db.session.commit()
    document = _import(_udhr("udhr_eng.xml"), "en")
    _import(_udhr("udhr_fra.xml"), "fr", document.slug)
    _import(_udhr("udhr_por_PT.xml"), "pt", document.slug)
    _check(0, "import")
    align_document(document, pivot="en")
    _db.session.commit()
    _check(0, "alignment")
    rng = random.Random(seed)
    steps = Steps(document, users, rng)
    done: dict[str, int] = {}
    for step in range(1, 61):
        name = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        try:
            getattr(steps, name)()
            _db.session.commit()
            done[name] = done.get(name, 0) + 1
        except (InputError, Conflict, NotFound):
            _db.session.rollback()
        _db.session.expire_all()
        _check(step, name)
    assert done.get("save", 0) > 10 and len(done) >= 8, done  # the run did many kinds
    # People's days are counted too, and the figures the pages show come from the counters.
    day_rows = _db.session.execute(sa.text("SELECT count(*) FROM person_day_counts")).scalar()
    assert day_rows and day_rows > 0
    progress = edition_progress([document.id])
    for edition in document.editions:
        counted = _db.session.execute(
            sa.select(
                sa.func.count(Segment.id), sa.func.coalesce(sa.func.sum(Segment.words), 0)
            ).where(Segment.edition_id == edition.id)
        ).one()
        figures = progress[edition.id]
        assert (figures.total_segments, figures.total_words) == tuple(counted)


def test_recount_repairs_damaged_counters(database: Any) -> None:
    document = _import(_udhr("udhr_eng.xml"), "en")
    _import(_udhr("udhr_fra.xml"), "fr", document.slug)
    _db.session.execute(sa.update(EditionCount).values(words=EditionCount.words + 5))
    _db.session.commit()
    assert counter_mismatches()
    recount_progress()
    _db.session.commit()
    assert counter_mismatches() == []


def test_concurrent_saves_keep_every_counter(app: Any, db: Any) -> None:
    """Four writers save cells of every language at once, moving them both ways between
    draft and translated (and flagging each other's siblings outdated): none fails
    (no lost update, no deadlock) and every counter still equals a recount."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serializes whole writes)")
    users = [create_user(f"u{i}@example.org", "correct horse", is_admin=True) for i in range(4)]
    _db.session.commit()
    document = _import(_udhr("udhr_eng.xml"), "en")
    _import(_udhr("udhr_fra.xml"), "fr", document.slug)
    _import(_udhr("udhr_por_PT.xml"), "pt", document.slug)
    ids = [s.id for s in _segments(document)]
    user_ids = [u.id for u in users]
    errors: list[str] = []
    start = threading.Barrier(len(user_ids))

    def work(n: int) -> None:
        rng = random.Random(n)
        mine = ids[n :: len(user_ids)]
        with app.app_context():
            user = _db.session.get(User, user_ids[n])
            start.wait()
            for round_ in range(20):
                segment = _db.session.get(Segment, rng.choice(mine))
                try:
                    save_segment(
                        segment,
                        f"{segment.text.split(' #')[0]} #{round_}",
                        base_version=segment.version,
                        user=user,
                        confirm=(round_ + n) % 2 == 0,
                    )
                    _db.session.commit()
                except Exception as exc:
                    _db.session.rollback()
                    errors.append(repr(exc))
                _db.session.expire_all()
            _db.session.remove()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(user_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    _db.session.expire_all()
    assert counter_mismatches() == []


def test_the_migration_fills_the_counters_of_existing_rows(tmp_path: Path) -> None:
    """Work done before the counters existed (down one step, the schema before them)
    is counted by the migration that adds them: cells, words and each person's days."""
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'filled.sqlite3'}")
    with app.app_context():
        upgrade()
        user = create_user("ana@example.org", "correct horse", is_admin=True)
        document = _import(_udhr("udhr_eng.xml"), "en")
        _import(_udhr("udhr_fra.xml"), "fr", document.slug)
        for segment in _segments(document)[:5]:
            save_segment(
                segment,
                segment.text,
                base_version=segment.version,
                user=user,
                status=SegmentStatus.REVIEWED,
            )
        _db.session.commit()
        kept = {
            "editions": _db.session.execute(
                sa.text("SELECT * FROM edition_counts ORDER BY 1, 2")
            ).all(),
            "people": _db.session.execute(sa.text("SELECT * FROM person_day_counts")).all(),
        }
        assert kept["people"]
        _db.session.remove()
        downgrade(revision="c4d8a2f6e1b3")  # the schema before the counters' migration
        assert "edition_counts" not in sa.inspect(_db.engine).get_table_names()
        upgrade()
        assert counter_mismatches() == []
        assert _db.session.execute(sa.text("SELECT * FROM edition_counts ORDER BY 1, 2")).all() == [
            r for r in kept["editions"] if any(r[2:])
        ]
        assert (
            _db.session.execute(sa.text("SELECT * FROM person_day_counts")).all() == kept["people"]
        )
        _db.session.remove()
    dispose_engines(app)


def test_deleting_an_original_a_user_or_a_document_keeps_the_counters(database: Any) -> None:
    """Cascades count too: the original edition deleted (its words leave every
    translation's figures), a person deleted (their days go), a whole document."""
    user = create_user("ana@example.org", "correct horse", is_admin=True)
    document = _import(_udhr("udhr_eng.xml"), "en")
    _import(_udhr("udhr_fra.xml"), "fr", document.slug)
    start_translation(document, "de")
    for segment in _segments(document)[:8]:
        save_segment(
            segment, segment.text or "Ja.", base_version=segment.version, user=user, confirm=True
        )
    _db.session.commit()
    assert counter_mismatches() == []
    _db.session.delete(document.edition("en"))
    _db.session.commit()
    _db.session.expire_all()
    assert counter_mismatches() == []
    assert all(p.original_words is None for p in edition_progress([document.id]).values())
    _db.session.delete(_db.session.get(User, user.id))
    _db.session.commit()
    assert counter_mismatches() == []
    _db.session.execute(sa.delete(Document).where(Document.id == document.id))
    _db.session.commit()
    assert counter_mismatches() == []
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(EditionCount)) == 0


def _counted_segments(document: Document) -> int:
    return int(
        _db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(EditionCount.segments), 0)).where(
                EditionCount.edition_id.in_([e.id for e in document.editions])
            )
        )
    )


def test_a_bulk_write_counts_once_at_the_end_then_row_by_row_again(database: Any) -> None:
    """Inside ``recounted`` (an alignment, an import) PostgreSQL's per-row counting
    stands idle and one recount follows; after it, in the same transaction, every
    change is counted again as it happens."""
    document = _import(_udhr("udhr_eng.xml"), "en")
    _import(_udhr("udhr_fra.xml"), "fr", document.slug)
    before = _counted_segments(document)
    segments = _db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == document.editions[0].id)
    ).all()
    postgres = _db.session.connection().dialect.name == "postgresql"
    with recounted(document.id):
        for segment in segments[:3]:
            _db.session.delete(segment)
        _db.session.flush()
        # Deferred on PostgreSQL (nothing counted yet), counted at once on SQLite.
        assert _counted_segments(document) == (before if postgres else before - 3)
    assert _counted_segments(document) == before - 3
    assert counter_mismatches() == []
    # The same transaction goes on: a change is counted by the trigger again.
    _db.session.delete(segments[3])
    _db.session.flush()
    assert _counted_segments(document) == before - 4
    assert counter_mismatches() == []
    _db.session.commit()
