"""Projects: collections of documents with default languages, an original language and
a team the documents inherit (``models.projects``; the inheritance itself is read by
``services.members``). Every function flushes; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.models import (
    INCLUDE_DELETED,
    Document,
    MemberRole,
    Project,
    ProjectMember,
    User,
)
from translator.models._types import utcnow
from translator.services.documents import MAX_SLUG, SLUG_RE
from translator.services.editions import NewTranslation, start_translation
from translator.services.languages import normalize_language
from translator.services.member_scopes import (
    DocumentScope,
    ProjectScope,
    list_scope_members,
    remove_scope_member,
    set_scope_member,
)
from translator.services.rights import visible_projects

ALL = object()  # list_projects(): no filter
MAX_NAME = 200


def get_project(slug: str) -> Project:
    """The project with this slug, or NotFound naming it."""
    project: Project | None = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        raise NotFound(f"no project with slug {slug!r}", field="project")
    return project


def project_id(slug: str) -> int | None:
    """The id of the project with this slug, if there is one."""
    found: int | None = db.session.scalar(select(Project.id).where(Project.slug == slug))
    return found


def list_projects(visible_to: Any = ALL) -> list[Project]:
    """The projects ``visible_to`` may see (every one by default: the command line), by
    name."""
    query = select(Project).order_by(func.lower(Project.name), Project.id)
    if visible_to is not ALL:
        query = query.where(visible_projects(visible_to))
    return list(db.session.scalars(query))


def document_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """Project id → how many documents (not in the trash) it holds, in one query."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Document.project_id, func.count(Document.id))
        .where(Document.project_id.in_(ids))
        .group_by(Document.project_id)
    )
    return {project_id: count for project_id, count in rows if project_id is not None}


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("a project needs a name", field="name")
    if len(name) > MAX_NAME:
        raise InputError(f"the name is longer than {MAX_NAME} characters", field="name")
    return name


def _checked_languages(
    original: str | None, languages: Iterable[str]
) -> tuple[str | None, list[str]]:
    """The original language and the default languages, validated (BCP 47), without
    repeats and without the original among the default ones."""
    original_code = normalize_language(original, field="original") if original else None
    codes: list[str] = []
    for code in languages:
        if not code.strip():
            continue
        normal = normalize_language(code, field="languages")
        if normal != original_code and normal not in codes:
            codes.append(normal)
    return original_code, codes


def parse_languages(text: str) -> list[str]:
    """Comma- or space-separated language codes as typed ("fr, pt-BR"), not validated."""
    return [code for code in text.replace(",", " ").split() if code]


def create_project(
    slug: str,
    name: str,
    *,
    description: str = "",
    original_language: str | None = None,
    languages: Iterable[str] = (),
) -> Project:
    """Create a project. The slug must be free and well formed (lowercase letters,
    digits and dashes); the languages are BCP 47 codes (InputError naming the field)."""
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        raise InputError(
            f"{slug!r} is not a valid slug (lowercase letters, digits and dashes)", field="slug"
        )
    if db.session.scalar(select(Project.id).where(Project.slug == slug)) is not None:
        raise Conflict(f"a project with slug {slug!r} already exists", field="slug")
    original, codes = _checked_languages(original_language, languages)
    project = Project(
        slug=slug,
        name=_checked_name(name),
        description=(description or "").strip(),
        original_language=original,
        languages=codes,
    )
    db.session.add(project)
    db.session.flush()
    return project


def update_project(
    project: Project,
    *,
    name: str,
    description: str = "",
    original_language: str | None = None,
    languages: Iterable[str] = (),
) -> Project:
    """Change a project's name, description and languages (the slug stays: links keep
    working). Team members of a language the project no longer has keep their role."""
    original, codes = _checked_languages(original_language, languages)
    project.name = _checked_name(name)
    project.description = (description or "").strip()
    project.original_language = original
    project.languages = codes  # a new list: the JSON column sees the change
    db.session.flush()
    return project


def delete_project(project: Project) -> None:
    """Delete a project that holds no document (Conflict otherwise). Its documents in
    the trash leave it first (restored, they belong to no project); its team goes."""
    count = document_counts([project.id]).get(project.id, 0)
    if count:
        raise Conflict(
            f"the project {project.slug!r} still holds {count} document(s): "
            "move them out of it first",
            field="project",
        )
    db.session.execute(
        update(Document)
        .where(Document.project_id == project.id)
        .values(project_id=None)
        .execution_options(**{INCLUDE_DELETED: True})
    )
    db.session.delete(project)
    db.session.flush()


def list_project_members(project: Project) -> list[ProjectMember]:
    """The project's team, by user then language."""
    return list_scope_members(ProjectScope(project))


def set_project_member(
    project: Project, user: User, language: str, role: MemberRole
) -> ProjectMember:
    """Give ``user`` ``role`` in the project's team, and so in each of its documents: a
    translator or reviewer in ``language`` (one of the project's languages; replacing
    their role there), a coordinator or reader over the whole project (``language`` is
    ignored; it replaces their other role of that kind).
    ``services.member_scopes.set_scope_member`` for a project."""
    return set_scope_member(ProjectScope(project), user, language, role)


def inherited_members(document: Document) -> list[ProjectMember]:
    """The team of the document's project, which are its members too (empty for a
    document of no project)."""
    return DocumentScope(document).inherited()


def remove_project_member(project: Project, member_id: int) -> None:
    """Take one role in the project's team away (NotFound if it is not the project's)."""
    remove_scope_member(ProjectScope(project), member_id)


def set_document_project(document: Document, project: Project | None) -> None:
    """Move ``document`` into ``project`` (out of any other: a document belongs to at
    most one), or out of its project with None. Its members keep their own roles; the
    team of the project it leaves no longer reaches it."""
    new_id = project.id if project is not None else None
    if document.project_id == new_id:
        return
    document.project_id = new_id
    document.updated_at = utcnow()
    db.session.flush()
    db.session.expire(document, ["project"])


def missing_languages(document: Document) -> list[str]:
    """The default languages of the document's project it has no edition in (not even
    one in the trash, which is restored rather than started again), in the project's
    order; empty for a document of no project."""
    project = document.project
    if project is None:
        return []
    have = {edition.language for edition in document.all_editions}
    return [code for code in project.all_languages if code not in have]


def start_missing_translations(document: Document) -> list[NewTranslation]:
    """Start a translation (``services.editions.start_translation``) from the original
    in each of ``missing_languages``; InputError if there is none to start."""
    languages = missing_languages(document)
    if not languages:
        raise InputError("the document has an edition in every language of its project")
    started = [start_translation(document, language) for language in languages]
    db.session.expire(document, ["all_editions"])
    return started
