"""Projects: creation and settings, the team its documents inherit (in every rule of
``services.rights`` and in the editor's save), moving documents in and out, starting
the translations a project's languages call for."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, Forbidden, InputError, NotFound
from translator.models import Document, MemberRole, Project, Segment, SegmentStatus
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.members import (
    member_roles,
    membership_role,
    memberships,
    set_member,
    stronger,
)
from translator.services.projects import (
    create_project,
    delete_project,
    document_counts,
    get_project,
    list_project_members,
    list_projects,
    missing_languages,
    remove_project_member,
    set_document_project,
    set_project_member,
    start_missing_translations,
    update_project,
)
from translator.services.rights import Right, Target, has_right, visible_documents
from translator.services.trash import delete_document, restore_document, trashed_document


@pytest.fixture
def two(db: Any, import_text: Any) -> tuple[Document, Document]:
    """Two documents, each with an English original and a French translation."""
    for title in ("First", "Second"):
        summary = import_text("One sentence. Two sentences.", "en", title=title)
        import_text("Une phrase. Deux phrases.", "fr", document=summary.document)
    db.session.commit()
    return get_document("first"), get_document("second")


def _fr_segment(document: Document) -> Segment:
    edition = document.edition("fr")
    assert edition is not None
    return Segment.query.filter_by(edition_id=edition.id).order_by(Segment.id).first()


def test_create_validates_slug_name_and_languages(db: Any) -> None:
    project = create_project(
        "series", " A series ", original_language="en", languages=["fr", "pt_BR", "en", "fr"]
    )
    assert (project.name, project.original_language) == ("A series", "en")
    assert project.languages == ["fr", "pt-BR"]  # normalized, no repeat, original left out
    assert project.all_languages == ["en", "fr", "pt-BR"]
    with pytest.raises(Conflict):
        create_project("series", "Again")
    with pytest.raises(InputError) as bad_slug:
        create_project("Not A Slug", "X")
    assert bad_slug.value.field == "slug"
    with pytest.raises(InputError) as bad_language:
        create_project("other", "X", languages=["xx-nonsense-1"])
    assert bad_language.value.field == "languages"
    with pytest.raises(InputError):
        create_project("empty", "  ")
    update_project(project, name="Renamed", original_language=None, languages=["pt"])
    assert (get_project("series").name, get_project("series").all_languages) == (
        "Renamed",
        ["pt"],
    )
    with pytest.raises(NotFound):
        get_project("nope")


def test_project_team_is_inherited_by_its_documents_only(two: Any, create_user: Any) -> None:
    first, second = two
    ana = create_user("ana@example.org")
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    set_project_member(project, ana, "fr", MemberRole.TRANSLATOR)
    for document in (first, second):
        assert not has_right(ana, Right.VIEW_DOCUMENT, Target(document.id))
    set_document_project(first, project)

    fr_first = Target(first.id, "fr")
    assert has_right(ana, Right.VIEW_DOCUMENT, Target(first.id))
    assert has_right(ana, Right.EDIT_EDITION, fr_first)
    assert has_right(ana, Right.EDIT_ANY_EDITION, Target(first.id))
    assert not has_right(ana, Right.EDIT_EDITION, Target(first.id, "en"))
    assert not has_right(ana, Right.REVIEW_EDITION, fr_first)
    assert not has_right(ana, Right.MANAGE_DOCUMENT, Target(first.id))
    assert not has_right(ana, Right.VIEW_DOCUMENT, Target(second.id))  # not in the project
    assert not has_right(ana, Right.EDIT_EDITION, Target(second.id, "fr"))
    assert membership_role(ana, first.id, "fr") is MemberRole.TRANSLATOR
    assert member_roles(ana, first.id) == {"fr": MemberRole.TRANSLATOR}
    visible = set(Document.query.filter(visible_documents(ana)).with_entities(Document.slug))
    assert visible == {("first",)}

    # The document's own membership adds to it: the stronger role counts.
    set_member(first, ana, "fr", MemberRole.REVIEWER)
    assert has_right(ana, Right.REVIEW_EDITION, fr_first)
    assert membership_role(ana, first.id, "fr") is MemberRole.REVIEWER

    # Out of the project, only the document's own membership is left.
    set_document_project(first, None)
    assert membership_role(ana, first.id, "fr") is MemberRole.REVIEWER
    assert memberships(ana, first.id) == {"fr": MemberRole.REVIEWER}


def test_project_coordinator_and_reader_over_every_document(two: Any, create_user: Any) -> None:
    first, second = two
    cleo, rui = create_user("cleo@example.org"), create_user("rui@example.org")
    project = create_project("series", "Series", languages=["fr"])
    set_project_member(project, cleo, "fr", MemberRole.COORDINATOR)  # language ignored
    set_project_member(project, rui, "", MemberRole.READER)
    set_document_project(first, project)
    set_document_project(second, project)
    for document in (first, second):
        target = Target(document.id)
        assert has_right(cleo, Right.MANAGE_DOCUMENT, target)
        assert has_right(cleo, Right.RESTRUCTURE_DOCUMENT, target)
        assert has_right(rui, Right.VIEW_DOCUMENT, target)
        assert not has_right(rui, Right.EDIT_ANY_EDITION, target)
        assert not has_right(rui, Right.MANAGE_DOCUMENT, target)
    on_project = Target(project_id=project.id)
    assert has_right(cleo, Right.MANAGE_PROJECT_TEAM, on_project)
    assert not has_right(cleo, Right.MANAGE_PROJECTS)
    assert has_right(rui, Right.VIEW_PROJECT, on_project)
    assert not has_right(rui, Right.MANAGE_PROJECT_TEAM, on_project)
    assert stronger(MemberRole.READER, MemberRole.COORDINATOR) is MemberRole.COORDINATOR


def test_a_project_translator_saves_in_the_editor(two: Any, create_user: Any, db: Any) -> None:
    """The editor's save reads the role in the statement that locks the unit: the
    project's team counts there too."""
    first, second = two
    ana = create_user("ana@example.org")
    project = create_project("series", "Series", languages=["fr"])
    set_project_member(project, ana, "fr", MemberRole.REVIEWER)
    set_document_project(first, project)
    segment = _fr_segment(first)
    result = save_segment(
        segment, "Une phrase revue.", base_version=segment.version, user=ana, confirm=True
    )
    assert result.saved and result.segment.status is SegmentStatus.REVIEWED
    other = _fr_segment(second)
    with pytest.raises(Forbidden):
        save_segment(other, "Non.", base_version=other.version, user=ana)


