"""The Export page: a job per export, the file downloaded as an attachment with its
checksum, errors named on the form, the list of files, deletion by managers."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.helpers import csrf_token
from translator.models import ExportArtifact

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n"
FR = "# Un essai\n\nLe chat dort. Le chien aboie.\n"


def _essay(import_text: Any) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    import_text(FR, "fr", filename="essai.md", document="an-essay")


def _post(client: Any, **form: Any) -> Any:
    token = csrf_token(client, "/documents/an-essay/export")
    return client.post("/documents/an-essay/export", data={"csrf_token": token, **form})


def test_export_runs_a_job_then_the_file_downloads(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    login(is_admin=True)
    _essay(import_text)
    page = client.get("/documents/an-essay/export").get_data(as_text=True)
    assert "Nothing has been exported yet." in page and 'value="epub"' in page
    response = _post(client, format="md", languages="fr")
    assert response.status_code == 302 and "/jobs/" in response.location
    status = client.get(response.location.rstrip("/") + ".json").get_json()
    assert status["state"] == "succeeded", status
    download = client.get(status["url"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "an-essay.fr.md" in download.headers["Content-Disposition"]
    body = download.get_data()
    download.close()
    assert "Le chat dort. Le chien aboie." in body.decode()
    assert download.headers["Digest"] == f"sha-256={hashlib.sha256(body).hexdigest()}"
    listing = client.get("/documents/an-essay/export").get_data(as_text=True)
    assert "an-essay.fr.md" in listing and "ana" in listing


def test_a_bad_request_is_named_on_the_form(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    login(is_admin=True)
    _essay(import_text)
    response = _post(client, format="parallel-html", languages="en")
    assert response.status_code == 400
    assert "two or three editions side by side" in response.get_data(as_text=True)
    assert db.session.query(ExportArtifact).count() == 0
    missing = _post(client, format="xliff", languages="fr")
    assert missing.status_code == 400 and "needs a source" in missing.get_data(as_text=True)


def test_an_unknown_or_foreign_artifact_is_not_found(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    login(is_admin=True)
    _essay(import_text)
    assert client.get("/documents/an-essay/exports/nope").status_code == 404
    assert client.get("/documents/an-essay/exports/" + "x" * 500).status_code == 404


def test_a_manager_deletes_a_file(client: Any, login: Any, import_text: Any, db: Any) -> None:
    login(is_admin=True)
    _essay(import_text)
    status = client.get(_post(client, format="txt", languages="en").location + ".json").get_json()
    artifact = db.session.query(ExportArtifact).one()
    token = csrf_token(client, "/documents/an-essay/export")
    response = client.post(
        f"/documents/an-essay/exports/{artifact.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.query(ExportArtifact).count() == 0
    assert client.get(status["url"]).status_code == 404


def test_the_export_page_speaks_french(client: Any, login: Any, import_text: Any) -> None:
    login(is_admin=True)
    _essay(import_text)
    page = client.get("/documents/an-essay/export", headers={"Accept-Language": "fr"})
    assert "Exporter" in page.get_data(as_text=True)
