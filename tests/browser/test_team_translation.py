"""Issue 11's scenario, end to end in a real browser: an administrator imports an English
essay (the original), starts an empty French translation, invites a translator and makes
them the French translator; the translator sets a password from the one-time link, sees
only French editable (and no row changes offered), translates a cell; the administrator,
a reviewer of every edition, rejects it with a reason; the translator sees it back as a
draft with the reason in the row's thread."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.test_alignment_fixes import paste_edition
from tests.browser.test_editor import api, cell, editing
from tests.browser.test_invitation import TRANSLATOR, invite_translator, set_up_administrator

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
ESSAY = (
    "# The river\n\n"
    "The river rose in the night. Nobody saw it come.\n\n"
    "> Water remembers.\n\n"
    "In the morning the town was an island.\n"
)


def test_a_team_translates_from_the_original(live_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    admin_context = browser.new_context(locale="en-US")
    translator_context = browser.new_context(locale="en-US")
    errors = [uncaught_errors(admin_context), uncaught_errors(translator_context)]
    admin, translator = admin_context.new_page(), translator_context.new_page()
    try:
        set_up_administrator(admin, live_server)
        admin.goto(live_server + "/import")
        paste_edition(admin, ESSAY, "en", title="The river")
        slug = admin.url.rstrip("/").rsplit("/", 1)[-1]
        admin.get_by_role("link", name="New translation").click()
        admin.get_by_label("Language of the translation").fill("fr")
        admin.get_by_role("button", name="Start the translation").click()
        expect(admin.get_by_role("alert")).to_contain_text("New French edition")

        invite_translator(admin, translator, live_server)
        # Before being a member, the translator does not see the document at all.
        expect(translator.get_by_role("link", name="The river")).to_have_count(0)
        assert translator.goto(f"{live_server}/documents/{slug}").status == 403

        admin.goto(f"{live_server}/documents/{slug}/members")
        admin.get_by_label("Name or e-mail").fill(TRANSLATOR)
        admin.get_by_label("Role", exact=True).select_option("translator")
        admin.get_by_label("Edition", exact=True).select_option("fr")
        admin.get_by_role("button", name="Add", exact=True).click()
        expect(admin.locator("table.members")).to_contain_text("Tomás Ribeiro")

        # The translator: the document is listed; in the editor only French is editable.
        translator.goto(live_server + "/")
        translator.get_by_role("link", name="The river").click()
        page_text = translator.locator("main").inner_text()
        assert "Settings" not in page_text and "Align" not in page_text
        translator.get_by_role("link", name="Open the editor").click()
        translator.locator(".grid .row.unit").first.wait_for()
        header = translator.locator(".grid-head")
        expect(header.locator(".col-readonly")).to_have_count(1)  # English: read only
        expect(translator.locator(".row-menu-button")).to_have_count(0)
        expect(translator.locator("#undo-button")).to_have_count(0)
        info = api(translator, f"/documents/{slug}")
        assert {e["code"]: e["editable"] for e in info["languages"]} == {"en": False, "fr": True}
        # An empty French cell, ready: the title row first.
        cell(translator, 1).click()
        textarea = editing(translator, 1)
        expect(textarea).to_have_value("")
        textarea.fill("La rivière est montée dans la nuit. Personne ne l'a vue venir.")
        translator.keyboard.press("Control+Enter")
        cell(translator, 1, "en").click()
        expect(editing(translator, 1, "en")).to_have_count(0)  # English does not open
        units = api(translator, f"/documents/{slug}/units?limit=10")["units"]
        french = units[1]["segments"]["fr"]
        assert french["status"] == "translated" and french["text"].startswith("La rivière")

        # The administrator (a reviewer of every edition) rejects it, with a reason.
        admin.goto(f"{live_server}/documents/{slug}/edit")
        admin.locator(".grid .row.unit").first.wait_for()
        cell(admin, 1).click()
        admin.keyboard.press("Escape")
        admin.get_by_role("button", name="History & comments").click()
        reason = admin.get_by_label(re.compile("Reject this translation"))
        expect(reason).to_be_visible()
        reason.fill("« est montée » : l'anglais dit « rose », gardez le passé simple.")
        admin.get_by_role("button", name="Send back to the translator").click()
        expect(admin.locator("#editor-message")).to_contain_text("Sent back to the translator")
        expect(admin.locator(".comments-list")).to_contain_text("gardez le passé simple")
        expect(admin.locator(".reject-form")).to_be_hidden()  # a draft now: nothing to reject
        admin.screenshot(path=str(SCREENSHOTS / "editor-reject.png"))

        # The translator sees it back: a draft, and the reason in the row's thread.
        expect(cell(translator, 1)).to_have_class(re.compile(r"\bstatus-draft\b"))
        cell(translator, 1).click()
        translator.get_by_role("button", name="History & comments").click()
        expect(translator.locator(".comments-list")).to_contain_text("gardez le passé simple")
        expect(translator.locator(".history-list")).to_contain_text("rejected by a reviewer")
        expect(translator.locator(".reject-form")).to_be_hidden()  # not a reviewer
    finally:
        admin_context.close()
        translator_context.close()
    assert errors == [[], []], f"uncaught script errors: {errors}"
