"""The web pages through the real app: login with CSRF, import form, job, document page."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import sqlalchemy as sa

from tests.conftest import SHARED
from tests.helpers import csrf_token
from translator.models import Job, Segment

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"


def test_pages_need_a_login(client: Any) -> None:
    for path in ["/", "/import", "/documents/x", "/jobs/x"]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_login_checks_csrf_and_password(client: Any, create_user: Any) -> None:
    create_user("ana@example.org", "correct horse")
    response = client.post("/login", data={"email": "ana@example.org", "password": "correct horse"})
    assert response.status_code == 400  # no CSRF token
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": "ana@example.org", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code == 200 and "Wrong e-mail or password" in response.get_data(
        as_text=True
    )
    response = client.post(
        "/login",
        data={"email": "ana@example.org", "password": "correct horse", "csrf_token": token},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def _import(client: Any, **fields: Any) -> Any:
    token = csrf_token(client, "/import")
    data = {"csrf_token": token, "format": "auto", "document": "", **fields}
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_import_form_runs_the_job_and_shows_the_document(client: Any, login: Any, db: Any) -> None:
    login(is_admin=True)
    response = _import(client, file=(io.BytesIO(ESSAY.read_bytes()), ESSAY.name), language="en")
    assert response.status_code == 302, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    assert job_url.startswith("/jobs/")
    payload = client.get(job_url + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["progress"] == 100
    assert payload["result"]["headings"] == 5
    page = client.get(job_url).get_data(as_text=True)
    assert "<progress" in page
    document_url = payload["url"]
    html = client.get(document_url).get_data(as_text=True)
    assert "A Predictable Disaster" in html
    assert html.count('class="unit role-heading') >= 1
    assert "Page 1 of" in html
    # The job's upload is removed once imported.
    job = db.session.scalar(sa.select(Job))
    from pathlib import Path

    assert not Path(job.params["path"]).exists()


def test_paste_text_and_add_a_second_edition(client: Any, login: Any) -> None:
    login(is_admin=True)
    response = _import(client, text="Hello there. General Kenobi.", language="en", title="Greeting")
    assert client.get(response.headers["Location"] + ".json").get_json()["state"] == "succeeded"
    response = _import(client, text="Bonjour. Général Kenobi.", language="fr", document="greeting")
    assert client.get(response.headers["Location"] + ".json").get_json()["state"] == "succeeded"
    html = client.get("/documents/greeting").get_data(as_text=True)
    assert "Bonjour." in html and "Hello there." in html
    assert html.count('class="cell status-translated unaligned"') == 2


def test_import_form_errors_name_the_field(client: Any, login: Any, db: Any) -> None:
    login(is_admin=True)
    response = _import(client, text="Hello.", language="klingon")
    assert response.status_code == 400
    assert "Unknown language code" in response.get_data(as_text=True)
    response = _import(client, language="en")
    assert response.status_code == 400
    assert "Choose a file or paste some text." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_failed_job_says_why(client: Any, login: Any) -> None:
    login(is_admin=True)
    response = _import(client, file=(io.BytesIO(b"\x00\x01\x02" * 100), "image.bin"), language="en")
    payload = client.get(response.headers["Location"] + ".json").get_json()
    assert payload["state"] == "failed"
    assert "image.bin" in payload["message"] and "not a text file" in payload["message"]


def test_upload_over_the_limit_is_refused(app: Any, client: Any, login: Any) -> None:
    login(is_admin=True)
    limit = app.config["MAX_UPLOAD_BYTES"]
    app.config["MAX_UPLOAD_BYTES"] = 1000
    try:
        response = _import(client, file=(io.BytesIO(b"a. " * 2000), "big.txt"), language="en")
    finally:
        app.config["MAX_UPLOAD_BYTES"] = limit
    assert response.status_code == 413
    assert "limit" in response.get_data(as_text=True)


def test_segment_text_is_escaped(client: Any, login: Any, import_text: Any, db: Any) -> None:
    login(is_coordinator=True)  # sees every document
    import_text(
        'Look <script>alert(1)</script> here. And "><img src=x onerror=alert(2)> too.',
        "en",
        title="XSS",
    )
    stored = db.session.scalars(sa.select(Segment.text)).all()
    assert any("&lt;script&gt;" in t for t in stored)
    html = client.get("/documents/xss").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_markdown_inline_markup_is_rendered_from_the_whitelist(
    client: Any, login: Any, import_text: Any
) -> None:
    login(is_coordinator=True)  # sees every document
    import_text(
        "Some *emphasis* and a [link](https://example.org) and [bad](javascript:alert(1)).",
        "en",
        filename="t.md",
        title="Marks",
    )
    html = client.get("/documents/marks").get_data(as_text=True)
    assert "<em>emphasis</em>" in html
    assert re.search(r'<a href="https://example.org"[^>]*>link</a>', html)
    assert "javascript:" not in html


def test_document_page_is_paginated(app: Any, client: Any, login: Any, import_text: Any) -> None:
    login(is_coordinator=True)  # sees every document
    text = "\n\n".join(f"Sentence number {i}." for i in range(250))
    import_text(text, "en", title="Long")
    per_page = app.config["UNITS_PER_PAGE"]
    html = client.get("/documents/long?page=2").get_data(as_text=True)
    assert f"Sentence number {per_page}." in html
    assert f"Sentence number {per_page - 1}." not in html
    assert client.get("/documents/long?page=99").status_code == 404


def test_interface_speaks_french_and_portuguese(client: Any, login: Any) -> None:
    login(is_admin=True)
    assert "Importer un texte" in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "Importar um texto" in client.get("/", headers={"Accept-Language": "pt"}).get_data(
        as_text=True
    )
    token = csrf_token(client, "/")
    client.post("/language", data={"locale": "pt", "csrf_token": token, "next": "/"})
    assert "Documentos" in client.get("/").get_data(as_text=True)


def test_unknown_document_is_a_404_page(client: Any, login: Any) -> None:
    login()
    response = client.get("/documents/nope")
    assert response.status_code == 404
    assert "nope" in response.get_data(as_text=True)


def test_first_run_asks_for_the_administrator(client: Any, db: Any) -> None:
    from translator.models import User

    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/setup")
    token = csrf_token(client, "/setup")
    response = client.post(
        "/setup",
        data={
            "email": "boss@example.org",
            "password": "longenough",
            "confirm": "different",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400 and "The passwords differ." in response.get_data(
        as_text=True
    )
    response = client.post(
        "/setup",
        data={
            "email": "boss@example.org",
            "password": "longenough",
            "confirm": "longenough",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # signed in
    user = db.session.scalar(sa.select(User))
    assert user.is_admin and user.email == "boss@example.org"
    assert client.get("/setup").status_code == 302  # only once


def test_document_and_edition_settings(client: Any, login: Any, import_text: Any, db: Any) -> None:
    from translator.models import Document

    login(is_admin=True)
    first = import_text("One. Two.", "en", title="Essay")
    import_text("Un. Deux.", "fr", document=first.document)
    token = csrf_token(client, "/documents/essay/settings")
    data = {
        "csrf_token": token,
        "document-title": "The Essay",
        "document-author": "A. Writer",
        "document-publication_date": "2027-03-01",
        "document-notes": "For the spring issue.",
        "edition-en-title": "The Essay",
        "edition-en-credits": "",
        "edition-fr-title": "L’essai",
        "edition-fr-credits": "Traduit par Ana & Zé",
    }
    response = client.post("/documents/essay/settings", data={**data, "document-title": " "})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(Document.title)) == "Essay"  # nothing half-saved
    response = client.post("/documents/essay/settings", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    document = db.session.scalar(sa.select(Document))
    assert document.title == "The Essay" and document.slug == "essay"
    assert str(document.publication_date) == "2027-03-01"
    assert document.edition("fr").credits == "Traduit par Ana & Zé"
    html = client.get("/documents/essay", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Traduit par Ana &amp; Zé" in html and "A. Writer" in html
    assert "1 mars 2027" in html


def test_document_list_shows_segments_and_words_by_status(
    client: Any, login: Any, import_text: Any
) -> None:
    login(is_coordinator=True)  # sees every document
    first = import_text("One two three. Four five.", "en", title="Counts")
    import_text("Un deux trois quatre.", "fr", document=first.document)
    html = client.get("/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("( ", "(").replace(" )", ")")
    assert "English translated 2 (5 words)" in text  # 2 segments, 5 words
    assert "French translated 1 (4 words) empty 1 (0 words)" in text
    assert "2 unaligned" in text


def test_errors_and_numbers_speak_the_interface_language(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    """A French interface says its 404 and its refusals in French, and writes the
    alignment confidence 0,50 (not 0.50)."""
    from translator.models import Unit

    login()
    french = {"Accept-Language": "fr"}
    missing = client.get("/no/such/page", headers=french)
    assert missing.status_code == 404
    assert "Il n'y a rien à cette adresse" in html.unescape(missing.get_data(as_text=True))
    import_text("One sentence here.", "en", title="Numbers")
    refused = client.get("/documents/numbers", headers=french)
    assert refused.status_code == 403
    assert "Vous ne pouvez pas voir ce document" in html.unescape(refused.get_data(as_text=True))

    unit = db.session.scalar(sa.select(Unit))
    unit.confidence = 0.5
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login("coord@example.org", is_coordinator=True)
    page = client.get("/documents/numbers", headers=french).get_data(as_text=True)
    assert ">0,50<" in page and ">0.50<" not in page
    english = client.get("/documents/numbers").get_data(as_text=True)
    assert ">0.50<" in english
