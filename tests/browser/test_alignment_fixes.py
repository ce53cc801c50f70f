"""Aligning and fixing an alignment in a real browser, on the embedded service: paste two
editions, align them with the button, merge two rows, split one back at a sentence
boundary, move a sentence, undo."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
EMAIL, PASSWORD = "editor@example.org", "a long password"  # as test_import_flow.py

EN = [
    "The river rose during the night.",
    "By morning the old bridge was gone.",
    "Nobody in the village had expected it.",
    "The mayor called the neighbouring towns for help.",
]
FR = [
    "La rivière a monté pendant la nuit.",
    "Au matin, le vieux pont avait disparu.",
    "Personne au village ne s'y attendait.",
    "Le maire a demandé de l'aide aux villes voisines.",
]


def sign_in(page: Any, live_server: str) -> None:
    """The first account through /setup, or sign in to it when another test made it
    (the live server is shared by the whole session)."""
    from playwright.sync_api import expect

    page.goto(live_server + "/")
    if page.url.endswith("/setup"):
        page.get_by_label("E-mail").fill(EMAIL)
        page.get_by_label("Your name").fill("Editor")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create the account").click()
    else:
        page.get_by_label("E-mail").fill(EMAIL)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()


def wait_for_job_and_open(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+$"))
    done = page.get_by_role("link", name="Open the document")
    expect(done).to_be_visible(timeout=60_000)
    done.click()


def paste_edition(page: Any, text: str, language: str, title: str | None = None) -> None:
    page.get_by_label("paste the text").fill(text)
    page.get_by_label("Language", exact=True).fill(language)
    if title:
        page.get_by_label("Title of the new document").fill(title)
    page.get_by_role("button", name="Import").click()
    wait_for_job_and_open(page)


def expect_table(page: Any, rows: list[tuple[str, str]]) -> None:
    from playwright.sync_api import expect

    table = page.locator("table.units tbody")
    expect(table.locator("td.cell[lang=en]")).to_have_text([en for en, _ in rows])
    expect(table.locator("td.cell[lang=fr]")).to_have_text([fr for _, fr in rows])


def row_menu(page: Any, index: int) -> Any:
    """Open the "⋯" menu of the row ``index`` (0-based); the menu's form."""
    row = page.locator("table.units tbody tr.unit").nth(index)
    row.locator("details.fixes summary").click()
    menu = row.locator("form.fix-menu")
    menu.wait_for(state="visible")
    return menu


def test_align_then_merge_split_move_and_undo(live_server: str, page: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_server)
    page.goto(live_server + "/import")
    paste_edition(page, " ".join(EN[:3]) + "\n\n" + EN[3], "en", title="The flood")
    expect(page.get_by_role("heading", name="The flood")).to_be_visible()
    page.get_by_role("link", name="Add an existing edition").click()
    paste_edition(page, " ".join(FR[:3]) + "\n\n" + FR[3], "fr")
    expect(page.locator("td.unaligned").first).to_be_visible()  # paired by position

    # Align with the button; the job page's progress bar; back to the document.
    page.get_by_role("button", name="Align editions").click()
    wait_for_job_and_open(page)
    original = list(zip(EN, FR, strict=True))
    expect_table(page, original)
    expect(page.locator("td.unaligned")).to_have_count(0)
    expect(page.locator("tr.unit .conf")).to_have_count(4)  # a confidence badge per row
    expect(page.get_by_text("Alignment confidence:")).to_be_visible()
    row_menu(page, 0)
    page.screenshot(path=str(SCREENSHOTS / "align-page.png"), full_page=False)
    page.keyboard.press("Escape")

    # Merge the first two rows.
    row_menu(page, 0).get_by_role("button", name="Merge with the next unit").click()
    expect(page.get_by_role("alert").filter(has_text="Merged with the next unit.")).to_be_visible()
    merged = [(f"{EN[0]} {EN[1]}", f"{FR[0]} {FR[1]}"), *original[2:]]
    expect_table(page, merged)
    expect(page.get_by_role("button", name="Undo last change")).to_be_visible()

    # Split the English text back at its sentence boundary; French stays in the first unit.
    row_menu(page, 0).get_by_role("link", name="Split…").click()
    expect(page.get_by_role("heading", name="Split a unit")).to_be_visible()
    english = page.locator("form.split-form").filter(has_text="Split the English text")
    english.get_by_label(f"before “{EN[1]}”").check()
    expect(english.locator(".split-preview .tail")).to_have_text(EN[1])  # the JS preview
    english.get_by_label("the first unit").check()
    english.get_by_role("button", name="Split here").click()
    expect(page.get_by_role("alert").filter(has_text="Unit split in two.")).to_be_visible()
    split = [(EN[0], f"{FR[0]} {FR[1]}"), (EN[1], ""), *original[2:]]
    expect_table(page, split)

    # The French cell's last sentence goes down to the new unit: the rows are back.
    menu = row_menu(page, 0)
    menu.get_by_label("Edition").select_option("fr")
    menu.get_by_role("button", name="Last sentence to the next unit").click()
    expect(page.get_by_role("alert").filter(has_text="moved to the next unit")).to_be_visible()
    expect_table(page, original)

    # Undo, twice: the move, then the split.
    page.get_by_role("button", name="Undo last change").click()
    expect(page.get_by_role("alert").filter(has_text="Undone: sentence moved.")).to_be_visible()
    expect_table(page, split)
    page.get_by_role("button", name="Undo last change").click()
    expect(page.get_by_role("alert").filter(has_text="Undone: split.")).to_be_visible()
    expect_table(page, merged)
