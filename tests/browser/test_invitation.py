"""An administrator invites a translator from the users page; the translator opens the
one-time link, chooses a name and password, is signed in, and signs in again later.

The rest of issue 11's scenario (the translator translates an empty French edition from
the English original and sees only French editable) builds on ``invite_translator``:
call it, then give the returned translator's page its French membership and edition."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.servers import ANA, BRUNO, PASSWORD, Server, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(os.environ.get("TRANSLATOR_TEST_SCREENSHOTS", "/tmp"))
ADMIN_PASSWORD = "an admin password"
TRANSLATOR = "tomas@example.org"
TRANSLATOR_PASSWORD = "tomas's own password"


def set_up_administrator(page: Any, server: str) -> None:
    """The first run: the administrator's account (a fresh instance asks for it)."""
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("E-mail").fill("admin@example.org")
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()


def invite_translator(admin: Any, translator: Any, server: str) -> str:
    """From the signed-in administrator's page ``admin``: invite TRANSLATOR from the
    users page; on ``translator`` (another browser): accept from the link, signed in.
    Returns the (now used) link."""
    from playwright.sync_api import expect

    admin.get_by_role("link", name="Users").click()
    expect(admin.get_by_role("heading", name="Users")).to_be_visible()
    admin.get_by_label("E-mail").fill(TRANSLATOR)
    admin.get_by_label("Name").fill("Tomás")
    admin.get_by_label("Role", exact=True).select_option("member")
    admin.get_by_role("button", name="Invite", exact=True).click()
    notice = admin.locator(".handover")
    expect(notice).to_contain_text("no SMTP server is configured")
    link = admin.locator("#handover-link").input_value()
    assert re.fullmatch(re.escape(server) + r"/invitation/[\w-]{43}", link), link
    admin.screenshot(path=str(SCREENSHOTS / "users-page.png"), full_page=True)
    expect(admin.locator("tr", has_text=TRANSLATOR)).to_contain_text("invited, until")

    translator.goto(link)
    expect(translator.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(translator.get_by_label("Your name")).to_have_value("Tomás")
    translator.get_by_label("Your name").fill("Tomás Ribeiro")
    translator.get_by_label("Password", exact=True).fill(TRANSLATOR_PASSWORD)
    translator.get_by_label("Password again").fill(TRANSLATOR_PASSWORD)
    translator.get_by_role("button", name="Create my account").click()
    expect(translator.get_by_role("heading", name="Documents")).to_be_visible()
    expect(translator.get_by_role("link", name="Tomás Ribeiro")).to_be_visible()
    expect(translator.get_by_role("link", name="Users")).to_have_count(0)  # not an admin
    return link


def test_an_invited_translator_sets_a_password_and_signs_in(live_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    admin_context = browser.new_context(locale="en-US")
    translator_context = browser.new_context(locale="en-US")
    errors = [uncaught_errors(admin_context), uncaught_errors(translator_context)]
    admin, translator = admin_context.new_page(), translator_context.new_page()
    try:
        set_up_administrator(admin, live_server)
        link = invite_translator(admin, translator, live_server)

        # The link worked once.
        link_page = translator_context.new_page()
        link_page.goto(link)
        expect(link_page.get_by_role("heading", name="This link was already used")).to_be_visible()
        link_page.close()
        admin.reload()
        expect(admin.locator("tr", has_text=TRANSLATOR)).to_contain_text("active")

        # Later: signed out, the translator signs in with the chosen password.
        translator.get_by_role("button", name="Sign out").click()
        expect(translator.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(translator.get_by_role("link", name="Forgot your password?")).to_be_visible()
        translator.get_by_label("E-mail").fill(TRANSLATOR)
        translator.get_by_label("Password").fill(TRANSLATOR_PASSWORD)
        translator.get_by_role("button", name="Sign in").click()
        expect(translator.get_by_role("heading", name="Documents")).to_be_visible()
    finally:
        admin_context.close()
        translator_context.close()
    assert errors == [[], []], f"uncaught script errors: {errors}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from serving(tmp_path)


def test_the_members_page_suggests_people_and_invites_a_newcomer(
    server: Server, page: Any, browser: Any
) -> None:
    """Ana (administrator) types a few letters: Bruno is suggested; an unknown address
    is offered an invitation, which makes the account and the membership at once."""
    from playwright.sync_api import expect

    slug = server.add_document(
        "essay", {"en": ["One sentence.", "Two sentences."], "fr": ["Une phrase.", "Deux."]}
    )
    page.goto(server.url + "/login")
    page.get_by_label("E-mail").fill(ANA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server.url}/documents/{slug}/members")

    field = page.get_by_label("Name or e-mail")
    field.press_sequentially("brun", delay=20)
    suggestions = page.locator("#member-suggestions option")
    expect(suggestions).to_have_count(1)
    assert suggestions.first.get_attribute("value") == BRUNO
    assert suggestions.first.get_attribute("label") == f"Bruno <{BRUNO}>"

    field.fill("dora@example.org")
    page.get_by_label("Role").select_option("reader")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Nobody has an account with this e-mail address yet.")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "members-invite.png"), full_page=True)
    page.get_by_role("button", name="Invite and add").click()
    expect(page.locator(".handover")).to_contain_text("dora@example.org is invited")
    link = page.locator("#handover-link").input_value()
    expect(page.locator("table.members")).to_contain_text("dora@example.org")

    dora = browser.new_context(locale="en-US")
    try:
        invited = dora.new_page()
        invited.goto(link)
        invited.get_by_label("Your name").fill("Dora")
        invited.get_by_label("Password", exact=True).fill("dora's password")
        invited.get_by_label("Password again").fill("dora's password")
        invited.get_by_role("button", name="Create my account").click()
        expect(invited.get_by_role("link", name="Essay")).to_be_visible()  # a reader sees it
    finally:
        dora.close()
