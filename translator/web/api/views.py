"""Documents, unit windows and segment writes (docs/api.md). Every write: CSRF (header
``X-CSRFToken``) unless an API token authenticates it, membership of that language,
``If-Match`` for segment versions; the handler commits once, then tells the document's
open pages (live events). Each view declares its operation (``web.api.spec``): what it
reads and answers, in the OpenAPI document at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import Revision, RevisionReason, Segment
from translator.services.alignment import LOW_CONFIDENCE
from translator.services.deadlines import query_budget
from translator.services.documents import get_document
from translator.services.editing import SaveResult, revert_segment, save_segment, segment_history
from translator.services.languages import language_name
from translator.services.members import member_roles
from translator.services.rights import Right
from translator.services.search import parse_unit_filter
from translator.services.siblings import sibling_changes
from translator.services.units import count_window, next_to_do, unit_window
from translator.services.users import editor_columns, set_editor_columns
from translator.text.inline import editable_text
from translator.web.api import shapes
from translator.web.api.inputs import ColumnsBody, NextQuery, RevertBody, SaveBody, UnitsQuery
from translator.web.api.schemas import (
    ops_json,
    revision_json,
    row_json,
    segment_info,
    typed_text,
    user_ref,
)
from translator.web.api.spec import operation
from translator.web.rights import requires

bp = Blueprint("api", __name__, url_prefix="/api/v1")
LIST_LIMIT = 200  # revisions, suggestions and comments answered at most (docs/limits.md)
SAVE_CONFLICT = {
    409: (
        "The segment changed meanwhile (``moved``: its row did): the text sent is kept as a "
        "suggestion and both texts are in the answer.",
        shapes.SaveConflict | shapes.Error,
    )
}


def get_segment(segment_id: int) -> Segment:
    segment = db.session.get(Segment, segment_id, options=[joinedload(Segment.edition)])
    if segment is None:
        raise NotFound(f"no segment {segment_id}", field="segment")
    return segment


@bp.get("/documents/<slug>")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "A document: its editions, the user's columns, its size",
    tag="documents",
    answer=shapes.DocumentInfo,
)
def document(slug: str) -> Any:
    """``editable`` and ``reviewer`` say what the user may do in each language;
    ``columns`` are the editions the user chose to see, in their order."""
    document = get_document(slug)
    roles = member_roles(current_user, document.id)
    locale = str(get_locale())
    languages: list[shapes.EditionInfo] = [
        {
            "code": e.language,
            "name": language_name(e.language, locale),
            "title": e.title,
            "editable": e.language in roles,
            "reviewer": roles.get(e.language) == "reviewer",
        }
        for e in document.editions
    ]
    me = user_ref(current_user)
    assert me is not None  # the rights hook let only a signed-in user in
    answer: shapes.DocumentInfo = {
        "id": document.id,
        "slug": document.slug,
        "title": document.title,
        "languages": languages,
        "columns": editor_columns(current_user, document),
        "total": count_window(document),
        "low_confidence": LOW_CONFIDENCE,
        "me": me,
    }
    return jsonify(answer)


@bp.put("/documents/<slug>/columns")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Remember which editions the user sees, in which order",
    tag="documents",
    body=ColumnsBody,
    answer=shapes.Columns,
)
def columns(slug: str, body: ColumnsBody) -> Any:
    """Remembered per user and document; every column must be an edition of it."""
    document = get_document(slug)
    set_editor_columns(current_user, document, body.columns)
    db.session.commit()
    answer: shapes.Columns = {"columns": editor_columns(current_user, document)}
    return jsonify(answer)


def _languages(document_languages: list[str], wanted: str) -> list[str]:
    languages = [code for code in wanted.split(",") if code]
    unknown = set(languages) - set(document_languages)
    if unknown:
        raise InputError(f"the document has no {sorted(unknown)[0]} edition", field="languages")
    return languages


@bp.get("/documents/<slug>/units")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "A window of rows, filtered or not", tag="documents", query=UnitsQuery, answer=shapes.UnitWindow
)
def units(slug: str, query: UnitsQuery) -> Any:
    """``index`` is a unit's position in the whole document even when filtered;
    ``total`` counts the filtered units. An invalid regular expression is a 400 naming
    ``q``."""
    document = get_document(slug)
    languages = _languages(document.languages, query.languages)
    with query_budget(current_app.config["SEARCH_TIMEOUT"], field="q") as budget:
        unit_filter = parse_unit_filter(
            query.filter_args(), languages=document.languages, low_confidence=LOW_CONFIDENCE
        )
        rows = unit_window(
            document,
            offset=query.offset,
            limit=query.limit,
            languages=languages,
            unit_filter=unit_filter,
        )
        budget.renew()
        total = count_window(document, unit_filter)
    answer: shapes.UnitWindow = {
        "total": total,
        "offset": query.offset,
        "units": [row_json(r) for r in rows],
    }
    return jsonify(answer)


@bp.get("/documents/<slug>/units/next")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "The next row whose cell in a language needs work",
    tag="documents",
    query=NextQuery,
    answer=shapes.Position,
)
def next_unit(slug: str, query: NextQuery) -> Any:
    """The first row after ``after`` (``direction=-1``: before it) whose ``language``
    cell is empty, a draft or outdated, counted in the filtered list as ``offset``
    counts; ``null`` if there is none."""
    document = get_document(slug)
    if query.language not in document.languages:
        raise InputError(f"the document has no {query.language!r} edition", field="language")
    with query_budget(current_app.config["SEARCH_TIMEOUT"], field="q"):
        unit_filter = parse_unit_filter(
            query.filter_args(), languages=document.languages, low_confidence=LOW_CONFIDENCE
        )
        position = next_to_do(
            document,
            after=query.after,
            direction=query.direction,
            language=query.language,
            unit_filter=unit_filter,
        )
    answer: shapes.Position = {"position": position}
    return jsonify(answer)


@bp.get("/segments/<int:segment_id>")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "A segment, and what changed beside it when it is outdated",
    tag="segments",
    answer=shapes.SegmentInfo,
)
def segment(segment_id: int) -> Any:
    """``changes`` (only when the segment is outdated): one entry per sibling that
    changed since this segment was last checked, with a word diff."""
    segment = get_segment(segment_id)
    data = segment_info(segment)
    if segment.outdated:
        data["changes"] = [
            {
                "language": change.language,
                "before": change.before,
                "after": change.after,
                "ops": ops_json(change.before or "", change.after),
            }
            for change in sibling_changes(segment)
        ]
    return jsonify(data)


def save_response(result: SaveResult) -> Any:
    """Commit, tell the open pages, answer 200 (``shapes.Saved``) — or 409 with both
    texts (``shapes.SaveConflict``)."""
    segment = result.segment
    if not result.saved:
        assert result.suggestion is not None
        suggestion_id = result.suggestion.id
        db.session.commit()
        latest = db.session.scalars(
            select(Revision)
            .where(Revision.segment_id == segment.id)
            .order_by(Revision.id.desc())
            .limit(1)
        ).first()
        if result.moved:
            message = _(
                "This row was merged, split or realigned meanwhile; your text is kept as a "
                "suggestion on the row that now holds it."
            )
        else:
            message = _("Someone else saved this segment meanwhile; your text is kept.")
        conflict: shapes.SaveConflict = {
            "error": message,
            "moved": result.moved,
            "segment": segment_info(segment),
            "by": user_ref(latest.author) if latest else None,
            "yours": editable_text(result.suggestion.text),
            "suggestion": {"id": suggestion_id},
        }
        return jsonify(conflict), 409
    saved: shapes.Saved = {
        "segment": segment_info(segment),
        "siblings": [
            {"id": s.id, "language": s.language, "outdated": s.outdated} for s in result.siblings
        ],
    }
    db.session.commit()
    return jsonify(saved)


@bp.put("/segments/<int:segment_id>")
@requires(Right.EDIT_EDITION)
@operation(
    "Save a segment's text (autosave or confirm)",
    tag="segments",
    body=SaveBody,
    if_match=True,
    answer=shapes.Saved,
    errors=SAVE_CONFLICT,
)
def save(segment_id: int, body: SaveBody, version: int) -> Any:
    """``confirm: false`` stores a draft (``empty`` for an empty text); ``confirm:
    true`` stores it translated (reviewed for a reviewer) and clears ``outdated``.
    Saving the text and status the segment already has is a no-op 200. A 409 (the
    version moved on, or the segment's row was merged, split or realigned meanwhile:
    ``moved``) keeps the text sent as a suggestion and shows both texts. ``minor:
    true`` flags no other edition."""
    result = save_segment(
        segment_id,
        typed_text(body.text),
        base_version=version,
        user=current_user,
        confirm=bool(body.confirm),
        status=body.status,
        reason=RevisionReason.MINOR if body.minor else RevisionReason.EDIT,
    )
    return save_response(result)


@bp.post("/segments/<int:segment_id>/revert")
@requires(Right.EDIT_EDITION)
@operation(
    "Bring back the text of an earlier revision",
    tag="segments",
    body=RevertBody,
    if_match=True,
    answer=shapes.Saved,
    errors=SAVE_CONFLICT,
)
def revert(segment_id: int, body: RevertBody, version: int) -> Any:
    """As a save; the revert is a new revision (reason ``revert``). An unknown revision
    is a 404 naming ``revision``."""
    revision = db.session.get(Revision, body.revision)
    if revision is None:
        raise NotFound(f"no revision {body.revision}", field="revision")
    return save_response(
        revert_segment(segment_id, revision, base_version=version, user=current_user)
    )


@bp.get("/segments/<int:segment_id>/history")
@requires(Right.VIEW_DOCUMENT)
@operation("A segment's revisions, newest first", tag="segments", answer=shapes.History)
def history(segment_id: int) -> Any:
    """Each revision with a word diff from the one before it: the newest ``LIST_LIMIT``
    (``more``: older ones exist)."""
    revisions = segment_history(get_segment(segment_id), limit=LIST_LIMIT + 2)
    previous: list[Revision | None] = [*revisions[1:], None][: len(revisions)]
    shown = list(zip(revisions, previous, strict=True))[:LIST_LIMIT]
    answer: shapes.History = {
        "revisions": [revision_json(r, p) for r, p in shown],
        "more": len(revisions) > LIST_LIMIT,
    }
    return jsonify(answer)
