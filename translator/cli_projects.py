"""``translator project``: create projects, put documents in them, give their team
roles, start the translations their languages call for. Each command commits once; an
error exits with status 1 and says what was wrong."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup, with_appcontext

from translator.cli_common import echo_json, fail
from translator.cli_members import member_command
from translator.errors import InputError, TranslatorError
from translator.extensions import db
from translator.models import Project, ProjectMember, User
from translator.services.documents import get_document
from translator.services.member_scopes import ProjectScope, Scope
from translator.services.projects import (
    create_project,
    delete_project,
    document_counts,
    get_project,
    list_project_members,
    list_projects,
    parse_languages,
    set_document_project,
    start_missing_translations,
    update_project,
)


def _project_data(project: Project, documents: int) -> dict[str, Any]:
    return {
        "project": project.slug,
        "name": project.name,
        "description": project.description,
        "original": project.original_language,
        "languages": project.languages,
        "documents": documents,
        "team": [
            {"user": m.user.email, "language": m.language or None, "role": str(m.role)}
            for m in list_project_members(project)
        ],
    }


@click.group("project", cls=AppGroup, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
@with_appcontext
def project_group(ctx: click.Context, as_json: bool) -> None:
    """List the projects, or create and change them (see the subcommands)."""
    if ctx.invoked_subcommand is not None:
        return
    projects = list_projects()
    counts = document_counts(p.id for p in projects)
    if as_json:
        echo_json([_project_data(p, counts.get(p.id, 0)) for p in projects])
        return
    if not projects:
        click.echo("no project yet")
    for p in projects:
        languages = ",".join(p.all_languages) or "-"
        click.echo(f"{p.slug:<30} {p.name}  [{languages}]  {counts.get(p.id, 0)} document(s)")


@project_group.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The project's name.")
@click.option("--original", default="", help="The language its documents are written in.")
@click.option("--languages", default="", help="Default languages, comma-separated: fr,pt.")
@click.option("--description", default="", help="What the project is.")
@click.option("--json", "as_json", is_flag=True, help="Print the project as JSON.")
def create_command(
    slug: str, name: str, original: str, languages: str, description: str, as_json: bool
) -> None:
    """Create project SLUG."""
    try:
        project = create_project(
            slug,
            name,
            description=description,
            original_language=original or None,
            languages=parse_languages(languages),
        )
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    if as_json:
        echo_json(_project_data(project, 0))
    else:
        click.echo(f"created project {project.slug} [{','.join(project.all_languages) or '-'}]")


@project_group.command("edit")
@click.argument("slug")
@click.option("--name", default=None, help="A new name.")
@click.option("--original", default=None, help="A new original language ('' for none).")
@click.option("--languages", default=None, help="New default languages, comma-separated.")
@click.option("--description", default=None, help="A new description.")
def edit_command(
    slug: str,
    name: str | None,
    original: str | None,
    languages: str | None,
    description: str | None,
) -> None:
    """Change project SLUG's name, description or languages (what is not given stays)."""
    try:
        project = get_project(slug)
        update_project(
            project,
            name=project.name if name is None else name,
            description=project.description if description is None else description,
            original_language=project.original_language if original is None else original,
            languages=project.languages if languages is None else parse_languages(languages),
        )
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"project {project.slug}: {project.name} [{','.join(project.all_languages)}]")


@project_group.command("add")
@click.argument("slug")
@click.argument("documents", nargs=-1, required=True)
def add_command(slug: str, documents: tuple[str, ...]) -> None:
    """Move DOCUMENTS (slugs) into project SLUG (out of any other project)."""
    try:
        project = get_project(slug)
        for document_slug in documents:
            set_document_project(get_document(document_slug), project)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"project {project.slug} now holds: {', '.join(documents)}")


@project_group.command("remove")
@click.argument("slug")
@click.argument("documents", nargs=-1, required=True)
def remove_command(slug: str, documents: tuple[str, ...]) -> None:
    """Take DOCUMENTS (slugs) out of project SLUG."""
    try:
        project = get_project(slug)
        for document_slug in documents:
            document = get_document(document_slug)
            if document.project_id != project.id:
                raise InputError(f"{document_slug} is not in the project {slug}")
            set_document_project(document, None)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"taken out of project {project.slug}: {', '.join(documents)}")


def _team_roles(scope: Scope[Any], user: User, mine: list[ProjectMember]) -> str:
    roles = [f"{m.role} {m.language}".strip() for m in mine]
    return f"{user.email} in project {scope.owner.slug}: {', '.join(roles) or 'no role'}"


project_group.add_command(
    member_command(
        "project",
        lambda slug: ProjectScope(get_project(slug)),
        _team_roles,
        help="Give user EMAIL a role in project SLUG's team, and so in each of its "
        "documents: translator (or --reviewer) of LANGUAGES (comma-separated), or "
        "--coordinator / --reader of the whole project.",
    )
)


@project_group.command("translate")
@click.argument("document")
@click.option("--json", "as_json", is_flag=True, help="Print what was started as JSON.")
def translate_command(document: str, as_json: bool) -> None:
    """Start the translations of DOCUMENT in each default language of its project it
    has no edition in yet (empty editions following its original)."""
    try:
        started = start_missing_translations(get_document(document))
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    if as_json:
        echo_json([s.to_dict() for s in started])
        return
    for s in started:
        click.echo(f"started {s.edition.language} from {s.original}: {s.words_to_translate} words")


@project_group.command("delete")
@click.argument("slug")
def delete_command(slug: str) -> None:
    """Delete project SLUG, once no document is left in it."""
    try:
        delete_project(get_project(slug))
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"deleted project {slug}")
