"""The JSON the API answers with, as types: each builder in ``web.api.schemas`` is
annotated with one of these (mypy checks it builds exactly that), each view declares
them on ``@operation`` (``web.api.spec``), and the OpenAPI document's response schemas
are generated from them by pydantic (``web.api.openapi``). docs/api.md explains them.

TypedDicts, not models: the views build plain dicts (the unit window has thousands of
cells), and a TypedDict describes a dict without copying it. ``typing_extensions``'
TypedDict because pydantic needs it before Python 3.12.

Here: what every answer shares (errors, people, times), the editor's (a document, its
rows, segments, their history, suggestions, comments, presence) and files' (exports,
jobs, editions); the coordinators' (projects, teams, assignments, progress, releases,
the dashboard) are in ``web.api.coordination_shapes``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import WithJsonSchema
from typing_extensions import TypedDict

from translator.models import (
    RevisionReason,
    SegmentStatus,
    SuggestionKind,
    SuggestionState,
    UnitRole,
)

# A word diff: ("=" in both | "-" only before | "+" only after, the text of the part).
DiffOp = tuple[Literal["=", "-", "+"], str]
# When something happened: ISO 8601 with the UTC offset (RFC 3339).
Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class Error(TypedDict):
    """Every refusal: the message and, where it is about one, the field (a body or
    query field, a header such as ``If-Match`` or ``Authorization``)."""

    error: str
    field: NotRequired[str | None]
    file: NotRequired[str | None]
    line: NotRequired[int | None]


class UserRef(TypedDict):
    id: int
    name: str


class EditionInfo(TypedDict):
    code: str
    name: str
    title: str
    editable: bool  # the user may write this language
    reviewer: bool  # the user's confirmations mark it reviewed


class DocumentInfo(TypedDict):
    id: int
    slug: str
    title: str
    languages: list[EditionInfo]
    columns: list[str]
    total: int
    low_confidence: float
    me: UserRef


class Columns(TypedDict):
    columns: list[str]


class Cell(TypedDict):
    id: int
    text: str  # editable form
    html: str  # sanitized, to display
    status: SegmentStatus
    outdated: bool
    version: int
    suggestions: int  # open ones


class Row(TypedDict):
    id: int
    index: int  # position in the whole document, 0-based
    role: UnitRole
    level: int | None
    label: str | None
    paragraph: int
    confidence: float | None
    comments: int  # open ones
    segments: dict[str, Cell]  # by language


class UnitWindow(TypedDict):
    total: int
    offset: int
    units: list[Row]


class Position(TypedDict):
    position: int | None


class SiblingChange(TypedDict):
    language: str
    before: str | None
    after: str
    ops: list[DiffOp]


class SegmentInfo(TypedDict):
    id: int
    unit: int
    language: str
    text: str
    html: str
    status: SegmentStatus
    outdated: bool
    version: int
    suggestions: NotRequired[int]
    changes: NotRequired[list[SiblingChange]]  # when outdated: what changed beside it


class SiblingState(TypedDict):
    id: int
    language: str
    outdated: bool


class Saved(TypedDict):
    segment: SegmentInfo
    siblings: list[SiblingState]


class SuggestionRef(TypedDict):
    id: int


class SaveConflict(TypedDict):
    """409 of a segment write: the version moved on; the text sent is kept as a
    suggestion (``moved``: on the segment that now holds the row's text)."""

    error: str
    moved: bool
    segment: SegmentInfo
    by: UserRef | None
    yours: str
    suggestion: SuggestionRef


class RevisionInfo(TypedDict):
    id: int
    version: int
    text: str
    html: str
    status: SegmentStatus
    reason: RevisionReason
    author: UserRef | None
    created_at: Timestamp | None
    ops: list[DiffOp]


class History(TypedDict):
    revisions: list[RevisionInfo]
    more: bool  # older revisions exist beyond the newest 200


class SuggestionInfo(TypedDict):
    id: int
    text: str
    html: str
    kind: SuggestionKind
    state: SuggestionState
    base_version: int
    author: UserRef | None
    created_at: Timestamp | None
    ops: list[DiffOp]


class Suggestions(TypedDict):
    suggestions: list[SuggestionInfo]


class OneSuggestion(TypedDict):
    suggestion: SuggestionInfo


class CommentInfo(TypedDict):
    id: int
    unit: int | None
    body: str
    language: str | None
    author: UserRef | None
    created_at: Timestamp | None
    resolved: bool
    resolved_by: int | None


class Comments(TypedDict):
    comments: list[CommentInfo]


class OneComment(TypedDict):
    comment: CommentInfo


class Rejected(TypedDict):
    segment: SegmentInfo
    comment: CommentInfo


class Place(TypedDict):
    """Where a change of rows is: the unit now at its place and its position."""

    unit: int | None
    index: int


class PresenceEntry(TypedDict):
    user: UserRef
    segment: int | None
    expires: float  # epoch seconds


class PresenceList(TypedDict):
    presence: list[PresenceEntry]


class PresenceSet(TypedDict):
    presence: list[PresenceEntry]
    ttl: float  # seconds a presence lasts unless renewed


class ExportStarted(TypedDict):
    job: str
    status_url: str


class ExportInfo(TypedDict):
    id: str
    format: str
    languages: list[str]
    filename: str
    size: int
    sha256: str
    unfinished_units: int
    created_at: str
    created_by: str | None
    file_url: str


class Exports(TypedDict):
    exports: list[ExportInfo]


class JobInfo(TypedDict):
    id: str
    kind: str
    state: str
    progress: int
    message: str
    done: bool
    result: dict[str, Any] | None


class NewEdition(TypedDict):
    language: str
    original: str
    units: int
    words_to_translate: int


class Deleted(TypedDict):
    document: str
    edition: str | None  # the language of the deleted edition; None: the whole document
    deleted_at: str
    purge_at: str  # when it is deleted for good unless restored
