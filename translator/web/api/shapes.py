"""The JSON the API answers with, as types: each builder in ``web.api.schemas`` is
annotated with one of these (mypy checks it builds exactly that), each view declares
them on ``@operation`` (``web.api.spec``), and the OpenAPI document's response schemas
are generated from them by pydantic (``web.api.openapi``). docs/api.md explains them.

TypedDicts, not models: the views build plain dicts (the unit window has thousands of
cells), and a TypedDict describes a dict without copying it. ``typing_extensions``'
TypedDict because pydantic needs it before Python 3.12.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import WithJsonSchema
from typing_extensions import TypedDict

from translator.models import (
    MemberRole,
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


class ProjectSummary(TypedDict):
    """A project as listed: ``documents`` counts every document in it (not in the
    trash), whether the caller may see it or not, as the projects page does."""

    slug: str
    name: str
    description: str
    original: str | None  # the language its documents are written in
    languages: list[str]  # the default languages, in order (without the original)
    documents: int
    url: str


class ProjectList(TypedDict):
    projects: list[ProjectSummary]


class TeamMember(TypedDict):
    """One role in a project's team (a person may hold several: one per language)."""

    id: int  # the membership: DELETE /projects/{project_slug}/team/{member_id}
    user: UserRef
    email: str
    role: MemberRole
    language: str | None  # null: the whole project (coordinator, reader)


class Team(TypedDict):
    project: str
    members: list[TeamMember]


class ProjectDocument(TypedDict):
    slug: str
    title: str
    original: str | None  # the language of its original edition
    languages: list[str]  # its editions
    url: str


class ProjectInfo(ProjectSummary):
    """A project with a page of its documents that the caller may see (most recently
    changed first, 50 a page) and its team."""

    created_at: Timestamp
    updated_at: Timestamp
    page: int
    pages: int
    visible_documents: int  # how many of its documents the caller may see, in all pages
    document_list: list[ProjectDocument]
    team: list[TeamMember]


class ProjectDeleted(TypedDict):
    project: str
    deleted: bool


class AssignmentInfo(TypedDict):
    """An assignment, its range (1-based positions of its first and last unit) and its
    words: the original's, in all and not done yet (translated, or reviewed)."""

    id: int
    document: str
    title: str
    language: str
    kind: Literal["translate", "review"]
    user: UserRef
    email: str
    units: str
    first_unit: int | None
    last_unit: int | None
    words: int
    words_left: int
    due: str | None
    overdue: bool
    note: str
    state: Literal["open", "closed"]
    editor: str


class AssignmentList(TypedDict):
    assignments: list[AssignmentInfo]


class EditionProgressInfo(TypedDict):
    language: str
    original: bool  # the document's original
    segments: dict[str, int]  # status → segments
    words: dict[str, int]  # status → the edition's own words
    unaligned: int  # segments not aligned yet
    outdated: int  # segments whose sibling changed since
    original_words: int | None  # translations: the original's words in all
    words_left: int | None  # translations: the original's words still empty or draft
    ready: bool  # every segment reviewed, none outdated, none unaligned
    blockers: list[Blocker]  # why not ready, most basic first


class Blocker(TypedDict):
    reason: str  # empty, draft, translated (not reviewed yet), outdated or unaligned
    segments: int  # how many segments it holds back


class DayActivity(TypedDict):
    day: str  # a UTC date, YYYY-MM-DD
    language: str
    user: UserRef
    words_translated: int
    words_reviewed: int


class ProgressAssignment(TypedDict):
    id: int
    user: str  # the person's e-mail
    name: str
    language: str
    kind: Literal["translate", "review"]
    units: str  # 1-based positions of the range, "1-120"
    words: int  # the original's words of its units
    words_left: int  # of them, not translated (or not reviewed) yet
    due: str | None  # YYYY-MM-DD


class Progress(TypedDict):
    document: str
    editions: list[EditionProgressInfo]
    assignments: list[ProgressAssignment]
    activity: list[DayActivity]


# --- releases -------------------------------------------------------------------------


class ReleaseBlocker(TypedDict):
    reason: str  # empty, draft, translated (not reviewed yet), outdated or unaligned
    segments: int
    words: int
    filters: dict[str, str]  # the editor's list filters that show these segments


class ReleaseEditionInfo(TypedDict):
    language: str
    title: str
    segments: int  # rows with text in this edition
    overridden_blockers: list[ReleaseBlocker]  # what an override published anyway


class ReleaseInfo(TypedDict):
    version: int
    created_at: str  # ISO 8601 UTC, the date inside every export of the release
    created_by: str | None
    note: str
    override_reason: str | None  # why it was published although not ready
    editions: list[ReleaseEditionInfo]
    url: str
    export_url: str  # add ?format=epub&languages=fr for a file made from the release


class ReleaseList(TypedDict):
    document: str
    releases: list[ReleaseInfo]


class ReleaseRefused(TypedDict):
    error: str
    blockers: dict[str, list[ReleaseBlocker]]  # language → why it is not ready


# --- dashboard ------------------------------------------------------------------------


class DashboardAssignee(TypedDict):
    user: UserRef
    kind: Literal["translate", "review"]
    due: str | None  # YYYY-MM-DD


class DashboardBlocker(TypedDict):
    reason: str  # empty, draft, translated (not reviewed yet), outdated or unaligned
    segments: int
    editor: str  # the editor filtered to these cells of the edition


class DashboardRow(TypedDict):
    document: str  # the slug
    title: str
    language: str
    original: bool
    phase: Literal["translate", "review", "done"]
    ready: bool
    segments: dict[str, int]  # status → segments
    words_total: int  # the original's words for a translation, its own otherwise
    words_to_translate: int  # of them, empty or draft
    words_to_review: int  # of them, not reviewed yet
    words_left: int  # of the phase
    assignees: list[DashboardAssignee]
    due: str | None  # the earliest of the open assignments of the phase (else of any)
    velocity: float  # words of the phase a day over the last 7 UTC days
    forecast: str | None  # today + words_left / velocity; null without velocity
    overdue: bool
    at_risk: bool
    blockers: list[DashboardBlocker]
    url: str  # the edition's dashboard page


class Dashboard(TypedDict):
    today: str  # the UTC date the figures are for
    total: int
    offset: int
    rows: list[DashboardRow]
