"""Interchange files out of the database and back: a translator edits some cells in an
exported XLIFF, PO or TMX file while someone edits one of them in the service; the
import saves exactly the cells the file changed (a revision by the importing user),
turns the clash into a suggestion and leaves everything else alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest
import sqlalchemy as sa
from lxml import etree

from translator.errors import InputError
from translator.formats.exports import ExportOptions, export_format
from translator.models import (
    Comment,
    Document,
    MemberRole,
    Revision,
    Segment,
    SegmentStatus,
    Suggestion,
    Unit,
    User,
)
from translator.services.comments import add_comment
from translator.services.editing import save_segment
from translator.services.interchange import build_interchange, import_interchange
from translator.services.members import set_member
from translator.services.siblings import baseline_siblings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"

EN = "# The animals\n\nThe *cat* sleeps. The dog barks & runs.\n\nBirds sing. Fish swim.\n"
FR = (
    "# Les animaux\n\nLe *chat* dort. Le chien aboie & court.\n\n"
    "Les oiseaux chantent. Les poissons nagent.\n"
)
PT = (
    "# Os animais\n\nO *gato* dorme. O cão ladra & corre.\n\nOs pássaros cantam. Os peixes nadam.\n"
)


@pytest.fixture
def document(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Animals", fmt="markdown")
    import_text(FR, "fr", document=first.document, fmt="markdown")
    import_text(PT, "pt", document=first.document, fmt="markdown")
    document = db.session.scalar(sa.select(Document))
    baseline_siblings(list(db.session.scalars(sa.select(Unit.id))))
    db.session.commit()
    return document


@pytest.fixture
def admin(db: Any, create_user: Any) -> User:
    return create_user("admin@example.org", is_admin=True)


@pytest.fixture
def colleague(db: Any, create_user: Any) -> User:
    return create_user("colleague@example.org", is_admin=True)


def unit_ids(db: Any, document: Document) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )


def cell(db: Any, unit_id: int, language: str) -> Segment:
    segment = db.session.scalar(
        sa.select(Segment).where(Segment.unit_id == unit_id, Segment.edition.has(language=language))
    )
    assert segment is not None
    return segment


def revisions(db: Any) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Revision.segment_id, sa.func.count()).group_by(Revision.segment_id)
    )
    return {segment_id: count for segment_id, count in rows}


def export(document: Document, name: str, languages: list[str], **pair: str) -> bytes:
    exported = build_interchange(
        document, languages, source=pair.get("source"), target=pair.get("target")
    )
    return export_format(name).write(exported, ExportOptions(**pair))


def edit_xliff(data: bytes, edits: dict[int, str], version: str) -> bytes:
    root = etree.fromstring(data)
    if version == "1.2":
        for unit_id, text in edits.items():
            (target,) = root.iterfind(
                f".//{{{XLIFF12}}}trans-unit[@id='{unit_id}']/{{{XLIFF12}}}target"
            )
            for child in list(target):
                target.remove(child)
            target.text = text
            target.set("state", "translated")
    else:
        for unit_id, text in edits.items():
            (segment,) = root.iterfind(
                f".//{{{XLIFF20}}}unit[@id='u{unit_id}']/{{{XLIFF20}}}segment"
            )
            target = segment.find(f"{{{XLIFF20}}}target")
            for child in list(target):
                target.remove(child)
            target.text = text
            segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def edit_po(data: bytes, edits: dict[int, str]) -> bytes:
    catalog = polib.pofile(data.decode("utf-8"))
    for entry in catalog:
        if entry.msgctxt and int(entry.msgctxt) in edits:
            entry.msgstr = edits[int(entry.msgctxt)]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    return str(catalog).encode("utf-8")


def edit_tmx(data: bytes, edits: dict[int, str], language: str) -> bytes:
    root = etree.fromstring(data)
    for unit_id, text in edits.items():
        (seg,) = root.iterfind(
            f".//tu[@tuid='{unit_id}']/tuv[@{{http://www.w3.org/XML/1998/namespace}}lang='{language}']/seg"
        )
        for child in list(seg):
            seg.remove(child)
        seg.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


CASES = {
    "xliff": ("doc.xlf", lambda data, edits: edit_xliff(data, edits, "1.2")),
    "xliff2": ("doc.xlf", lambda data, edits: edit_xliff(data, edits, "2.0")),
    "po": ("doc.po", edit_po),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip_saves_the_edits_and_keeps_the_clash_as_a_suggestion(
    db: Any, document: Document, admin: User, colleague: User, name: str
) -> None:
    filename, edit = CASES[name]
    units = unit_ids(db, document)
    assert len(units) == 5
    data = export(document, name, ["en", "fr", "pt"], source="en", target="fr")
    # The translator edits rows 1 and 2 in the file; meanwhile a colleague edits row 2
    # in the service.
    edited = edit(data, {units[1]: "Le chat dort, encore.", units[2]: "Le chien aboie très fort."})
    busy = cell(db, units[2], "fr")
    save_segment(
        busy,
        "Le chien aboie &amp; court vite.",
        base_version=busy.version,
        user=colleague,
        confirm=True,
    )
    db.session.commit()
    before = revisions(db)

    report = import_interchange(edited, filename, user=admin)
    db.session.commit()

    assert report.document == document.slug
    assert (report.updated, report.suggestions, report.created, report.errors) == (1, 1, 0, 0)
    assert report.unchanged == 2 * len(units) - 2  # en and fr of every unit but those two
    after = revisions(db)
    changed = {segment_id for segment_id in after if after[segment_id] != before.get(segment_id)}
    saved = cell(db, units[1], "fr")
    assert changed == {saved.id}
    assert saved.text == "Le chat dort, encore."
    assert saved.status == SegmentStatus.TRANSLATED
    latest = db.session.scalar(
        sa.select(Revision).where(Revision.segment_id == saved.id).order_by(Revision.id.desc())
    )
    assert latest.author_id == admin.id
    clash = cell(db, units[2], "fr")
    assert clash.text == "Le chien aboie &amp; court vite."  # the colleague's text stays
    (suggestion,) = db.session.scalars(sa.select(Suggestion))
    assert (suggestion.segment_id, suggestion.text, suggestion.author_id) == (
        clash.id,
        "Le chien aboie très fort.",
        admin.id,
    )
    # Imported again (a retried job): nothing more happens.
    again = import_interchange(edited, filename, user=admin)
    assert (again.updated, again.suggestions) == (0, 1)
    assert revisions(db) == after
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suggestion)) == 1


def test_an_untouched_export_imports_as_unchanged_byte_for_byte(
    db: Any, document: Document, admin: User
) -> None:
    before = {s.id: (s.text, s.version) for s in db.session.scalars(sa.select(Segment))}
    assert any("<em>" in text for text, _ in before.values())
    assert any("&amp;" in text for text, _ in before.values())
    for name, filename in [
        ("xliff", "a.xlf"),
        ("xliff2", "b.xliff"),
        ("po", "c.po"),
        ("tmx", "d.tmx"),
    ]:
        data = export(document, name, ["fr", "pt", "en"], source="fr", target="pt")
        report = import_interchange(data, filename, user=admin)
        assert (report.updated, report.suggestions, report.errors) == (0, 0, 0), name
        assert report.unchanged > 0
    db.session.commit()
    after = {s.id: (s.text, s.version) for s in db.session.scalars(sa.select(Segment))}
    assert after == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suggestion)) == 0


def test_tmx_round_trip_touches_every_language(
    db: Any, document: Document, admin: User, colleague: User
) -> None:
    units = unit_ids(db, document)
    data = export(document, "tmx", ["en", "fr", "pt"])
    edited = edit_tmx(data, {units[3]: "As aves cantam."}, "pt")
    edited = edit_tmx(edited, {units[4]: "Fishes swim."}, "en")
    busy = cell(db, units[4], "en")
    save_segment(busy, "Fish swim fast.", base_version=busy.version, user=colleague, confirm=True)
    db.session.commit()

    report = import_interchange(edited, "memory.tmx", user=admin)

    assert (report.updated, report.suggestions, report.errors) == (1, 1, 0)
    assert report.unchanged == 3 * len(units) - 2
    assert cell(db, units[3], "pt").text == "As aves cantam."
    assert cell(db, units[4], "en").text == "Fish swim fast."
    outcomes = {(o.unit_id, o.language): o.outcome for o in report.units}
    assert outcomes[(str(units[3]), "pt")] == "updated"
    assert outcomes[(str(units[4]), "en")] == "suggestion"


def test_status_changes_in_the_file_are_saved(db: Any, document: Document, admin: User) -> None:
    units = unit_ids(db, document)
    data = export(document, "xliff", ["en", "fr"], source="en", target="fr")
    root = etree.fromstring(data)
    (target,) = root.iterfind(f".//{{{XLIFF12}}}trans-unit[@id='{units[0]}']/{{{XLIFF12}}}target")
    target.set("state", "signed-off")
    report = import_interchange(etree.tostring(root), "doc.xlf", user=admin)
    assert report.updated == 1
    assert cell(db, units[0], "fr").status == SegmentStatus.REVIEWED


def test_a_translator_who_is_no_reviewer_saves_translated(
    db: Any, document: Document, create_user: Any
) -> None:
    translator = create_user("tr@example.org")
    set_member(document, translator, "fr", MemberRole.TRANSLATOR)
    units = unit_ids(db, document)
    data = export(document, "xliff", ["en", "fr"], source="en", target="fr")
    root = etree.fromstring(data)
    (target,) = root.iterfind(f".//{{{XLIFF12}}}trans-unit[@id='{units[0]}']/{{{XLIFF12}}}target")
    target.text = "Les bêtes"
    target.set("state", "signed-off")
    report = import_interchange(etree.tostring(root), "doc.xlf", user=translator)
    assert report.updated == 1
    assert "not a reviewer" in next(o for o in report.units if o.outcome == "updated").message
    assert cell(db, units[0], "fr").status == SegmentStatus.TRANSLATED
    # English is not theirs: an edit there is kept as a suggestion.
    (source,) = root.iterfind(f".//{{{XLIFF12}}}trans-unit[@id='{units[0]}']/{{{XLIFF12}}}source")
    source.text = "The beasts"
    report = import_interchange(etree.tostring(root), "doc.xlf", user=translator)
    assert (report.updated, report.suggestions) == (0, 1)


def test_unknown_units_and_languages_are_errors_in_the_report(
    db: Any, document: Document, admin: User
) -> None:
    data = export(document, "po", ["en", "fr"], source="en", target="fr")
    catalog = polib.pofile(data.decode())
    catalog.append(polib.POEntry(msgctxt="999999", msgid="Nowhere", msgstr="Nulle part"))
    catalog.metadata["Language"] = "de"
    report = import_interchange(str(catalog).encode(), "doc.po", user=admin)
    errors = [o for o in report.units if o.outcome == "error"]
    assert report.errors == len(errors) == 2
    assert {o.unit_id for o in errors} == {"999999", "*"}
    assert any("no de edition" in o.message for o in errors)


def test_comments_are_exported_as_notes(db: Any, document: Document, admin: User) -> None:
    units = unit_ids(db, document)
    add_comment(db.session.get(Unit, units[1]), "Check the cat's name", user=admin)
    exported = build_interchange(document, ["en", "fr"], source="en", target="fr")
    assert exported.units[1].notes == ("Check the cat's name",)
    assert exported.slug == document.slug and exported.languages == ["en", "fr"]


def test_build_refuses_a_language_the_document_lacks(db: Any, document: Document) -> None:
    with pytest.raises(InputError, match="de"):
        build_interchange(document, ["en", "de"], source=None, target=None)


def test_build_writes_nothing(db: Any, document: Document) -> None:
    build_interchange(document, [], source="pt", target="fr")
    assert not db.session.new and not db.session.dirty


@pytest.mark.parametrize(
    ("path", "languages", "units"),
    [
        ("corpus/interchange/xliff-symfony-validator/validators.pt_BR.xlf", ["en", "pt-BR"], 116),
        ("corpus/python-docs-po/fr/tutorial/appetite.po", ["en", "fr"], None),
        ("corpus/tico19/all.en-pt-BR.tmx", ["en", "pt-BR"], 3071),
    ],
)
def test_a_file_from_elsewhere_creates_a_document(
    db: Any, admin: User, path: str, languages: list[str], units: int | None
) -> None:
    file = SHARED / path
    if not file.exists():
        pytest.skip(f"{file} not available")
    report = import_interchange(file.read_bytes(), file.name, user=admin)
    db.session.commit()
    document = db.session.scalar(sa.select(Document).where(Document.slug == report.document))
    assert document is not None and document.languages == languages
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Unit))
    assert report.created == count
    if units:
        assert count == units
    texts = db.session.scalar(
        sa.select(sa.func.count()).select_from(Segment).where(Segment.text != "")
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == texts
    # Imported again, it matches nothing by id in that new document: a second one.
    again = import_interchange(file.read_bytes(), file.name, user=admin)
    assert again.document != report.document


def test_our_file_into_a_new_document_keeps_statuses_and_comments(
    db: Any, document: Document, admin: User
) -> None:
    units = unit_ids(db, document)
    add_comment(db.session.get(Unit, units[1]), "a note", user=admin)
    fr = cell(db, units[2], "fr")
    save_segment(fr, "Brouillon.", base_version=fr.version, user=admin)  # a draft
    data = export(document, "xliff2", ["en", "fr"], source="en", target="fr")
    document.slug = "renamed"  # the file's document is gone: the file makes a new one
    db.session.flush()
    report = import_interchange(data, "animals.xlf", user=admin)
    assert report.created == len(units)
    copy = db.session.scalar(sa.select(Document).where(Document.slug == report.document))
    assert copy.slug == "animals" and copy.title == "Animals"
    statuses = list(
        db.session.scalars(
            sa.select(Segment.status)
            .join(Unit)
            .where(Unit.document_id == copy.id, Segment.edition.has(language="fr"))
            .order_by(Unit.order_key)
        )
    )
    assert statuses[2] == SegmentStatus.DRAFT and statuses[0] == SegmentStatus.TRANSLATED
    assert db.session.scalar(sa.select(Comment.body)) == "a note"


def test_a_status_alone_never_goes_down(db: Any, document: Document, admin: User) -> None:
    units = unit_ids(db, document)
    data = export(document, "po", ["en", "fr"], source="en", target="fr")
    fr = cell(db, units[0], "fr")
    save_segment(fr, fr.text, base_version=fr.version, user=admin, status=SegmentStatus.REVIEWED)
    report = import_interchange(data, "doc.po", user=admin)  # says "translated"
    assert (report.updated, report.suggestions) == (0, 0)
    assert cell(db, units[0], "fr").status == SegmentStatus.REVIEWED


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("validators.fr.xlf", "Validators"),
        ("all.en-pt-BR.tmx", "All"),
        ("my_essay.en-fr.xliff", "My essay"),
        ("messages.pot", "Messages"),
        (".po", "Untitled"),
    ],
)
def test_a_new_document_is_titled_after_the_file(filename: str, title: str) -> None:
    from translator.services.interchange_create import default_title

    assert default_title(filename) == title


def test_notes_written_in_the_file_become_comments(
    db: Any, document: Document, admin: User
) -> None:
    units = unit_ids(db, document)
    add_comment(db.session.get(Unit, units[1]), "Known remark", user=admin)
    add_comment(db.session.get(Unit, units[1]), "Another one", user=admin)
    data = export(document, "po", ["en", "fr"], source="en", target="fr")
    assert import_interchange(data, "doc.po", user=admin).comments == 0  # both known
    catalog = polib.pofile(data.decode())
    entry = next(e for e in catalog if e.msgctxt == str(units[2]))
    entry.tcomment = "Is this the right word?"
    report = import_interchange(str(catalog).encode(), "doc.po", user=admin)
    assert report.comments == 1
    bodies = db.session.scalars(sa.select(Comment.body).where(Comment.unit_id == units[2]))
    assert list(bodies) == ["Is this the right word?"]
