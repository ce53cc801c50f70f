"""Issue 12's assignments, end to end in a real browser: a coordinator splits the French
edition of an English original between two translators; one of them finds their share
in "My work" and opens the editor on the first unit of their range."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.test_alignment_fixes import paste_edition
from tests.browser.test_editor import api, cell
from tests.browser.test_invitation import set_up_administrator
from tests.services.test_assignments import MANIFESTO

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
PASSWORD = "a long enough password"


def invite(admin: Any, other: Any, email: str, name: str, role: str) -> None:
    """The administrator invites ``email`` from the users page; on ``other`` (another
    browser) they accept the link and are signed in."""
    from playwright.sync_api import expect

    admin.get_by_role("link", name="Users").click()
    admin.get_by_label("E-mail").fill(email)
    admin.get_by_label("Name").fill(name)
    admin.get_by_label("Role", exact=True).select_option(role)
    admin.get_by_role("button", name="Invite", exact=True).click()
    link = admin.locator("#handover-link").input_value()
    other.goto(link)
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_label("Password again").fill(PASSWORD)
    other.get_by_role("button", name="Create my account").click()
    expect(other.get_by_role("heading", name="Documents")).to_be_visible()


def test_a_coordinator_splits_and_a_translator_opens_their_share(
    live_server: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    contexts = [browser.new_context(locale="en-US") for _ in range(4)]
    errors = [uncaught_errors(c) for c in contexts]
    admin, coordinator, ana, bruno = (c.new_page() for c in contexts)
    try:
        set_up_administrator(admin, live_server)
        admin.goto(live_server + "/import")
        paste_edition(admin, MANIFESTO, "en", title="Manifesto")
        slug = admin.url.rstrip("/").rsplit("/", 1)[-1]
        admin.get_by_role("link", name="New translation").click()
        admin.get_by_label("Language of the translation").fill("fr")
        admin.get_by_role("button", name="Start the translation").click()
        expect(admin.get_by_role("alert")).to_contain_text("New French edition")
        invite(admin, coordinator, "coco@example.org", "Coco", "coordinator")
        invite(admin, ana, "ana@example.org", "Ana", "member")
        invite(admin, bruno, "bruno@example.org", "Bruno", "member")

        # The coordinator splits French between Bruno (first) and Ana (the rest).
        coordinator.goto(f"{live_server}/documents/{slug}")
        coordinator.get_by_role("link", name="Assignments").click()
        split = coordinator.locator("#split-form")
        split.get_by_label("Edition").select_option("fr")
        split.get_by_label("People").fill("bruno@example.org, ana@example.org")
        split.get_by_label("Due date").fill("2027-01-15")
        split.get_by_role("button", name="Split").click()
        expect(coordinator.locator(".flash.success")).to_contain_text("split among 2 people")
        table = coordinator.locator("#assignments tbody tr")
        expect(table).to_have_count(2)
        expect(table.nth(0)).to_contain_text("Bruno")
        coordinator.screenshot(path=str(SCREENSHOTS / "assignments-page.png"), full_page=True)

        # Ana: My work, in the top navigation, lists her share; the link opens the editor.
        ana.goto(live_server + "/")
        ana.get_by_role("link", name="My work").click()
        rows = ana.locator("#my-work tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Manifesto")
        expect(rows).to_contain_text("2027-01-15")
        mine = api(ana, "/my-work")["assignments"][0]
        first, last = (int(n) for n in mine["units"].split("-"))
        assert first > 1, "Ana has the second share"
        rows.get_by_role("link", name="Open in the editor").click()
        expect(ana).to_have_url(re.compile(rf"/documents/{slug}/edit\?assignment={mine['id']}$"))
        expect(ana.locator("#assignment-filter input")).to_be_checked()
        # The list is her range only, and the editor is on its first unit's French cell.
        expect(ana.locator(".grid .row.unit")).to_have_count(last - first + 1)
        units = api(ana, f"/documents/{slug}/units?assignment={mine['id']}&limit=1")
        assert units["units"][0]["id"] == mine["first_unit"]
        first_english = units["units"][0]["segments"]["en"]["text"]
        expect(cell(ana, 0, "en")).to_contain_text(first_english[:30])
        french = cell(ana, 0, "fr")
        expect(french).to_be_visible()
        focused = ana.evaluate(
            "() => !!document.activeElement.closest("
            '\'.row.unit[data-pos="0"] .cell[data-lang="fr"]\')'
        )
        assert focused, "the editor did not open on the first unit to do"
        ana.screenshot(path=str(SCREENSHOTS / "assignment-editor.png"), full_page=False)
    finally:
        for context in contexts:
            context.close()
    assert errors == [[], [], [], []]
