"""Splitting a row in the editor, choosing where the other language goes: with the
keyboard only, the English text stays in the first row, or is cut at its own sentence
boundary, so a row is fixed across languages in one action; undo brings it back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_alignment_fixes import paste_edition, sign_in
from tests.browser.test_editor import api, cell, editing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))


def rows(page: Any, slug: str) -> list[tuple[str, str]]:
    units = api(page, f"/documents/{slug}/units?limit=100")["units"]
    return [(u["segments"]["fr"]["text"], u["segments"]["en"]["text"]) for u in units]


def split_french_after_un(page: Any) -> Any:
    """Put the caret after "Un. " in the first French cell, press Ctrl+Shift+S: the
    dialog, its focus on the English choice."""
    from playwright.sync_api import expect

    cell(page, 0).click()
    textarea = editing(page, 0)
    expect(textarea).to_be_focused()
    textarea.evaluate("el => el.setSelectionRange(4, 4)")
    page.keyboard.press("Control+Shift+S")
    dialog = page.get_by_role("dialog", name="Split the unit")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".split-preview")).to_have_text("Un. ✂ Deux.")
    return dialog


def test_split_choosing_where_the_other_language_goes(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_server)
    page.goto(live_server + "/import")
    paste_edition(page, "Un. Deux.\n\nTrois.", "fr", title="Split choice")
    page.get_by_role("link", name="Add an existing edition").click()
    paste_edition(page, "One. Two.\n\nThree.", "en")
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{live_server}/documents/{slug}/edit")
    page.locator(".grid .row.unit").first.wait_for()
    if len(rows(page, slug)) == 3:  # one row per sentence: make the first row hold two
        cell(page, 0).click()
        page.keyboard.press("Control+Shift+M")
        expect(page.locator("#editor-message")).to_have_text("Merged with the next unit.")
    assert rows(page, slug) == [("Un. Deux.", "One. Two."), ("Trois.", "Three.")]

    # Keep the English in the first row: one arrow key, then Enter.
    dialog = split_french_after_un(page)
    english = dialog.get_by_role("group", name="English")
    second = english.get_by_role("radio", name="Goes to the second unit")
    expect(second).to_be_checked()  # the old behaviour is the default
    expect(second).to_be_focused()
    page.screenshot(path=str(SCREENSHOTS / "editor-split-dialog.png"))
    page.keyboard.press("ArrowUp")
    expect(english.get_by_role("radio", name="Stays in the first unit")).to_be_checked()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#editor-message")).to_have_text("Unit split in two.")
    assert rows(page, slug) == [("Un.", "One. Two."), ("Deux.", ""), ("Trois.", "Three.")]
    expect(cell(page, 0, "en").locator(".cell-text")).to_have_text("One. Two.")
    expect(cell(page, 1, "fr").locator(".cell-text")).to_have_text("Deux.")

    # Undone from the toolbar: the row is whole again.
    page.locator("#undo-button").click()
    expect(page.locator("#editor-message")).to_have_text("Structure change undone.")
    assert rows(page, slug) == [("Un. Deux.", "One. Two."), ("Trois.", "Three.")]

    # Tab stays in the dialog; Escape cancels and changes nothing.
    dialog = split_french_after_un(page)
    for _ in range(5):
        page.keyboard.press("Tab")
        assert dialog.evaluate("el => el.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert rows(page, slug) == [("Un. Deux.", "One. Two."), ("Trois.", "Three.")]
    expect(editing(page, 0)).to_be_focused()  # back in the cell, to split it for real
    # Cut the English too, at "One.".
    dialog = split_french_after_un(page)
    english = dialog.get_by_role("group", name="English")
    # The side chosen last time is offered again.
    expect(english.get_by_role("radio", name="Stays in the first unit")).to_be_checked()
    english.get_by_role("combobox", name="Where to cut the English text").select_option(
        label="One."
    )
    expect(english.get_by_role("radio", name="Cut it too, after:")).to_be_checked()
    dialog.get_by_role("button", name="Split", exact=True).click()
    expect(page.locator("#editor-message")).to_have_text("Unit split in two.")
    assert rows(page, slug) == [("Un.", "One."), ("Deux.", "Two."), ("Trois.", "Three.")]
    expect(cell(page, 1, "en").locator(".cell-text")).to_have_text("Two.")
