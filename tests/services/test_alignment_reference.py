"""The alignment job's result on real corpus samples, unit by unit, against a reference
written by the code path of commit 9668bd7 (before the job was made faster): the units
(which text of each edition, their role and paragraph) and their confidences must stay
exactly the same, whatever is done for speed.

The samples make every part of the job work: NTREX documents with merged, dropped and
added sentences (perturbed-en-fr, a heading per document: hard boundaries; paragraphs of
8 and 7 sentences: soft ones), Text+Berg DE-FR with paragraphs cut differently on each
side, and newstest2019 as one paragraph too big to be searched cell by cell (the coarse
to fine branch), with a stretch of French left out.

``TRANSLATOR_WRITE_ALIGNMENT_REFERENCE=1 pytest tests/services/test_alignment_reference.py``
writes the reference again (only when the result is meant to change, and say so)."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import SHARED
from translator.extensions import db
from translator.models import Document, Segment, Unit
from translator.services.alignment import align_document

CORPUS = SHARED / "corpus"
REFERENCE = Path(__file__).with_name("alignment_reference")
WRITE = os.environ.get("TRANSLATOR_WRITE_ALIGNMENT_REFERENCE") == "1"
NTREX_DOCUMENTS = 40


def _read(path: Path) -> list[str]:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def _paragraphs(lines: list[str], sizes: list[int]) -> list[str]:
    """Lines joined into paragraphs of ``sizes`` lines (the last size repeats)."""
    out, k = [], 0
    while k < len(lines):
        size = sizes[min(len(out), len(sizes) - 1)]
        out.append(" ".join(line for line in lines[k : k + size] if line))
        k += size
    return [p for p in out if p]


def _ntrex() -> tuple[str, str, str]:
    folder = CORPUS / "ntrex-en-fr-pt" / "perturbed-en-fr"
    names = sorted({p.stem for p in folder.glob("*.gold")})[:NTREX_DOCUMENTS]
    en, fr = [], []
    for number, name in enumerate(names, start=1):
        en += [f"# Article {number}", *_paragraphs(_read(folder / f"{name}.en"), [8])]
        fr += [f"# Article {number}", *_paragraphs(_read(folder / f"{name}.fr"), [7])]
    return "ntrex", "\n\n".join(en) + "\n", "\n\n".join(fr) + "\n"


def _textberg() -> tuple[str, str, str]:
    folder = CORPUS / "textberg-de-fr" / "test"
    de, fr = [], []
    for name in ("test0", "test1", "test2"):
        for lines, out, seed in (
            (_read(folder / f"{name}.de"), de, 1),
            (_read(folder / f"{name}.fr"), fr, 2),
        ):
            sizes = [random.Random(seed * 1000 + k).randint(3, 10) for k in range(400)]
            out += _paragraphs(lines, sizes)
    return "textberg", "\n\n".join(de) + "\n", "\n\n".join(fr) + "\n"


def _one_block() -> tuple[str, str, str]:
    folder = CORPUS / "ntrex-en-fr-pt"
    en = _read(folder / "newstest2019.en")[1000:1520]
    fr = _read(folder / "newstest2019.fr")[1000:1520]
    del fr[200:230]  # a stretch the French edition lacks
    return "one-block", "\n".join(en) + "\n", "\n".join(fr) + "\n"


CASES = {
    "ntrex": (_ntrex, "en", "fr"),
    "textberg": (_textberg, "de", "fr"),
    "one-block": (_one_block, "en", "fr"),
}


def _units(document: Document) -> list[str]:
    """One line per unit, in order: its confidence, role, paragraph and a hash of the
    text of each edition's cell."""
    languages = {e.id: e.language for e in document.editions}
    rows = sa.select(
        Unit.id, Unit.confidence, Unit.role, Unit.paragraph_key, Segment.edition_id, Segment.text
    )
    rows = rows.join(Segment, Segment.unit_id == Unit.id).where(Unit.document_id == document.id)
    units: dict[int, tuple[str, list[str]]] = {}
    for r in db.session.execute(rows.order_by(Unit.order_key, Segment.edition_id)):
        head = f"{r.confidence!r} {r.role.value} {r.paragraph_key}"
        units.setdefault(r.id, (head, []))[1].append(f"{languages[r.edition_id]}\x1f{r.text}")
    return [
        f"{head} {hashlib.blake2b(chr(30).join(sorted(cells)).encode(), digest_size=8).hexdigest()}"
        for head, cells in units.values()
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_the_job_gives_the_reference_units_and_confidences(
    db: Any, import_text: Any, case: str
) -> None:
    build, src, tgt = CASES[case]
    _, src_text, tgt_text = build()
    fmt = "markdown" if case != "textberg" else "text"
    first = import_text(src_text, src, filename=f"{case}.{src}.md", fmt=fmt, title=case)
    import_text(tgt_text, tgt, filename=f"{case}.{tgt}.md", fmt=fmt, document=first.document)
    document = db.session.scalar(sa.select(Document).where(Document.slug == first.document))
    align_document(document, pivot=src)
    db.session.commit()
    got = _units(document)
    path = REFERENCE / f"{case}.txt"
    if WRITE:
        REFERENCE.mkdir(exist_ok=True)
        path.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = path.read_text(encoding="utf-8").splitlines()
    first_difference = next(
        (k for k, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), None
    )
    assert first_difference is None, (
        f"unit {first_difference}: {got[first_difference]} != {expected[first_difference]}"
    )
    assert len(got) == len(expected)
