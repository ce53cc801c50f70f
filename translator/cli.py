"""The ``translator`` command group. Every subcommand is a boundary: it commits once.

Commands are loaded when they run, not before: ``translator --help`` imports neither
Flask nor the app (it starts in a tenth of a second instead of more than one), and a
command imports only what it uses. ``COMMANDS`` names each command's module and its
one-line help (a test checks that line against the command's own docstring)."""

from __future__ import annotations

import importlib
from typing import Any

import click

# name → ("module:attribute", the short help shown by ``translator --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "activity": (
        "translator.cli_activity:activity_group",
        "The activity log's figures.",
    ),
    "add-edition": (
        "translator.cli_documents:add_edition_command",
        "Start a translation: an empty edition whose cells follow the original's units.",
    ),
    "align": (
        "translator.cli_alignment:align_command",
        "Align a document's editions into units, as a background job.",
    ),
    "align-files": (
        "translator.cli_align_files:align_files_command",
        "Align two files of one sentence per line and print the beads.",
    ),
    "assign": (
        "translator.cli_assignments:assign_command",
        "Give the LANG edition of document SLUG (or --units of it) to a person.",
    ),
    "backup": (
        "translator.cli_backup:backup_command",
        "Back up the whole service into FILE, one zip archive.",
    ),
    "create-user": (
        "translator.cli_admin:create_user_command",
        "Create a user account (the first one should be --admin).",
    ),
    "db": ("flask_migrate.cli:db", "Perform database migrations."),
    "delete": (
        "translator.cli_trash:delete_command",
        "Move document SLUG (or one of its editions) to the trash.",
    ),
    "documents": (
        "translator.cli_documents:documents_command",
        "List documents with per-edition progress.",
    ),
    "export": (
        "translator.cli_exports:export_command",
        "Export the document SLUG to a file, as a job.",
    ),
    "import": (
        "translator.cli_documents:import_command",
        "Import FILE as an edition: parse it, split it into sentences, store it.",
    ),
    "init": (
        "translator.cli_admin:init_command",
        "Create the database, or upgrade it to the latest schema.",
    ),
    "member": (
        "translator.cli_admin:member_command",
        "Let user EMAIL edit LANGUAGES (comma-separated) of document SLUG.",
    ),
    "progress": (
        "translator.cli_progress:progress_command",
        "Progress of document SLUG (default: every document).",
    ),
    "project": (
        "translator.cli_projects:project_group",
        "List the projects, or create and change them (see the subcommands).",
    ),
    "publish": (
        "translator.cli_releases:publish_command",
        "Publish document SLUG: a frozen release of the editions --langs, made only when "
        "every one is ready.",
    ),
    "releases": (
        "translator.cli_releases:releases_command",
        "The releases of document SLUG, newest first.",
    ),
    "restore": (
        "translator.cli_backup:restore_command",
        "Restore the whole service from FILE, made by `translator backup`.",
    ),
    "serve": (
        "translator.cli_serve:serve_command",
        "Serve the web app, with an embedded background worker.",
    ),
    "show": (
        "translator.cli_documents:show_command",
        "Show a document's units in order, one cell per edition.",
    ),
    "split": (
        "translator.cli_assignments:split_command",
        "Split the LANG edition of document SLUG among people by equal word counts.",
    ),
    "token": (
        "translator.cli_tokens:token_group",
        "Personal API tokens: create, list, revoke (docs/api.md).",
    ),
    "trash": (
        "translator.cli_trash:trash_group",
        "List what is in the trash (deleted documents and editions).",
    ),
    "worker": (
        "translator.cli_serve:worker_command",
        "Run a Celery worker (extra arguments go to `celery worker`).",
    ),
}


WEB_COMMANDS = frozenset({"serve"})  # the commands that serve pages; the others load no view
_WEB = "translator.web"  # in ctx.meta: whether the command that runs serves pages


def _create_app(web: bool = True) -> Any:
    from translator.app import create_app

    return create_app(web=web)


class LazyGroup(click.Group):
    """A group whose commands are imported when asked for, and which gives them the
    Flask ``ScriptInfo`` (how ``with_appcontext`` finds the app) only when one runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        ctx.meta[_WEB] = cmd_name in WEB_COMMANDS  # read when the app is made, after this
        module, attribute = COMMANDS[cmd_name][0].split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.obj is None:  # tests pass their own ScriptInfo
            from flask.cli import ScriptInfo

            meta = ctx.meta  # shared with the command's own context
            ctx.obj = ScriptInfo(create_app=lambda: _create_app(meta.get(_WEB, True)))
        return super().invoke(ctx)


@click.group(cls=LazyGroup)
@click.version_option(package_name="translator", message="translator %(version)s")
def cli() -> None:
    """translator: publish every text simultaneously in several languages."""


def main() -> None:
    cli(prog_name="translator")
