"""The document page's alignment tools through the real app: the align button (its job
runs eagerly), confidence shading, the "needs review" filter, the manual fixes (merge,
split, move a sentence, insert, undo) and their refusals."""

from __future__ import annotations

import html as htmllib
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa

from tests.helpers import csrf_token
from translator.models import Job, JobState, StructureChange, Unit
from translator.services import live

EN = "One. Two. Three.\n\nFour.\n"
FR = "Un. Deux. Trois.\n\nQuatre.\n"
ORIGINAL = [("One.", "Un."), ("Two.", "Deux."), ("Three.", "Trois."), ("Four.", "Quatre.")]


@dataclass
class Row:
    id: int
    classes: list[str]
    cells: dict[str, str] = field(default_factory=dict)
    badge: str | None = None


class _TableParser(HTMLParser):
    """The rows of ``table.units``: unit id, classes, cell text per language, badge."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._lang: str | None = None
        self._text: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-unit" in a:
            self.rows.append(Row(int(a["data-unit"] or 0), (a.get("class") or "").split()))
        elif tag == "td" and self.rows and "cell" in (a.get("class") or "").split():
            self._lang, self._text = a["lang"], []
        elif tag == "span" and self.rows and a.get("class") == "conf":
            self.rows[-1].badge = a.get("title")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._lang:
            self.rows[-1].cells[self._lang] = "".join(self._text).strip()
            self._lang = None

    def handle_data(self, data: str) -> None:
        if self._lang:
            self._text.append(data)


def rows_of(html: str) -> list[Row]:
    parser = _TableParser()
    parser.feed(html)
    return parser.rows


def table(html: str) -> list[tuple[str, str]]:
    return [(r.cells.get("en", ""), r.cells.get("fr", "")) for r in rows_of(html)]


def text_of(html: str) -> str:
    """The page as a reader sees it: tags out, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def doc(client: Any, login: Any, import_text: Any) -> str:
    """A signed-in user and a document with an English and a French edition, paired by
    position (not aligned): four rows."""
    login(is_admin=True)
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return str(first.document)


def page(client: Any, slug: str, query: str = "") -> str:
    response = client.get(f"/documents/{slug}{query}")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def post(client: Any, slug: str, path: str, data: dict[str, Any] | None = None) -> Any:
    """POST one of the page's forms, with the page's CSRF token."""
    token = csrf_token(client, f"/documents/{slug}")
    return client.post(f"/documents/{slug}{path}", data={"csrf_token": token, **(data or {})})


def follow(client: Any, response: Any) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(client.get(response.headers["Location"]).get_data(as_text=True))


def ids(client: Any, slug: str) -> list[int]:
    return [r.id for r in rows_of(page(client, slug))]


def job_count(db: Any) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(Job)))


# --- align --------------------------------------------------------------------------


