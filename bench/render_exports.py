"""Pictures of what the exports look like, for people to judge (committed under
docs/exports/): the web page, the PDF and the parallel PDF of the sample essay and of
the Universal Declaration in English, French and Portuguese. Web pages are shot with
Debian's Chromium (Playwright, never `playwright install`); PDF pages with pdftoppm.

    python bench/render_exports.py [--out docs/exports]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.formats.publications import essay, udhr, udhr_parallel  # noqa: E402
from translator.formats.exports import ExportOptions, export_format  # noqa: E402
from translator.text.typography import typeset  # noqa: E402


def typeset_publication(publication):  # type: ignore[no-untyped-def]
    """The publication with its language's typography, as the export service does."""
    import dataclasses

    language = publication.info.language
    passages = tuple(
        dataclasses.replace(p, sentences=tuple(typeset(s, language) for s in p.sentences))
        for p in publication.passages
    )
    return dataclasses.replace(publication, passages=passages)


def shoot_html(html: Path, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1000, "height": 1300})
        page.goto(html.as_uri())
        page.screenshot(path=str(png))
        browser.close()


def pdf_pages(pdf: Path, stem: Path, pages: int) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(pages), str(pdf), str(stem)],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "exports")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="render-exports-"))
    options = ExportOptions()
    editions = {"essay-en": essay(), **{f"udhr-{lang}": udhr(lang) for lang in ("en", "fr", "pt")}}
    for name, publication in editions.items():
        publication = typeset_publication(publication)
        html = work / f"{name}.html"
        html.write_bytes(export_format("html").write(publication, options))
        shoot_html(html, out / f"{name}.html.png")
        pdf = work / f"{name}.pdf"
        pdf.write_bytes(export_format("pdf").write(publication, options))
        pdf_pages(pdf, out / f"{name}.pdf", 2)
    parallel = work / "udhr-parallel.pdf"
    parallel.write_bytes(export_format("parallel-pdf").write(udhr_parallel(), options))
    pdf_pages(parallel, out / "udhr-en-fr-pt.parallel.pdf", 2)
    for png in sorted(out.glob("*.png")):
        print(png.relative_to(ROOT))


if __name__ == "__main__":
    main()
