"""New translation from the browser, the command line and the API."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.helpers import csrf_token
from translator.cli import cli
from translator.services.documents import get_document

EN = "# An essay\n\nThe cat sleeps. The dog barks.\n"


def test_a_manager_starts_a_translation_in_the_browser(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    login(is_admin=True)
    import_text(EN, "en", filename="essay.md", title="An essay")
    page = client.get("/documents/an-essay").get_data(as_text=True)
    assert "/documents/an-essay/translate" in page
    token = csrf_token(client, "/documents/an-essay/translate")
    form = client.get("/documents/an-essay/translate").get_data(as_text=True)
    assert "original (English)" in form
    response = client.post(
        "/documents/an-essay/translate", data={"csrf_token": token, "language": "fr"}
    )
    assert response.status_code == 302 and response.location.endswith("/documents/an-essay/edit")
    db.session.expire_all()
    assert get_document("an-essay").languages == ["en", "fr"]
    shown = client.get("/documents/an-essay").get_data(as_text=True)
    assert "8 of 8 words of the original left to translate" in shown
    listed = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "8 mots de l’original sur 8 restent à traduire" in listed
    again = client.post(
        "/documents/an-essay/translate", data={"csrf_token": token, "language": "fr"}
    )
    assert again.status_code == 400 and "already has an edition in fr" in again.get_data(
        as_text=True
    )
    wrong = client.post(
        "/documents/an-essay/translate", data={"csrf_token": token, "language": "zz-!!"}
    )
    assert wrong.status_code == 400


def test_the_cli_and_the_api_start_translations(
    app: Any, client: Any, create_user: Any, import_text: Any, db: Any
) -> None:
    import_text(EN, "en", filename="essay.md", title="An essay")
    result = CliRunner().invoke(
        cli,
        ["add-edition", "an-essay", "--lang", "fr", "--json"],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary == {"language": "fr", "original": "en", "units": 3, "words_to_translate": 8}
    refused = CliRunner().invoke(
        cli, ["add-edition", "an-essay", "--lang", "fr"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert refused.exit_code == 1 and "already has an edition in fr" in refused.output

    from translator.services.tokens import create_token

    admin = create_user("ana@example.org", is_admin=True)
    _row, token = create_token(admin, "script", "write")
    db.session.commit()
    answer = client.post(
        "/api/v1/documents/an-essay/editions",
        json={"language": "pt", "title": "Um ensaio"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["units"] == 3
    db.session.expire_all()
    assert get_document("an-essay").edition("pt").title == "Um ensaio"
