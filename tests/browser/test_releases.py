"""Issue 12's release gate in a real browser: a coordinator's Publish is refused while
the French edition is not ready; each reason's link opens the editor on exactly those
units (the filters read from the address); once every cell is reviewed the release is
published and its EPUB downloads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.test_alignment_fixes import paste_edition
from tests.browser.test_editor import api, cell
from tests.browser.test_invitation import set_up_administrator

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
TEXT = "# An essay\n\nThe cat sleeps. The dog barks.\n\nA second paragraph.\n"

REVIEW_ALL = """async ([slug, language]) => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const units = (await (await fetch(`/api/v1/documents/${slug}/units?limit=100`)).json()).units;
  for (const unit of units) {
    const seg = unit.segments[language];
    const answer = await fetch(`/api/v1/segments/${seg.id}`, {
      method: "PUT",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf,
                "If-Match": `"${seg.version}"`},
      body: JSON.stringify({text: seg.text || "Une phrase.", status: "reviewed"}),
    });
    if (!answer.ok) throw new Error(await answer.text());
  }
}"""


def test_publish_is_refused_until_ready(live_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US", accept_downloads=True)
    errors = uncaught_errors(context)
    page = context.new_page()
    try:
        set_up_administrator(page, live_server)
        page.goto(live_server + "/import")
        paste_edition(page, TEXT, "en", title="An essay")
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        page.get_by_role("link", name="New translation").click()
        page.get_by_label("Language of the translation").fill("fr")
        page.get_by_role("button", name="Start the translation").click()
        expect(page.get_by_role("alert")).to_contain_text("New French edition")

        page.goto(f"{live_server}/documents/{slug}")
        page.get_by_role("link", name="Publish").click()
        expect(page.locator("#ready-fr")).to_contain_text("not ready")
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_role("alert").first).to_contain_text("Not every edition is ready")
        expect(page.locator(".refused")).to_contain_text("French")
        page.screenshot(path=str(SCREENSHOTS / "release-refused.png"), full_page=True)

        # The reason's link opens the editor on the empty French cells only.
        page.locator("#ready-fr").get_by_role("link", name="4 segments empty").click()
        expect(page.locator("#editor-filters select[name=status]")).to_have_value("empty")
        expect(page.locator("#editor-filters select[name=status_language]")).to_have_value("fr")
        expect(page.locator(".grid .row.unit")).to_have_count(4)
        expect(cell(page, 0)).to_be_visible()

        page.evaluate(REVIEW_ALL, [slug, "en"])
        page.evaluate(REVIEW_ALL, [slug, "fr"])
        assert all(e["ready"] for e in api(page, f"/documents/{slug}/progress")["editions"])

        page.goto(f"{live_server}/documents/{slug}/releases")
        expect(page.locator("#ready-fr")).to_contain_text("ready")
        page.get_by_label("Note").fill("First release")
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".flash.success")).to_contain_text("Release 1 published.")
        with page.expect_download() as download:
            page.locator("#release-1").get_by_role("link", name="E-book (EPUB 3)").nth(1).click()
        assert download.value.suggested_filename == f"{slug}.v1.fr.epub"
        page.screenshot(path=str(SCREENSHOTS / "release-published.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
