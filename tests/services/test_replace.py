"""Search and replace over one edition: the preview writes nothing, applying writes one
revision per changed segment, skips what changed since the preview, and never cuts into
markup."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError
from translator.models import (
    Document,
    Edition,
    Revision,
    RevisionReason,
    Segment,
    SegmentStatus,
    Unit,
)
from translator.services import replace
from translator.services.replace import ReplacementPreview, apply_replace, preview_replace
from translator.services.segments import content_hash, write_segment
from translator.text.replacement import compile_replacement, replace_outside_markup
from translator.text.segmentation import MAX_SEGMENT_LENGTH

EN = "The cat sat. A dog ran. The cat slept. No animal here.\n"
FR = "Le chat. Un chien. Le chat dort. Rien.\n"


@pytest.fixture
def document(db: Any, import_text: Any, create_user: Any) -> Document:
    create_user("admin@example.org", is_admin=True)
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return db.session.scalar(sa.select(Document))


def _segments(db: Any, document: Document, language: str) -> list[Segment]:
    return list(
        db.session.scalars(
            sa.select(Segment)
            .join(Unit, Unit.id == Segment.unit_id)
            .join(Edition, Edition.id == Segment.edition_id)
            .where(Unit.document_id == document.id, Edition.language == language)
            .order_by(Unit.order_key)
        )
    )


def _texts(db: Any, document: Document, language: str = "en") -> list[str]:
    db.session.expire_all()
    return [s.text for s in _segments(db, document, language)]


def _replace_revisions(db: Any) -> list[Revision]:
    return list(
        db.session.scalars(
            sa.select(Revision)
            .where(Revision.reason == RevisionReason.REPLACE)
            .order_by(Revision.segment_id)
        )
    )


def _preview(*args: Any, **kw: Any) -> list[ReplacementPreview]:
    return preview_replace(*args, **kw).previews


def _author(db: Any) -> int:
    from translator.models import User

    return int(db.session.scalar(sa.select(User.id)))


def _apply(
    db: Any,
    document: Document,
    find: str,
    replace: str,
    *,
    regex: bool = False,
    case: bool = False,
    expected: dict[int, int] | None = None,
) -> Any:
    """Preview (unless ``expected`` is given), then apply what the preview listed."""
    if expected is None:
        previews = _preview(document, "en", find, replace, regex=regex, case=case)
        expected = {p.segment_id: p.version for p in previews}
    result = apply_replace(
        document,
        "en",
        find,
        replace,
        regex=regex,
        case=case,
        expected=expected,
        author_id=_author(db),
    )
    db.session.commit()
    return result


def test_preview_lists_the_changes_and_writes_nothing(db: Any, document: Document) -> None:
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)))
    previews = _preview(document, "en", "CAT", "dog")
    assert [(p.index, p.before, p.after) for p in previews] == [
        (0, "The cat sat.", "The dog sat."),
        (2, "The cat slept.", "The dog slept."),
    ]
    en = _segments(db, document, "en")
    assert [p.segment_id for p in previews] == [en[0].id, en[2].id]
    assert [p.unit_id for p in previews] == [en[0].unit_id, en[2].unit_id]
    assert all(p.version == en[0].version for p in previews)
    assert _preview(document, "en", "CAT", "dog", case=True) == []
    assert len(_preview(document, "en", "the", "a", limit=1)) == 1
    assert _preview(document, "fr", "cat", "dog") == []
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == revisions
    assert _texts(db, document)[0] == "The cat sat."


def test_apply_writes_one_revision_per_changed_segment(db: Any, document: Document) -> None:
    before = _segments(db, document, "en")
    versions = [s.version for s in before]
    result = _apply(db, document, "cat", "dog")
    assert _texts(db, document) == [
        "The dog sat.",
        "A dog ran.",
        "The dog slept.",
        "No animal here.",
    ]
    assert result.changed == [before[0].id, before[2].id] and result.skipped == []
    revisions = _replace_revisions(db)
    assert [(r.segment_id, r.text, r.author_id) for r in revisions] == [
        (before[0].id, "The dog sat.", _author(db)),
        (before[2].id, "The dog slept.", _author(db)),
    ]
    after = _segments(db, document, "en")
    assert after[0].version == versions[0] + 1 and after[1].version == versions[1]
    assert after[0].status == SegmentStatus.TRANSLATED  # the status is kept
    assert revisions[0].version == after[0].version
    assert _texts(db, document, "fr")[0] == "Le chat."  # other editions untouched


def test_only_the_ticked_segments_change(db: Any, document: Document) -> None:
    previews = _preview(document, "en", "cat", "dog")
    result = _apply(
        db, document, "cat", "dog", expected={previews[1].segment_id: previews[1].version}
    )
    assert _texts(db, document)[:3] == ["The cat sat.", "A dog ran.", "The dog slept."]
    assert result.changed == [previews[1].segment_id]


def test_a_segment_changed_since_the_preview_is_skipped(db: Any, document: Document) -> None:
    previews = _preview(document, "en", "cat", "dog")
    first = db.session.get(Segment, previews[0].segment_id)
    write_segment(first, "The cat sat down.", first.status, reason=RevisionReason.EDIT)
    db.session.commit()
    expected = {p.segment_id: p.version for p in previews}
    fr_segment = _segments(db, document, "fr")[1]
    expected[fr_segment.id] = fr_segment.version  # not of this edition
    expected[999_999] = 1  # gone
    result = _apply(db, document, "cat", "dog", expected=expected)
    assert result.changed == [previews[1].segment_id]
    assert result.skipped == sorted([previews[0].segment_id, fr_segment.id, 999_999])
    assert _texts(db, document)[0] == "The cat sat down."  # never overwritten
    assert _texts(db, document, "fr")[1] == "Un chien."
    assert len(_replace_revisions(db)) == 1


def test_regex_with_groups_and_case(db: Any, document: Document) -> None:
    result = _apply(db, document, r"^the (\w+) (?P<verb>\w+)", r"\2 \g<verb>: \1", regex=True)
    assert len(result.changed) == 2
    assert _texts(db, document)[0] == "sat sat: cat."
    assert _texts(db, document)[2] == "slept slept: cat."
    _apply(db, document, "^A", "One", regex=True, case=True)
    assert _texts(db, document)[1] == "One dog ran."


def test_markup_and_entities_are_never_cut(db: Any, document: Document) -> None:
    segment = _segments(db, document, "en")[0]
    stored = 'The <em>cat</em> &amp; <a href="https://em.example/">emu</a> sat.'
    write_segment(segment, stored, segment.status, reason=RevisionReason.EDIT)
    db.session.commit()
    _apply(db, document, "em", "EM")
    assert _texts(db, document)[0] == (
        'The <em>cat</em> &amp; <a href="https://em.example/">EMu</a> sat.'
    )
    # "&" is found in the editable form and a typed replacement is stored escaped.
    _apply(db, document, "&", "<script> & more")
    assert _texts(db, document)[0] == (
        'The <em>cat</em> &lt;script&gt; &amp; more <a href="https://em.example/">EMu</a> sat.'
    )
    # A pattern that would match across a tag matches nothing.
    assert _preview(document, "en", "EMu sat", "x") == []
    assert _preview(document, "en", "<em>", "", regex=False) == []
    assert _preview(document, "en", r"<[^>]+>", "", regex=True) == []


def test_replace_outside_markup_finds_like_re_sub() -> None:
    import re

    empty = compile_replacement("x*", "-", regex=True, case=True)
    assert replace_outside_markup("abxd", empty) == (re.sub("x*", "-", "abxd"), 5)
    # A refused match does not hide a later one that starts inside it.
    tag = compile_replacement("b>c|c", "C", regex=True, case=True)
    assert replace_outside_markup("a<b>c", tag) == ("a<b>C", 1)


def test_siblings_outdated_flags_follow_the_change(db: Any, document: Document) -> None:
    en = _segments(db, document, "en")[0]
    fr = _segments(db, document, "fr")[0]
    fr.sibling_hashes = {"en": content_hash(en.text)}
    db.session.commit()
    _apply(db, document, "cat", "dog")
    db.session.expire_all()
    assert db.session.get(Segment, fr.id).outdated is True
    _apply(db, document, "dog", "cat")  # back to what French was checked against
    db.session.expire_all()
    assert db.session.get(Segment, fr.id).outdated is False


def test_bad_input_names_its_field(db: Any, document: Document) -> None:
    cases = [
        (("en", "", "x"), {}, "find"),
        (("en", "(", "x"), {"regex": True}, "find"),
        (("en", "(a)", r"\2"), {"regex": True}, "replace"),
        (("en", "(a)", r"\g<nope>"), {"regex": True}, "replace"),
        (("en", "a", r"\q"), {"regex": True}, "replace"),
        (("de", "a", "b"), {}, "language"),
    ]
    for args, kw, field in cases:
        with pytest.raises(InputError) as caught:
            _preview(document, *args, **kw)
        assert caught.value.field == field, (args, kw)
        with pytest.raises(InputError) as caught:
            apply_replace(
                document,
                *args,
                regex=kw.get("regex", False),
                case=False,
                expected={},
                author_id=None,
            )
        assert caught.value.field == field, (args, kw)
    # In plain mode a backslash in the replacement is text.
    _apply(db, document, "cat", r"c\1t")
    assert _texts(db, document)[0] == r"The c\1t sat."


# --- bounds: time, size, length -------------------------------------------------------


def _set_text(db: Any, segment: Segment, text: str) -> None:
    """Store ``text`` as it is, as a segment imported before any length limit."""
    db.session.execute(sa.update(Segment).where(Segment.id == segment.id).values(text=text))
    db.session.commit()
    db.session.expire_all()


def test_a_long_segment_is_replaced_in_linear_time(db: Any, document: Document) -> None:
    """100 KB full of tags, where every match of "b" is refused: the old loop checked each
    against every tag (30 s); now one pass."""
    segment = _segments(db, document, "en")[3]
    _set_text(db, segment, "<b>ab</b> " * 10_000)
    start = time.perf_counter()
    result = preview_replace(document, "en", "b", "B")
    assert time.perf_counter() - start < 5
    (row,) = [p for p in result.previews if p.segment_id == segment.id]
    assert row.after == "<b>aB</b> " * 10_000
    assert row.changes[:3] == (("=", "<b>a"), ("-", "b"), ("+", "B"))
    assert row.too_long  # 100 000 characters: more than a segment may hold


def test_a_result_over_the_length_limit_is_never_stored(db: Any, document: Document) -> None:
    segment = _segments(db, document, "en")[3]
    _set_text(db, segment, "x" * (MAX_SEGMENT_LENGTH - 10) + " animal")
    (preview,) = _preview(document, "en", "animal", "animals everywhere")
    assert preview.too_long
    (fits,) = _preview(document, "en", "animal", "animals")
    assert not fits.too_long
    result = _apply(db, document, "animal", "animals everywhere")
    assert result.too_long == [segment.id] and result.changed == []
    assert _texts(db, document)[3].endswith(" animal")
    assert _replace_revisions(db) == []
    result = _apply(db, document, "animal", "animals")
    assert result.changed == [segment.id] and result.too_long == []


def test_the_preview_stops_at_its_time_budget_and_goes_on(db: Any, document: Document) -> None:
    result = preview_replace(document, "en", "the", "a", timeout=0)
    assert result.previews == [] and result.stopped == "time"
    # The first segment alone took the whole budget: skipped, so that going on progresses.
    assert result.slow == 0 and result.resume_at == 1
    rest = preview_replace(document, "en", "the", "a", start=result.resume_at)
    assert rest.stopped is None and [p.index for p in rest.previews] == [2]
    assert [p.index for p in preview_replace(document, "en", "the", "a").previews] == [0, 2]


def test_the_preview_stops_at_its_size_bounds(
    db: Any, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replace, "PREVIEW_MAX_SEGMENTS", 2)
    result = preview_replace(document, "en", "The", "A")
    assert result.stopped == "size" and result.resume_at == 2 and result.searched == 2
    assert [p.index for p in result.previews] == [0]
    rest = preview_replace(document, "en", "The", "A", start=2)
    assert [p.index for p in rest.previews] == [2] and rest.stopped is None
    monkeypatch.setattr(replace, "PREVIEW_MAX_CHARS", 5)
    assert preview_replace(document, "en", "The", "A").resume_at == 1
    limited = preview_replace(document, "en", "e", "E", limit=1)
    assert limited.stopped == "limit" and limited.resume_at == 1


def test_apply_works_everything_out_before_it_locks(db: Any, document: Document) -> None:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    previews = _preview(document, "en", "cat", "dog")
    expected = {p.segment_id: p.version for p in previews}
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        with pytest.raises(InputError) as caught:
            apply_replace(
                document, "en", "cat", "dog", regex=False, case=False,
                expected=expected, author_id=None, timeout=0,
            )  # fmt: skip
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    db.session.rollback()
    assert caught.value.field == "find" and "nothing was changed" in caught.value.message
    locking = [s for s in statements if "FOR UPDATE" in s or "BEGIN IMMEDIATE" in s]
    assert locking == [] and _replace_revisions(db) == []


def test_apply_checks_versions_again_once_locked(
    db: Any, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that lands between the unlocked read and the lock is never overwritten."""
    previews = _preview(document, "en", "cat", "dog")
    first = previews[0].segment_id
    real_lock = replace.take_write_lock

    def save_meanwhile() -> None:
        with db.engine.begin() as conn:
            conn.execute(
                sa.update(Segment)
                .where(Segment.id == first)
                .values(text="The cat sat down.", version=Segment.version + 1)
            )
        real_lock()

    monkeypatch.setattr(replace, "take_write_lock", save_meanwhile)
    result = _apply(db, document, "cat", "dog")
    assert result.skipped == [first] and result.changed == [previews[1].segment_id]
    assert _texts(db, document)[0] == "The cat sat down."


@pytest.mark.parametrize(
    "pattern", [r"^(\w+\s?)*$", r"(a+)+$", r"(.*a){20}", r"(\w|\d|[a-z])*!$", r"(x+x+)+y"]
)
def test_catastrophic_patterns_preview_and_apply_in_time(
    db: Any, document: Document, pattern: str
) -> None:
    segments = _segments(db, document, "en")
    _set_text(db, segments[1], "Nobody expects the Spanish armadas!")
    _set_text(db, segments[3], ("aaaa bbb a1 " * 9000)[:100_000])
    start = time.perf_counter()
    result = preview_replace(document, "en", pattern, "x", regex=True)
    expected = {p.segment_id: p.version for p in result.previews}
    apply_replace(
        document, "en", pattern, "x", regex=True, case=False, expected=expected, author_id=None
    )
    db.session.commit()
    assert result.stopped is None
    assert time.perf_counter() - start < 5  # Python's re: minutes to hours
