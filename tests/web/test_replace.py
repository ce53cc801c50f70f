"""The search-and-replace page through the real app: sign-in, CSRF, who may use it,
the preview (which writes nothing), applying the ticked rows (one revision each),
skipping rows that changed since the preview, regex groups, markup left intact."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.helpers import csrf_token
from translator.models import (
    Document,
    Edition,
    MemberRole,
    Revision,
    RevisionReason,
    Segment,
    Unit,
    User,
)
from translator.services.members import set_member
from translator.services.segments import write_segment

EN = "The cat sat. A dog ran. The cat slept.\n"
FR = "Le chat. Un chien. Le chat dort.\n"
URL = "/documents/doc/replace"
ROW = re.compile(
    r'<tr data-segment="(\d+)">.*?name="version-\1" value="(\d+)".*?'
    r'<td class="unit-no">(\d+)</td>\s*<td class="cell before"[^>]*>(.*?)</td>\s*'
    r'<td class="cell after"[^>]*>(.*?)</td>',
    re.S,
)


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return db.session.scalar(sa.select(Document))


def sign_in(client: FlaskClient, create_user: Any, email: str, **kw: Any) -> User:
    user = create_user(email, "correct horse", **kw)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": "correct horse", "csrf_token": token}
    )
    assert response.status_code == 302
    return user


@pytest.fixture
def admin(client: FlaskClient, create_user: Any, document: Document) -> User:
    return sign_in(client, create_user, "admin@example.org", is_admin=True)


def _post(client: FlaskClient, action: str, **fields: Any) -> Any:
    data = {"csrf_token": csrf_token(client, URL), "action": action, "language": "en", **fields}
    return client.post(URL, data=data)


def _preview_rows(response: Any) -> list[dict[str, Any]]:
    """The preview table's rows: segment, version, unit number, before/after HTML."""
    return [
        {
            "segment": int(m[0]),
            "version": int(m[1]),
            "unit": int(m[2]),
            "before": m[3],
            "after": m[4],
        }
        for m in ROW.findall(response.get_data(as_text=True))
    ]


def _apply_fields(rows: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "segment": [str(r["segment"]) for r in rows],
        **{f"version-{r['segment']}": str(r["version"]) for r in rows},
        **fields,
    }


def _texts(db: Any, language: str = "en") -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Segment.text)
            .join(Unit, Unit.id == Segment.unit_id)
            .join(Edition, Edition.id == Segment.edition_id)
            .where(Edition.language == language)
            .order_by(Unit.order_key)
        )
    )


def _replace_revisions(db: Any) -> list[Revision]:
    return list(
        db.session.scalars(
            sa.select(Revision)
            .where(Revision.reason == RevisionReason.REPLACE)
            .order_by(Revision.id)
        )
    )


def test_the_page_needs_a_login(client: FlaskClient, document: Document) -> None:
    assert "/login" in client.get(URL).headers["Location"]


