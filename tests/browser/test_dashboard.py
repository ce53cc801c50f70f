"""Issue 12's dashboard in a real browser: a coordinator watches it while a cell of the
French edition is confirmed elsewhere, and the row's words left change without a
reload; the edition's page draws its burndown and links to the blocking cells."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.test_alignment_fixes import paste_edition
from tests.browser.test_editor import api
from tests.browser.test_invitation import set_up_administrator

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
TEXT = "# An essay\n\nOne two three four five.\n\nSix seven eight nine ten.\n"

SAVE = """async ([id, version, text]) => {
  const token = document.querySelector("input[name=csrf_token]").value;
  const response = await fetch(`/api/v1/segments/${id}`, {
    method: "PUT",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token,
              "If-Match": `"${version}"`},
    body: JSON.stringify({text, confirm: true}),
  });
  return response.status;
}"""


def test_the_dashboard_updates_live(live_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    errors = uncaught_errors(context)
    watcher, worker = context.new_page(), context.new_page()
    try:
        set_up_administrator(watcher, live_server)
        watcher.goto(live_server + "/import")
        paste_edition(watcher, TEXT, "en", title="An essay")
        slug = watcher.url.rstrip("/").rsplit("/", 1)[-1]
        watcher.get_by_role("link", name="New translation").click()
        watcher.get_by_label("Language of the translation").fill("fr")
        watcher.get_by_role("button", name="Start the translation").click()
        expect(watcher.get_by_role("alert")).to_contain_text("New French edition")

        watcher.get_by_role("link", name="Dashboard").click()
        french = watcher.locator("#dashboard-table tbody tr", has_text="French")
        expect(french).to_have_count(1)
        words_left = french.locator("td").nth(3)
        expect(words_left).to_have_text("12")  # the original's words, title included

        worker.goto(live_server + "/")
        first = api(worker, f"/documents/{slug}/units?limit=1")["units"][0]["segments"]["fr"]
        status = worker.evaluate(SAVE, [first["id"], first["version"], "Un essai"])
        assert status == 200
        expect(words_left).to_have_text("10", timeout=20_000)  # no reload: live
        watcher.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

        french.get_by_role("link", name="French").click()
        expect(watcher.get_by_role("heading", name="Burndown")).to_be_visible()
        expect(watcher.locator("figure#burndown svg[role=img]")).to_be_visible()
        watcher.screenshot(path=str(SCREENSHOTS / "dashboard-edition.png"), full_page=True)
        watcher.get_by_role("link", name="empty cells").click()
        expect(watcher).to_have_url(
            f"{live_server}/documents/{slug}/edit?status=empty&status_language=fr"
        )
    finally:
        context.close()
    assert errors == []
