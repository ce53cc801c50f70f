"""What the API accepts: request bodies and query parameters as pydantic models.

A view declares them on ``@operation`` (``web.api.spec``), which validates the request
against them before the view runs and hands the view the parsed model; the OpenAPI
document's request schemas are generated from the same classes. A value that does not
fit is a 400 naming the field (never pydantic's 422).

Bodies are JSON and checked strictly (``"5"`` is not a number, ``true`` not an
integer, ``null`` only where a field says so); fields the API does not know are
ignored. Query parameters are text, read leniently (``limit=20``, ``outdated=1`` or
``true``); an empty parameter counts as absent, as an empty form field would.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from translator.models import SegmentStatus
from translator.services.search import MAX_QUERY
from translator.web.security import MAX_ID, MAX_INT

Id = Annotated[int, Field(ge=0, le=MAX_ID)]
Int64 = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Language = Annotated[str, Field(min_length=1, max_length=35, description="a BCP 47 code")]
MAX_WINDOW = 500


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class Query(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ColumnsBody(Body):
    columns: list[str] = Field(
        min_length=1, description="the editions to show, in their order (at least one)"
    )


class SaveBody(Body):
    text: str = Field(description="the editable form; a line break is stored as <br>")
    confirm: bool | None = Field(
        None, description="true: translated (reviewed for a reviewer); false: a draft"
    )
    status: Annotated[SegmentStatus | None, Field(strict=False)] = Field(
        None, description="set this status explicitly (reviewed needs a reviewer)"
    )
    minor: bool | None = Field(
        None,
        description="true: a change that does not affect meaning (typo, spacing, "
        "punctuation, spelling): it flags no other edition; the history says so",
    )


class RevertBody(Body):
    revision: Id = Field(description="the revision of this segment whose text comes back")


class RejectBody(Body):
    reason: str = Field(
        min_length=1,
        max_length=10_000,
        description="why the translation is rejected: posted to the row's thread for its "
        "translator",
    )


class TextBody(Body):
    text: str = Field(description="the proposed text, in editable form")


class CommentBody(Body):
    body: str
    language: str | None = Field(None, description="the edition the comment is about")


class ResolveBody(Body):
    resolved: bool | None = Field(None, description="false reopens (default true)")


class SplitBody(Body):
    language: Language
    offset: Int64 = Field(description="where to cut, in the editable text of that cell")
    others: Literal["before", "after"] | None = Field(
        None, description="which half the other languages go with (default after)"
    )
    placements: (
        dict[Language, Literal["first", "second"] | Annotated[int, Field(ge=1, le=MAX_INT)]] | None
    ) = Field(
        None,
        description='per other language: "first" (stays in the first row), "second" '
        "(goes to the second row) or an offset in its editable text where it is cut too; "
        "languages not named follow others",
    )


class MoveBody(Body):
    language: Language
    to: Literal["previous", "next"]


class PresenceBody(Body):
    segment: Id | None = Field(None, description="the segment being edited; null when leaving")


def _direction(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.strip() in ("1", "-1") else value


Flag = Annotated[bool, Field(description="1, true, yes or on")]


class FilterQuery(Query):
    """The unit list's filters (``services.search.parse_unit_filter``)."""

    status: SegmentStatus | None = None
    status_language: str | None = Field(
        None, description="the column status looks at (default any)"
    )
    outdated: Flag = False
    unaligned: Flag = Field(False, description="segments not aligned yet")
    comments: Flag = Field(False, description="units with open comments")
    low: Flag = Field(False, description="units aligned with a low confidence")
    q: str = Field("", max_length=MAX_QUERY, description="text to find")
    regex: Flag = Field(False, description="q is a regular expression")
    case: Flag = Field(False, description="case-sensitive search")
    q_language: str | None = Field(None, description="the column q looks in (default any)")
    assignment: Id | None = Field(None, description="only the units of this assignment")

    def filter_args(self) -> dict[str, str]:
        """The filters as ``parse_unit_filter`` reads them (flags as ``1`` or absent)."""
        args: dict[str, str] = {"q": self.q}
        for name in ("outdated", "unaligned", "comments", "low", "regex", "case"):
            if getattr(self, name):
                args[name] = "1"
        for name in ("status", "status_language", "q_language", "assignment"):
            value = getattr(self, name)
            if value is not None:
                args[name] = str(value)
        return args


