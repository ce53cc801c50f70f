"""Documents, unit windows and segment writes (docs/api.md). Every write: CSRF (header
``X-CSRFToken``), membership of that language, ``If-Match`` for segment versions; the
handler commits once, then tells the document's open pages (live events)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import Revision, Segment, SegmentStatus
from translator.services.alignment import LOW_CONFIDENCE
from translator.services.deadlines import query_budget
from translator.services.documents import get_document
from translator.services.editing import SaveResult, revert_segment, save_segment, segment_history
from translator.services.events import segment_json, user_json
from translator.services.languages import language_name
from translator.services.members import member_roles
from translator.services.rights import Right
from translator.services.search import parse_unit_filter
from translator.services.siblings import sibling_changes
from translator.services.units import count_window, next_to_do, unit_window
from translator.services.users import editor_columns, set_editor_columns
from translator.text.inline import editable_text
from translator.web.api.schemas import (
    field,
    if_match,
    json_body,
    ops_json,
    revision_json,
    row_json,
    typed_text,
)
from translator.web.rights import requires

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_WINDOW = 500
LIST_LIMIT = 200  # revisions, suggestions and comments answered at most (docs/limits.md)


def get_segment(segment_id: int) -> Segment:
    segment = db.session.get(Segment, segment_id, options=[joinedload(Segment.edition)])
    if segment is None:
        raise NotFound(f"no segment {segment_id}", field="segment")
    return segment


@bp.get("/documents/<slug>")
@requires(Right.VIEW_DOCUMENT)
def document(slug: str) -> Any:
    document = get_document(slug)
    roles = member_roles(current_user, document.id)
    locale = str(get_locale())
    languages = [
        {
            "code": e.language,
            "name": language_name(e.language, locale),
            "title": e.title,
            "editable": e.language in roles,
            "reviewer": roles.get(e.language) == "reviewer",
        }
        for e in document.editions
    ]
    return jsonify(
        {
            "id": document.id,
            "slug": document.slug,
            "title": document.title,
            "languages": languages,
            "columns": editor_columns(current_user, document),
            "total": count_window(document),
            "low_confidence": LOW_CONFIDENCE,
            "me": user_json(current_user),
        }
    )


@bp.put("/documents/<slug>/columns")
@requires(Right.VIEW_DOCUMENT)
def columns(slug: str) -> Any:
    document = get_document(slug)
    chosen = field(json_body(), "columns", list)
    set_editor_columns(current_user, document, chosen)
    db.session.commit()
    return jsonify({"columns": editor_columns(current_user, document)})


@bp.get("/documents/<slug>/units")
@requires(Right.VIEW_DOCUMENT)
def units(slug: str) -> Any:
    document = get_document(slug)
    args = request.args
    offset = args.get("offset", 0, type=int)
    limit = args.get("limit", 100, type=int)
    if offset < 0 or not 0 < limit <= MAX_WINDOW:
        raise InputError(f"offset must be ≥ 0 and limit between 1 and {MAX_WINDOW}", field="limit")
    languages = [code for code in args.get("languages", "").split(",") if code]
    unknown = set(languages) - set(document.languages)
    if unknown:
        raise InputError(f"the document has no {sorted(unknown)[0]} edition", field="languages")
    with query_budget(current_app.config["SEARCH_TIMEOUT"], field="q") as budget:
        unit_filter = parse_unit_filter(
            args, languages=document.languages, low_confidence=LOW_CONFIDENCE
        )
        rows = unit_window(
            document, offset=offset, limit=limit, languages=languages, unit_filter=unit_filter
        )
        budget.renew()
        total = count_window(document, unit_filter)
    return jsonify({"total": total, "offset": offset, "units": [row_json(r) for r in rows]})


@bp.get("/documents/<slug>/units/next")
@requires(Right.VIEW_DOCUMENT)
def next_unit(slug: str) -> Any:
    document = get_document(slug)
    args = request.args
    after = args.get("after", -1, type=int)
    direction = args.get("direction", 1, type=int)
    if direction not in (1, -1):
        raise InputError("direction must be 1 or -1", field="direction")
    language = args.get("language", "")
    if language not in document.languages:
        raise InputError(f"the document has no {language!r} edition", field="language")
    with query_budget(current_app.config["SEARCH_TIMEOUT"], field="q"):
        unit_filter = parse_unit_filter(
            args, languages=document.languages, low_confidence=LOW_CONFIDENCE
        )
        position = next_to_do(
            document, after=after, direction=direction, language=language, unit_filter=unit_filter
        )
    return jsonify({"position": position})


@bp.get("/segments/<int:segment_id>")
@requires(Right.VIEW_DOCUMENT)
def segment(segment_id: int) -> Any:
    segment = get_segment(segment_id)
    data = segment_json(segment)
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
    """Commit, tell the open pages, answer 200 — or 409 with both texts."""
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
        return jsonify(
            {
                "error": message,
                "moved": result.moved,
                "segment": segment_json(segment),
                "by": user_json(latest.author) if latest else None,
                "yours": editable_text(result.suggestion.text),
                "suggestion": {"id": suggestion_id},
            }
        ), 409
    data = segment_json(segment)
    siblings = [
        {"id": s.id, "language": s.language, "outdated": s.outdated} for s in result.siblings
    ]
    db.session.commit()
    return jsonify({"segment": data, "siblings": siblings})


@bp.put("/segments/<int:segment_id>")
@requires(Right.EDIT_EDITION)
def save(segment_id: int) -> Any:
    data = json_body()
    text = typed_text(data)
    confirm = bool(field(data, "confirm", bool, required=False))
    status = field(data, "status", str, required=False)
    if status is not None and status not in {s.value for s in SegmentStatus}:
        raise InputError(f"unknown status {status!r}", field="status")
    result = save_segment(
        segment_id,
        text,
        base_version=if_match(),
        user=current_user,
        confirm=confirm,
        status=SegmentStatus(status) if status else None,
    )
    return save_response(result)


@bp.post("/segments/<int:segment_id>/revert")
@requires(Right.EDIT_EDITION)
def revert(segment_id: int) -> Any:
    revision_id = field(json_body(), "revision", int)
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"no revision {revision_id}", field="revision")
    return save_response(
        revert_segment(segment_id, revision, base_version=if_match(), user=current_user)
    )


@bp.get("/segments/<int:segment_id>/history")
@requires(Right.VIEW_DOCUMENT)
def history(segment_id: int) -> Any:
    """The newest ``LIST_LIMIT`` revisions (``more``: older ones exist)."""
    revisions = segment_history(get_segment(segment_id), limit=LIST_LIMIT + 2)
    more = len(revisions) > LIST_LIMIT
    previous: list[Revision | None] = [*revisions[1:], None][: len(revisions)]
    shown = list(zip(revisions, previous, strict=True))[:LIST_LIMIT]
    return jsonify({"revisions": [revision_json(r, p) for r, p in shown], "more": more})