def test_a_post_without_csrf_is_refused(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    response = client.post(URL, data={"action": "apply", "language": "en", "find": "cat"})
    assert response.status_code == 400
    assert _replace_revisions(db) == []


def test_preview_then_apply_writes_one_revision_per_segment(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="find"' in page.get_data(as_text=True)
    preview = _post(client, "preview", find="cat", replace="dog")
    assert preview.status_code == 200
    rows = _preview_rows(preview)
    assert [r["unit"] for r in rows] == [1, 3]
    assert rows[0]["before"] == "The <del>cat</del> sat."
    assert rows[0]["after"] == "The <ins>dog</ins> sat."
    assert _texts(db)[0] == "The cat sat." and _replace_revisions(db) == []  # preview only
    response = _post(client, "apply", find="cat", replace="dog", **_apply_fields(rows))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL + "?language=en")
    assert _texts(db) == ["The dog sat.", "A dog ran.", "The dog slept."]
    revisions = _replace_revisions(db)
    assert [(r.segment_id, r.text, r.author_id) for r in revisions] == [
        (rows[0]["segment"], "The dog sat.", admin.id),
        (rows[1]["segment"], "The dog slept.", admin.id),
    ]
    assert "2 segments changed." in client.get(URL).get_data(as_text=True)


def test_a_row_changed_since_the_preview_is_skipped(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    rows = _preview_rows(_post(client, "preview", find="cat", replace="dog"))
    segment = db.session.get(Segment, rows[0]["segment"])
    write_segment(segment, "The cat sat down.", segment.status, reason=RevisionReason.EDIT)
    db.session.commit()
    response = _post(client, "apply", find="cat", replace="dog", **_apply_fields(rows))
    assert response.status_code == 302
    assert _texts(db) == ["The cat sat down.", "A dog ran.", "The dog slept."]
    assert [r.segment_id for r in _replace_revisions(db)] == [rows[1]["segment"]]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 segment changed. 1 skipped: it changed since the preview." in html.unescape(page)


def test_only_ticked_rows_change_and_regex_groups(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    fields = {"find": r"^(\w+) (\w+)", "replace": r"\2 \1", "regex": "y"}
    rows = _preview_rows(_post(client, "preview", **fields))
    assert [r["unit"] for r in rows] == [1, 2, 3]
    _post(client, "apply", **fields, **_apply_fields(rows[1:2]))
    assert _texts(db) == ["The cat sat.", "dog A ran.", "The cat slept."]
    assert len(_replace_revisions(db)) == 1


def test_markup_is_never_touched(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    segment = db.session.scalars(
        sa.select(Segment).join(Edition).where(Edition.language == "en").order_by(Segment.id)
    ).first()
    write_segment(segment, "The <em>cat</em> sat.", segment.status, reason=RevisionReason.EDIT)
    db.session.commit()
    preview = _post(client, "preview", find="em", replace="EM")
    assert _preview_rows(preview) == []
    rows = _preview_rows(_post(client, "preview", find="cat", replace="c<a>t"))
    assert rows[0]["before"] == "The &lt;em&gt;<del>cat</del>&lt;/em&gt; sat."  # shown as text
    _post(client, "apply", find="cat", replace="c<a>t", **_apply_fields(rows[:1]))
    assert _texts(db)[0] == "The <em>c&lt;a&gt;t</em> sat."


def test_bad_input_is_shown_on_the_form(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    response = _post(client, "preview", find="(", replace="x", regex="y")
    assert response.status_code == 400
    assert "invalid regular expression" in response.get_data(as_text=True)
    response = _post(client, "preview", find="(a)", replace=r"\2", regex="y")
    assert response.status_code == 400
    assert "invalid replacement" in response.get_data(as_text=True)
    assert _post(client, "preview", find="", replace="x").status_code == 400
    assert _post(client, "nothing", find="cat", replace="x").status_code == 400


def test_only_members_of_the_language_may_replace(
    client: FlaskClient, create_user: Any, db: Any, document: Document
) -> None:
    user = sign_in(client, create_user, "ana@example.org")
    assert client.get(URL).status_code == 403
    set_member(document, user, "fr", MemberRole.TRANSLATOR)
    db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    choices = re.search(r'<select[^>]*name="language"[^>]*>(.*?)</select>', page, re.S)
    assert choices and re.findall(r'value="(\w+)"', choices[1]) == ["fr"]
    response = _post(client, "apply", find="cat", replace="dog", segment="1", **{"version-1": "1"})
    assert response.status_code == 403
    assert _texts(db)[0] == "The cat sat." and _replace_revisions(db) == []
    rows = _preview_rows(_post(client, "preview", language="fr", find="chat", replace="chien"))
    _post(client, "apply", language="fr", find="chat", replace="chien", **_apply_fields(rows))
    assert _texts(db, "fr") == ["Le chien.", "Un chien.", "Le chien dort."]


def test_a_preview_that_stops_says_so_and_goes_on(
    app: Any, client: FlaskClient, admin: User, db: Any, document: Document, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "REPLACE_TIMEOUT", 0)
    page = _post(client, "preview", find="cat", replace="dog").get_data(as_text=True)
    assert 'data-stopped="slow"' in page and "Unit 1 took longer than 0 s" in page
    assert 'data-stopped="time"' in page and "The preview stopped after 0 s, at unit 2" in page
    assert 'name="start" value="1"' in page and "Go on from unit 2" in page
    assert "Nothing to replace" not in page
    monkeypatch.setitem(app.config, "REPLACE_TIMEOUT", 5)
    response = _post(client, "preview", find="cat", replace="dog", start="1")
    assert [r["unit"] for r in _preview_rows(response)] == [3]
    assert "data-stopped" not in response.get_data(as_text=True)


def test_unsupported_patterns_and_over_long_results_are_explained(
    client: FlaskClient, admin: User, db: Any, document: Document
) -> None:
    response = _post(client, "preview", find=r"(?<=The )cat", replace="dog", regex="y")
    assert response.status_code == 400
    assert "lookbehind" in html.unescape(response.get_data(as_text=True))
    segment = db.session.scalars(
        sa.select(Segment).join(Edition).where(Edition.language == "en").order_by(Segment.id)
    ).first()
    long_text = "The cat " + "x" * 19_991  # 19 999 characters; with "tiger", 20 001
    db.session.execute(sa.update(Segment).where(Segment.id == segment.id).values(text=long_text))
    db.session.commit()
    page = _post(client, "preview", find="cat", replace="tiger").get_data(as_text=True)
    assert "would be longer than 20000 characters" in page
    assert f'id="pick-{segment.id}"' not in page  # no box to tick for it
    assert '<span class="elided">…</span>' in page  # 20 000 x's are not all shown
    assert len(page) < 10_000
    response = _post(
        client, "apply", find="cat", replace="tiger", segment=str(segment.id),
        **{f"version-{segment.id}": str(segment.version)},
    )  # fmt: skip
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 left alone: the result would be longer than 20000 characters." in page
    assert _texts(db)[0] == long_text and _replace_revisions(db) == []


def test_long_rows_are_cut_for_the_page() -> None:
    from translator.web.replace.views import KEEP, SHOWN_CHANGES, shown_changes

    x = "x" * 1000
    assert shown_changes((("=", x), ("-", x), ("+", "y"), ("=", x))) == [
        ("…", ""),
        ("=", "x" * KEEP),
        ("-", "x" * KEEP),
        ("-…", ""),
        ("-", "x" * KEEP),
        ("+", "y"),
        ("=", "x" * KEEP),
        ("…", ""),
    ]
    many = tuple(
        part for _ in range(SHOWN_CHANGES + 5) for part in (("=", "a"), ("-", "b"), ("+", "c"))
    )
    shown = shown_changes(many)
    assert sum(op == "-" for op, _ in shown) == SHOWN_CHANGES and shown[-1] == ("…", "")
