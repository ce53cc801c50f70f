"""What a new user does on the embedded service: create the first account, import the
sample essay, watch the job's progress bar, read the document."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))


def test_first_run_import_and_read(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("E-mail").fill("editor@example.org")
    page.get_by_label("Your name").fill("Editor")
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Password again").fill("a long password")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()

    page.get_by_role("link", name="Import a text").first.click()
    page.get_by_label("File").set_input_files(str(ESSAY))
    page.get_by_label("Language", exact=True).fill("en")
    page.get_by_role("button", name="Import").click()

    # The job page polls the worker's progress until the job is done.
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+$"))
    done = page.get_by_role("link", name="Open the document")
    expect(done).to_be_visible(timeout=30_000)
    assert page.locator("progress").get_attribute("value") == "100"

    done.click()
    expect(page.get_by_role("heading", name="Bolshevik counterrevolution")).to_be_visible()
    headings = page.locator("tr.role-heading td.cell")
    expect(headings.first).to_have_text("A Predictable Disaster")
    assert headings.all_inner_texts() == [
        "A Predictable Disaster",
        "Lenin: From German Agent to Butcher of the Working Class",
        "A Revolution Derailed",
    ]  # the headings among the first page's 100 units
    page.screenshot(path=str(SCREENSHOTS / "document-page.png"), full_page=False)
    # The document list shows the edition's progress.
    page.get_by_role("link", name="Documents").first.click()
    expect(page.locator("table.documents")).to_contain_text("English")


def test_interface_follows_the_browser_language(live_server: str, browser: Any) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server + "/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert (
        page.get_by_role("button", name="Se connecter").count()
        + page.get_by_role("button", name="Créer le compte").count()
        == 1
    )
    context.close()
