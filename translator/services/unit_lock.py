"""Reading a unit for a save, under lock: one statement locks every segment of a
segment's unit (in id order: concurrent saves in one unit are serialized, without
deadlock) and reads them with their editions' languages and the user's membership.
A save (``services.editing``) then decides and writes; this is only the read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from translator.errors import NotFound
from translator.extensions import db
from translator.models import (
    Document,
    DocumentMember,
    Edition,
    MemberRole,
    ProjectMember,
    Segment,
    SegmentStatus,
    User,
)
from translator.services.members import role_of, stronger
from translator.services.segments import take_write_lock


@dataclass(slots=True)
class LockedSegment:
    """A segment as a save reads it (a row of the locking statement, with its edition's
    language and document) and leaves it."""

    id: int
    unit_id: int
    edition_id: int
    document_id: int
    language: str
    text: str
    status: SegmentStatus
    version: int
    content_hash: str
    sibling_hashes: dict[str, str]
    outdated: bool


_segments = Segment.__table__
_editions = Edition.__table__
_members = DocumentMember.__table__
_documents = Document.__table__
_team = ProjectMember.__table__  # the project's team: its documents inherit it
_unit_of = _segments.alias("target")
# Built once: building a statement costs more than running it on the hot path. Every
# segment of the segment's unit, with its language and the user's membership of it.
_LOCK_UNIT = (
    select(
        _segments.c.id,
        _segments.c.unit_id,
        _segments.c.edition_id,
        _editions.c.document_id,
        _editions.c.language,
        _segments.c.text,
        _segments.c.status,
        _segments.c.version,
        _segments.c.content_hash,
        _segments.c.sibling_hashes,
        _segments.c.outdated,
        _members.c.role,
        _team.c.role.label("project_role"),
    )
    .join(_editions, _editions.c.id == _segments.c.edition_id)
    .outerjoin(
        _members,
        and_(
            _members.c.document_id == _editions.c.document_id,
            _members.c.language == _editions.c.language,
            _members.c.user_id == bindparam("b_user_id"),
        ),
    )
    .join(_documents, _documents.c.id == _editions.c.document_id)
    .outerjoin(
        _team,
        and_(
            _team.c.project_id == _documents.c.project_id,
            _team.c.language == _editions.c.language,
            _team.c.user_id == bindparam("b_user_id"),
        ),
    )
    .where(
        _segments.c.unit_id
        == select(_unit_of.c.unit_id)
        .where(_unit_of.c.id == bindparam("b_segment_id"))
        .scalar_subquery(),
        _editions.c.deleted_at.is_(None),  # an edition in the trash is left as it is
    )
    .order_by(_segments.c.id)
    .with_for_update(of=_segments)
)


def lock_unit(
    segment_id: int, user: User
) -> tuple[LockedSegment, list[LockedSegment], MemberRole | None]:
    """Lock and read every segment of the segment's unit, in one statement (id order:
    no deadlock between two saves in one unit); returns the segment, its siblings and
    ``user``'s role for the segment's language."""
    take_write_lock()
    rows = db.session.execute(
        _LOCK_UNIT, {"b_segment_id": segment_id, "b_user_id": getattr(user, "id", None)}
    ).all()
    cells = [LockedSegment(*row[:-2]) for row in rows]
    for cell in cells:
        cell.sibling_hashes = dict(cell.sibling_hashes or {})
    found = [i for i, cell in enumerate(cells) if cell.id == segment_id]
    if not found:
        raise NotFound(f"no segment {segment_id}", field="segment")
    (index,) = found
    role = role_of(user, stronger(rows[index].role, rows[index].project_role))
    return cells[index], cells[:index] + cells[index + 1 :], role
