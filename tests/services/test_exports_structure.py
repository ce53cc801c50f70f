"""The sample essay, imported as a user imports it and exported through the export
service, keeps its structure in every publishable format: its 5 section headings, every
paragraph and its footnote calls, counted by reading each file back."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from lxml import html as lxml_html

from tests.conftest import SHARED
from translator.formats.base import BlockRole
from translator.models import ExportArtifact, Job, JobState
from translator.services.documents import get_document
from translator.services.exports import artifact_path, check_export, request_export
from translator.services.jobs import run_job_here
from translator.services.publication import build_publication

ESSAY = SHARED / "samples" / "bolshevik-counterrevolution.en.pdf.txt"
SECTIONS = [
    "A Predictable Disaster",
    "Lenin: From German Agent to Butcher of the Working Class",
    "A Revolution Derailed",
    "The USSR: Force for Global Counterrevolution and Accomplice of Fascism",
    "The Relevance Today of the Communist Counterrevolution",
]


@pytest.fixture
def essay(import_text: Any, db: Any) -> Any:
    import_text(ESSAY.read_bytes(), "en", filename=ESSAY.name, fmt="pdftext", title="Essay")
    return get_document("essay")


def _exported(db: Any, document: Any, fmt: str) -> bytes:
    job = request_export(document, check_export(document, fmt, ["en"]), user_id=None)
    db.session.commit()
    job_id = job.id
    run_job_here(job)
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == JobState.SUCCEEDED, job.message
    return artifact_path(db.session.get(ExportArtifact, job.result["artifact"])).read_bytes()


def _paragraphs(document: Any) -> int:
    passages = build_publication(document, "en").passages
    return sum(p.role is BlockRole.PARAGRAPH for p in passages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_html_keeps_headings_paragraphs_and_calls(essay: Any, db: Any) -> None:
    page = lxml_html.fromstring(_exported(db, essay, "html"))
    headings = [_squash(h.text_content()) for h in page.iter("h2")]
    assert headings == SECTIONS
    paragraphs = page.xpath("//main//p | //article//p")
    assert len(paragraphs) >= _paragraphs(essay)
    text = _squash(page.text_content())
    assert "POUM.2" in text or "POUM2" in text
    assert "Catalan.[1]" in text or "Catalan.1" in text


def test_epub_keeps_headings_paragraphs_and_calls(essay: Any, db: Any) -> None:
    book = zipfile.ZipFile(io.BytesIO(_exported(db, essay, "epub")))
    headings: list[str] = []
    paragraphs = 0
    text = ""
    for name in sorted(book.namelist()):
        if not name.endswith(".xhtml") or name.endswith("nav.xhtml"):
            continue
        page = lxml_html.fromstring(book.read(name))
        headings += [_squash(h.text_content()) for h in page.iter("h2")]
        paragraphs += len(page.xpath("//p"))
        text += _squash(page.text_content()) + " "
    assert headings == SECTIONS
    assert paragraphs >= _paragraphs(essay)
    assert "POUM.2" in text and "[1]" in text


def test_docx_keeps_headings_paragraphs_and_calls(essay: Any, db: Any) -> None:
    import docx

    document = docx.Document(io.BytesIO(_exported(db, essay, "docx")))
    headings = [_squash(p.text) for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == SECTIONS
    body = [p for p in document.paragraphs if p.style.name in ("Normal", "Body Text")]
    assert len(body) >= _paragraphs(essay)
    text = " ".join(p.text for p in document.paragraphs)
    assert "POUM.2" in text and "[1]" in text