class UnitsQuery(FilterQuery):
    offset: Annotated[int, Field(ge=0, le=MAX_INT)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_WINDOW)] = 100
    languages: str = Field("", description="comma-separated languages (default all)")


class NextQuery(FilterQuery):
    after: Int64 = Field(-1, description="the position to start after")
    direction: Annotated[Literal[1, -1], BeforeValidator(_direction)] = Field(
        1, description="1: forwards, -1: backwards"
    )
    language: Language = Field(description="the column whose cells need work")


class PublishBody(Body):
    languages: list[Language] = Field(
        min_length=1, max_length=20, description="the editions to publish together"
    )
    override_reason: str | None = Field(
        None,
        max_length=2000,
        description="publish although an edition is not ready: why (recorded and logged)",
    )
    note: str = Field("", max_length=2000, description="a note kept with the release")


class ReleaseExportQuery(Query):
    format: str = Field(
        max_length=32,
        description="html, epub, docx, pdf, md, txt (one edition), "
        "parallel-html, parallel-pdf, parallel-docx (2-3 editions)",
    )
    languages: str = Field(
        max_length=120, description="comma-separated editions of the release, e.g. fr or en,fr"
    )


class ExportBody(Body):
    format: str = Field(
        max_length=32,
        description="html, epub, docx, pdf, md, txt, "
        "parallel-html, parallel-pdf, parallel-docx, xliff, xliff2, po, tmx",
    )
    languages: list[Language] = Field(
        max_length=20,
        description="one edition; 2-3 for parallel-*; the target for xliff/po; any for tmx",
    )
    source: Language | None = Field(None, description="the source edition of xliff, xliff2, po")
    typography: bool | None = Field(
        None, description="apply the language's typography or not (default: each edition's)"
    )


class NewEditionBody(Body):
    language: Language
    title: str = Field("", max_length=500, description="default: its translated title row")
    source: Language | None = Field(None, description="translate from (default: the original)")


Due = Annotated[str | None, Field(None, description="YYYY-MM-DD; null or empty: none")]
Kind = Literal["translate", "review"]


class AssignBody(Body):
    language: Language
    to: str = Field(min_length=1, max_length=254, description="the person: e-mail or name")
    kind: Kind = "translate"
    units: str = Field("", max_length=40, description="positions, e.g. 1-120 (default all)")
    due: Due = None
    note: str = Field("", max_length=2000)


class SplitAmongBody(Body):
    language: Language
    among: list[str] = Field(min_length=1, max_length=100, description="e-mails or names")
    kind: Kind = "translate"
    due: Due = None
    note: str = Field("", max_length=2000)


class AssignmentPatch(Body):
    to: str | None = Field(None, max_length=254, description="reassign to this person")
    due: Due = None
    note: str | None = Field(None, max_length=2000)


class AssignmentsQuery(Query):
    state: Literal["open", "closed", "all"] = "open"


Role = Literal["translator", "reviewer", "coordinator", "reader"]
LanguageList = list[Language]
ProjectName = Annotated[str, Field(min_length=1, max_length=200)]
ProjectDescription = Annotated[str, Field(max_length=5000)]
Original = Annotated[
    Language | None,
    Field(None, description="the language its documents are written in; null: none"),
]
DefaultLanguages = Annotated[
    LanguageList,
    Field(max_length=50, description="the languages every document is translated into"),
]


class ProjectBody(Body):
    slug: str = Field(
        min_length=1, max_length=100, description="lowercase letters, digits and dashes"
    )
    name: ProjectName
    description: ProjectDescription = ""
    original: Original = None
    languages: DefaultLanguages = []


class ProjectPatch(Body):
    """Only the fields sent change; the slug never does (links keep working)."""

    name: ProjectName | None = None
    description: ProjectDescription | None = None
    original: Original = None
    languages: DefaultLanguages | None = None


class ProjectQuery(Query):
    page: int = Field(1, ge=1, le=MAX_INT, description="the page of its documents, from 1")


class TeamBody(Body):
    person: str = Field(min_length=1, max_length=254, description="e-mail or name")
    role: Role
    language: Language | None = Field(
        None, description="the language of a translator or reviewer (ignored otherwise)"
    )
