"""Importing editions: units, segments, revisions, pairing of further editions, errors."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import SHARED
from translator.errors import Conflict, InputError, NotFound
from translator.models import Document, Revision, RevisionReason, Segment, SegmentStatus, Unit
from translator.services.units import unit_rows

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
TEXT_EN = "First sentence. Second sentence!\n\nA new paragraph here. And its end.\n"
TEXT_FR = "Première phrase. Deuxième phrase !\n\nUn nouveau paragraphe. Et sa fin. En plus.\n"


def _count(db: Any, model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_first_edition_gives_one_unit_per_sentence_with_paragraph_keys(
    db: Any, import_text: Any
) -> None:
    summary = import_text(TEXT_EN, "en", title="Two paragraphs")
    assert summary.to_dict()["units"] == 4
    assert summary.to_dict()["paragraphs"] == 2
    document = db.session.scalar(sa.select(Document))
    rows = unit_rows(document)
    assert [r.cells["en"].text for r in rows] == [
        "First sentence.",
        "Second sentence!",
        "A new paragraph here.",
        "And its end.",
    ]
    assert rows[0].paragraph == rows[1].paragraph != rows[2].paragraph == rows[3].paragraph
    assert all(r.cells["en"].status == "translated" and r.cells["en"].aligned for r in rows)
    # Every imported text has its revision, with reason "import".
    revisions = db.session.scalars(sa.select(Revision)).all()
    assert len(revisions) == 4
    assert {r.reason for r in revisions} == {RevisionReason.IMPORT}
    segment_texts = set(db.session.scalars(sa.select(Segment.text)))
    assert {r.text for r in revisions} == segment_texts


def test_further_edition_is_paired_by_position_unaligned_and_nothing_dropped(
    db: Any, import_text: Any
) -> None:
    first = import_text(TEXT_EN, "en", title="Essay")
    summary = import_text(TEXT_FR, "fr", document=first.document)
    assert summary.segments == 5
    document = db.session.scalar(sa.select(Document))
    rows = unit_rows(document)
    assert len(rows) == 5  # one more French sentence than English: a new unit at the end
    assert [r.cells["fr"].text for r in rows] == [
        "Première phrase.",
        "Deuxième phrase !",
        "Un nouveau paragraphe.",
        "Et sa fin.",
        "En plus.",
    ]
    assert not any(r.cells["fr"].aligned for r in rows)
    assert rows[4].cells["en"].text == "" and rows[4].cells["en"].status == "empty"
    # The French edition keeps its own structure for the alignment job.
    fr = document.edition("fr")
    assert [b["sentences"] for b in fr.structure] == [2, 3]


def test_shorter_further_edition_leaves_empty_cells(db: Any, import_text: Any) -> None:
    first = import_text(TEXT_EN, "en", title="Essay")
    import_text("Une seule phrase.", "fr", document=first.document)
    document = db.session.scalar(sa.select(Document))
    rows = unit_rows(document)
    assert [r.cells["fr"].status for r in rows] == ["translated", "empty", "empty", "empty"]
    assert _count(db, Unit) == 4


def test_order_keys_follow_the_text(db: Any, import_text: Any) -> None:
    import_text(ESSAY.read_bytes(), "en", filename=ESSAY.name)
    keys = db.session.scalars(sa.select(Unit.order_key).order_by(Unit.id)).all()
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_sample_essay_keeps_its_structure(db: Any, import_text: Any) -> None:
    summary = import_text(ESSAY.read_bytes(), "en", filename=ESSAY.name).to_dict()
    assert summary["headings"] == 5
    document = db.session.scalar(sa.select(Document))
    rows = unit_rows(document)
    headings = [r.cells["en"].text for r in rows if r.role == "heading"]
    assert headings == [
        "A Predictable Disaster",
        "Lenin: From German Agent to Butcher of the Working Class",
        "A Revolution Derailed",
        "The USSR: Force for Global Counterrevolution and Accomplice of Fascism",
        "The Relevance Today of the Communist Counterrevolution",
    ]
    # Paragraph split by a page break stays one paragraph.
    paragraphs: dict[int, list[str]] = {}
    for row in rows:
        paragraphs.setdefault(row.paragraph, []).append(row.cells["en"].text)
    joined = [" ".join(texts) for texts in paragraphs.values()]
    summary_paragraph = next(p for p in joined if p.startswith("The current text is no more"))
    assert "still resonates in our struggles today" in summary_paragraph
    assert summary_paragraph.endswith("a disaster for humanity.")
    assert summary["paragraphs"] == len(joined) - 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "not a text file"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    db: Any, import_text: Any, data: bytes, message: str
) -> None:
    with pytest.raises(InputError) as excinfo:
        import_text(data, "en", filename="bad.txt")
    assert message in str(excinfo.value).lower()
    assert "bad.txt" in str(excinfo.value)
    db.session.rollback()
    assert _count(db, Document) == 0 and _count(db, Segment) == 0


def test_unknown_language_is_refused(db: Any, import_text: Any) -> None:
    with pytest.raises(InputError) as excinfo:
        import_text("Hello.", "xx-nope")
    assert excinfo.value.field == "language"


def test_oversized_file_is_refused(db: Any, app: Any, import_text: Any) -> None:
    limit = app.config["MAX_UPLOAD_BYTES"]
    with pytest.raises(InputError) as excinfo:
        import_text(b"a" * (limit + 1), "en", filename="big.txt")
    assert "limit" in str(excinfo.value) and "big.txt" in str(excinfo.value)


def test_second_edition_in_the_same_language_is_refused(db: Any, import_text: Any) -> None:
    first = import_text(TEXT_EN, "en", title="Essay")
    with pytest.raises(Conflict):
        import_text(TEXT_EN, "en", document=first.document)
    db.session.rollback()
    assert _count(db, Segment) == 4


def test_unknown_document_is_refused(db: Any, import_text: Any) -> None:
    with pytest.raises(NotFound) as excinfo:
        import_text(TEXT_EN, "en", document="nope")
    assert "nope" in str(excinfo.value)


def test_cp1252_file_is_decoded(db: Any, import_text: Any) -> None:
    import_text("Le café était «\xa0ouvert\xa0». Très bien.".encode("cp1252"), "fr")
    texts = db.session.scalars(sa.select(Segment.text).order_by(Segment.id)).all()
    assert texts[0].startswith("Le café était")


def test_statuses_are_counted_in_progress(db: Any, import_text: Any) -> None:
    from translator.services.progress import edition_progress

    first = import_text(TEXT_EN, "en", title="Essay")
    import_text("Une seule phrase.", "fr", document=first.document)
    document = db.session.scalar(sa.select(Document))
    progress = edition_progress([document.id])
    en = progress[document.edition("en").id]
    fr = progress[document.edition("fr").id]
    assert en.segments[SegmentStatus.TRANSLATED] == 4 and en.total_words == 11
    assert fr.segments[SegmentStatus.TRANSLATED] == 1 and fr.segments[SegmentStatus.EMPTY] == 3
    assert fr.unaligned == 4


def test_import_writes_nothing_when_storing_fails(
    db: Any, import_text: Any, tmp_path: Path
) -> None:
    import_text(TEXT_EN, "en", title="Essay")
    with pytest.raises(Conflict):
        import_text(TEXT_EN, "en", document="essay")
    db.session.rollback()
    assert _count(db, Revision) == 4


def test_default_title_comes_from_the_file_name_not_a_section_heading(
    db: Any, import_text: Any
) -> None:
    summary = import_text(ESSAY.read_bytes(), "en", filename=ESSAY.name)
    assert summary.document == "bolshevik-counterrevolution"
    assert db.session.scalar(sa.select(Document.title)) == "Bolshevik counterrevolution"


def test_markdown_title_heading_names_the_document(db: Any, import_text: Any) -> None:
    summary = import_text("# The Title\n\nSome text.\n", "en", filename="notes.md")
    assert summary.document == "the-title"


def test_a_five_megabyte_paragraph_becomes_many_segments_within_the_limit(
    db: Any, import_text: Any
) -> None:
    from translator.text.long_sentences import LONG_SENTENCE_LENGTH
    from translator.text.segmentation import MAX_SEGMENT_LENGTH

    paragraph = "a list of words glued together, with no end in sight " * 95_000  # 5 MB
    started = time.perf_counter()
    summary = import_text(paragraph + "\n\nA last sentence.", "en", filename="glued.txt")
    elapsed = time.perf_counter() - started
    lengths = db.session.scalars(sa.select(sa.func.length(Segment.text))).all()
    assert summary.segments == len(lengths) > 2_500
    assert max(lengths) <= LONG_SENTENCE_LENGTH <= MAX_SEGMENT_LENGTH
    assert summary.warnings == [
        "1 sentence was longer than 2000 characters and cut into pieces at clause or word "
        "breaks (the first at line 1): check the pieces in the editor"
    ]
    texts = db.session.scalars(sa.select(Segment.text).order_by(Segment.id)).all()
    assert " ".join(texts[:-1]) == paragraph.strip()
    assert elapsed < 60, elapsed  # 3.4 s measured on PostgreSQL


def test_a_title_with_a_nul_is_refused_before_anything_is_stored(db: Any, import_text: Any) -> None:
    with pytest.raises(InputError) as excinfo:
        import_text(TEXT_EN, "en", title="Bad\x00title")
    assert excinfo.value.field == "title"
    db.session.rollback()
    assert _count(db, Document) == 0


def test_names_that_the_columns_cannot_hold_are_clipped_not_crashed_on(
    db: Any, import_text: Any
) -> None:
    from translator.models import Edition

    label = "x" * 100
    text = f"Text with a note.[^{label}]\n\n[^{label}]: The note.\n"
    import_text(text, "en", filename="dir/" * 80 + "no\x00tes\x1b.md", title="Notes")
    edition = db.session.scalar(sa.select(Edition))
    assert len(edition.source_filename) == 255
    assert edition.source_filename.endswith("dir/notes.md")
    labels = db.session.scalars(sa.select(Unit.label).where(Unit.label.is_not(None))).all()
    assert labels == ["x" * 32]


def test_no_control_character_of_a_file_name_reaches_an_error(db: Any, tmp_path: Path) -> None:
    from translator.services.imports import read_upload

    with pytest.raises(InputError) as excinfo:
        read_upload(tmp_path / "missing.txt", "bad\x00name\x1b.txt")
    assert excinfo.value.file == "badname.txt"


def test_a_piece_that_cutting_cannot_bring_under_the_limit_is_refused(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translator.formats import ADAPTERS
    from translator.formats.base import Block, BlockRole, ParsedText
    from translator.services.imports import prepare_import

    tag = '<a href="https://example.org/' + "x" * 25_000 + '">'
    block = Block(BlockRole.PARAGRAPH, f"Before {tag}link</a> after.", line=7)
    monkeypatch.setitem(ADAPTERS, "text", lambda data, name: ParsedText([block], "text"))
    with pytest.raises(InputError) as excinfo:
        prepare_import(b"anything", "future.docx", "en", "text")
    assert (excinfo.value.file, excinfo.value.line) == ("future.docx", 7)
    assert "longer than 20000 characters" in excinfo.value.message