def test_view_project_and_visible_projects(two: Any, create_user: Any) -> None:
    first, _ = two
    ben, eve = create_user("ben@example.org"), create_user("eve@example.org")
    boss = create_user("boss@example.org", is_coordinator=True)
    project = create_project("series", "Series")
    create_project("another", "Another")
    set_document_project(first, project)
    set_member(first, ben, "", MemberRole.READER)  # sees a document of the project
    on_project = Target(project_id=project.id)
    assert has_right(ben, Right.VIEW_PROJECT, on_project)
    assert not has_right(eve, Right.VIEW_PROJECT, on_project)
    assert [p.slug for p in list_projects(visible_to=ben)] == ["series"]
    assert list_projects(visible_to=eve) == []
    assert [p.slug for p in list_projects(visible_to=boss)] == ["another", "series"]
    assert has_right(boss, Right.MANAGE_PROJECTS)


def test_team_languages_and_removal(db: Any, create_user: Any) -> None:
    ana = create_user("ana@example.org")
    project = create_project("series", "Series", original_language="en", languages=["fr"])
    with pytest.raises(InputError) as refused:
        set_project_member(project, ana, "de", MemberRole.TRANSLATOR)
    assert refused.value.field == "language"
    member = set_project_member(project, ana, "fr", MemberRole.TRANSLATOR)
    assert set_project_member(project, ana, "fr", MemberRole.REVIEWER).id == member.id
    set_project_member(project, ana, "en", MemberRole.TRANSLATOR)
    assert [(m.language, m.role) for m in list_project_members(project)] == [
        ("en", MemberRole.TRANSLATOR),
        ("fr", MemberRole.REVIEWER),
    ]
    other = create_project("other", "Other", languages=["fr"])
    with pytest.raises(NotFound):
        remove_project_member(other, member.id)
    remove_project_member(project, member.id)
    assert [m.language for m in list_project_members(project)] == ["en"]


def test_delete_only_when_empty_and_trashed_documents_leave(two: Any, create_user: Any) -> None:
    first, second = two
    admin = create_user("admin@example.org", is_admin=True)
    project = create_project("series", "Series")
    set_document_project(first, project)
    set_document_project(second, project)
    assert document_counts([project.id]) == {project.id: 2}
    with pytest.raises(Conflict):
        delete_project(project)
    set_document_project(second, None)
    delete_document(first, user_id=admin.id)  # in the trash: no longer counted
    delete_project(project)
    assert Project.query.count() == 0
    restored = trashed_document("first")
    restore_document(restored)
    assert restored.project_id is None


def test_start_the_missing_translations(two: Any, db: Any) -> None:
    first, _ = two
    assert missing_languages(first) == []
    project = create_project("series", "Series", original_language="en", languages=["fr", "pt"])
    set_document_project(first, project)
    assert missing_languages(first) == ["pt"]
    started = start_missing_translations(first)
    assert [s.edition.language for s in started] == ["pt"]
    assert started[0].original == "en" and started[0].units == 2
    pt = first.edition("pt")
    assert pt is not None
    statuses = db.session.scalars(sa.select(Segment.status).where(Segment.edition_id == pt.id))
    assert set(statuses) == {SegmentStatus.EMPTY}
    assert missing_languages(first) == []
    with pytest.raises(InputError):
        start_missing_translations(first)


def test_an_export_credits_the_project_translators(two: Any, create_user: Any) -> None:
    from translator.services.publication import build_publication

    first, _ = two
    ana = create_user("ana@example.org", display_name="Ana Lima")
    ben = create_user("ben@example.org", display_name="Ben Roy")
    project = create_project("series", "Series", languages=["fr"])
    set_project_member(project, ana, "fr", MemberRole.TRANSLATOR)
    set_document_project(first, project)
    set_member(first, ben, "fr", MemberRole.TRANSLATOR)
    people = build_publication(first, "fr").info.people
    assert [(p.name, p.role) for p in people] == [("Ana Lima", "trl"), ("Ben Roy", "trl")]


def test_a_project_coordinator_coordinates_its_documents_on_the_dashboard(
    two: Any, create_user: Any
) -> None:
    from translator.services.rights import managed_documents

    first, _ = two
    cleo = create_user("cleo@example.org")
    assert not has_right(cleo, Right.COORDINATE)
    project = create_project("series", "Series")
    set_project_member(project, cleo, "", MemberRole.COORDINATOR)
    set_document_project(first, project)
    managed = Document.query.filter(managed_documents(cleo)).with_entities(Document.slug)
    assert set(managed) == {("first",)}
    assert has_right(cleo, Right.COORDINATE)
