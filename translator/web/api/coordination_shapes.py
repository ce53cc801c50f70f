"""The JSON of the coordinators' API, as types (see ``web.api.shapes``): projects and
their teams, assignments, a document's progress, its releases, and the dashboard.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from translator.models import MemberRole
from translator.web.api.shapes import Timestamp, UserRef


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
