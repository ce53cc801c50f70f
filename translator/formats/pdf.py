"""PDF files: the text layer extracted with Poppler's ``pdftotext -raw``, then the
``pdftext`` reflow (paragraphs, notes, page furniture, ligatures, lists).

Why ``pdftotext`` (poppler-utils) rather than a Python library, and why ``-raw``:
measured on PDFs built from the corpus (docs/benchmarks.md, "PDF import",
``bench/pdf_extractors_bench.py``), ``-raw`` (the text in the order the PDF draws it)
gave the reflow the most paragraphs whole and in order, on one column and on two, as
fast as pypdfium2 and 20-30 times faster than pypdf and pdfminer.six. The default mode
(reading order guessed from the layout) read the right column of a two-column first
page before the left one and cut justified lines word by word; ``-layout`` interleaves
the columns line by line. ``-raw`` trusts the drawing order, which is the reading order
for what word processors, LaTeX, InDesign and browsers write. pdftotext runs in a
separate process, so a hostile PDF that crashes or hangs the parser takes down a
subprocess killed at its time, memory and output limits, never the worker. It ends
every page with a form feed, which the reflow reads as a page break.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from translator.errors import InputError
from translator.formats.base import ParsedText
from translator.formats.pdftext import parse_pdftext
from translator.formats.pdfwords import Word, line_layout, read_words

MAGIC = b"%PDF-"
TIMEOUT_SECONDS = 60.0  # the 352-page proof takes 0.3 s; a minute means a hostile file
MAX_TEXT_BYTES = 64 * 1024 * 1024  # 30x the 352-page proof's text
_MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the pdftotext process


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file: ``%PDF-``, after whitespace at most (a
    text that merely mentions the header further on stays text)."""
    return data[:1024].lstrip().startswith(MAGIC)


def parse_pdf(data: bytes, filename: str) -> ParsedText:
    """Import a PDF file: extract its text (pages separated by form feeds), then reflow
    it as ``parse_pdftext`` does. Raises ``InputError`` naming ``filename`` for a file
    that is not a PDF, an encrypted, damaged or text-less (scanned) PDF, or when
    pdftotext is missing, too slow or produces too much text."""
    if not is_pdf(data):
        raise InputError("this is not a PDF file (it does not start with %PDF-)", file=filename)
    if shutil.which("prlimit"):  # both readers at once: the import takes no longer
        with ThreadPoolExecutor(max_workers=1) as pool:
            boxes = pool.submit(extract_words, data, filename)
            text = extract_text(data, filename)
            words = boxes.result()
    else:  # preexec_fn limits: not from a thread
        text = extract_text(data, filename)
        words = extract_words(data, filename)
    if not text.replace("\f", "").strip():
        raise InputError(
            "the PDF has no text layer (a scanned document?): run OCR on it first",
            file=filename,
        )
    try:
        layout = line_layout(text, words)
        result = parse_pdftext(  # -raw writes no indentation; the boxes show it, and sizes
            text, flush_headings=True, line_sizes=layout.sizes, indented_lines=layout.indented
        )
    except InputError as exc:
        exc.file = exc.file or filename
        raise
    return dataclasses.replace(result, format="pdf")


def extract_text(data: bytes, filename: str) -> str:
    """The text of a PDF as ``pdftotext -raw -enc UTF-8`` writes it: pages in order,
    each ended by a form feed. The subprocess runs under a time limit, an address-space
    limit and an output-size limit (set by ``prlimit``); its failures become
    ``InputError`` naming ``filename``."""
    return _pdftotext(data, filename, [])


def extract_words(data: bytes, filename: str) -> list[Word]:
    """Every word's box, in the order of ``extract_text``'s text (``pdftotext -raw
    -bbox``); ``[]`` when they cannot be read: boxes are a help to find headings and
    paragraphs, never a reason to refuse a PDF whose text could be read."""
    try:
        return read_words(_pdftotext(data, filename, ["-bbox"]))
    except InputError:
        return []


def _pdftotext(data: bytes, filename: str, options: list[str]) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise InputError(
            "PDF files cannot be read here: pdftotext (poppler-utils) is not installed",
            file=filename,
        )
    with tempfile.TemporaryDirectory(prefix="translator-pdf-") as folder:
        path, out, err = (Path(folder) / name for name in ("input.pdf", "out.txt", "err.txt"))
        path.write_bytes(data)
        command = [tool, "-raw", *options, "-enc", "UTF-8", "-eol", "unix", str(path), str(out)]
        limits = [f"--as={_MEMORY_LIMIT}", f"--fsize={MAX_TEXT_BYTES + 1}"]
        prlimit = shutil.which("prlimit")  # util-linux: no preexec_fn in a threaded server
        try:
            with err.open("wb") as errors:
                done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                    [prlimit, *limits, *command] if prlimit else command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    timeout=TIMEOUT_SECONDS,
                    check=False,
                    preexec_fn=None if prlimit else _limit_resources,
                    env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
                )
        except subprocess.TimeoutExpired as exc:
            raise InputError(
                f"reading the PDF took over {TIMEOUT_SECONDS:g} s; the file may be damaged",
                file=filename,
            ) from exc
        if done.returncode == -signal.SIGXFSZ or (
            out.exists() and out.stat().st_size > MAX_TEXT_BYTES
        ):
            raise InputError(
                f"the PDF's text is over {MAX_TEXT_BYTES / (1024 * 1024):g} MB", file=filename
            )
        if done.returncode != 0:
            with err.open("rb") as errors:
                raise InputError(_failure(done.returncode, errors.read(4096)), file=filename)
        text = out.read_bytes()
    return text.decode("utf-8", errors="replace").replace("\ufffd", "")


def _limit_resources() -> None:
    """In the child: cap its memory and the size of the file it writes (SIGXFSZ past it).
    Only where prlimit is missing: preexec_fn is unsafe in a process with threads."""
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_TEXT_BYTES + 1, MAX_TEXT_BYTES + 1))


def _failure(code: int, stderr: bytes) -> str:
    """What a pdftotext failure means for the user (exit codes of poppler's manual)."""
    message = stderr.decode("utf-8", errors="replace").lower()
    if "password" in message or "encrypt" in message:
        return "the PDF is encrypted (password-protected): save an unprotected copy first"
    if code == 3:
        return "the PDF forbids copying its text (permission settings)"
    if code < 0:
        return "the PDF could not be read (the reader crashed or ran out of memory)"
    return "the PDF is damaged or unreadable"
