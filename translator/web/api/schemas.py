"""JSON shapes of the API, and reading its requests. Segment text goes out in two
forms — ``text`` (editable: what a textarea shows) and ``html`` (sanitized, to display) —
and comes back in the editable form, turned into stored text here."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import request

from translator.errors import InputError, PreconditionRequired
from translator.models import Comment, Revision, Suggestion
from translator.services.events import text_json, user_json
from translator.services.units import Cell, Row
from translator.text.diff import word_diff
from translator.text.inline import editable_text, stored_text

VERSION = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit in 64 bits


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def cell_json(cell: Cell) -> dict[str, Any]:
    return {
        "id": cell.id,
        **text_json(cell.text),
        "status": cell.status,
        "outdated": cell.outdated,
        "version": cell.version,
        "suggestions": cell.suggestions,
    }


def row_json(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "index": row.index,
        "role": row.role,
        "level": row.level,
        "label": row.label,
        "paragraph": row.paragraph,
        "confidence": row.confidence,
        "comments": row.comments,
        "segments": {language: cell_json(cell) for language, cell in row.cells.items()},
    }


def ops_json(before: str, after: str) -> list[list[str]]:
    """A word diff of two stored texts, in their editable form."""
    return [[op, part] for op, part in word_diff(editable_text(before), editable_text(after))]


def revision_json(revision: Revision, previous: Revision | None) -> dict[str, Any]:
    return {
        "id": revision.id,
        "version": revision.version,
        **text_json(revision.text),
        "status": str(revision.status),
        "reason": str(revision.reason),
        "author": user_json(revision.author),
        "created_at": _time(revision.created_at),
        "ops": ops_json(previous.text if previous else "", revision.text),
    }


def suggestion_json(suggestion: Suggestion, current: str) -> dict[str, Any]:
    return {
        "id": suggestion.id,
        **text_json(suggestion.text),
        "kind": str(suggestion.kind),
        "state": str(suggestion.state),
        "base_version": suggestion.base_version,
        "author": user_json(suggestion.author),
        "created_at": _time(suggestion.created_at),
        "ops": ops_json(current, suggestion.text),
    }


def comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "unit": comment.unit_id,
        "body": comment.body,
        "language": comment.language,
        "author": user_json(comment.author),
        "created_at": _time(comment.created_at),
        "resolved": comment.resolved,
        "resolved_by": comment.resolved_by_id,
    }


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def field(data: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    """``data[name]`` checked against ``kind`` (a 400 naming the field otherwise)."""
    if name not in data or data[name] is None:
        if required:
            raise InputError(f"{name!r} is missing", field=name)
        return None
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(f"{name!r} must be a {kind.__name__}", field=name)
    return value


def typed_text(data: dict[str, Any], name: str = "text") -> str:
    """A text typed in the editor, turned into stored form (a typed ``<script>`` is kept
    as text, escaped; the inline tags stay markup)."""
    value: str = field(data, name, str)
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
    if not VERSION.fullmatch(value):
        raise InputError(f"If-Match must be a version number, not {header!r}", field="If-Match")
    return int(value)
