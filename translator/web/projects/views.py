"""Projects: the list, a project's page, creating and changing one (global
coordinators), and its team (its coordinators too), whose roles its documents inherit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from translator.errors import TranslatorError
from translator.extensions import db
from translator.i18n import _, _l, get_locale
from translator.services.document_list import DocumentFilters, document_page
from translator.services.languages import language_name
from translator.services.member_scopes import ProjectScope
from translator.services.progress import edition_progress
from translator.services.projects import (
    create_project,
    delete_project,
    document_counts,
    get_project,
    list_project_members,
    list_projects,
    parse_languages,
    update_project,
)
from translator.services.rights import Right, Target
from translator.web.membership import (
    MembersPage,
    MembersTexts,
    members_view,
    remove_view,
    role_label,
    suggest_view,
)
from translator.web.projects.forms import ProjectForm, TeamForm
from translator.web.rights import requires

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.route("/")
@requires(Right.SIGNED_IN)
def index() -> Any:
    """The projects the user may see, with how many documents each holds."""
    projects = list_projects(visible_to=current_user)
    counts = document_counts(p.id for p in projects)
    return render_template("projects/index.html", projects=projects, counts=counts)


def _form_error(form: ProjectForm, exc: TranslatorError) -> None:
    """Show a service's refusal under the field it names (slug, name, languages...)."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.name.errors).append(exc.message)


@bp.route("/new", methods=["GET", "POST"])
@requires(Right.MANAGE_PROJECTS)
def new() -> Any:
    """Create a project."""
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            project = create_project(
                form.slug.data,
                form.name.data,
                description=form.description.data or "",
                original_language=form.original.data or None,
                languages=parse_languages(form.languages.data or ""),
            )
        except TranslatorError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Project created."), "success")
            return redirect(url_for("projects.show", project_slug=project.slug))
    status = 400 if form.errors else 200
    return render_template("projects/edit.html", form=form, project=None), status


@bp.route("/<project_slug>")
@requires(Right.VIEW_PROJECT)
def show(project_slug: str) -> Any:
    """The project's documents (those the user may see, a page at a time) with their
    editions' progress, and its team."""
    project = get_project(project_slug)
    page = request.args.get("page", 1, type=int)
    listed = document_page(current_user, DocumentFilters(project=project.id), page=page)
    if page < 1 or page > listed.pages:
        abort(404)
    return render_template(
        "projects/show.html",
        project=project,
        listed=listed,
        progress=edition_progress([d.id for d in listed.documents]),
        members=list_project_members(project),
        role_label=role_label,
        translated_into=", ".join(
            language_name(code, str(get_locale())) for code in project.languages
        ),
    )


@bp.route("/<project_slug>/edit", methods=["GET", "POST"])
@requires(Right.MANAGE_PROJECTS)
def edit(project_slug: str) -> Any:
    """Change the project's name, description and languages."""
    project = get_project(project_slug)
    # The languages as typed text (the project holds a list), whether posted or not.
    form = ProjectForm(
        name=project.name,
        description=project.description,
        original=project.original_language or "",
        languages=", ".join(project.languages),
    )
    form.slug.data = project.slug  # shown, not changed
    if form.validate_on_submit():
        try:
            update_project(
                project,
                name=form.name.data,
                description=form.description.data or "",
                original_language=form.original.data or None,
                languages=parse_languages(form.languages.data or ""),
            )
        except TranslatorError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("projects.show", project_slug=project.slug))
    status = 400 if form.errors else 200
    return render_template(
        "projects/edit.html", form=form, project=project, delete_form=FlaskForm()
    ), status


@bp.route("/<project_slug>/delete", methods=["POST"])
@requires(Right.MANAGE_PROJECTS)
def delete(project_slug: str) -> Any:
    """Delete the project once no document is left in it."""
    project = get_project(project_slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        delete_project(project)
    except TranslatorError:
        db.session.rollback()
        flash(_("Move its documents out of the project before deleting it."), "error")
        return redirect(url_for("projects.edit", project_slug=project_slug))
    db.session.commit()
    flash(_("Project deleted."), "success")
    return redirect(url_for("projects.index"))


TEAM_TEXTS = MembersTexts(
    title=_l("Team"),
    heading=_l("Team"),
    hint=_l(
        "Every document of the project has its team as members, with the same roles, on "
        "top of its own members: translators and reviewers edit their language of every "
        "document; coordinators manage every document; readers read them all."
    ),
    column=_l("Language"),
    whole=_l("The whole project"),
    empty=_l("Nobody is in the team yet."),
    legend=_l("Add to the team"),
    back=_l("Back to the project"),
)


def _team_page(project_slug: str) -> MembersPage:
    project = get_project(project_slug)
    return MembersPage(
        scope=ProjectScope(project),
        name=project.name,
        url_args={"project_slug": project.slug},
        endpoint="projects.team",
        suggest_endpoint="projects.suggest",
        remove_endpoint="projects.remove",
        back_endpoint="projects.show",
        manage_right=Right.MANAGE_PROJECT_TEAM,
        target=Target(project_id=project.id),
        form_class=TeamForm,
        texts=TEAM_TEXTS,
    )


@bp.route("/<project_slug>/team", methods=["GET", "POST"])
@requires(Right.MANAGE_PROJECT_TEAM, read=Right.VIEW_PROJECT)
def team(project_slug: str) -> Any:
    """The project's team; its coordinators (and global ones) add, invite and remove
    people."""
    return members_view(_team_page(project_slug))


@bp.route("/<project_slug>/team/suggest", methods=["GET"])
@requires(Right.MANAGE_PROJECT_TEAM)
def suggest(project_slug: str) -> Any:
    """Up to 10 active users whose name or e-mail contains ``q`` (JSON)."""
    return suggest_view()


@bp.route("/<project_slug>/team/<int:member_id>/remove", methods=["POST"])
@requires(Right.MANAGE_PROJECT_TEAM)
def remove(project_slug: str, member_id: int) -> Any:
    """Take one role in the team away."""
    return remove_view(_team_page(project_slug), member_id)