def test_align_button_runs_the_job_and_shows_aligned_cells(client: Any, doc: str, db: Any) -> None:
    html = page(client, doc)
    assert "Align editions" in html
    assert re.search(r'<select id="align-pivot" name="pivot"[^>]*>\s*<option value="en"', html)
    assert 'class="cell status-translated unaligned"' in html  # paired by position so far
    response = post(client, doc, "/align", {"pivot": "en"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert job_url.startswith("/jobs/")
    payload = client.get(job_url + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["kind"] == "align" and payload["url"] == f"/documents/{doc}"
    assert payload["result"]["pivot"] == "en" and payload["result"]["units"] == 4
    html = page(client, doc)
    assert "unaligned" not in html
    assert table(html) == ORIGINAL
    for row in rows_of(html):
        assert {"conf-low", "conf-mid", "conf-high"} & set(row.classes)
        assert row.badge and re.fullmatch(r"alignment confidence [01]\.\d\d", row.badge)
    assert "Alignment confidence:" in html  # the legend
    assert "Undo last change" in html and "alignment" in text_of(html)


def test_align_is_offered_with_two_editions_only(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    login(is_admin=True)
    first = import_text("Alone. Here.", "en", title="Solo")
    assert "Align editions" not in page(client, first.document)
    html = follow(client, post(client, first.document, "/align", {"pivot": "en"}))
    assert "Alignment needs at least two editions with text." in html
    assert job_count(db) == 0


def test_realigning_after_a_manual_fix_needs_confirmation(client: Any, doc: str, db: Any) -> None:
    first = ids(client, doc)[0]
    follow(client, post(client, doc, f"/units/{first}/merge"))
    html = page(client, doc)
    assert "Replace the manual fix made since the last alignment (it stays in the history)" in (
        text_of(html)
    )
    assert re.search(r'<input type="checkbox" name="force" value="y" required>', html)
    html = follow(client, post(client, doc, "/align", {"pivot": "en"}))
    assert "Not aligned: confirm that the manual fix made since the last alignment" in html
    assert job_count(db) == 0
    assert table(html)[0] == ("One. Two.", "Un. Deux.")  # the fix is still there
    response = post(client, doc, "/align", {"pivot": "fr", "force": "y"})
    payload = client.get(response.headers["Location"] + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["result"]["pivot"] == "fr"
    html = page(client, doc)
    # Realigned: the merged cells are aligned as they are now (one cell, one piece).
    assert "unaligned" not in html
    assert table(html) == [("One. Two.", "Un. Deux."), ("Three.", "Trois."), ("Four.", "Quatre.")]
    assert "Replace the manual fix" not in html  # nothing manual since this alignment


def test_default_pivot_is_the_one_choose_pivot_picks(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    """The last pivot chosen, else the original, else the edition with the most words."""
    from translator.services.alignment import choose_pivot
    from translator.services.documents import get_document, set_original

    login(is_admin=True)
    first = import_text("Short one. Two.", "en", title="Pivot")
    import_text("Une phrase bien plus longue que l’anglais. Deux phrases.", "fr", document="pivot")
    import_text("Curta. Duas.", "pt", document="pivot")
    document = get_document(first.document)
    assert choose_pivot(document, ["en", "fr", "pt"]) == "en"  # the original
    assert re.search(r'<option value="en" selected>English</option>', page(client, "pivot"))
    set_original(document, None)
    db.session.commit()
    assert choose_pivot(document, ["en", "fr", "pt"]) == "fr"  # the most words
    assert re.search(r'<option value="fr" selected>French</option>', page(client, "pivot"))
    response = post(client, "pivot", "/align", {"pivot": "pt"})
    assert client.get(response.headers["Location"] + ".json").get_json()["state"] == "succeeded"
    db.session.expire_all()
    assert choose_pivot(get_document("pivot"), ["en", "fr", "pt"]) == "pt"  # remembered
    assert re.search(r'<option value="pt" selected>Portuguese</option>', page(client, "pivot"))


def test_align_with_an_unknown_pivot_is_refused(client: Any, doc: str, db: Any) -> None:
    html = follow(client, post(client, doc, "/align", {"pivot": "de"}))
    assert "Not a valid choice" in html
    assert job_count(db) == 0


# --- manual fixes -------------------------------------------------------------------


def test_merge_insert_and_undo_through_their_forms(client: Any, doc: str, db: Any) -> None:
    first, second, *_ = ids(client, doc)
    document_id = db.session.scalar(sa.select(Unit.document_id).where(Unit.id == first))
    editors = live.subscribe(document_id, timeout=0.5)  # an editor open on the document
    response = post(client, doc, f"/units/{first}/merge")
    assert response.headers["Location"] == f"/documents/{doc}#u{first}"
    html = follow(client, response)
    assert "Merged with the next unit." in html
    assert table(html) == [("One. Two.", "Un. Deux."), ("Three.", "Trois."), ("Four.", "Quatre.")]
    assert second not in [r.id for r in rows_of(html)]

    response = post(client, doc, f"/units/{first}/insert")
    html = follow(client, response)
    assert "Empty unit inserted." in html
    new = rows_of(html)[1].id
    assert response.headers["Location"].endswith(f"#u{new}")
    assert table(html) == [
        ("One. Two.", "Un. Deux."),
        ("", ""),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]
    # The undo button says what it will undo, and undoes the latest change first.
    assert "Undo last change" in html and "empty unit inserted" in text_of(html)
    change = db.session.scalar(sa.select(sa.func.max(StructureChange.id)))
    html = follow(client, post(client, doc, "/undo", {"change": change}))
    assert "Undone: empty unit inserted." in html
    assert table(html) == [("One. Two.", "Un. Deux."), ("Three.", "Trois."), ("Four.", "Quatre.")]
    assert "Undo last change merge ·" in text_of(html)  # the next undo is the merge
    merge_id = db.session.scalar(
        sa.select(StructureChange.id).where(StructureChange.kind == "merge")
    )
    html = follow(client, post(client, doc, "/undo", {"change": merge_id}))
    assert "Undone: merge." in html
    assert table(html) == ORIGINAL
    assert "Undo last change" not in html
    html = follow(client, post(client, doc, "/undo", {"change": merge_id}))
    assert "There is nothing to undo." in html
    assert table(html) == ORIGINAL
    # Every change told the open editors to reload, near the unit it left; the refused
    # undo told nobody.
    with editors:
        told = list(itertools.takewhile(lambda event: event is not None, editors))
    assert [(event, data["unit"]) for event, data in told] == [
        ("structure", first),  # merged
        ("structure", new),  # inserted
        ("structure", None),  # the insertion undone: nothing left where it was
        ("structure", first),  # the merge undone
    ]


def test_stale_undo_is_a_conflict_message(client: Any, doc: str, db: Any) -> None:
    first, _, third, _ = ids(client, doc)
    follow(client, post(client, doc, f"/units/{first}/merge"))
    shown = db.session.scalar(sa.select(sa.func.max(StructureChange.id)))
    follow(client, post(client, doc, f"/units/{third}/merge"))  # meanwhile, in another tab
    html = follow(client, post(client, doc, "/undo", {"change": shown}))
    assert "Nothing was undone: the page was out of date." in html
    assert table(html) == [("One. Two.", "Un. Deux."), ("Three. Four.", "Trois. Quatre.")]


def test_split_page_offers_the_sentence_boundaries(client: Any, doc: str) -> None:
    first = ids(client, doc)[0]
    follow(client, post(client, doc, f"/units/{first}/merge"))
    html = client.get(f"/documents/{doc}/units/{first}/split").get_data(as_text=True)
    assert "Split the English text" in html and "Split the French text" in html
    # "One. Two." splits before "Two.", at offset 5; the French before "Deux.", at 4.
    assert re.search(r'name="en-boundary"[^>]* value="5"', html)
    assert re.search(r'name="fr-boundary"[^>]* value="4"', html)
    assert "before “Two.”" in html and "before “Deux.”" in html
    # At the boundary; the French text goes with the second unit.
    response = post(
        client,
        doc,
        f"/units/{first}/split",
        {"language": "en", "en-boundary": "5", "en-others": "second"},
    )
    assert response.headers["Location"] == f"/documents/{doc}#u{first}"
    html = follow(client, response)
    assert "Unit split in two." in html
    assert table(html) == [
        ("One.", ""),
        ("Two.", "Un. Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]
    # At a character offset of the French text; the English stays with the first unit.
    second = rows_of(html)[1].id
    response = post(
        client,
        doc,
        f"/units/{second}/split",
        {"language": "fr", "fr-boundary": "offset", "fr-offset": "3", "fr-others": "first"},
    )
    assert table(follow(client, response)) == [
        ("One.", ""),
        ("Two.", "Un."),
        ("", "Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]


def test_split_errors_come_back_on_the_split_page(client: Any, doc: str) -> None:
    first = ids(client, doc)[0]

    def split(**fields: str) -> Any:
        data = {"language": "en", "en-others": "first"}
        data.update({f"en-{name}": value for name, value in fields.items()})
        return post(client, doc, f"/units/{first}/split", data)

    for response, message in [
        (split(boundary="offset", offset="0"), "This does not split the text in two"),
        (split(boundary="offset", offset="99"), "This does not split the text in two"),
        (split(boundary="offset"), "Type the character offset to split at."),
        (split(boundary="99"), "Not a valid choice"),
        (split(boundary="offset", offset="2", others="middle"), "Not a valid choice"),
    ]:
        assert response.status_code == 400
        assert re.search(r'<p class="error" role="alert">' + re.escape(message), response.text)
    response = post(client, doc, f"/units/{first}/split", {"language": "de", "de-boundary": "1"})
    assert response.status_code == 400
    assert table(page(client, doc)) == ORIGINAL


def test_move_a_sentence_to_the_previous_and_next_unit(client: Any, doc: str) -> None:
    first, second, *_ = ids(client, doc)
    response = post(client, doc, f"/units/{second}/move?to=previous", {"language": "en"})
    assert response.headers["Location"] == f"/documents/{doc}#u{second}"
    html = follow(client, response)
    assert "First sentence moved to the previous unit." in html
    assert table(html) == [
        ("One. Two.", "Un."),
        ("", "Deux."),
        ("Three.", "Trois."),
        ("Four.", "Quatre."),
    ]
    html = follow(
        client, post(client, doc, f"/units/{first}/move", {"language": "en", "to": "next"})
    )
    assert "Last sentence moved to the next unit." in html
    assert table(html) == ORIGINAL
    html = follow(client, post(client, doc, f"/units/{first}/move?to=previous", {"language": "fr"}))
    assert "Not moved: there is no previous unit" in html
    assert table(html) == ORIGINAL
    response = post(client, doc, f"/units/{first}/move?to=sideways", {"language": "fr"})
    assert response.status_code == 400


def test_fixes_come_back_to_the_same_page_and_filter(
    app: Any, client: Any, doc: str, db: Any
) -> None:
    units = list(db.session.scalars(sa.select(Unit).order_by(Unit.order_key)))
    for unit, confidence in zip(units, [0.1, 0.2, 0.3, 0.9], strict=True):
        unit.confidence = confidence
    db.session.commit()
    per_page = app.config["UNITS_PER_PAGE"]
    app.config["UNITS_PER_PAGE"] = 2
    try:
        second_page = rows_of(page(client, doc, "?review=1&page=2"))
        assert [r.cells["en"] for r in second_page] == ["Three."]
        three = second_page[0].id
        response = post(client, doc, f"/units/{three}/insert", {"page": "2", "review": "1"})
        new = db.session.scalar(sa.select(sa.func.max(Unit.id)))
        assert response.headers["Location"] == f"/documents/{doc}?page=2&review=1#u{new}"
        # A page the fix emptied falls back to the last page there is.
        two = units[1].id
        response = post(client, doc, f"/units/{two}/merge", {"page": "2", "review": "1"})
        assert response.headers["Location"] == f"/documents/{doc}?review=1#u{two}"
        assert table(page(client, doc, "?review=1")) == [
            ("One.", "Un."),
            ("Two. Three.", "Deux. Trois."),
        ]
    finally:
        app.config["UNITS_PER_PAGE"] = per_page


def test_fixes_need_a_csrf_token(client: Any, doc: str) -> None:
    first = ids(client, doc)[0]
    for path, data in [
        (f"/units/{first}/merge", {}),
        (f"/units/{first}/insert", {}),
        (f"/units/{first}/move?to=next", {"language": "en"}),
        (f"/units/{first}/split", {"language": "en", "en-boundary": "offset", "en-offset": "2"}),
        ("/undo", {}),
        ("/align", {"pivot": "en"}),
    ]:
        response = client.post(f"/documents/{doc}{path}", data=data)
        assert response.status_code == 400, path
        assert "CSRF" in response.get_data(as_text=True)
    assert table(page(client, doc)) == ORIGINAL


def test_refused_fixes_say_why_and_change_nothing(
    client: Any, doc: str, import_text: Any, db: Any
) -> None:
    *_, last = ids(client, doc)
    response = post(client, doc, f"/units/{last}/merge")
    assert response.headers["Location"] == f"/documents/{doc}#u{last}"
    html = follow(client, response)
    assert "The last unit has no next unit to merge with." in html
    assert table(html) == ORIGINAL
    html = follow(client, post(client, doc, "/undo", {"change": "1"}))
    assert "There is nothing to undo." in html
    # A unit of another document is not found through this one.
    other = import_text("Elsewhere. Entirely.", "en", title="Other")
    other_unit = ids(client, other.document)[0]
    for method, path in [
        ("post", f"/units/{other_unit}/merge"),
        ("post", f"/units/{other_unit}/insert"),
        ("get", f"/units/{other_unit}/split"),
        ("post", "/units/999999/merge"),
    ]:
        if method == "post":
            response = post(client, doc, path)
        else:
            response = client.get(f"/documents/{doc}{path}")
        assert response.status_code == 404, path
        assert f"no unit {path.split('/')[2]} in document" in response.get_data(as_text=True)
    assert [r.cells["en"] for r in rows_of(page(client, other.document))] == [
        "Elsewhere.",
        "Entirely.",
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StructureChange)) == 0


# --- confidence and the review filter -----------------------------------------------


def test_review_filter_lists_only_low_confidence_units(
    app: Any, client: Any, doc: str, db: Any
) -> None:
    units = list(db.session.scalars(sa.select(Unit).order_by(Unit.order_key)))
    for unit, confidence in zip(units, [0.9, 0.3, None, 0.6], strict=True):
        unit.confidence = confidence
    db.session.commit()
    html = page(client, doc)
    classes = [r.classes for r in rows_of(html)]
    assert "conf-high" in classes[0] and "conf-low" in classes[1] and "conf-mid" in classes[3]
    assert not {"conf-low", "conf-mid", "conf-high"} & set(classes[2])
    assert [r.badge for r in rows_of(html)] == [
        "alignment confidence 0.90",
        "alignment confidence 0.30",
        None,
        "alignment confidence 0.60",
    ]
    assert "Needs review: 1 unit" in html
    assert f'href="/documents/{doc}?review=1"' in html

    html = page(client, doc, "?review=1")
    assert table(html) == [("Two.", "Deux.")]
    assert "1 unit needs review" in html and "Show all units" in html

    # Paginated like the full list; the pager keeps the filter.
    for unit in units:
        unit.confidence = 0.1
    db.session.commit()
    per_page = app.config["UNITS_PER_PAGE"]
    app.config["UNITS_PER_PAGE"] = 3
    try:
        html = page(client, doc, "?review=1")
        assert "4 units need review" in html and "Page 1 of 2" in html
        assert f'href="/documents/{doc}?page=2&amp;review=1" rel="next"' in html
        assert table(page(client, doc, "?review=1&page=2")) == [("Four.", "Quatre.")]
        assert client.get(f"/documents/{doc}?review=1&page=3").status_code == 404
    finally:
        app.config["UNITS_PER_PAGE"] = per_page

    for unit in units:
        unit.confidence = 0.95
    db.session.commit()
    html = page(client, doc, "?review=1")
    assert "No unit needs review." in html and table(html) == []


def test_no_confidence_means_no_shading(client: Any, doc: str) -> None:
    html = page(client, doc)
    assert all(r.badge is None for r in rows_of(html))
    assert "Alignment confidence:" not in html  # no legend before any alignment
    assert "Needs review: 0 units" in html


def test_alignment_tools_speak_french(client: Any, doc: str) -> None:
    html = client.get(f"/documents/{doc}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Aligner les éditions" in html
    assert "Fusionner avec l’unité suivante" in html


def test_running_alignment_is_not_started_twice(client: Any, doc: str, db: Any) -> None:
    from translator.models import Document

    document = db.session.scalar(sa.select(Document))
    db.session.add(Job(kind="align", params={}, document_id=document.id, state=JobState.RUNNING))
    db.session.commit()
    running = db.session.scalar(sa.select(Job.id))
    response = post(client, doc, "/align", {"pivot": "en"})
    assert response.headers["Location"] == f"/jobs/{running}"
    assert job_count(db) == 1


def test_editions_can_be_left_out_of_an_alignment(
    client: Any, login: Any, import_text: Any, db: Any
) -> None:
    """The form ticks every edition with text; one unticked keeps its cells beside the
    same English text, and the job page says it was left out."""
    login(is_admin=True)
    first = import_text(EN, "en", title="Three")
    import_text(FR, "fr", document=first.document)
    import_text("Um. Dois. Três.\n\nQuatro.\n", "pt", document=first.document)
    slug = str(first.document)
    html = page(client, slug)
    for lang in ("en", "fr", "pt"):
        assert re.search(rf'<input type="checkbox" name="editions" value="{lang}" checked>', html)
    before = {r.cells["en"]: r.cells["pt"] for r in rows_of(html)}
    without_pivot = {"pivot": "en", "editions_listed": "1", "editions": ["fr", "pt"]}
    refused = follow(client, post(client, slug, "/align", without_pivot))
    assert "Tick the pivot edition among the editions to align." in refused
    assert job_count(db) == 0
    response = post(
        client, slug, "/align", {"pivot": "en", "editions_listed": "1", "editions": ["en", "fr"]}
    )
    job_url = response.headers["Location"]
    payload = client.get(job_url + ".json").get_json()
    assert payload["state"] == "succeeded", payload
    assert payload["result"]["languages"] == ["en", "fr"]
    assert payload["result"]["left_out"] == {"pt": "chosen"}
    assert "The pt edition was left out of this alignment" in text_of(
        client.get(job_url).get_data(as_text=True)
    )
    rows = rows_of(page(client, slug))
    assert {r.cells["en"]: r.cells["pt"] for r in rows} == before
