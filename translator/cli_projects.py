"""``translator project``: create projects, put documents in them, give their team
roles, start the translations their languages call for. Each command commits once; an
error exits with status 1 and says what was wrong."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup, with_appcontext

from translator.cli_common import echo_json, fail
from translator.errors import InputError, NotFound, TranslatorError
from translator.extensions import db
from translator.models import WHOLE_DOCUMENT, MemberRole, Project
from translator.services.documents import get_document
from translator.services.projects import (
    create_project,
    delete_project,
    document_counts,
    get_project,
    list_project_members,
    list_projects,
    parse_languages,
    remove_project_member,
    set_document_project,
    set_project_member,
    start_missing_translations,
    update_project,
)
from translator.services.users import find_user


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


@project_group.command("member")
@click.argument("slug")
@click.argument("email")
@click.argument("languages", required=False, default="")
@click.option("--reviewer", is_flag=True, help="Confirmations mark segments reviewed.")
@click.option("--coordinator", is_flag=True, help="Coordinator of the whole project.")
@click.option("--reader", is_flag=True, help="Reader of the whole project.")
@click.option("--remove", is_flag=True, help="Take the languages (or the role) away instead.")
def member_command(
    slug: str,
    email: str,
    languages: str,
    reviewer: bool,
    coordinator: bool,
    reader: bool,
    remove: bool,
) -> None:
    """Give user EMAIL a role in project SLUG's team, and so in each of its documents:
    translator (or --reviewer) of LANGUAGES (comma-separated), or --coordinator /
    --reader of the whole project."""
    try:
        project = get_project(slug)
        user = find_user(email)
        if user is None:
            raise NotFound(f"no user with e-mail {email}", field="email")
        whole = MemberRole.COORDINATOR if coordinator else MemberRole.READER if reader else None
        codes = [WHOLE_DOCUMENT] if whole is not None else parse_languages(languages)
        if not codes:
            raise InputError("name the LANGUAGES, or give --coordinator or --reader")
        mine = {m.language: m for m in list_project_members(project) if m.user_id == user.id}
        for code in codes:
            if remove:
                if code in mine:
                    remove_project_member(project, mine[code].id)
            else:
                role = whole or (MemberRole.REVIEWER if reviewer else MemberRole.TRANSLATOR)
                set_project_member(project, user, code, role)
    except TranslatorError as exc:
        fail(exc)
    db.session.commit()
    roles = [
        f"{m.role} {m.language}".strip()
        for m in list_project_members(project)
        if m.user_id == user.id
    ]
    click.echo(f"{user.email} in project {project.slug}: {', '.join(roles) or 'no role'}")


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
