"""The translator's editor in a real browser, on the embedded service: drafts survive a
reload (autosaved, or offered back from localStorage after an offline crash), Ctrl+Enter
confirms and moves on, a keyboard-only pass through 20 cells, and typed markup that must
stay text."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_alignment_fixes import paste_edition, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'


def open_editor(page: Any, live_server: str, title: str, rows: int) -> str:
    """A document whose French edition has one sentence and whose English one has
    ``rows`` paragraphs, so French cells 1.. are empty; open its editor, return its slug."""
    sign_in(page, live_server)
    page.goto(live_server + "/import")
    paste_edition(page, "Premier.", "fr", title=title)
    page.get_by_role("link", name="Add an existing edition").click()
    english = "\n\n".join(f"Sentence number {n} of the text." for n in range(1, rows + 1))
    paste_edition(page, english, "en")
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{live_server}/documents/{slug}/edit")
    page.locator(".grid .row.unit").first.wait_for()
    return slug


def cell(page: Any, row: int, language: str = "fr") -> Any:
    return page.locator(f'.grid .row.unit[data-pos="{row}"] .cell[data-lang="{language}"]')


def editing(page: Any, row: int, language: str = "fr") -> Any:
    """The textarea of that cell (there is one at a time, in the cell being edited)."""
    return cell(page, row, language).locator("textarea.cell-input")


def api(page: Any, path: str) -> Any:
    """GET the JSON API with the page's session."""
    return page.evaluate(
        "async (path) => (await fetch(path, {headers: {Accept: 'application/json'}})).json()",
        "/api/v1" + path,
    )


def french(page: Any, slug: str) -> list[dict[str, Any]]:
    units = api(page, f"/documents/{slug}/units?limit=100")["units"]
    return [unit["segments"]["fr"] for unit in units]


