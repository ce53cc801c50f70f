"""Building the API's JSON (typed by ``web.api.shapes``), and reading its requests.

Segment text goes out in two forms — ``text`` (editable: what a textarea shows) and
``html`` (sanitized, to display) — and comes back in the editable form, turned into
stored text here."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, cast

from flask import request

from translator.errors import InputError, PreconditionRequired
from translator.models import Comment, Revision, SegmentStatus, Suggestion, UnitRole
from translator.services.events import SegmentLike, segment_json, user_json
from translator.services.units import Cell, Row
from translator.text.diff import word_diff
from translator.text.inline import display_html, editable_text, stored_text
from translator.web.api import shapes
from translator.web.security import MAX_ID

VERSION = re.compile(r"[0-9]{1,10}")  # ASCII digits; a version is a 32-bit integer


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339, with the offset (SQLite hands back naive datetimes; they are UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def user_ref(user: Any) -> shapes.UserRef | None:
    """Who did something (``services.events.user_json``, typed)."""
    return cast("shapes.UserRef | None", user_json(user))


def segment_info(segment: SegmentLike) -> shapes.SegmentInfo:
    """A segment as the API and the live events show it (``services.events``), typed."""
    return cast("shapes.SegmentInfo", segment_json(segment))


def cell_json(cell: Cell) -> shapes.Cell:
    return {
        "id": cell.id,
        "text": editable_text(cell.text),
        "html": display_html(cell.text),
        "status": SegmentStatus(cell.status),
        "outdated": cell.outdated,
        "version": cell.version,
        "suggestions": cell.suggestions,
    }


def row_json(row: Row) -> shapes.Row:
    return {
        "id": row.id,
        "index": row.index,
        "role": UnitRole(row.role),
        "level": row.level,
        "label": row.label,
        "paragraph": row.paragraph,
        "confidence": row.confidence,
        "comments": row.comments,
        "segments": {language: cell_json(cell) for language, cell in row.cells.items()},
    }


def ops_json(before: str, after: str) -> list[shapes.DiffOp]:
    """A word diff of two stored texts, in their editable form."""
    diff = word_diff(editable_text(before), editable_text(after))
    return cast("list[shapes.DiffOp]", diff)


def revision_json(revision: Revision, previous: Revision | None) -> shapes.RevisionInfo:
    return {
        "id": revision.id,
        "version": revision.version,
        "text": editable_text(revision.text),
        "html": display_html(revision.text),
        "status": revision.status,
        "reason": revision.reason,
        "author": user_ref(revision.author),
        "created_at": timestamp(revision.created_at),
        "ops": ops_json(previous.text if previous else "", revision.text),
    }


def suggestion_json(suggestion: Suggestion, current: str) -> shapes.SuggestionInfo:
    return {
        "id": suggestion.id,
        "text": editable_text(suggestion.text),
        "html": display_html(suggestion.text),
        "kind": suggestion.kind,
        "state": suggestion.state,
        "base_version": suggestion.base_version,
        "author": user_ref(suggestion.author),
        "created_at": timestamp(suggestion.created_at),
        "ops": ops_json(current, suggestion.text),
    }


def comment_json(comment: Comment) -> shapes.CommentInfo:
    return {
        "id": comment.id,
        "unit": comment.unit_id,
        "body": comment.body,
        "language": comment.language,
        "author": user_ref(comment.author),
        "created_at": timestamp(comment.created_at),
        "resolved": comment.resolved,
        "resolved_by": comment.resolved_by_id,
    }


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def typed_text(value: str) -> str:
    """A text typed in the editor, turned into stored form (a typed ``<script>`` is kept
    as text, escaped; the inline tags stay markup)."""
    # A segment is one line: a typed line break is the inline <br>.
    return stored_text(value.replace("\r\n", "\n").replace("\n", "<br>"))


def if_match() -> int:
    """The version the client edited, from ``If-Match: "<version>"``."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired(
            "a segment write needs If-Match with the version edited", field="If-Match"
        )
    value = header.strip().removeprefix("W/").strip('"')
    if not VERSION.fullmatch(value) or int(value) > MAX_ID:
        raise InputError(f"If-Match must be a version number, not {header!r}", field="If-Match")
    return int(value)
