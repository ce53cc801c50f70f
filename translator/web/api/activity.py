"""The activity log through the API (docs/api.md): the same filters and pages as the
activity page, as far as the caller may see it (``services.rights.activity_scope``)."""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify
from flask_login import current_user
from pydantic import ConfigDict, Field
from typing_extensions import TypedDict

from translator.services.activity import (
    MAX_PAGE,
    PAGE,
    ActivityEntry,
    activity_page,
    decode_cursor,
    parse_filter,
)
from translator.services.rights import Right
from translator.web.activity.views import entry_link
from translator.web.api.inputs import Query
from translator.web.api.shapes import Timestamp, UserRef
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires


class ActivityQuery(Query):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    document: str | None = Field(None, max_length=100, description="a document's slug")
    language: str | None = Field(None, max_length=35, description="an edition's language")
    person: str | None = Field(None, max_length=254, description="who acted: e-mail or name")
    since: str | None = Field(
        None, alias="from", max_length=10, description="first day, YYYY-MM-DD (UTC)"
    )
    to: str | None = Field(None, max_length=10, description="last day, YYYY-MM-DD (UTC)")
    kind: str | None = Field(None, max_length=200, description="kinds, comma-separated")
    after: str | None = Field(None, max_length=80, description="the page older than this")
    before: str | None = Field(None, max_length=80, description="the page newer than this")
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = PAGE


class ActivityItem(TypedDict):
    at: Timestamp
    source: str  # the table it comes from: revision, structure, assignment, job, comment
    id: str  # its row there
    kind: str  # save, confirm, review, ..., alignment, merge, ..., assignment, import, ...
    action: str  # a revision's status, a job's state, an assignment's change
    text: str  # the text's first characters, a file name, an assignment's detail
    person: UserRef | None  # who acted (None: the service itself)
    document: str  # slug
    title: str
    language: str | None  # None: about the whole document
    unit: int | None
    link: str  # the page to open: the editor, the document or the job


class ActivityList(TypedDict):
    items: list[ActivityItem]
    older: str | None  # ``after`` of the next page (older), None at the end
    newer: str | None  # ``before`` of the newer page, None at the top


def _item(entry: ActivityEntry) -> ActivityItem:
    person: UserRef | None = None
    if entry.person_id is not None:
        person = {"id": entry.person_id, "name": entry.person}
    return {
        "at": entry.at.isoformat(),
        "source": entry.source,
        "id": str(entry.id),
        "kind": entry.kind,
        "action": entry.action,
        "text": entry.text,
        "person": person,
        "document": entry.document,
        "title": entry.title,
        "language": entry.language,
        "unit": entry.unit_id,
        "link": entry_link(entry),
    }


@bp.get("/activity")
@requires(Right.VIEW_ACTIVITY)
@operation(
    "Who did what, when: saves, reviews, fixes, imports, assignments, comments",
    tag="activity",
    query=ActivityQuery,
    answer=ActivityList,
)
def activity(query: ActivityQuery) -> Any:
    """Newest first, ``limit`` rows a page; ``older`` is the ``after`` of the next page,
    ``newer`` the ``before`` of the previous one. A coordinator sees everything of
    their documents, anyone else their own doings. A bad date, an unknown person,
    document or kind is a 400 naming the field."""
    filters = {
        "document": query.document,
        "language": query.language,
        "person": query.person,
        "from": query.since,
        "to": query.to,
        "kind": query.kind,
    }
    flt = parse_filter(filters, current_user)
    after = decode_cursor(query.after, field_name="after") if query.after else None
    before = decode_cursor(query.before, field_name="before") if query.before else None
    page = activity_page(flt, current_user, after=after, before=before, limit=query.limit)
    answer: ActivityList = {
        "items": [_item(e) for e in page.entries],
        "older": page.older,
        "newer": page.newer,
    }
    return jsonify(answer)
