"""Suggestions and comments (docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from translator.errors import NotFound
from translator.extensions import db
from translator.models import Comment, Suggestion, Unit
from translator.services.comments import add_comment, resolve_comment, unit_comments
from translator.services.review import reject_segment
from translator.services.rights import Right
from translator.services.suggestions import (
    accept_suggestion,
    list_suggestions,
    propose_text,
    reject_suggestion,
)
from translator.web.api import shapes
from translator.web.api.inputs import CommentBody, RejectBody, ResolveBody, TextBody
from translator.web.api.schemas import comment_json, segment_info, suggestion_json, typed_text
from translator.web.api.spec import operation
from translator.web.api.views import LIST_LIMIT, SAVE_CONFLICT, bp, get_segment, save_response
from translator.web.rights import requires


def _get(model: Any, object_id: int, name: str) -> Any:
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound(f"no {name} {object_id}", field=name)
    return found


@bp.get("/segments/<int:segment_id>/suggestions")
@requires(Right.VIEW_DOCUMENT)
@operation("A segment's suggestions, open ones first", tag="suggestions", answer=shapes.Suggestions)
def suggestions(segment_id: int) -> Any:
    """Each with a word diff from the segment's current text."""
    segment = get_segment(segment_id)
    shown = list_suggestions(segment, limit=LIST_LIMIT)
    answer: shapes.Suggestions = {"suggestions": [suggestion_json(s, segment.text) for s in shown]}
    return jsonify(answer)


@bp.post("/segments/<int:segment_id>/suggestions")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Propose a text for a segment",
    tag="suggestions",
    body=TextBody,
    status=201,
    answer=shapes.OneSuggestion,
)
def propose(segment_id: int, body: TextBody) -> Any:
    """Anyone who may read the document may propose, member of that language or not."""
    segment = get_segment(segment_id)
    suggestion = propose_text(segment, typed_text(body.text), user=current_user)
    db.session.commit()
    answer: shapes.OneSuggestion = {"suggestion": suggestion_json(suggestion, segment.text)}
    return jsonify(answer), 201


@bp.post("/suggestions/<int:suggestion_id>/accept")
@requires(Right.EDIT_EDITION)
@operation(
    "Accept a suggestion: its text becomes the segment's",
    tag="suggestions",
    if_match=True,
    answer=shapes.Saved,
    errors=SAVE_CONFLICT,
)
def accept(suggestion_id: int, version: int) -> Any:
    """As a save of the suggestion's text (reason ``suggestion``, status draft);
    ``If-Match`` is the segment's version."""
    suggestion = _get(Suggestion, suggestion_id, "suggestion")
    return save_response(accept_suggestion(suggestion, base_version=version, user=current_user))


@bp.post("/suggestions/<int:suggestion_id>/reject")
@requires(Right.EDIT_EDITION)
@operation("Reject a suggestion", tag="suggestions", answer=shapes.OneSuggestion)
def reject(suggestion_id: int) -> Any:
    """Only an open suggestion can be rejected (400 otherwise)."""
    suggestion = reject_suggestion(_get(Suggestion, suggestion_id, "suggestion"), user=current_user)
    db.session.commit()
    segment = get_segment(suggestion.segment_id or 0)
    answer: shapes.OneSuggestion = {"suggestion": suggestion_json(suggestion, segment.text)}
    return jsonify(answer)


@bp.get("/units/<int:unit_id>/comments")
@requires(Right.VIEW_DOCUMENT)
@operation("A row's comment thread, oldest first", tag="comments", answer=shapes.Comments)
def comments(unit_id: int) -> Any:
    """One thread per unit, seen from every language."""
    _get(Unit, unit_id, "unit")
    thread = unit_comments(unit_id, limit=LIST_LIMIT)
    answer: shapes.Comments = {"comments": [comment_json(c) for c in thread]}
    return jsonify(answer)


@bp.post("/units/<int:unit_id>/comments")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Comment on a row", tag="comments", body=CommentBody, status=201, answer=shapes.OneComment
)
def comment(unit_id: int, body: CommentBody) -> Any:
    """``language``, if given, must be one of the document's editions."""
    unit = _get(Unit, unit_id, "unit")
    new = add_comment(unit, body.body, user=current_user, language=body.language)
    db.session.commit()
    answer: shapes.OneComment = {"comment": comment_json(new)}
    return jsonify(answer), 201


@bp.post("/comments/<int:comment_id>/resolve")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Resolve or reopen a comment", tag="comments", body=ResolveBody, answer=shapes.OneComment
)
def resolve(comment_id: int, body: ResolveBody) -> Any:
    """Reopening is for the comment's author or whoever resolved it (403 otherwise)."""
    found = _get(Comment, comment_id, "comment")
    resolved = True if body.resolved is None else body.resolved
    resolve_comment(found, user=current_user, resolved=resolved)
    db.session.commit()
    answer: shapes.OneComment = {"comment": comment_json(found)}
    return jsonify(answer)


@bp.post("/segments/<int:segment_id>/reject")
@requires(Right.REVIEW_EDITION)
@operation(
    "Reject a translation, with a reason, back to its translator",
    tag="segments",
    body=RejectBody,
    if_match=True,
    answer=shapes.Rejected,
    errors={409: ("The segment changed since the version in If-Match.", shapes.Error)},
)
def reject_translation(segment_id: int, body: RejectBody, version: int) -> Any:
    """For a reviewer of the segment's language: the segment becomes a draft again (its
    text untouched; the history records the rejection) and ``reason`` is posted to the
    row's thread in that language. A 409 if the segment changed since ``If-Match``."""
    segment, new = reject_segment(segment_id, body.reason, base_version=version, user=current_user)
    db.session.commit()
    answer: shapes.Rejected = {"segment": segment_info(segment), "comment": comment_json(new)}
    return jsonify(answer)
