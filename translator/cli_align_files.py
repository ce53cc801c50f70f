"""``translator align-files``: two files of sentences aligned, no database and no app
(so it starts as fast as the aligner itself)."""

from __future__ import annotations

from pathlib import Path

import click

from translator.errors import TranslatorError
from translator.services.languages import normalize_language
from translator.text.alignment import align_files, format_beads


@click.command("align-files")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("tgt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--src-lang", required=True, help="Language of SRC (BCP 47).")
@click.option("--tgt-lang", required=True, help="Language of TGT (BCP 47).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["beads", "scores"]),
    default="beads",
    show_default=True,
    help="beads: [i, ...]:[j, ...] per line; scores: with confidence.",
)
def align_files_command(src: Path, tgt: Path, src_lang: str, tgt_lang: str, fmt: str) -> None:
    """Align two files of one sentence per line and print the beads."""
    try:
        beads = align_files(
            src,
            tgt,
            normalize_language(src_lang, field="src-lang"),
            normalize_language(tgt_lang, field="tgt-lang"),
        )
    except TranslatorError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_beads(beads, scores=fmt == "scores"), nl=False)
