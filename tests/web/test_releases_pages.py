"""The releases page: each edition's readiness with links into the editor on the
blocking units, publishing refused until ready (or with a reason), a release's files
the same every time, and what changed since the last release on the document page."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from tests.helpers import csrf_token
from translator.models import Document, Release, Segment, SegmentStatus, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.editions import start_translation

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n"
FR = ["Un essai", "Le chat dort.", "Le chien aboie."]


def _essay(db: Any, import_text: Any) -> Any:
    import_text(EN, "en", filename="essay.md", title="An essay")
    document = get_document("an-essay")
    start_translation(document, "fr")
    db.session.commit()
    return document


def _cells(db: Any, document: Any, language: str) -> list[Segment]:
    return list(
        db.session.scalars(
            sa.select(Segment)
            .where(Segment.edition_id == document.edition(language).id)
            .order_by(Segment.unit_id)
        )
    )


def _review(db: Any, document: Any, user: Any) -> None:
    for language, texts in (("en", None), ("fr", FR)):
        for index, cell in enumerate(_cells(db, document, language)):
            text = texts[index] if texts else cell.text
            save_segment(
                cell, text, base_version=cell.version, user=user, status=SegmentStatus.REVIEWED
            )
    db.session.commit()


def _links(page: str) -> list[dict[str, list[str]]]:
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*/edit\?[^"]*)"', page)]
    return [parse_qs(urlsplit(h).query) for h in hrefs]


def test_publish_from_the_page(client: Any, db: Any, login: Any, import_text: Any) -> None:
    document = _essay(db, import_text)
    login("ana@example.org", is_admin=True)
    page = client.get("/documents/an-essay/releases")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'class="not-ready"' in text and "3 segments empty" in text
    assert {"status": ["empty"], "status_language": ["fr"]} in _links(text)
    assert {"status": ["translated"], "status_language": ["en"]} in _links(text)

    token = csrf_token(client, "/documents/an-essay/releases")
    refused = client.post(
        "/documents/an-essay/releases", data={"csrf_token": token, "languages": ["en", "fr"]}
    )
    assert refused.status_code == 400
    assert "Not published" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 0

    ana = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    _review(db, document, ana)
    ready = client.get("/documents/an-essay/releases").get_data(as_text=True)
    assert 'class="not-ready"' not in ready and _links(ready) == []
    published = client.post(
        "/documents/an-essay/releases",
        data={"csrf_token": token, "languages": ["en", "fr"], "note": "Spring issue"},
    )
    assert published.status_code == 302
    listed = client.get("/documents/an-essay/releases").get_data(as_text=True)
    assert "Spring issue" in listed and "Release 1 published." in listed

    url = "/documents/an-essay/releases/1/export?format=docx&languages=fr"
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and first.data == second.data
    assert "an-essay.v1.fr.docx" in first.headers["Content-Disposition"]
    assert (
        client.get("/documents/an-essay/releases/1/export?format=po&languages=fr").status_code
        == 400
    )
    assert (
        client.get("/documents/an-essay/releases/2/export?format=md&languages=fr").status_code
        == 404
    )

    # Edits after the release go into the next one; the document page says so.
    cell = _cells(db, document, "fr")[1]
    save_segment(cell, "Le chat ronfle.", base_version=cell.version, user=ana, confirm=True)
    db.session.commit()
    show = client.get("/documents/an-essay").get_data(as_text=True)
    assert "Release 1" in show and "1 unit changed since" in show
    changes = client.get("/documents/an-essay/releases").get_data(as_text=True)
    assert "<del>dort</del><ins>ronfle</ins>" in changes
    again = client.post(
        "/documents/an-essay/releases",
        data={"csrf_token": token, "languages": ["fr"], "override_reason": "Fixed a typo"},
    )
    assert again.status_code == 302
    assert "Published although not ready: Fixed a typo" in client.get(
        "/documents/an-essay/releases"
    ).get_data(as_text=True)


def test_outdated_and_unaligned_blockers_link_to_their_filters(
    client: Any, db: Any, login: Any, import_text: Any
) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text("# Un essai\n\nLe chat dort.\n", "fr", filename="f.md", document="an-essay")
    login("ana@example.org", is_admin=True)
    text = client.get("/documents/an-essay/releases").get_data(as_text=True)
    assert {"unaligned": ["1"], "status_language": ["fr"]} in _links(text)
    editor = client.get("/documents/an-essay/edit?unaligned=1&status_language=fr")
    assert editor.status_code == 200 and 'name="unaligned"' in editor.get_data(as_text=True)


def test_readers_see_releases_but_do_not_publish(
    client: Any, db: Any, login: Any, import_text: Any, create_user: Any
) -> None:
    from translator.models import MemberRole
    from translator.services.members import set_member

    document = _essay(db, import_text)
    login("rob@example.org")
    rob = db.session.scalar(sa.select(User).where(User.email == "rob@example.org"))
    set_member(document, rob, "", MemberRole.READER)
    db.session.commit()
    page = client.get("/documents/an-essay/releases").get_data(as_text=True)
    assert "Nothing has been published yet." in page and "publish-form" not in page
    assert ">Releases<" in client.get("/documents/an-essay").get_data(as_text=True)


def test_the_settings_say_whether_the_document_needs_review(
    client: Any, db: Any, login: Any, import_text: Any
) -> None:
    _essay(db, import_text)
    login("ana@example.org", is_admin=True)
    token = csrf_token(client, "/documents/an-essay/settings")
    data = {
        "csrf_token": token,
        "document-title": "An essay",
        "edition-en-typography": "y",
        "edition-fr-typography": "y",
    }
    assert client.post("/documents/an-essay/settings", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Document.review_required)) is False
    data["document-review_required"] = "y"
    assert client.post("/documents/an-essay/settings", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Document.review_required)) is True
    page = client.get("/documents/an-essay/settings").get_data(as_text=True)
    assert 'name="document-review_required"' in page and "checked" in page
