"""The document list: filters (project, language, person, state) kept in the query
string, pages of 50 in a stable order, and a cost per page that does not grow with the
number of documents (no query per document)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import sign_in
from translator.extensions import db as _db
from translator.models import AssignmentKind, Document, MemberRole, Segment, SegmentStatus
from translator.services.assignments import assign
from translator.services.document_list import (
    DocumentFilters,
    DocumentState,
    document_page,
)
from translator.services.documents import add_edition, create_document, get_document
from translator.services.editions import start_translation
from translator.services.members import set_member
from translator.services.progress import edition_progress
from translator.services.projects import create_project, set_document_project, set_project_member

TITLE = re.compile(r'<a href="/documents/([a-z0-9-]+)">')


def _slugs(html: str) -> list[str]:
    return TITLE.findall(html)


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", count)


def _many(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        document = create_document(f"Document {i:04d}", slug=f"doc-{i:04d}")
        add_edition(document, "en")
        add_edition(document, "fr")
    _db.session.commit()


def test_pages_of_fifty_in_a_stable_order_with_links_keeping_the_filters(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    sign_in(client, create_user, "boss@example.org", is_coordinator=True)
    _many(120)
    seen: list[str] = []
    for page in (1, 2, 3):
        html = client.get(f"/?page={page}&language=fr").get_data(as_text=True)
        seen += _slugs(html)
        if page < 3:
            assert f'href="/?page={page + 1}&amp;language=fr" rel="next"' in html
    assert len(seen) == 120 and len(set(seen)) == 120  # every document once
    assert seen[:2] == ["doc-0119", "doc-0118"]  # newest first, ties by id
    assert "Page 2 of 3" in client.get("/?page=2").get_data(as_text=True)
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404


def test_a_page_costs_the_same_queries_whatever_the_number_of_documents(
    client: FlaskClient, create_user: Any, db: Any
) -> None:
    ana, _ = sign_in(client, create_user, "ana@example.org")  # the visibility rule applies
    _many(10)
    for document in db.session.scalars(sa.select(Document)):
        set_member(document, ana, "fr", MemberRole.TRANSLATOR)
    project = create_project("series", "Series", languages=["fr"])
    set_project_member(project, ana, "fr", MemberRole.TRANSLATOR)
    set_document_project(get_document("doc-0000"), project)  # the page loads projects
    db.session.commit()
    with counted() as few:
        assert client.get("/").status_code == 200
    _many(90, start=10)
    for document in db.session.scalars(sa.select(Document).where(Document.slug >= "doc-0010")):
        set_document_project(document, project)
    db.session.commit()
    with counted() as many:
        html = client.get("/").get_data(as_text=True)
    assert len(_slugs(html)) == 50  # 100 visible (10 own, 90 through the project): a page
    assert len(many) == len(few), (len(few), len(many))


def _review_all(document: Document, language: str) -> None:
    edition = document.edition(language)
    assert edition is not None
    _db.session.execute(
        sa.update(Segment)
        .where(Segment.edition_id == edition.id)
        .values(status=SegmentStatus.REVIEWED, text="Fait.")
    )


def test_filters_by_project_language_person_and_state(
    client: FlaskClient, create_user: Any, import_text: Any, db: Any
) -> None:
    boss, _ = sign_in(client, create_user, "boss@example.org", is_coordinator=True)
    ana = create_user("ana@example.org", display_name="Ana")
    ben = create_user("ben@example.org")
    for title in ("Ready", "Drafting", "Late", "Lonely"):
        import_text("One sentence. Two sentences.", "en", title=title)
    for slug in ("ready", "drafting", "late"):
        start_translation(get_document(slug), "fr")
    add_edition(get_document("lonely"), "de")
    series = create_project("series", "Series", original_language="en", languages=["fr"])
    for slug in ("ready", "drafting"):
        set_document_project(get_document(slug), series)
    for language in ("en", "fr"):
        _review_all(get_document("ready"), language)
    _review_all(get_document("drafting"), "en")
    set_project_member(series, ana, "fr", MemberRole.TRANSLATOR)
    yesterday = date.today() - timedelta(days=1)
    assign(get_document("late"), "fr", ben, AssignmentKind.TRANSLATE, due=yesterday)
    db.session.commit()

    def listed(query: str) -> set[str]:
        response = client.get("/" + query)
        assert response.status_code == 200
        return set(_slugs(response.get_data(as_text=True)))

    assert listed("") == {"ready", "drafting", "late", "lonely"}
    assert listed("?project=series") == {"ready", "drafting"}
    assert listed("?project=none") == {"late", "lonely"}
    assert listed("?project=unknown") == set()
    assert listed("?language=de") == {"lonely"}
    assert listed("?person=ana@example.org") == {"ready", "drafting"}  # through the project
    assert listed("?person=ben@example.org") == {"late"}  # an assignee (and so a member)
    assert listed("?state=ready") == {"ready"}
    assert listed("?state=in_progress") == {"drafting", "late", "lonely"}
    assert listed("?state=in_progress&language=en") == {"late", "lonely"}
    assert listed("?state=overdue") == {"late"}
    assert listed("?state=overdue&language=de") == set()
    assert listed("?project=series&state=in_progress") == {"drafting"}
    html = client.get("/?person=nobody").get_data(as_text=True)
    assert "No user has this name or e-mail address." in html and not _slugs(html)
    assert listed("?state=bogus") == listed("")  # an unknown state is no filter
    form = client.get("/?project=series&state=ready").get_data(as_text=True)
    assert '<option value="series" selected>' in form
    assert '<option value="ready" selected>' in form

    # The SQL rule of "ready" is EditionProgress.ready's.
    documents = list(db.session.scalars(sa.select(Document)))
    progress = edition_progress([d.id for d in documents])
    expected = {
        d.slug
        for d in documents
        if d.editions and all(e.id in progress and progress[e.id].ready for e in d.editions)
    }
    page = document_page(boss, DocumentFilters(state=DocumentState.READY))
    assert {d.slug for d in page.documents} == expected == {"ready"}


def test_where_no_review_is_needed_confirmed_editions_are_ready(
    create_user: Any, import_text: Any, db: Any
) -> None:
    boss = create_user("boss@example.org", is_coordinator=True)
    import_text("One sentence. Two sentences.", "en", title="Quick")
    document = get_document("quick")
    db.session.execute(
        sa.update(Segment)
        .where(Segment.edition_id == document.editions[0].id)
        .values(status=SegmentStatus.TRANSLATED)
    )
    ready = DocumentFilters(state=DocumentState.READY)
    assert document_page(boss, ready).documents == []
    document.review_required = False
    db.session.flush()
    assert [d.slug for d in document_page(boss, ready).documents] == ["quick"]
    progress = edition_progress([document.id])[document.editions[0].id]
    assert progress.ready