def test_a_draft_survives_a_reload_and_an_offline_crash(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    slug = open_editor(page, live_server, "Drafts", rows=5)

    # Autosaved while typing: a reload shows the draft, from the server.
    cell(page, 1).click()
    expect(editing(page, 1)).to_be_focused()
    page.keyboard.type("Un brouillon")
    expect(cell(page, 1).locator(".cell-state")).to_have_text("Saved")
    page.reload()
    expect(cell(page, 1).locator(".cell-text")).to_have_text("Un brouillon")
    expect(cell(page, 1)).to_have_class(re.compile(r"\bstatus-draft\b"))
    assert french(page, slug)[1]["status"] == "draft"

    # Offline: the text waits in localStorage, and the session ends before it is sent.
    cell(page, 2).click()
    page.context.set_offline(True)
    page.keyboard.type("Pas encore envoyé")
    expect(cell(page, 2).locator(".cell-state")).to_have_text("Offline: will retry")
    expect(page.locator("#save-status")).to_contain_text("Offline")
    page.screenshot(path=str(SCREENSHOTS / "editor-offline.png"))
    # A later session in the same browser profile: its storage, a new page. (The old
    # page stays offline: closing it would still send the text with a keepalive request.)
    later = page.context.browser.new_context(
        locale="en-US", storage_state=page.context.storage_state()
    )
    try:
        check_drafts_offered_back(later.new_page(), live_server, slug)
    finally:
        later.close()


def check_drafts_offered_back(page: Any, live_server: str, slug: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server}/documents/{slug}/edit")
    banner = page.locator("#drafts-banner")
    expect(banner).to_contain_text("1 unsent draft from an earlier session.")
    assert french(page, slug)[2]["text"] == ""  # the server never got it
    page.screenshot(path=str(SCREENSHOTS / "editor-drafts-banner.png"))
    banner.get_by_role("button", name="Restore").click()
    expect(banner).to_be_hidden()
    expect(cell(page, 2).locator(".cell-text")).to_have_text("Pas encore envoyé")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    restored = french(page, slug)[2]
    assert (restored["text"], restored["status"]) == ("Pas encore envoyé", "draft")
    # The server has it now: the local copy is gone, a reload offers nothing.
    drafts = "Object.keys(localStorage).filter(k => k.startsWith('translator:draft:'))"
    assert page.evaluate(drafts) == []
    page.reload()
    expect(cell(page, 2).locator(".cell-text")).to_have_text("Pas encore envoyé")
    expect(page.locator("#drafts-banner")).to_be_hidden()


def test_ctrl_enter_confirms_and_moves_to_the_next_cell_to_do(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    slug = open_editor(page, live_server, "Confirm", rows=6)
    cell(page, 3).click()
    page.keyboard.type("Trois")
    page.keyboard.press("Control+Enter")
    expect(editing(page, 4)).to_be_focused()  # the next empty French cell

    # From row 2, the next cell to do is row 4: row 3 is done.
    cell(page, 2).click()
    page.keyboard.type("Deux")
    page.keyboard.press("Control+Enter")
    expect(editing(page, 4)).to_be_focused()
    expect(cell(page, 2).locator(".cell-text")).to_have_text("Deux")
    # The first account is an administrator: a reviewer of every language.
    expect(cell(page, 2)).to_have_class(re.compile(r"\bstatus-reviewed\b"))
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    cells = french(page, slug)
    assert [(c["text"], c["status"]) for c in cells[1:5]] == [
        ("", "empty"),
        ("Deux", "reviewed"),
        ("Trois", "reviewed"),
        ("", "empty"),
    ]

    # Alt+1 (the French column is the first) is the same language: Alt+2 copies English.
    page.keyboard.press("Alt+2")
    expect(editing(page, 4)).to_have_value("Sentence number 5 of the text.")
    page.keyboard.press("Escape")  # nothing reached the server yet: just undone
    expect(editing(page, 4)).to_have_value("")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    assert french(page, slug)[4]["status"] == "empty"


def test_ctrl_enter_reaches_a_far_cell_without_loading_every_window(
    live_server: str, page: Any
) -> None:
    """450 rows, only the last French cell to do: Ctrl+Enter on the first goes straight
    there, with one units/next request and the windows near the last row, not the ones
    on the way."""
    from playwright.sync_api import expect

    rows = 450
    sign_in(page, live_server)
    page.goto(live_server + "/import")
    text = "\n\n".join(f"Phrase numéro {n}." for n in range(1, rows))
    paste_edition(page, text, "fr", title="Far")
    page.get_by_role("link", name="Add an existing edition").click()
    paste_edition(page, "\n\n".join(f"Sentence {n}." for n in range(1, rows + 1)), "en")
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{live_server}/documents/{slug}/edit")
    cell(page, 0).click()
    expect(editing(page, 0)).to_be_focused()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.keyboard.press("Control+Enter")
    expect(editing(page, rows - 1)).to_be_focused()
    windows = [url for url in requests if re.search(r"/units\?", url)]
    assert len([url for url in requests if "/units/next?" in url]) == 1
    # The windows on the way were never asked for (only those near the last row).
    assert not [url for url in windows if re.search(r"offset=(100|200)&", url)], windows
    expect(cell(page, 0)).to_have_class(re.compile(r"\bstatus-reviewed\b"))


def test_a_text_typed_in_a_row_merged_meanwhile_is_kept(live_server: str, page: Any) -> None:
    """Offline, a translator types in row 2; meanwhile someone merges rows 1 and 2. Back
    online the save finds no segment: the text is listed above the table (and again
    after a reload) until the translator discards it."""
    from playwright.sync_api import expect

    slug = open_editor(page, live_server, "Orphans", rows=4)
    first_of_pair = api(page, f"/documents/{slug}/units?limit=10")["units"][1]["id"]
    cell(page, 2).click()
    page.context.set_offline(True)
    page.keyboard.type("Texte orphelin")
    expect(cell(page, 2).locator(".cell-state")).to_have_text("Offline: will retry")
    other = page.context.browser.new_context(locale="en-US")
    try:
        elsewhere = other.new_page()
        sign_in(elsewhere, live_server)
        elsewhere.goto(f"{live_server}/documents/{slug}/edit")
        status = elsewhere.evaluate(
            """async (unit) => (await fetch(`/api/v1/units/${unit}/merge`, {
                method: "POST", body: "{}",
                headers: {"Content-Type": "application/json", Accept: "application/json",
                          "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content},
            })).status""",
            first_of_pair,
        )
        assert status == 200
    finally:
        other.close()
    page.context.set_offline(False)
    banner = page.locator("#orphans-banner")
    expect(banner.locator("blockquote")).to_have_text(["Texte orphelin"])
    # The server kept it too, as a suggestion on the merged row that holds its text.
    merged = api(page, f"/documents/{slug}/units?limit=10")["units"][1]["segments"]
    holder = next(s for s in merged.values() if s["suggestions"])
    kept = api(page, f"/segments/{holder['id']}/suggestions")["suggestions"]
    assert [s["text"] for s in kept] == ["Texte orphelin"]
    page.reload()
    expect(banner.locator("blockquote")).to_have_text(["Texte orphelin"])
    banner.get_by_role("button", name="Discard").click()
    expect(banner).to_be_hidden()
    page.reload()
    expect(cell(page, 0).locator(".cell-text")).to_have_text("Premier.")
    expect(banner).to_be_hidden()


def test_a_keyboard_only_pass_through_twenty_cells(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    slug = open_editor(page, live_server, "Keyboard", rows=24)
    cell(page, 1).focus()  # focusing a cell opens its editor
    expect(editing(page, 1)).to_be_focused()
    for n in range(1, 21):
        page.keyboard.type(f"Phrase {n}.")
        page.keyboard.press("Control+Enter")
        expect(editing(page, n + 1)).to_be_focused()
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    cells = french(page, slug)
    assert [(c["text"], c["status"]) for c in cells[1:21]] == [
        (f"Phrase {n}.", "reviewed") for n in range(1, 21)
    ]
    assert cells[21]["status"] == "empty"

    # Alt+↑ goes back one row in the column; Ctrl+Shift+↓ jumps to the next cell to do.
    page.keyboard.press("Alt+ArrowUp")
    expect(editing(page, 20)).to_be_focused()
    expect(editing(page, 20)).to_have_value("Phrase 20.")
    page.keyboard.press("Control+Shift+ArrowDown")
    expect(editing(page, 21)).to_be_focused()
    page.keyboard.press("Tab")  # on to the English cell of the row
    expect(editing(page, 21, "en")).to_be_focused()
    page.screenshot(path=str(SCREENSHOTS / "editor-keyboard.png"))


def test_help_columns_filters_row_menu_and_history(live_server: str, page: Any) -> None:
    """The editor's tools, each once: the shortcuts overlay, the column chooser
    (remembered), a status filter, a merge by keyboard and its undo, and a revert from
    the side panel's history."""
    from playwright.sync_api import expect

    open_editor(page, live_server, "Tools", rows=4)
    heads = page.locator(".grid-head .col-name")
    expect(heads).to_have_text(["French", "English"])

    page.get_by_role("button", name="Shortcuts").click()
    expect(page.locator("#editor-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#editor-help")).to_be_hidden()

    page.get_by_role("button", name="Columns").click()
    page.get_by_role("button", name="Move English left").click()
    page.get_by_role("button", name="Apply").click()
    expect(heads).to_have_text(["English", "French"])
    page.reload()
    expect(heads).to_have_text(["English", "French"])

    count = page.locator("#unit-count")
    expect(count).to_have_text("4 units")
    filters = page.locator("#editor-filters")
    filters.locator('select[name="status_language"]').select_option("fr")
    filters.locator('select[name="status"]').select_option("empty")
    expect(count).to_have_text("3 units of 4")
    expect(cell(page, 0).locator(".cell-text")).to_have_text("")
    filters.get_by_role("button", name="Clear").click()
    expect(count).to_have_text("4 units")

    cell(page, 1, "en").click()
    page.keyboard.press("Control+Shift+M")
    expect(count).to_have_text("3 units")
    expect(cell(page, 1, "en").locator(".cell-text")).to_have_text(
        "Sentence number 2 of the text. Sentence number 3 of the text."
    )
    page.get_by_role("button", name="Undo structure change").click()
    expect(count).to_have_text("4 units")
    expect(cell(page, 2, "en").locator(".cell-text")).to_have_text("Sentence number 3 of the text.")

    cell(page, 0).click()
    page.keyboard.press("End")
    page.keyboard.type(" Encore.")
    page.keyboard.press("Control+Enter")
    expect(cell(page, 0).locator(".cell-text")).to_have_text("Premier. Encore.")
    cell(page, 0).click()
    page.get_by_role("button", name="History & comments").click()
    history = page.locator("#editor-panel .history-list > li")
    expect(history).to_have_count(2)
    history.nth(1).get_by_role("button", name="Revert to this").click()
    expect(cell(page, 0).locator(".cell-text")).to_have_text("Premier.")
    expect(history).to_have_count(3)


def test_typed_markup_is_shown_as_text(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    slug = open_editor(page, live_server, "Markup", rows=3)
    cell(page, 1).click()
    page.keyboard.type(XSS)
    page.keyboard.press("Control+Enter")
    expect(editing(page, 2)).to_be_focused()
    page.keyboard.type("Un mot <em>important</em>")  # an allowed inline tag stays markup
    page.keyboard.press("Control+Enter")
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    for _ in range(2):  # as saved, and as loaded again
        shown = cell(page, 1).locator(".cell-text")
        expect(shown).to_have_text(XSS)
        assert page.locator(".grid img, .grid script, .side-panel img").count() == 0
        expect(cell(page, 2).locator(".cell-text em")).to_have_text("important")
        page.reload()
    page.screenshot(path=str(SCREENSHOTS / "editor-markup.png"))
    assert french(page, slug)[1]["text"] == XSS  # the editable form gives it back as typed
    assert dialogs == []
