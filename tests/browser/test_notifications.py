"""The bell in a real browser, on the embedded `translator serve`: a coordinator assigns
work and the translator's bell counts it at once, without a reload; a notification made
by another process (the command line, like the embedded worker's due dates) shows at
the stream's next keep-alive; the notifications page marks it read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.servers import ANA, BRUNO, PASSWORD, Server, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serving(tmp_path_factory.mktemp("bell"), LIVE_KEEPALIVE="1")


def sign_in(browser: Any, server: Server, email: str) -> tuple[Any, Any]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def test_the_bell_counts_live_and_the_page_marks_read(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    slug = server.add_document(
        "essay",
        {"en": ["The river rose.", "Nobody knew."], "pt": ["O rio subiu.", "Ninguém sabia."]},
    )
    server.run(["add-edition", slug, "--lang", "fr"])
    ana_context, ana = sign_in(browser, server, ANA)  # an administrator
    bruno_context, bruno = sign_in(browser, server, BRUNO)
    errors = [uncaught_errors(ana_context), uncaught_errors(bruno_context)]
    try:
        bell = bruno.locator("#bell [data-unread]")
        expect(bell).to_have_text("0")
        with bruno.expect_response(lambda r: r.url.endswith("/notifications/events")):
            bruno.reload()  # the stream is open before Ana assigns

        ana.goto(f"{server.url}/documents/{slug}/assignments")
        form = ana.locator("#assign-form")
        form.get_by_label("Edition").select_option("fr")
        form.get_by_label("Person").fill(BRUNO)
        form.get_by_role("button", name="Assign").click()
        expect(ana.locator(".flash.success")).to_be_visible()
        expect(bell).to_have_text("1", timeout=5000)  # live: no reload
        expect(bruno.locator("#bell")).to_have_class("bell unread")

        # From another process (the in-process hub does not reach it): at a keep-alive.
        server.run(["assign", slug, "--lang", "fr", "--to", BRUNO, "--review"])
        expect(bell).to_have_text("2", timeout=10000)

        bruno.locator("#bell").click()
        items = bruno.locator("#notifications li.unread")
        expect(items).to_have_count(2)
        expect(items.nth(1)).to_contain_text("asked you to translate the French edition")
        bruno.get_by_role("button", name="Mark all read").click()
        expect(bruno.locator("#notifications li.unread")).to_have_count(0)
        expect(bell).to_have_text("0")
    finally:
        ana_context.close()
        bruno_context.close()
    assert not any(errors), errors
