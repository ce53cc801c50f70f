"""A reviewer rejects a translation with a reason: back to its translator as a draft, the
reason in the row's thread, the rejection in the history; others may not."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.helpers import sign_in
from translator.models import Comment, Document, MemberRole, Revision, Segment
from translator.services.members import set_member


def _french_segment(db: Any, document: Document) -> Segment:
    fr = document.edition("fr")
    assert fr is not None
    return db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == fr.id).order_by(Segment.id).offset(1)
    ).first()


def test_a_reviewer_rejects_a_translation_with_a_reason(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    translator_client, reviewer_client = app.test_client(), app.test_client()
    translator, translator_api = sign_in(translator_client, create_user, "tom@example.org")
    reviewer, reviewer_api = sign_in(reviewer_client, create_user, "rita@example.org")
    set_member(document, translator, "fr", MemberRole.TRANSLATOR)
    set_member(document, reviewer, "fr", MemberRole.REVIEWER)
    db.session.commit()
    segment = _french_segment(db, document)
    saved = translator_api.send(
        "PUT",
        f"/segments/{segment.id}",
        {"text": "Le chat somnole.", "confirm": True},
        version=segment.version,
    )
    assert saved.status_code == 200, saved.get_json()
    version = saved.get_json()["segment"]["version"]
    assert saved.get_json()["segment"]["status"] == "translated"

    # The translator may not reject; neither may anyone with an old version.
    refused = translator_api.send(
        "POST", f"/segments/{segment.id}/reject", {"reason": "no"}, version=version
    )
    assert refused.status_code == 403
    stale = reviewer_api.send(
        "POST", f"/segments/{segment.id}/reject", {"reason": "Tense."}, version=version - 1
    )
    assert stale.status_code == 409
    empty = reviewer_api.send(
        "POST", f"/segments/{segment.id}/reject", {"reason": "  "}, version=version
    )
    assert empty.status_code == 400 and "reason" in str(empty.get_json())

    rejected = reviewer_api.send(
        "POST",
        f"/segments/{segment.id}/reject",
        {"reason": "« dort » : le texte anglais dit « is sleeping »."},
        version=version,
    )
    assert rejected.status_code == 200, rejected.get_json()
    answer = rejected.get_json()
    assert answer["segment"]["status"] == "draft"
    assert answer["segment"]["text"] == "Le chat somnole."
    assert answer["comment"]["language"] == "fr"
    assert answer["comment"]["author"]["id"] == reviewer.id

    db.session.expire_all()
    history = db.session.scalars(
        sa.select(Revision).where(Revision.segment_id == segment.id).order_by(Revision.id)
    ).all()
    assert [(r.reason, r.status, r.author_id) for r in history[-2:]] == [
        ("edit", "translated", translator.id),
        ("reject", "draft", reviewer.id),
    ]
    thread = db.session.scalars(sa.select(Comment).where(Comment.unit_id == segment.unit_id))
    assert [c.body for c in thread] == ["« dort » : le texte anglais dit « is sleeping »."]
    # The translator sees it in the row's thread and in the history.
    comments = translator_api.get(f"/units/{segment.unit_id}/comments").get_json()["comments"]
    assert comments[0]["body"].startswith("« dort »")
    revisions = translator_api.get(f"/segments/{segment.id}/history").get_json()
    assert "reject" in str(revisions)
