"""A PDF file end to end: the import service (with the language that repairs lost
ligatures) and the web import form with its background job."""

from __future__ import annotations

import io
from typing import Any

import pytest
import sqlalchemy as sa

from tests.formats.pdf_samples import book_html, render_pdf
from tests.helpers import csrf_token
from translator.errors import InputError
from translator.models import Document, Segment, Unit

PARAGRAPHS = [
    "The first chapter tells how the collective began to translate its own pamphlets. "
    "Nobody had planned it; the work simply had to be done.",
    "The second chapter is about the office they rented, the definitions they argued "
    "over and the effect of their choices on the readers.",
    "The third chapter is short. It ends the booklet.",
]


pytestmark = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="module")
def booklet() -> bytes:
    return render_pdf(book_html("The Booklet", PARAGRAPHS * 6))


def test_a_pdf_file_imports_through_the_service(db: Any, import_text: Any, booklet: bytes) -> None:
    summary = import_text(booklet, "en", filename="the-booklet.en.pdf")
    assert summary.to_dict()["paragraphs"] >= 15
    segments = db.session.scalars(
        sa.select(Segment.text).join(Unit, Segment.unit_id == Unit.id).order_by(Unit.order_key)
    ).all()
    assert segments[:3] == [
        "The first chapter tells how the collective began to translate its own pamphlets.",
        "Nobody had planned it; the work simply had to be done.",
        "The second chapter is about the office they rented, the definitions they argued "
        "over and the effect of their choices on the readers.",
    ]
    assert not any(text.isdigit() or "indd" in text for text in segments)
    document = db.session.scalar(sa.select(Document))
    assert document.title == "The booklet"
    assert document.editions[0].source_format == "pdf"


def test_the_language_of_the_import_repairs_lost_ligatures(
    db: Any, import_text: Any, booklet: bytes
) -> None:
    lost = (
        "The na onal o ce gave its de nition a er the rst war.\nIts e ect was felt in every o ce.\n"
    )
    summary = import_text(lost.encode(), "en", filename="lost.pdf.txt", fmt="pdftext")
    assert any("ligatures" in warning for warning in summary.warnings)
    texts = db.session.scalars(sa.select(Segment.text)).all()
    assert "The national office gave its definition after the first war." in texts


def test_a_broken_pdf_is_refused_by_the_service_naming_the_file(db: Any, import_text: Any) -> None:
    with pytest.raises(InputError) as caught:
        import_text(b"%PDF-1.4\nnot really a pdf\n", "en", filename="broken.pdf")
    assert "broken.pdf" in str(caught.value)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


def test_a_pdf_uploaded_through_the_import_form_becomes_a_document(
    client: Any, login: Any, booklet: bytes
) -> None:
    login(is_admin=True)
    token = csrf_token(client, "/import")
    response = client.post(
        "/import",
        data={
            "csrf_token": token,
            "format": "auto",
            "document": "",
            "language": "en",
            "file": (io.BytesIO(booklet), "booklet.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    payload = client.get(response.headers["Location"] + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["result"]["paragraphs"] >= 15
    page = client.get(payload["url"]).get_data(as_text=True)
    assert "The third chapter is short." in page
    assert "book_proof.indd" not in page


def test_the_import_form_offers_the_pdf_format(client: Any, login: Any) -> None:
    login(is_admin=True)
    page = client.get("/import").get_data(as_text=True)
    assert 'value="pdf"' in page
