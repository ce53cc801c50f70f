"""Writing segment text. Every change of text goes through ``write_segment`` so that
its revision is written in the same flush: nothing is ever overwritten silently."""

from __future__ import annotations

import hashlib

from translator.extensions import db
from translator.models import Revision, RevisionReason, Segment, SegmentStatus
from translator.text.segmentation import count_words


def content_hash(text: str) -> str:
    """A short, stable hash of a segment's text (what siblings are checked against)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


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
    segment.text = text
    segment.status = status
    segment.content_hash = content_hash(text)
    segment.words = count_words(text)
    db.session.flush()  # bumps segment.version, which the revision records
    revision = Revision(
        segment_id=segment.id,
        version=segment.version,
        text=text,
        status=status,
        reason=reason,
        author_id=author_id,
        job_id=job_id,
    )
    db.session.add(revision)
    db.session.flush()
    return revision
