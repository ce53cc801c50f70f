"""Suggestions and comments (docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Comment, Suggestion, Unit
from translator.services.comments import add_comment, resolve_comment, unit_comments
from translator.services.rights import Right
from translator.services.suggestions import (
    accept_suggestion,
    list_suggestions,
    propose_text,
    reject_suggestion,
)
from translator.web.api.schemas import (
    comment_json,
    field,
    if_match,
    json_body,
    suggestion_json,
    typed_text,
)
from translator.web.api.views import LIST_LIMIT, bp, get_segment, save_response
from translator.web.rights import requires


def _get(model: Any, object_id: int, name: str) -> Any:
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound(f"no {name} {object_id}", field=name)
    return found


@bp.get("/segments/<int:segment_id>/suggestions")
@requires(Right.VIEW_DOCUMENT)
def suggestions(segment_id: int) -> Any:
    segment = get_segment(segment_id)
    return jsonify(
        {
            "suggestions": [
                suggestion_json(s, segment.text)
                for s in list_suggestions(segment, limit=LIST_LIMIT)
            ]
        }
    )


@bp.post("/segments/<int:segment_id>/suggestions")
@requires(Right.VIEW_DOCUMENT)
def propose(segment_id: int) -> Any:
    segment = get_segment(segment_id)
    suggestion = propose_text(segment, typed_text(json_body()), user=current_user)
    db.session.commit()
    return jsonify({"suggestion": suggestion_json(suggestion, segment.text)}), 201


@bp.post("/suggestions/<int:suggestion_id>/accept")
@requires(Right.EDIT_EDITION)
def accept(suggestion_id: int) -> Any:
    suggestion = _get(Suggestion, suggestion_id, "suggestion")
    return save_response(accept_suggestion(suggestion, base_version=if_match(), user=current_user))


@bp.post("/suggestions/<int:suggestion_id>/reject")
@requires(Right.EDIT_EDITION)
def reject(suggestion_id: int) -> Any:
    suggestion = reject_suggestion(_get(Suggestion, suggestion_id, "suggestion"), user=current_user)
    db.session.commit()
    segment = get_segment(suggestion.segment_id or 0)
    return jsonify({"suggestion": suggestion_json(suggestion, segment.text)})


@bp.get("/units/<int:unit_id>/comments")
@requires(Right.VIEW_DOCUMENT)
def comments(unit_id: int) -> Any:
    _get(Unit, unit_id, "unit")
    thread = unit_comments(unit_id, limit=LIST_LIMIT)
    return jsonify({"comments": [comment_json(c) for c in thread]})


@bp.post("/units/<int:unit_id>/comments")
@requires(Right.VIEW_DOCUMENT)
def comment(unit_id: int) -> Any:
    unit = _get(Unit, unit_id, "unit")
    data = json_body()
    new = add_comment(
        unit,
        field(data, "body", str),
        user=current_user,
        language=field(data, "language", str, required=False),
    )
    db.session.commit()
    return jsonify({"comment": comment_json(new)}), 201


@bp.post("/comments/<int:comment_id>/resolve")
@requires(Right.VIEW_DOCUMENT)
def resolve(comment_id: int) -> Any:
    found = _get(Comment, comment_id, "comment")
    resolved = field(json_body(), "resolved", bool, required=False)
    resolve_comment(found, user=current_user, resolved=True if resolved is None else resolved)
    db.session.commit()
    return jsonify({"comment": comment_json(found)})
