"""The models, one module per aggregate. Importing this package registers them all."""

from translator.models.artifacts import ExportArtifact
from translator.models.assignments import (
    Assignment,
    AssignmentAction,
    AssignmentEvent,
    AssignmentKind,
    AssignmentState,
)
from translator.models.burndown import EditionDay
from translator.models.comments import Comment
from translator.models.counters import EditionCount, PersonDayCount
from translator.models.documents import Document
from translator.models.editions import Edition
from translator.models.history import (
    Revision,
    RevisionReason,
    SegmentForward,
    StructureChange,
    StructureKind,
)
from translator.models.jobs import Job, JobState
from translator.models.members import (
    DOCUMENT_ROLES,
    LANGUAGE_ROLES,
    WHOLE_DOCUMENT,
    DocumentMember,
    MemberRole,
)
from translator.models.notifications import (
    Channel,
    MailState,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from translator.models.projects import Project, ProjectMember
from translator.models.releases import Release, ReleaseEdition
from translator.models.segments import Segment, SegmentStatus
from translator.models.suggestions import Suggestion, SuggestionKind, SuggestionState
from translator.models.trash import INCLUDE_DELETED  # its import hides what is in the trash
from translator.models.units import Unit, UnitRole
from translator.models.users import (
    ApiToken,
    LinkPurpose,
    LoginAttempt,
    OneTimeLink,
    TokenScope,
    User,
    UserSession,
)

__all__ = [
    "DOCUMENT_ROLES",
    "INCLUDE_DELETED",
    "LANGUAGE_ROLES",
    "WHOLE_DOCUMENT",
    "ApiToken",
    "Assignment",
    "AssignmentAction",
    "AssignmentEvent",
    "AssignmentKind",
    "AssignmentState",
    "Channel",
    "Comment",
    "Document",
    "DocumentMember",
    "Edition",
    "EditionCount",
    "EditionDay",
    "ExportArtifact",
    "Job",
    "JobState",
    "LinkPurpose",
    "LoginAttempt",
    "MailState",
    "MemberRole",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "OneTimeLink",
    "PersonDayCount",
    "Project",
    "ProjectMember",
    "Release",
    "ReleaseEdition",
    "Revision",
    "RevisionReason",
    "Segment",
    "SegmentForward",
    "SegmentStatus",
    "StructureChange",
    "StructureKind",
    "Suggestion",
    "SuggestionKind",
    "SuggestionState",
    "TokenScope",
    "Unit",
    "UnitRole",
    "User",
    "UserSession",
]
