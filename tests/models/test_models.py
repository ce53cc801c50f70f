"""Model invariants that the database itself enforces."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from translator.models import Document, Edition, Segment, SegmentStatus, Unit, UnitRole


def _document(db: Any) -> tuple[Document, Edition, Unit]:
    document = Document(slug="essay", title="Essay")
    edition = Edition(document=document, language="en")
    db.session.add_all([document, edition])
    db.session.flush()
    unit = Unit(document_id=document.id, order_key="a0", role=UnitRole.PARAGRAPH, paragraph_key=1)
    db.session.add(unit)
    db.session.flush()
    return document, edition, unit


def test_one_edition_per_language(db: Any) -> None:
    document, _edition, _unit = _document(db)
    db.session.add(Edition(document=document, language="en"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_order_keys_sort_bytewise(db: Any) -> None:
    """Fractional keys mix cases ('a0' < 'aZ' < 'a_' < 'az'); PostgreSQL's default
    collation would sort them case-insensitively, so the column is COLLATE "C"."""
    document, _edition, _unit = _document(db)
    for key in ["aZ", "az", "a1", "aV"]:
        db.session.add(
            Unit(document_id=document.id, order_key=key, role=UnitRole.PARAGRAPH, paragraph_key=1)
        )
    db.session.flush()
    keys = db.session.scalars(
        sa.select(Unit.order_key).where(Unit.document_id == document.id).order_by(Unit.order_key)
    ).all()
    assert keys == sorted(keys)
    assert keys == ["a0", "a1", "aV", "aZ", "az"]


def test_role_is_constrained(db: Any) -> None:
    document, _edition, _unit = _document(db)
    with pytest.raises(sa.exc.DBAPIError):
        db.session.execute(
            sa.text(
                "INSERT INTO units (document_id, order_key, role, paragraph_key, created_at) "
                "VALUES (:d, 'b0', 'poem', 1, CURRENT_TIMESTAMP)"
            ),
            {"d": document.id},
        )


def test_segment_version_is_an_optimistic_lock(db: Any, app: Any) -> None:
    _, edition, unit = _document(db)
    segment = Segment(unit_id=unit.id, edition_id=edition.id, text="One.")
    db.session.add(segment)
    db.session.commit()
    assert segment.version == 1
    segment.text = "Two."
    db.session.commit()
    assert segment.version == 2
    # Someone else saves meanwhile, on another connection: our stale copy must not
    # overwrite their text.
    with db.engine.begin() as other:
        other.execute(
            sa.update(Segment.__table__)
            .where(Segment.__table__.c.id == segment.id)
            .values(text="Theirs.", version=3)
        )
    segment.text = "Mine."
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Segment, segment.id).text == "Theirs."
    assert db.session.get(Segment, segment.id).status == SegmentStatus.EMPTY
