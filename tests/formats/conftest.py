"""Shared fixtures for the import-adapter tests: the real samples in ../shared, and the
check of the one markup convention of Block.text (see translator.formats)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from translator.formats.base import INLINE_TAGS

SHARED = Path(__file__).resolve().parents[3] / "shared"
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


@pytest.fixture(scope="session")
def shared_path() -> Callable[[str], Path]:
    """The path of a file or folder under ../shared; skip when absent (fail under CI=true)."""

    def locate(relative: str) -> Path:
        path = SHARED / relative
        if not path.exists():
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"missing shared sample {path}")
            pytest.skip(f"shared sample {path} not available")
        return path

    return locate


@pytest.fixture(scope="session")
def shared_bytes(shared_path: Callable[[str], Path]) -> Callable[[str], bytes]:
    """Read a file under ../shared (see ``shared_path``)."""
    return lambda relative: shared_path(relative).read_bytes()


@pytest.fixture(scope="session")
def assert_inline_html() -> Callable[[str], None]:
    """A check that Block.text holds only whitelisted tags and escaped text."""
    return _assert_inline_html


def _assert_inline_html(text: str) -> None:
    """Block.text holds only whitelisted tags; every other '<' or '>' is escaped."""
    tags = {match.group(2) for match in _TAG.finditer(text)}
    assert tags <= INLINE_TAGS, f"unexpected tags {tags - INLINE_TAGS} in {text!r}"
    rest = _TAG.sub("", text)
    assert "<" not in rest and ">" not in rest, f"unescaped markup in {text!r}"
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", rest), f"raw & in {text!r}"


@pytest.fixture(scope="session")
def poppler() -> None:
    """Skip without pdftotext (fail under CI=true: .ci/run installs poppler-utils)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdftotext (poppler-utils) is not installed")
        pytest.skip("pdftotext (poppler-utils) is not installed")
