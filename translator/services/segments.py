"""Writing segment text. Every change of text goes through ``write_segment`` so that
its revision is written in the same flush: nothing is ever overwritten silently."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, bindparam, insert, literal, select, update

from translator.errors import Conflict, InputError
from translator.extensions import db
from translator.models import Revision, RevisionReason, Segment, SegmentStatus
from translator.models._types import utcnow
from translator.text.segmentation import MAX_SEGMENT_LENGTH, count_words


def content_hash(text: str) -> str:
    """A short, stable hash of a segment's text (what siblings are checked against)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def check_length(text: str) -> None:
    """The one segment-length limit, checked by every writer of segment text (a save, a
    merge or a move, a replacement, an import, an alignment): InputError beyond it."""
    if len(text) > MAX_SEGMENT_LENGTH:
        raise InputError(
            f"a segment holds at most {MAX_SEGMENT_LENGTH} characters; "
            f"this one would hold {len(text)}",
            field="text",
        )


def new_segment_row(
    unit_id: int, edition_id: int, text: str, status: SegmentStatus, *, aligned: bool
) -> dict[str, Any]:
    """The column values of a segment inserted in bulk (an import, a new layout); the
    bulk writers then call ``record_revisions_of`` for its revision."""
    check_length(text)
    return {
        "unit_id": unit_id,
        "edition_id": edition_id,
        "text": text,
        "status": status if text else SegmentStatus.EMPTY,
        "aligned": aligned,
        "version": 1,
        "content_hash": content_hash(text),
        "sibling_hashes": {},
        "words": count_words(text) if text else 0,
        "updated_at": utcnow(),
    }


