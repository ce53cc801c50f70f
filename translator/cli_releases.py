"""``translator publish``: record a release of a document once its chosen editions are
ready, and ``translator releases``: list them. A boundary: it commits once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from translator.cli_common import echo_json
from translator.errors import TranslatorError
from translator.extensions import db
from translator.services.documents import get_document
from translator.services.releases import (
    NotReady,
    list_releases,
    publish_document,
    readiness_report,
    release_report,
)
from translator.services.users import find_user, get_user_names

NOT_READY = 3  # exit status when an edition is not ready (1: any other error)


@click.command("publish")
@click.argument("slug")
@click.option("--langs", required=True, help="The editions to publish, e.g. en,fr,pt.")
@click.option(
    "--override",
    "override_reason",
    default=None,
    metavar="REASON",
    help="Publish although an edition is not ready; the reason is recorded and logged.",
)
@click.option("--note", default="", help="A note kept with the release.")
@click.option("--by", "by_email", default=None, metavar="EMAIL", help="Who publishes.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@with_appcontext
def publish_command(
    slug: str,
    langs: str,
    override_reason: str | None,
    note: str,
    by_email: str | None,
    as_json: bool,
) -> None:
    """Publish document SLUG: a frozen release of the editions --langs, made only when
    every one is ready (reviewed, nothing outdated or waiting for an alignment). Exits
    with status 3 and says what holds each edition back when one is not."""
    languages = [language.strip() for language in langs.split(",") if language.strip()]
    try:
        document = get_document(slug)
        user = None
        if by_email:
            user = find_user(by_email)
            if user is None:
                raise click.ClickException(f"no account with the e-mail {by_email!r}")
        release = publish_document(document, languages, user, override_reason, note=note)
        report = release_report(release)
        db.session.commit()
    except NotReady as exc:
        db.session.rollback()
        editions = [e for e in readiness_report(document, languages) if not e["ready"]]
        if as_json:
            echo_json({"document": slug, "published": False, "editions": editions})
        else:
            click.echo(f"{slug}: not published, not every edition is ready", err=True)
            for edition in editions:
                reasons = ", ".join(f"{b['segments']} {b['reason']}" for b in edition["blockers"])
                click.echo(f"  {edition['language']}: {reasons}", err=True)
            click.echo("(--override REASON publishes anyway)", err=True)
        raise SystemExit(NOT_READY) from exc
    except TranslatorError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json({"document": slug, "published": True, "release": report})
        return
    click.echo(
        f"{slug}: release {report['version']} of "
        + ", ".join(e["language"] for e in report["editions"])
        + (f" (override: {report['override_reason']})" if report["override_reason"] else "")
    )


@click.command("releases")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@with_appcontext
def releases_command(slug: str, as_json: bool) -> None:
    """The releases of document SLUG, newest first."""
    try:
        document = get_document(slug)
    except TranslatorError as exc:
        raise click.ClickException(str(exc)) from exc
    releases = list_releases(document)
    names = get_user_names({r.created_by for r in releases if r.created_by})
    reports = [release_report(r, names) for r in releases]
    if as_json:
        echo_json({"document": slug, "releases": reports})
        return
    for report in reports:
        languages = ",".join(e["language"] for e in report["editions"])
        by = report["created_by"] or "-"
        click.echo(f"{report['version']}\t{report['created_at']}\t{languages}\t{by}")
