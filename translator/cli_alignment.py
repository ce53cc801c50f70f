"""``translator align``: the alignment job, waited for or not."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from translator.cli_common import echo_json, fail, wait_for_job
from translator.errors import TranslatorError, Unavailable
from translator.extensions import db
from translator.services.documents import get_document
from translator.services.jobs import (
    create_job,
    enqueue_job,
    run_job_here,
)


@click.command("align")
@click.argument("slug")
@click.option("--pivot", help="Edition every other one is aligned to (default: the most complete).")
@click.option("--langs", help="Comma-separated editions to align (default: all).")
@click.option(
    "--skip",
    help="Comma-separated editions to leave out: their cells stay beside the same pivot text.",
)
@click.option("--force", is_flag=True, help="Replace manual fixes made since the last alignment.")
@click.option("--wait", is_flag=True, help="Wait for a worker to finish the job.")
@click.option("--local", is_flag=True, help="Run the job in this process (no worker needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the job's result as JSON.")
@with_appcontext
def align_command(
    slug: str,
    pivot: str | None,
    langs: str | None,
    skip: str | None,
    force: bool,
    wait: bool,
    local: bool,
    as_json: bool,
) -> None:
    """Align a document's editions into units, as a background job. Editions left out
    (--skip, or not in --langs), and any edition empty or nearly so, keep their cells
    beside the pivot text they sit beside."""
    try:
        document = get_document(slug)
    except TranslatorError as exc:
        fail(exc)
    languages = [lang.strip() for lang in langs.split(",") if lang.strip()] if langs else None
    if skip:
        skipped = {lang.strip() for lang in skip.split(",") if lang.strip()}
        unknown = sorted(skipped - {e.language for e in document.editions})
        if unknown:
            raise click.BadParameter(
                f"document {slug!r} has no {', '.join(unknown)} edition", param_hint="--skip"
            )
        languages = [
            lang for lang in (languages or [e.language for e in document.editions])
            if lang not in skipped
        ]  # fmt: skip
    params = {"pivot": pivot, "languages": languages, "force": force}
    job = create_job("align", params, document_id=document.id)
    db.session.commit()
    job_id = job.id
    if local:
        run_job_here(job)
    else:
        try:
            enqueue_job(job)  # on failure the job is failed, not left pending
        except Unavailable as exc:
            raise click.ClickException(f"alignment not started: {exc}") from exc
        if not wait:
            click.echo(json.dumps({"job": job_id}) if as_json else f"job {job_id} queued")
            return
    job = wait_for_job(job_id)
    if job.state != "succeeded":
        raise click.ClickException(f"alignment failed: {job.message}")
    result = dict(job.result or {})
    result.pop("document_id", None)
    if as_json:
        echo_json(result)
        return
    click.echo(
        f"aligned {result['document']} ({', '.join(result['languages'])}; "
        f"pivot {result['pivot']}): "
        f"{result['units']} units, mean confidence {result['mean_confidence']:.2f}, "
        f"{result['low_confidence']} below {result['threshold']}"
    )
    for pair, kinds in result["beads"].items():
        click.echo(f"  {pair}: " + ", ".join(f"{kind} ×{n}" for kind, n in kinds.items()))
    why = {"chosen": "left out", "empty": "empty", "near_empty": "nearly empty"}
    for lang, reason in result.get("left_out", {}).items():
        click.echo(
            f"  {lang}: not aligned ({why.get(reason, reason)}); "
            "its cells stayed beside the same pivot text"
        )
