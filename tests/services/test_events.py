"""Live events follow the transaction: recorded by the services, published once the
change commits, never for a change rolled back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from translator.models import Document, Unit
from translator.services import live
from translator.services.comments import add_comment
from translator.services.editing import save_segment
from translator.services.events import pending_events
from translator.services.structure import merge_units
from translator.services.units import unit_rows

EN = "# Title\n\nThe cat sleeps. The dog barks.\n\nLast line.\n"


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    import_text(EN, "en", filename="essay.md", title="Essay")
    return db.session.scalar(sa.select(Document))


def _drain(subscription: live.Subscription) -> list[tuple[str, dict[str, Any]]]:
    events = []
    while (item := next(subscription)) is not None:
        events.append(item)
    return events


def test_a_rolled_back_change_publishes_nothing_a_committed_one_once(
    db: Any, document: Document, create_user: Any
) -> None:
    admin = create_user("admin@example.org", is_admin=True)
    row = unit_rows(document)[1]
    with live.subscribe(document.id, timeout=0.2) as events:
        cell = row.cells["en"]
        save_segment(cell.id, "The cat naps.", base_version=cell.version, user=admin)
        assert [name for _, name, _ in pending_events()] == ["segment"]
        db.session.rollback()
        assert _drain(events) == [] and pending_events() == []

        saved = save_segment(cell.id, "The cat naps.", base_version=cell.version, user=admin)
        add_comment(db.session.get(Unit, row.id), "Naps?", user=admin)
        merge_units(document, row.id, author_id=admin.id)
        assert _drain(events) == []  # nothing before the commit
        db.session.commit()
        received = _drain(events)
    assert [name for name, _ in received] == ["segment", "comments", "structure"]
    segment = received[0][1]
    assert segment["segment"]["text"] == "The cat naps." and saved.saved
    assert segment["by"] == {"id": admin.id, "name": admin.name}
    assert received[1][1] == {"unit": row.id, "count": 1}
    assert received[2][1]["unit"] == row.id


def test_html_of_a_segment_event_is_sanitized(
    db: Any, document: Document, create_user: Any
) -> None:
    admin = create_user("admin@example.org", is_admin=True)
    cell = unit_rows(document)[1].cells["en"]
    with live.subscribe(document.id, timeout=0.2) as events:
        save_segment(
            cell.id, "<img src=x onerror=alert(1)> &lt;b&gt;", base_version=cell.version, user=admin
        )
        db.session.commit()
        (name, data), *_ = _drain(events)
    assert name == "segment"
    assert "<img" not in data["segment"]["html"] and "onerror" not in data["segment"]["html"]
