"""A document is visible only to its members, its coordinators and administrators."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import sign_in
from translator.models import Document, MemberRole
from translator.services.members import set_member


def _titles(client: FlaskClient) -> str:
    page = client.get("/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_list_and_the_pages_show_a_document_to_its_members_only(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    outsider = app.test_client()
    sign_in(outsider, create_user, "out@example.org")
    assert "/documents/essay" not in _titles(outsider)
    assert outsider.get("/documents/essay").status_code == 403
    assert outsider.get("/documents/essay/edit").status_code == 403
    assert outsider.get("/api/v1/documents/essay/units").status_code == 403

    reader = app.test_client()
    user, _ = sign_in(reader, create_user, "reader@example.org")
    set_member(document, user, "", MemberRole.READER)
    db.session.commit()
    assert "/documents/essay" in _titles(reader)
    page = reader.get("/documents/essay").get_data(as_text=True)
    # A reader is offered no action they may not take.
    for action in ("/settings", "/align", "/translate", "/replace", "Undo"):
        assert action not in page, action
    assert reader.get("/documents/essay/edit").status_code == 200

    coordinator = app.test_client()
    sign_in(coordinator, create_user, "coord@example.org", is_coordinator=True)
    assert "/documents/essay" in _titles(coordinator)
    page = coordinator.get("/documents/essay").get_data(as_text=True)
    assert "/documents/essay/settings" in page


def test_a_refusal_says_what_is_missing_in_the_interface_language_and_on_the_command_line(
    app: Flask, create_user: Any, document: Document, db: Any
) -> None:
    """One table of refusals serves the web (in the reader's language, the edition's
    language named in it) and the services called from the command line (English)."""
    from translator.errors import Forbidden
    from translator.services.rights import Right, Target, require

    outsider = app.test_client()
    user, _ = sign_in(outsider, create_user, "out@example.org")
    french = outsider.get("/documents/essay", headers={"Accept-Language": "fr"})
    assert french.status_code == 403
    assert "Vous ne pouvez pas voir ce document" in french.get_data(as_text=True)
    english = outsider.get("/api/v1/documents/essay/units")
    assert "You may not see this document" in english.get_json()["error"]

    with app.app_context():  # as the CLI runs a service: no request, no locale
        try:
            require(user, Right.EDIT_EDITION, Target(document_id=document.id, language="fr"))
        except Forbidden as exc:
            assert str(exc) == "You may not edit the French edition of this document."
        else:
            raise AssertionError("an outsider may not edit the French edition")
