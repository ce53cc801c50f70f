"""Fixtures for the web tests: a two-edition essay and an administrator's API client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, request_started
from flask.testing import FlaskClient

from tests.conftest import _fresh_g
from tests.helpers import Api, sign_in
from translator.models import Document, Unit
from translator.services.siblings import baseline_siblings

EN = "# Title\n\nThe cat sleeps. The dog barks.\n\n> A quote.\n\nLast line.\n"
FR = "# Titre\n\nLe chat dort. Le chien aboie.\n\n> Une citation.\n\nDernière ligne.\n"


@pytest.fixture(autouse=True)
def fresh_g_per_request(app: Flask) -> Iterator[None]:
    """Tests that open several clients of the app inside the ``db`` fixture's app
    context: each request gets its own ``g`` (CSRF token, user), as in production."""
    with request_started.connected_to(_fresh_g, app):
        yield


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", filename="essay.md", title="Essay")
    import_text(FR, "fr", filename="essai.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    document.original_edition_id = None  # peers: a change in either edition flags the other
    baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
    db.session.commit()
    return document


@pytest.fixture
def admin_api(client: FlaskClient, create_user: Any, document: Document) -> Api:
    return sign_in(client, create_user, "admin@example.org", is_admin=True)[1]
