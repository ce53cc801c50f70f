"""The dashboard's pages, API and live stream: what a coordinator sees (escaped), the
edition page's blockers and charts, the number of queries (the same for 3 and for 30
documents), and progress events as cells change."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import sign_in
from translator.extensions import db as _db
from translator.models import AssignmentKind, Document, MemberRole, Segment, Unit, User
from translator.services.assignments import assign
from translator.services.dashboard import utc_today
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation
from translator.services.imports import prepare_import, store_import
from translator.services.members import set_member

TEXT = "One two three four five.\n\nSix seven eight nine ten.\n"
HOSTILE = "<script>alert(1)</script>"


def _document(title: str) -> Document:
    summary = store_import(prepare_import(TEXT.encode(), "text.txt", "en"), title=title)
    document = get_document(summary.document)
    start_translation(document, "fr")
    _db.session.flush()
    return document


def _first_fr(document: Document) -> Segment:
    edition = document.edition("fr")
    assert edition is not None
    segment = _db.session.scalar(
        sa.select(Segment)
        .join(Unit, Unit.id == Segment.unit_id)
        .where(Segment.edition_id == edition.id)
        .order_by(Unit.order_key)
        .limit(1)
    )
    assert segment is not None
    return segment


def _person(email: str, name: str = "") -> User:
    user = User(email=email, display_name=name, password_hash="-")  # never signs in
    _db.session.add(user)
    _db.session.flush()
    return user


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_a_coordinator_sees_their_editions_escaped_with_charts(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    cleo, _ = sign_in(client, create_user, "cleo@example.org")
    mine = _document(HOSTILE)
    _document("Not mine")
    set_member(mine, cleo, "", MemberRole.COORDINATOR)
    ana = _person("ana@example.org", "<b>Ana</b>")
    assign(mine, "fr", ana, AssignmentKind.TRANSLATE, due=utc_today() - timedelta(days=1))
    segment = _first_fr(mine)
    save_segment(segment, "Un deux trois.", base_version=segment.version, user=ana, confirm=True)
    db.session.commit()

    page = client.get("/dashboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Ana</b>" not in html and "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "Not mine" not in html
    assert 'href="/dashboard"' in html  # the nav link
    assert re.search(r'<tr data-edition="\d+" class="overdue">', html)
    assert 'role="img"' in html  # the throughput chart, with Ana's words
    assert "<details" in html

    # Why each edition is not ready, each reason a link to those cells in the editor.
    assert f'href="/documents/{mine.slug}/edit?status=empty&amp;status_language=fr"' in html
    partial = client.get("/dashboard?partial=rows").get_data(as_text=True)
    assert "<html" not in partial and 'id="dashboard-table"' in partial

    api = client.get("/api/v1/dashboard").get_json()
    assert api["total"] == 2
    first = api["rows"][0]
    assert first["title"] == HOSTILE and first["language"] == "fr" and first["overdue"]
    assert first["assignees"][0]["user"]["name"] == "<b>Ana</b>"
    assert first["words_to_translate"] == 5 and first["phase"] == "translate"
    assert first["url"] == f"/dashboard/{mine.slug}/fr"
    assert {b["reason"] for b in first["blockers"]} == {"empty", "translated"}
    empty = next(b for b in first["blockers"] if b["reason"] == "empty")
    assert empty["editor"] == f"/documents/{mine.slug}/edit?status=empty&status_language=fr"


def test_the_edition_page_links_to_its_blocking_cells(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    sign_in(client, create_user, "boss@example.org", is_coordinator=True)
    document = _document("An essay")
    db.session.commit()
    page = client.get(f"/dashboard/{document.slug}/fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    link = f'href="/documents/{document.slug}/edit?status=empty&amp;status_language=fr"'
    assert link in html
    figure = re.search(r'<figure class="chart" id="burndown">.*?</figure>', html, re.S)
    assert figure is not None
    parsed = ET.fromstring(figure.group(0))  # well-formed
    svg = "{http://www.w3.org/2000/svg}"
    assert "An essay" in (parsed.findtext(f"{svg}svg/{svg}desc") or "")
    assert parsed.findtext(f"{svg}svg/{svg}title") == "Burndown: words left"
    assert client.get(f"/dashboard/{document.slug}/de").status_code == 404


def test_people_without_the_right_see_no_link_and_are_refused(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    translator, _ = sign_in(client, create_user, "tra@example.org")
    document = _document("Theirs")
    set_member(document, translator, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    assert 'href="/dashboard"' not in client.get("/").get_data(as_text=True)
    assert client.get("/dashboard").status_code == 403
    assert client.get("/api/v1/dashboard").status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_documents(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    sign_in(client, create_user, "admin@example.org", is_admin=True)
    ana = _person("ana@example.org", "Ana")

    def documents(count: int) -> None:
        for i in range(count):
            document = _document(f"Doc {count}-{i}")
            assign(document, "fr", ana, AssignmentKind.TRANSLATE, due=utc_today())
            segment = _first_fr(document)
            save_segment(segment, "Un deux.", base_version=segment.version, user=ana, confirm=True)
        db.session.commit()

    def queries(path: str) -> int:
        client.get(path)  # the day's snapshot, if not taken yet
        with counted(db.engine) as statements:
            response = client.get(path)
        assert response.status_code == 200
        return len(statements)

    documents(3)
    few = {path: queries(path) for path in ("/dashboard", "/api/v1/dashboard")}
    rows = client.get("/api/v1/dashboard").get_json()["total"]
    assert rows == 6
    documents(27)
    many = {path: queries(path) for path in ("/dashboard", "/api/v1/dashboard")}
    assert client.get("/api/v1/dashboard").get_json()["total"] == 60
    assert many == few, (few, many)
    assert few["/dashboard"] <= 15, few


def test_the_live_stream_tells_of_progress_in_managed_documents(
    client: FlaskClient, create_user: Any, db: Any, app: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "LIVE_KEEPALIVE", 0.3)
    cleo, _ = sign_in(client, create_user, "cleo@example.org")
    mine, other = _document("Mine"), _document("Other")
    set_member(mine, cleo, "", MemberRole.COORDINATOR)
    ana = _person("ana@example.org")
    set_member(mine, ana, "fr", MemberRole.TRANSLATOR)
    set_member(other, ana, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    mine_id, other_id, ana_id = mine.id, other.id, ana.id

    response = client.get("/dashboard/events", buffered=False)
    assert response.mimetype == "text/event-stream"
    chunks = iter(response.response)
    assert next(chunks) == b": connected\n\n"
    assert next(chunks) == b": keep-alive\n\n"
    ana = db.session.get(User, ana_id)  # the stream gave the session back

    segment = _first_fr(db.session.get(Document, other_id))
    save_segment(segment, "Autre.", base_version=segment.version, user=ana, confirm=True)
    db.session.commit()  # published after the commit: not a document Cleo manages
    assert next(chunks) == b": keep-alive\n\n"
    segment = _first_fr(db.session.get(Document, mine_id))
    save_segment(segment, "Un deux.", base_version=segment.version, user=ana, confirm=True)
    db.session.commit()
    assert next(chunks) == f'event: progress\ndata: {{"document": {mine_id}}}\n\n'.encode()
    # An assignment given: its assignee and due date.
    assign(db.session.get(Document, mine_id), "fr", ana, AssignmentKind.TRANSLATE)
    db.session.commit()
    assert next(chunks) == f'event: progress\ndata: {{"document": {mine_id}}}\n\n'.encode()
    # A change the hub did not carry (a worker process in the embedded mode): the next
    # keep-alive finds the figures changed.
    for _ in range(3):
        if next(chunks) == b": keep-alive\n\n":
            break
    db.session.execute(
        sa.text("UPDATE editions SET deleted_at = CURRENT_TIMESTAMP WHERE document_id = :id"),
        {"id": other_id},
    )
    db.session.commit()
    assert next(chunks) == b'event: progress\ndata: {"document": null}\n\n'
    assert next(chunks) == b": keep-alive\n\n"
    response.close()
