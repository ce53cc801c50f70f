"""Bring back translations from the browser: export a PO from the Export page, change
it as Poedit would, upload it; the job's page reports each unit, the changed segment has
a new revision by the uploader, a segment changed here meanwhile keeps its text and gets
the uploaded one as a suggestion."""

from __future__ import annotations

import io
from typing import Any

import polib
import sqlalchemy as sa

from tests.helpers import csrf_token
from translator.models import MemberRole, Revision, Segment, Suggestion, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.members import set_member

EN = "# An essay\n\nThe cat sleeps. The dog barks. The bird sings.\n"
FR = "# Un essai\n\nLe chat dort. Le chien aboie. L’oiseau chante.\n"


def _segment(db: Any, text: str) -> Segment:
    return db.session.scalars(sa.select(Segment).where(Segment.text == text)).one()


def _exported_po(client: Any) -> polib.POFile:
    token = csrf_token(client, "/documents/an-essay/export")
    started = client.post(
        "/documents/an-essay/export",
        data={"csrf_token": token, "format": "po", "languages": "fr", "source": "en"},
    )
    status = client.get(started.location + ".json").get_json()
    assert status["state"] == "succeeded", status
    download = client.get(status["url"])
    content = download.get_data(as_text=True)
    download.close()
    return polib.pofile(content)


def _upload(client: Any, data: bytes, name: str) -> Any:
    token = csrf_token(client, "/documents/an-essay/translations")
    return client.post(
        "/documents/an-essay/translations",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_translator_brings_a_po_back(
    client: Any, login: Any, import_text: Any, create_user: Any, db: Any
) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text(FR, "fr", filename="essai.md", document="an-essay")
    login("tina@example.org")
    tina = db.session.scalar(sa.select(User).where(User.email == "tina@example.org"))
    set_member(get_document("an-essay"), tina, "fr", MemberRole.TRANSLATOR)
    other = create_user("otto@example.org", is_admin=True)
    db.session.commit()

    po = _exported_po(client)
    by_source = {entry.msgid: entry for entry in po}
    by_source["The cat sleeps."].msgstr = "Le chat dort profondément."
    by_source["The bird sings."].msgstr = "L’oiseau chante fort."
    # Meanwhile, someone changes the bird here.
    bird = _segment(db, "L’oiseau chante.")
    save_segment(bird, "L’oiseau gazouille.", base_version=bird.version, user=other)
    db.session.commit()

    uploaded = _upload(client, str(po).encode("utf-8"), "essay.fr.po")
    assert uploaded.status_code == 302 and "/jobs/" in uploaded.location
    page = client.get(uploaded.location).get_data(as_text=True)
    assert "What happened to each unit" in page
    db.session.expire_all()
    cat = _segment(db, "Le chat dort profondément.")
    newest = db.session.scalars(
        sa.select(Revision).where(Revision.segment_id == cat.id).order_by(Revision.id.desc())
    ).first()
    assert newest is not None and newest.author_id == tina.id
    assert _segment(db, "L’oiseau gazouille.")  # their text stays
    suggestion = db.session.scalars(sa.select(Suggestion)).one()
    assert suggestion.text == "L’oiseau chante fort."
    _segment(db, "Le chien aboie.")  # unchanged


def test_a_file_that_is_not_xliff_po_or_tmx_is_named(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    login(is_admin=True)
    refused = _upload(client, b"%PDF-1.4 not a po", "essay.pdf")
    assert refused.status_code == 400
    assert "essay.pdf is not an XLIFF, PO or TMX file." in refused.get_data(as_text=True)
