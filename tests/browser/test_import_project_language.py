"""The import form proposes the chosen project's original language in the browser (the
server does the same for /import?project=SLUG), and keeps a language typed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.test_invitation import set_up_administrator

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def create_project(page: Any, server: str, slug: str, name: str, original: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/projects/new")
    page.get_by_label("Short name in addresses").fill(slug)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Original language").fill(original)
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_choosing_a_project_switches_the_language(live_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    errors = uncaught_errors(context)
    page = context.new_page()
    try:
        set_up_administrator(page, live_server)
        create_project(page, live_server, "essays", "Essays", "en")
        create_project(page, live_server, "poemas", "Poemas", "pt")
        create_project(page, live_server, "loose", "Loose leaves", "")

        page.goto(live_server + "/import")
        language = page.get_by_label("Language", exact=True)
        project = page.get_by_label("Project of the new document")
        expect(language).to_have_value("")
        project.select_option(label="Essays")
        expect(language).to_have_value("en")
        project.select_option(label="Poemas")
        expect(language).to_have_value("pt")
        project.select_option(label="Loose leaves")  # no original language: kept
        expect(language).to_have_value("pt")
        project.select_option(label="Essays")
        expect(language).to_have_value("en")

        language.fill("de")  # typed by hand: the project no longer changes it
        project.select_option(label="Poemas")
        expect(language).to_have_value("de")

        # The server's default, then the script from there on.
        page.goto(live_server + "/import?project=poemas")
        expect(language).to_have_value("pt")
        project.select_option(label="Essays")
        expect(language).to_have_value("en")
    finally:
        context.close()
    assert not errors, f"uncaught script errors: {errors}"
