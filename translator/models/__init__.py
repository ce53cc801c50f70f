"""The models, one module per aggregate. Importing this package registers them all."""

from translator.models.documents import Document
from translator.models.editions import Edition
from translator.models.history import (
    Revision,
    RevisionReason,
    StructureChange,
    StructureKind,
)
from translator.models.jobs import Job, JobState
from translator.models.segments import Segment, SegmentStatus
from translator.models.units import Unit, UnitRole
from translator.models.users import User

__all__ = [
    "Document",
    "Edition",
    "Job",
    "JobState",
    "Revision",
    "RevisionReason",
    "Segment",
    "SegmentStatus",
    "StructureChange",
    "StructureKind",
    "Unit",
    "UnitRole",
    "User",
]
