"""The DOCX files open in LibreOffice: converted to PDF by `soffice --headless`, they
show their headings, their text and their footnotes at the foot of the page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.formats.export_tools import need
from tests.formats.publications import essay, noted, udhr_parallel
from translator.formats.exports import ExportOptions, export_format

OPTIONS = ExportOptions()


@pytest.mark.slow
def test_libreoffice_opens_every_docx(tmp_path: Path) -> None:
    soffice = need("soffice")
    pdftotext = need("pdftotext")
    files = {
        "noted": export_format("docx").write(noted(), OPTIONS),
        "essay": export_format("docx").write(essay(), OPTIONS),
        "parallel": export_format("parallel-docx").write(udhr_parallel(), OPTIONS),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    text = {
        name: subprocess.run(
            [pdftotext, "-layout", str(tmp_path / f"{name}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for name in files
    }
    assert "First part" in text["noted"] and "Second part" in text["noted"]
    assert "The first footnote, with a link." in text["noted"]
    assert "The second footnote." in text["noted"]
    assert "It goes on & on with <care>." in text["noted"]
    for heading in ("A Predictable Disaster", "A Revolution Derailed"):
        assert heading in text["essay"]
    assert "POUM.2" in text["essay"]
    assert "Article premier" in text["parallel"] and "Artigo 1" in text["parallel"]
