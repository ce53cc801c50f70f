"""Projects through the API (docs/api.md): the list the caller may see, creating,
reading, changing and deleting one (global coordinators; a project is deleted only
once no document is left in it, as on its page), and its team (its coordinators too).
Every change goes through ``services.projects``."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_login import current_user

from translator.errors import InputError
from translator.extensions import db
from translator.models import LANGUAGE_ROLES, MemberRole, Project, ProjectMember
from translator.services.document_list import DocumentFilters, document_page
from translator.services.projects import (
    create_project,
    delete_project,
    document_counts,
    get_project,
    list_project_members,
    list_projects,
    remove_project_member,
    set_project_member,
    update_project,
)
from translator.services.rights import Right
from translator.web.api import coordination_shapes
from translator.web.api.assignments import person
from translator.web.api.inputs import ProjectBody, ProjectPatch, ProjectQuery, TeamBody
from translator.web.api.schemas import timestamp, user_ref
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires

TAG = "projects"
NOT_EMPTY = {409: "Documents are still in the project: move them out of it first."}


def _summary(project: Project, documents: int) -> coordination_shapes.ProjectSummary:
    return {
        "slug": project.slug,
        "name": project.name,
        "description": project.description,
        "original": project.original_language,
        "languages": list(project.languages),
        "documents": documents,
        "url": url_for("api.project", project_slug=project.slug),
    }


def _member(member: ProjectMember) -> coordination_shapes.TeamMember:
    user = user_ref(member.user)
    assert user is not None  # a membership always has its user
    return {
        "id": member.id,
        "user": user,
        "email": member.user.email,
        "role": MemberRole(member.role),
        "language": member.language or None,
    }


def _team(project: Project) -> coordination_shapes.Team:
    return {"project": project.slug, "members": [_member(m) for m in list_project_members(project)]}


def _info(project: Project, page: int = 1) -> coordination_shapes.ProjectInfo:
    listed = document_page(current_user, DocumentFilters(project=project.id), page=page)
    documents: list[coordination_shapes.ProjectDocument] = [
        {
            "slug": d.slug,
            "title": d.title,
            "original": d.original.language if d.original else None,
            "languages": [e.language for e in d.editions],
            "url": url_for("api.document", slug=d.slug),
        }
        for d in listed.documents
    ]
    created, updated = timestamp(project.created_at), timestamp(project.updated_at)
    assert created is not None and updated is not None
    return {
        **_summary(project, document_counts([project.id]).get(project.id, 0)),
        "created_at": created,
        "updated_at": updated,
        "page": page,
        "pages": listed.pages,
        "visible_documents": listed.total,
        "document_list": documents,
        "team": [_member(m) for m in list_project_members(project)],
    }


@bp.get("/projects")
@requires(Right.SIGNED_IN)
@operation("The projects the user may see", tag=TAG, answer=coordination_shapes.ProjectList)
def projects() -> Any:
    """By name: those whose team the user is in, or one of whose documents they are a
    member of (every one for global coordinators and administrators)."""
    found = list_projects(visible_to=current_user)
    counts = document_counts(p.id for p in found)
    answer: coordination_shapes.ProjectList = {
        "projects": [_summary(p, counts.get(p.id, 0)) for p in found]
    }
    return jsonify(answer)


@bp.post("/projects")
@requires(Right.MANAGE_PROJECTS)
@operation(
    "Create a project",
    tag=TAG,
    body=ProjectBody,
    status=201,
    answer=coordination_shapes.ProjectInfo,
    errors={409: "A project with this slug already exists."},
)
def create_project_api(body: ProjectBody) -> Any:
    """Global coordinators and administrators. The languages are BCP 47 codes; the
    original is left out of the default languages, repeats are dropped."""
    made = create_project(
        body.slug,
        body.name,
        description=body.description,
        original_language=body.original,
        languages=body.languages,
    )
    answer = _info(made)
    db.session.commit()
    return jsonify(answer), 201


@bp.get("/projects/<project_slug>")
@requires(Right.VIEW_PROJECT)
@operation(
    "A project: its languages, a page of its documents and its team",
    tag=TAG,
    query=ProjectQuery,
    answer=coordination_shapes.ProjectInfo,
)
def project(project_slug: str, query: ProjectQuery) -> Any:
    """``document_list`` holds the documents of the project the user may see, 50 a
    page, most recently changed first; a page past the last one is empty."""
    return jsonify(_info(get_project(project_slug), query.page))


@bp.patch("/projects/<project_slug>")
@requires(Right.MANAGE_PROJECTS)
@operation("Change a project", tag=TAG, body=ProjectPatch, answer=coordination_shapes.ProjectInfo)
def update_project_api(project_slug: str, body: ProjectPatch) -> Any:
    """Name, description, original and default languages; only the fields sent change
    (``original: null`` removes it). Team members of a language the project no longer
    has keep their role."""
    found = get_project(project_slug)
    sent = body.model_fields_set
    update_project(
        found,
        name=body.name if body.name is not None else found.name,
        description=body.description if body.description is not None else found.description,
        original_language=body.original if "original" in sent else found.original_language,
        languages=body.languages if body.languages is not None else found.languages,
    )
    answer = _info(found)
    db.session.commit()
    return jsonify(answer)


@bp.delete("/projects/<project_slug>")
@requires(Right.MANAGE_PROJECTS)
@operation(
    "Delete an empty project", tag=TAG, answer=coordination_shapes.ProjectDeleted, errors=NOT_EMPTY
)
def delete_project_api(project_slug: str) -> Any:
    """Refused (409) while a document is in it, as on its page; its documents in the
    trash leave it (restored, they belong to no project) and its team goes."""
    delete_project(get_project(project_slug))
    db.session.commit()
    answer: coordination_shapes.ProjectDeleted = {"project": project_slug, "deleted": True}
    return jsonify(answer)


@bp.get("/projects/<project_slug>/team")
@requires(Right.VIEW_PROJECT)
@operation("A project's team", tag=TAG, answer=coordination_shapes.Team)
def project_team(project_slug: str) -> Any:
    """Each role: its people are members of every document of the project with it."""
    return jsonify(_team(get_project(project_slug)))


@bp.post("/projects/<project_slug>/team")
@requires(Right.MANAGE_PROJECT_TEAM)
@operation(
    "Give a person a role in the team",
    tag=TAG,
    body=TeamBody,
    answer=coordination_shapes.TeamMember,
)
def set_team_member(project_slug: str, body: TeamBody) -> Any:
    """A translator or reviewer of ``language`` (one of the project's; replacing their
    role there), or a coordinator or reader of the whole project (replacing their other
    role of that kind). The project's coordinators and global coordinators."""
    found = get_project(project_slug)
    role = MemberRole(body.role)
    if role in LANGUAGE_ROLES and not body.language:
        raise InputError(f"a {role} needs the language they work on", field="language")
    member = set_project_member(found, person(body.person, "person"), body.language or "", role)
    answer = _member(member)
    db.session.commit()
    return jsonify(answer)


@bp.delete("/projects/<project_slug>/team/<int:member_id>")
@requires(Right.MANAGE_PROJECT_TEAM)
@operation("Take a role in the team away", tag=TAG, answer=coordination_shapes.Team)
def remove_team_member(project_slug: str, member_id: int) -> Any:
    """``member_id`` is a team member's ``id``; the answer is the team left."""
    found = get_project(project_slug)
    remove_project_member(found, member_id)
    answer = _team(found)
    db.session.commit()
    return jsonify(answer)
