"""The import form with the document formats: a DOCX upload runs the job to the end;
a file that is not what its name says fails with a message naming it."""

from __future__ import annotations

import io
from typing import Any

from tests.formats.office_files import sample_docx
from tests.helpers import csrf_token


def _import(client: Any, **fields: Any) -> Any:
    token = csrf_token(client, "/import")
    data = {"csrf_token": token, "format": "auto", "document": "", **fields}
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_the_form_offers_the_document_formats(client: Any, login: Any) -> None:
    login(is_admin=True)
    page = client.get("/import").get_data(as_text=True)
    for value in ("docx", "odt", "html", "epub"):
        assert f'value="{value}"' in page
    assert ".docx" in page and ".epub" in page  # the file picker's accept list


def test_a_docx_upload_is_imported_with_its_structure(client: Any, login: Any) -> None:
    login(is_admin=True)
    response = _import(client, file=(io.BytesIO(sample_docx()), "book.docx"), language="en")
    assert response.status_code == 302, response.get_data(as_text=True)
    payload = client.get(response.headers["Location"] + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["result"]["footnotes"] == 4
    assert payload["result"]["list_items"] == 9
    page = client.get(payload["url"]).get_data(as_text=True)
    assert "Third item" in page and "A Collective&#39;s Book" in page


def test_a_false_docx_fails_naming_the_file(client: Any, login: Any) -> None:
    login(is_admin=True)
    response = _import(client, file=(io.BytesIO(b"Just some text."), "report.docx"), language="en")
    payload = client.get(response.headers["Location"] + ".json").get_json()
    assert payload["state"] == "failed"
    assert "report.docx" in payload["message"] and "not a DOCX file" in payload["message"]
