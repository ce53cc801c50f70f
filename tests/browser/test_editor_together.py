"""Two people in one document's editor, in a real Chromium on the embedded service: a
conflict keeps both texts, a confirmed French edit flags English and Portuguese with a
diff, a server killed mid-typing loses nothing, presence badges come and go, others'
confirmations and comments show up without a reload. Last, the editor on the UDHR in three
languages (written to docs/editor.png when TRANSLATOR_SCREENSHOT=1)."""

from __future__ import annotations

import json
import os
import re
import signal
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import uncaught_errors
from tests.browser.servers import ANA, BRUNO, PASSWORD, Server, serving
from tests.conftest import IN_CI, ROOT, SHARED

pytestmark = [pytest.mark.browser, pytest.mark.slow]
UDHR = SHARED / "corpus" / "udhr"
OUTDATED = re.compile(r"\boutdated\b")
TRIO = {  # three editions of three paragraphs: aligned one to one
    "fr": ["La rivière a monté.", "Au matin, le vieux pont avait disparu.", "Personne ne savait."],
    "en": ["The river rose.", "By morning the old bridge was gone.", "Nobody knew."],
    "pt": ["O rio subiu.", "De manhã, a velha ponte tinha desaparecido.", "Ninguém sabia."],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module, whose presence expires after 3 s."""
    yield from serving(tmp_path_factory.mktemp("together"), PRESENCE_TTL="3")


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    """A server for one test, which the test may kill."""
    yield from serving(tmp_path)


Opener = Callable[..., Any]


@pytest.fixture
def editors(browser: Any) -> Iterator[Opener]:
    """``open(server, email, slug)``: a new browser context signed in as that user, on
    the document's editor, once it has started (event stream asked for, presence sent)."""
    contexts: list[Any] = []
    errors: list[list[str]] = []

    def open_editor(server: Server, email: str, slug: str, clock: bool = False, **kw: Any) -> Any:
        context = browser.new_context(locale="en-US", **kw)
        errors.append(uncaught_errors(context))
        contexts.append(context)
        page = context.new_page()
        if clock:
            page.clock.install()
        page.goto(f"{server.url}/login?next=/documents/{slug}/edit")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        with page.expect_response(lambda r: r.url.endswith(f"/{slug}/presence")):
            page.get_by_role("button", name="Sign in").click()
        return page

    yield open_editor
    for context in contexts:
        context.close()
    assert not any(errors), f"uncaught script errors: {errors}"


def cell(page: Any, row: int, language: str = "fr") -> Any:
    return page.locator(f'.grid .row.unit[data-pos="{row}"] .cell[data-lang="{language}"]')


def api(page: Any, path: str) -> Any:
    """GET the JSON API with the page's session."""
    return page.evaluate(
        "async (path) => (await fetch(path, {headers: {Accept: 'application/json'}})).json()",
        "/api/v1" + path,
    )


def replace_text(page: Any, text: str) -> None:
    """Select everything in the open editor and type ``text`` over it."""
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def clash(ana: Any, bruno: Any, row: int, theirs: str, addition: str) -> Any:
    """Both open the cell; Bruno types ``addition`` while Ana replaces the text with
    ``theirs`` and her autosave lands first (his clock is paused meanwhile), so his save
    is against an older version. Returns his cell's conflict box."""
    from playwright.sync_api import expect

    cell(bruno, row).click()
    expect(cell(bruno, row).locator("textarea.cell-input")).to_be_focused()
    expect(cell(ana, row).locator(".presence-badge")).to_have_text("Bruno")
    cell(ana, row).click()
    expect(cell(bruno, row).locator(".presence-badge")).to_have_text("Ana")  # Bruno is live
    bruno.clock.pause_at(bruno.evaluate("Date.now() / 1000 + 0.05"))  # in seconds
    bruno.keyboard.type(addition)
    replace_text(ana, theirs)
    expect(cell(ana, row).locator(".cell-state")).to_have_text("Saved")
    expect(cell(bruno, row).locator(".notice")).to_have_text("Changed by Ana while you edit it")
    bruno.clock.resume()
    conflict = cell(bruno, row).locator(".conflict")
    expect(conflict.locator(".side.theirs .side-title")).to_have_text("Theirs, by Ana")
    expect(conflict.locator(".side.theirs .side-text")).to_have_text(theirs)
    expect(cell(bruno, row).locator(".cell-state")).to_have_text("Conflict")
    expect(bruno.locator("#save-status")).to_have_text("1 conflict to resolve")
    return conflict


def test_a_conflict_keeps_both_texts(server: Server, editors: Opener) -> None:
    from playwright.sync_api import expect

    slug = server.add_document("conflict", TRIO)
    ana, bruno = editors(server, ANA, slug), editors(server, BRUNO, slug, clock=True)
    seg = cell(ana, 1).get_attribute("data-seg")
    theirs, yours = "Au matin, le pont n'était plus là.", TRIO["fr"][1] + " Selon Bruno."
    conflict = clash(ana, bruno, 1, theirs, " Selon Bruno.")
    expect(conflict.locator(".side.yours .side-text")).to_have_text(yours)
    assert api(bruno, f"/segments/{seg}")["text"] == theirs  # the server has Ana's
    kept = api(bruno, f"/segments/{seg}/suggestions")["suggestions"]
    assert [(s["kind"], s["state"], s["text"], s["author"]["name"]) for s in kept] == [
        ("conflict", "open", yours, "Bruno")
    ]
    conflict.get_by_role("button", name="Use mine").click()
    expect(conflict).to_be_hidden()
    expect(cell(bruno, 1).locator(".cell-text")).to_have_text(yours)
    expect(bruno.locator("#save-status")).to_have_text("All changes saved")
    ana.locator("h1").click()  # Ana leaves the cell and sees Bruno's text arrive
    expect(cell(ana, 1).locator(".cell-text")).to_have_text(yours)

    # Again, merged this time, while Ana moves on (her badge leaves the merging cell).
    again, merged = "Au matin, plus de pont.", "Au matin, plus de pont : il n'était plus là."
    conflict = clash(ana, bruno, 1, again, " Encore.")
    conflict.get_by_role("button", name="Merge").click()
    replace_text(bruno, "Au matin, plus de pont")
    cell(ana, 2).click()
    expect(cell(bruno, 2).locator(".presence-badge")).to_have_text("Ana")
    bruno.keyboard.type(" : il n'était plus là.")
    expect(conflict.locator("textarea.merge-input")).to_have_value(merged)
    conflict.get_by_role("button", name="Save the merged text").click()
    expect(cell(bruno, 1).locator(".cell-text")).to_have_text(merged)
    expect(cell(ana, 1).locator(".cell-text")).to_have_text(merged)
    history = api(ana, f"/segments/{seg}/history")["revisions"][:4]
    assert [(r["text"], r["author"]["name"]) for r in history] == [
        (merged, "Bruno"), (again, "Ana"), (yours, "Bruno"), (theirs, "Ana")
    ]  # fmt: skip
    suggestions = api(ana, f"/segments/{seg}/suggestions")["suggestions"]
    # Both texts Bruno lost with are kept; the merged text replaced the second one.
    assert [(s["text"], s["state"]) for s in suggestions] == [
        (yours + " Encore.", "rejected"),
        (yours, "accepted"),
    ]


def test_a_confirmed_change_flags_the_other_editions(server: Server, editors: Opener) -> None:
    from playwright.sync_api import expect

    slug = server.add_document("outdated", TRIO)
    ana, bruno = editors(server, ANA, slug), editors(server, BRUNO, slug)
    expect(bruno.locator(".grid .cell")).to_have_count(9)
    expect(bruno.locator(".grid .cell.outdated")).to_have_count(0)  # aligned: in step
    cell(ana, 1).click()
    expect(cell(bruno, 1).locator(".presence-badge")).to_have_text("Ana")  # Bruno is live
    replace_text(ana, "Au matin, le grand pont avait disparu.")
    ana.keyboard.press("Control+Enter")

    # Bruno's page, without a reload: English and Portuguese of that row are behind.
    expect(cell(bruno, 1).locator(".cell-text")).to_have_text(re.compile("le grand pont"))
    for language in ("en", "pt"):
        expect(cell(bruno, 1, language)).to_have_class(OUTDATED)
        expect(cell(bruno, 1, language).locator(".outdated-badge")).to_have_text("outdated")
    expect(bruno.locator(".grid .cell.outdated")).to_have_count(2)

    cell(bruno, 1, "en").click()  # the French change, word by word
    change = cell(bruno, 1, "en").locator(".changes .change")
    expect(change.locator(".change-lang")).to_have_text("French")
    expect(change.locator("del")).to_have_text(["vieux"])
    expect(change.locator("ins")).to_have_text(["grand"])
    expect(change.locator(".diff")).to_have_text("Au matin, le vieuxgrand pont avait disparu.")
    replace_text(bruno, "By morning the big bridge was gone.")
    bruno.keyboard.press("Control+Enter")

    for page in (bruno, ana):
        expect(cell(page, 1, "en")).not_to_have_class(OUTDATED)
        expect(cell(page, 1, "en")).to_have_class(re.compile(r"\bstatus-translated\b"))
        expect(cell(page, 1, "pt")).to_have_class(OUTDATED)
    expect(cell(bruno, 1, "en").locator(".outdated-badge")).to_have_count(0)
    row = api(bruno, f"/documents/{slug}/units")["units"][1]["segments"]
    assert {lang: seg["outdated"] for lang, seg in row.items()} == {
        "fr": False,
        "en": False,
        "pt": True,
    }


def test_killing_the_server_mid_typing_loses_nothing(own_server: Server, editors: Opener) -> None:
    from playwright.sync_api import expect

    slug = own_server.add_document("crash", TRIO)
    ana = editors(own_server, ANA, slug)
    draft = f"(key) => localStorage.getItem('translator:draft:{slug}:' + key)"
    seg = cell(ana, 2).get_attribute("data-seg")
    cell(ana, 2).click()
    replace_text(ana, "Personne ne savait,")
    state = cell(ana, 2).locator(".cell-state")
    expect(state).to_have_text("Saved")

    own_server.stop(signal.SIGKILL)
    ana.keyboard.type(" ni au village ni ailleurs.")
    typed = "Personne ne savait, ni au village ni ailleurs."
    expect(state).to_have_text("Offline: will retry")
    expect(ana.locator("#save-status")).to_have_text("Offline: 1 change waiting, retrying")
    assert json.loads(ana.evaluate(draft, seg))["text"] == typed

    own_server.start()  # the same port and instance
    expect(ana.locator("#save-status")).to_have_text("All changes saved", timeout=20_000)
    expect(state).to_have_text("Saved")
    assert ana.evaluate(draft, seg) is None
    fresh = editors(own_server, ANA, slug)  # another browser: what the server has
    expect(cell(fresh, 2).locator(".cell-text")).to_have_text(typed)
    assert api(fresh, f"/segments/{seg}")["text"] == typed


def test_presence_badges_follow_the_other_person(server: Server, editors: Opener) -> None:
    from playwright.sync_api import expect

    slug = server.add_document("presence", TRIO)
    ana, bruno = editors(server, ANA, slug), editors(server, BRUNO, slug)
    badges = bruno.locator(".grid .presence-badge")
    cell(ana, 0).click()
    expect(cell(bruno, 0).locator(".presence-badge")).to_have_text("Ana")
    expect(cell(bruno, 0)).to_have_class(re.compile(r"\bothers-here\b"))
    cell(ana, 2, "pt").click()  # the badge moves with her
    expect(cell(bruno, 2, "pt").locator(".presence-badge")).to_have_text("Ana")
    expect(badges).to_have_count(1)
    ana.wait_for_timeout(4500)  # longer than a presence lives: renewed while she stays
    expect(badges).to_have_count(1)
    ana.locator("h1").click()  # she leaves the cell
    expect(badges).to_have_count(0)

    cell(ana, 1).click()
    expect(cell(bruno, 1).locator(".presence-badge")).to_have_text("Ana")
    ana.context.set_offline(True)  # her browser is gone without a word: the presence expires
    expect(badges).to_have_count(0, timeout=6000)
    people = api(bruno, f"/documents/{slug}/presence")["presence"]
    assert "Ana" not in [entry["user"]["name"] for entry in people]


def test_others_confirmations_and_comments_arrive_live(server: Server, editors: Opener) -> None:
    from playwright.sync_api import expect

    slug = server.add_document("live", TRIO)
    ana, bruno = editors(server, ANA, slug), editors(server, BRUNO, slug)
    bruno.evaluate("window.notReloaded = true")
    cell(ana, 0).click()
    expect(cell(bruno, 0).locator(".presence-badge")).to_have_text("Ana")  # Bruno is live
    replace_text(ana, "La rivière est montée.")
    ana.keyboard.press("Control+Enter")
    expect(cell(bruno, 0).locator(".cell-text")).to_have_text("La rivière est montée.")
    expect(cell(bruno, 0)).to_have_class(re.compile(r"\bstatus-reviewed\b"))  # Ana reviews

    badge = bruno.locator('.grid .row.unit[data-pos="2"] .comments-badge')
    expect(badge).to_be_hidden()
    cell(ana, 2, "en").click()
    ana.get_by_role("button", name="History & comments").click()
    for n, body in enumerate(["Known by whom?", "Check the Portuguese too."], start=1):
        ana.get_by_placeholder("Add a comment…").fill(body)
        ana.get_by_role("button", name="Add comment").click()
        expect(badge).to_have_text(str(n))
    expect(badge).to_have_attribute("title", "2 open comments")
    assert bruno.evaluate("window.notReloaded") is True


def udhr(name: str, articles: int = 12) -> list[str]:
    """A UDHR translation as Markdown blocks: its title, the preamble and the first
    ``articles`` articles (a heading, then its paragraphs)."""
    ns = {"u": "http://efele.net/udhr"}
    root = ET.parse(UDHR / name).getroot()
    blocks = ["# " + " ".join((root.findtext("u:title", "", ns)).split())]
    for part in [root.find("u:preamble", ns), *root.findall("u:article", ns)[:articles]]:
        for child in part if part is not None else []:
            text = " ".join("".join(child.itertext()).split())
            blocks.append("## " + text if child.tag.endswith("}title") else text)
    return blocks


def first_word(page: Any, row: int, language: str, word: str) -> None:
    """Open the cell and type ``word`` over its first word."""
    cell(page, row, language).click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.type(word)


def test_the_editor_on_the_udhr_in_three_languages(server: Server, editors: Opener) -> None:
    """The editor at work; TRANSLATOR_SCREENSHOT=1 writes the picture to docs/editor.png."""
    from playwright.sync_api import expect

    if not UDHR.exists():
        (pytest.fail if IN_CI else pytest.skip)(f"no corpus at {UDHR}")
    languages = {"en": "udhr_eng.xml", "fr": "udhr_fra.xml", "pt": "udhr_por_PT.xml"}
    slug = server.add_document("udhr", {k: udhr(v) for k, v in languages.items()}, "markdown")
    size = {"width": 1400, "height": 900}
    bruno = editors(server, BRUNO, slug, viewport=size)
    ana = editors(server, ANA, slug, viewport=size)
    expect(ana.locator(".grid-head .col-name")).to_have_text(["English", "French", "Portuguese"])
    assert ana.locator(".grid .row.unit").count() >= 30

    # Row 3 (the preamble's first paragraph): Ana confirms a change of the original,
    # English: both translations are flagged.
    first_word(ana, 2, "en", "Considering")
    ana.keyboard.press("Control+Enter")
    for language in ("fr", "pt"):
        expect(cell(ana, 2, language)).to_have_class(OUTDATED)
    # A comment on row 4, Bruno on row 2, Ana catching up in Portuguese on row 3.
    ana.evaluate(
        """async ([unit, body]) => fetch(`/api/v1/units/${unit}/comments`, {method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken":
            document.querySelector('meta[name="csrf-token"]').content},
            body: JSON.stringify({body, language: "fr"})})""",
        [cell(ana, 3).get_attribute("data-unit"), "« Considérant » ou « Attendu » ?"],
    )
    expect(ana.locator('.grid .row.unit[data-pos="3"] .comments-badge')).to_have_text("1")
    cell(bruno, 1, "pt").click()
    expect(cell(ana, 1, "pt").locator(".presence-badge")).to_have_text("Bruno")
    first_word(ana, 2, "pt", "Atendendo")
    expect(cell(ana, 2, "pt").locator(".changes del")).to_have_text(["Whereas"])
    expect(cell(ana, 2, "pt").locator(".changes ins")).to_have_text(["Considering"])
    expect(cell(ana, 2, "pt").locator("textarea.cell-input")).to_be_focused()
    expect(ana.locator("#save-status")).to_have_text("All changes saved")

    # Nothing broken: three columns side by side, wide enough, within the window.
    boxes = [cell(ana, 2, language).bounding_box() or {} for language in languages]
    edges = [(box["x"], box["x"] + box["width"]) for box in boxes]
    assert all(right - left > 300 for left, right in edges), edges
    assert edges[0][1] <= edges[1][0] + 1 and edges[1][1] <= edges[2][0] + 1, edges
    assert edges[2][1] <= size["width"], edges
    if os.environ.get("TRANSLATOR_SCREENSHOT") == "1":
        ana.screenshot(path=str(ROOT / "docs" / "editor.png"))


def test_a_minor_edit_of_the_original_flags_nothing(server: Server, editors: Opener) -> None:
    """French is the original here (imported first): a minor edit of it (the toolbar's
    "Minor edits") flags no translation; a real change then flags both."""
    from playwright.sync_api import expect

    slug = server.add_document("minor", TRIO)
    ana = editors(server, ANA, slug)
    expect(ana.locator(".grid .cell")).to_have_count(9)
    ana.locator("#minor-edit").check()
    cell(ana, 1).click()
    replace_text(ana, "Au matin, le vieux pont avait disparu !")
    ana.keyboard.press("Control+Enter")
    expect(ana.locator("#save-status")).to_have_text("All changes saved")
    expect(ana.locator(".grid .cell.outdated")).to_have_count(0)
    ana.locator("#minor-edit").uncheck()
    cell(ana, 1).click()
    replace_text(ana, "Au matin, le grand pont avait disparu !")
    ana.keyboard.press("Control+Enter")
    for language in ("en", "pt"):
        expect(cell(ana, 1, language)).to_have_class(OUTDATED)
    row = api(ana, f"/documents/{slug}/units")["units"][1]["segments"]
    assert {lang: seg["outdated"] for lang, seg in row.items()} == {
        "fr": False,
        "en": True,
        "pt": True,
    }
