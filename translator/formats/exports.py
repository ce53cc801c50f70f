"""The export registry: every format a document can leave the service in, by name.

A writer is pure: a ``Publication`` (one edition), a ``ParallelPublication`` (editions
side by side) or an ``InterchangeFile`` in, the file's bytes out; ``options`` carries the
few choices a format has (``ExportOptions``). The export service looks writers up here
by name, builds what they take, and writes the bytes atomically; adding a format touches
its module, its tests and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from translator.errors import InputError


class ExportKind(StrEnum):
    EDITION = "edition"  # one edition: writer(Publication, ExportOptions) -> bytes
    PARALLEL = "parallel"  # 2-3 editions: writer(ParallelPublication, ExportOptions)
    INTERCHANGE = "interchange"  # writer(InterchangeFile, ExportOptions) -> bytes


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices a writer may honour. ``source`` / ``target``: the languages of a
    bilingual interchange file (XLIFF, PO); ``stylesheet``: extra CSS for HTML/PDF."""

    source: str | None = None
    target: str | None = None
    stylesheet: str = ""


Writer = Callable[[Any, ExportOptions], bytes]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A registered format: ``name`` as the CLI and the web form say it (``epub``,
    ``parallel-pdf``, ``xliff2``), the file ``extension`` (no dot) and ``media_type``."""

    name: str
    kind: ExportKind
    extension: str
    media_type: str
    write: Writer
    label: str = ""


EXPORT_FORMATS: dict[str, ExportFormat] = {}


def register(export_format: ExportFormat) -> ExportFormat:
    """Add a format to the registry (each format module registers its own)."""
    if export_format.name in EXPORT_FORMATS:
        raise ValueError(f"export format {export_format.name!r} is registered twice")
    EXPORT_FORMATS[export_format.name] = export_format
    return export_format


def export_format(name: str) -> ExportFormat:
    """The format called ``name``, or InputError listing the known ones."""
    load_writers()
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(EXPORT_FORMATS))
        raise InputError(
            f"unknown export format {name!r} (one of {known})", field="format"
        ) from None


def load_writers() -> None:
    """Import the writer modules (each registers itself): done lazily, so that a process
    that never exports never loads lxml, python-docx or WeasyPrint."""
    import importlib

    for module in WRITER_MODULES:
        importlib.import_module(module)


# Filled in as the writers land; each module calls ``register`` at import.
WRITER_MODULES: tuple[str, ...] = (
    "translator.formats.html_export",
    "translator.formats.html_parallel",
    "translator.formats.markdown_export",
    "translator.formats.text_export",
    "translator.formats.pdf_export",
    "translator.formats.epub_export",
    "translator.formats.docx_export",
    "translator.formats.xliff",
    "translator.formats.xliff2",
    "translator.formats.po",
    "translator.formats.tmx",
)