def take_write_lock() -> None:
    """SQLite has no row locks (FOR UPDATE is dropped) and its driver begins a
    transaction only at the first write, so a writer's reads could see rows another
    writer is about to replace: there, take the database's write lock now (other writers
    wait, up to the busy timeout; readers do not: WAL). Nothing elsewhere."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_segments(*conditions: ColumnElement[bool]) -> dict[int, int]:
    """Lock the segments matching ``conditions`` until the transaction ends, in id
    order like every writer (so two writers never wait for each other in a circle), and
    return their versions by id. Whatever rewrites segments from what it read locks them
    first, so that no save lands between its read and its write."""
    take_write_lock()
    rows = db.session.execute(
        select(Segment.id, Segment.version)
        .where(*conditions)
        .order_by(Segment.id)
        .with_for_update()
    )
    return {segment_id: version for segment_id, version in rows}


def cell_states(*conditions: ColumnElement[bool]) -> dict[int, str]:
    """Segment id → its text's hash and its status, for the segments matching
    ``conditions``: equal states mean the same text and status, whatever happened in
    between (an undo puts them back)."""
    rows = db.session.execute(
        select(Segment.id, Segment.content_hash, Segment.status).where(*conditions)
    )
    return {segment_id: f"{hashed} {status}" for segment_id, hashed, status in rows}


def count_changed(read: Mapping[int, object], now: Mapping[int, object]) -> int:
    """How many segments were added, removed or changed between two maps of segment id
    → version or state (``lock_segments``, ``cell_states``)."""
    rewritten = sum(1 for i in read.keys() & now.keys() if read[i] != now[i])
    return len(read.keys() ^ now.keys()) + rewritten


def write_segment(
    segment: Segment,
    text: str,
    status: SegmentStatus,
    *,
    reason: RevisionReason,
    author_id: int | None = None,
    job_id: str | None = None,
) -> Revision:
    """Set a segment's text and status and append the matching revision."""
    check_length(text)
    segment.text = text
    segment.status = status
    segment.content_hash = content_hash(text)
    segment.words = count_words(text)
    # One flush writes both rows: the UPDATE bumps the version by one (SQLAlchemy's
    # version counter), so the revision records the version the segment is getting.
    revision = Revision(
        segment_id=segment.id,
        edition_id=segment.edition_id,
        unit_id=segment.unit_id,
        version=segment.version + 1,
        text=text,
        status=status,
        reason=reason,
        author_id=author_id,
        job_id=job_id,
        words=segment.words,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


_segments = Segment.__table__
# Built once: building a statement costs more than running it on the hot path.
_WRITE_ROW = (
    update(_segments)
    .where(_segments.c.id == bindparam("b_id"), _segments.c.version == bindparam("b_version"))
    .values(
        text=bindparam("b_text"),
        status=bindparam("b_status"),
        content_hash=bindparam("b_hash"),
        words=bindparam("b_words"),
        version=_segments.c.version + 1,
        sibling_hashes=bindparam("b_sibling_hashes"),
        outdated=bindparam("b_outdated"),
        updated_at=bindparam("b_now"),
    )
)
_ADD_REVISION = insert(Revision.__table__).values(
    segment_id=bindparam("b_id"),
    edition_id=bindparam("b_edition_id"),
    unit_id=bindparam("b_unit_id"),
    version=bindparam("b_next"),
    text=bindparam("b_text"),
    status=bindparam("b_status"),
    reason=bindparam("b_reason"),
    author_id=bindparam("b_author_id"),
    created_at=bindparam("b_now"),
    words=bindparam("b_words"),
)

_revisions = Revision.__table__
_written = _WRITE_ROW.returning(
    _segments.c.id,
    _segments.c.edition_id,
    _segments.c.unit_id,
    _segments.c.version,
    _segments.c.text,
    _segments.c.status,
    _segments.c.words,
).cte("written")
# PostgreSQL: the UPDATE in a WITH clause, its revision inserted from what it returned.
_WRITE_ROW_WITH_REVISION = (
    insert(_revisions)
    .from_select(
        [
            "segment_id",
            "edition_id",
            "unit_id",
            "version",
            "text",
            "status",
            "reason",
            "author_id",
            "created_at",
            "words",
        ],
        select(
            _written.c.id,
            _written.c.edition_id,
            _written.c.unit_id,
            _written.c.version,
            _written.c.text,
            _written.c.status,
            bindparam("b_reason", type_=_revisions.c.reason.type),
            bindparam("b_author_id", type_=_revisions.c.author_id.type),
            bindparam("b_created", type_=_revisions.c.created_at.type),
            _written.c.words,
        ),
    )
    .returning(_revisions.c.id)
)


def write_segment_row(
    segment_id: int,
    *,
    version: int,
    unit_id: int,
    edition_id: int,
    text: str,
    status: SegmentStatus,
    sibling_hashes: dict[str, str],
    outdated: bool,
    reason: RevisionReason,
    author_id: int | None = None,
) -> dict[str, Any]:
    """``write_segment`` without the ORM, for the hot path of an editor's save (one
    UPDATE, one INSERT): set the text, status and sibling records of a segment still at
    ``version``, bump its version and append the matching revision. Returns the columns
    written; Conflict if the version had moved on."""
    check_length(text)
    written = {
        "text": text,
        "status": status,
        "content_hash": content_hash(text),
        "words": count_words(text),
        "version": version + 1,
        "sibling_hashes": sibling_hashes,
        "outdated": outdated,
        "updated_at": utcnow(),
    }
    params = {
        "b_id": segment_id,
        "b_version": version,
        "b_next": version + 1,
        "b_text": text,
        "b_status": status,
        "b_hash": written["content_hash"],
        "b_words": written["words"],
        "b_sibling_hashes": sibling_hashes,
        "b_outdated": outdated,
        "b_now": written["updated_at"],
    }
    if db.engine.dialect.name == "postgresql":
        params |= {"b_reason": reason, "b_author_id": author_id, "b_created": params["b_now"]}
        # One round trip: the revision is inserted from what the UPDATE returned.
        if db.session.execute(_WRITE_ROW_WITH_REVISION, params).first() is None:
            raise Conflict(
                f"segment {segment_id} is no longer at version {version}", field="version"
            )
        return written
    done = db.session.execute(_WRITE_ROW, params)
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"segment {segment_id} is no longer at version {version}", field="version")
    params |= {
        "b_edition_id": edition_id,
        "b_unit_id": unit_id,
        "b_reason": reason,
        "b_author_id": author_id,
    }
    db.session.execute(_ADD_REVISION, params)
    return written


def record_revisions_of(
    condition: ColumnElement[bool],
    reason: RevisionReason,
    *,
    author_id: int | None = None,
    job_id: str | None = None,
) -> None:
    """Bulk counterpart of ``write_segment`` for freshly inserted segments: the database
    copies every non-empty segment matching ``condition`` into a revision."""
    db.session.execute(
        insert(Revision).from_select(
            [
                "segment_id",
                "edition_id",
                "unit_id",
                "version",
                "text",
                "status",
                "reason",
                "author_id",
                "job_id",
                "created_at",
                "words",
            ],
            select(
                Segment.id,
                Segment.edition_id,
                Segment.unit_id,
                Segment.version,
                Segment.text,
                Segment.status,
                literal(reason, Revision.reason.type),
                literal(author_id, Revision.author_id.type),
                literal(job_id, Revision.job_id.type),
                literal(utcnow(), Revision.created_at.type),
                Segment.words,
            ).where(condition, Segment.text != ""),
        )
    )
