"""The activity page, its API and its CSV figures through HTTP, and ``translator activity
figures``: filters in the query string, pages linked both ways, lines linking to the
editor, the document or the job; bad input a 400 naming the field; CSV that a
spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from flask.cli import ScriptInfo
from flask.testing import FlaskClient

from tests.helpers import Api, sign_in
from translator.cli import cli
from translator.models import Document, Edition, MemberRole, Segment
from translator.services.editing import save_segment
from translator.services.jobs import create_job
from translator.services.members import set_member
from translator.services.users import create_user as make_user
from translator.services.users import find_user


def _saves(db: Any, document: Document, email: str, count: int, name: str = "Ana") -> None:
    """``count`` saves by a new user (a draft, then a confirmation, by turns)."""
    user = make_user(email, "correct horse", display_name=name)
    set_member(document, user, "fr", MemberRole.TRANSLATOR)
    segments = list(
        db.session.scalars(
            sa.select(Segment)
            .join(Edition, Edition.id == Segment.edition_id)
            .where(Edition.document_id == document.id, Edition.language == "fr")
        )
    )
    for i in range(count):
        segment = segments[i % len(segments)]
        save_segment(
            segment, f"Texte numéro {i}.", base_version=segment.version, user=user, confirm=i % 2
        )
    db.session.commit()


def test_the_page_filters_and_turns_pages_both_ways(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "gil@example.org", is_coordinator=True)
    _saves(db, document, "ana@example.org", 60)
    job = create_job("export", {"format": "txt"}, document_id=document.id)
    db.session.commit()
    page = client.get("/activity?document=essay&language=fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rows = re.findall(r'<tr data-source="revision" data-id="(\d+)"', html)
    assert len(rows) == 50
    assert 'href="/documents/essay/edit"' in html and "Ana" in html
    older = re.search(r'href="([^"]+)" rel="next"', html)
    assert older and "document=essay" in older.group(1) and "language=fr" in older.group(1)
    assert 'rel="prev"' not in html  # the newest page
    second = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    rest = re.findall(r'<tr data-source="revision" data-id="(\d+)"', second)
    assert len(rest) == 10 and not set(rest) & set(rows)
    assert 'rel="next"' not in second
    newer = re.search(r'href="([^"]+)" rel="prev"', second)
    assert newer is not None
    back = client.get(newer.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.findall(r'<tr data-source="revision" data-id="(\d+)"', back) == rows
    # The export job links to its page; the document page links to its activity.
    everything = client.get("/activity?kind=export").get_data(as_text=True)
    assert f'href="/jobs/{job.id}"' in everything
    assert "/activity?document=essay" in client.get("/documents/essay").get_data(as_text=True)


def test_bad_input_is_a_400_naming_the_field(
    client: FlaskClient, create_user: Any, document: Document
) -> None:
    _, api = sign_in(client, create_user, "gil@example.org", is_coordinator=True)
    for query, field in (
        ({"from": "2026-02-30"}, "from"),
        ({"to": "soon"}, "to"),
        ({"from": "2026-02-03", "to": "2026-02-01"}, "to"),
        ({"person": "nobody@example.org"}, "person"),
        ({"document": "nothing-here"}, "document"),
        ({"kind": "dance"}, "kind"),
        ({"after": "garbage"}, "after"),
        ({"before": "1.99.1"}, "before"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ):
        response = api.get("/activity", **query)
        assert response.status_code == 400, (query, response.get_data(as_text=True))
        assert response.get_json()["field"] == field, query
    assert client.get("/activity?from=2026-02-30").status_code == 400
    assert client.get("/activity?person=nobody").status_code == 400
    for query in ("to=2026-01-31", "from=2026-01-01", "from=x&to=2026-01-01"):
        assert client.get(f"/activity/figures.csv?{query}").status_code == 400, query


def test_the_api_pages_and_filters(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    _, api = sign_in(client, create_user, "gil@example.org", is_coordinator=True)
    _saves(db, document, "ana@example.org", 12)
    _saves(db, document, "ben@example.org", 3, name="Ben")
    first = api.get("/activity", person="ana@example.org", limit=5).get_json()
    assert len(first["items"]) == 5 and first["newer"] is None and first["older"]
    assert {i["person"]["name"] for i in first["items"]} == {"Ana"}
    item = first["items"][0]
    assert item["source"] == "revision" and item["kind"] in ("save", "confirm")
    assert item["document"] == "essay" and item["language"] == "fr"
    assert item["link"] == "/documents/essay/edit"
    assert datetime.fromisoformat(item["at"]).tzinfo is not None
    seen = [i["id"] for i in first["items"]]
    answer = first
    while answer["older"]:
        answer = api.get(
            "/activity", person="ana@example.org", limit=5, after=answer["older"]
        ).get_json()
        seen += [i["id"] for i in answer["items"]]
    assert len(seen) == len(set(seen)) == 12
    confirmed = api.get("/activity", kind="confirm").get_json()["items"]
    assert confirmed and {i["kind"] for i in confirmed} == {"confirm"}


def test_figures_csv_and_the_command_line(
    app: Any, client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    sign_in(client, create_user, "gil@example.org", is_coordinator=True)
    _saves(db, document, "ana@example.org", 1, name="@Ana")  # a draft, then confirmed:
    ana = find_user("ana@example.org")
    segment = db.session.scalar(
        sa.select(Segment).join(Edition).where(Edition.language == "fr", Segment.status == "draft")
    )
    save_segment(segment, "Texte numéro 0.", base_version=segment.version, user=ana, confirm=True)
    db.session.commit()
    today = datetime.now(UTC).date().isoformat()
    response = client.get(f"/activity/figures.csv?from={today}&to={today}&language=fr")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "charset=utf-8" in response.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["person"] == "'@Ana" and row["email"] == "ana@example.org"
    assert (row["document"], row["language"], row["segments_saved"]) == ("essay", "fr", "1")
    assert row["words_translated"] == "3" and row["words_reviewed"] == "0"
    result = CliRunner().invoke(
        cli,
        ["activity", "figures", "--from", today, "--to", today, "--csv"],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.output))) == rows
    table = CliRunner().invoke(
        cli,
        ["activity", "figures", "--from", today, "--to", today],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert "ana@example.org\tessay\tfr" in table.output
    bad = CliRunner().invoke(
        cli,
        ["activity", "figures", "--from", "2026-13-01", "--to", today],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert bad.exit_code != 0 and "'from'" in bad.output


def test_a_translator_sees_their_own_lines_only(
    client: FlaskClient, create_user: Any, document: Document, db: Any
) -> None:
    _saves(db, document, "ben@example.org", 3, name="Ben")
    ana = create_user("ana@example.org", display_name="Ana")
    set_member(document, ana, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    sign_in_ana = client.post(
        "/login",
        data={
            "email": "ana@example.org",
            "password": "correct horse",
            "csrf_token": _token(client),
        },
    )
    assert sign_in_ana.status_code == 302
    api = Api(client)
    assert api.get("/activity").get_json()["items"] == []
    segment = db.session.scalar(
        sa.select(Segment).join(Edition).where(Edition.language == "fr").limit(1)
    )
    save_segment(
        segment, "Le mien.", base_version=segment.version, user=find_user("ana@example.org")
    )
    db.session.commit()
    items = api.get("/activity").get_json()["items"]
    assert [(i["person"]["name"], i["text"]) for i in items] == [("Ana", "Le mien.")]


def _token(client: FlaskClient) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client, "/login")
