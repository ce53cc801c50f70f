"""translator.formats.parse: one entry point, one registry, one markup convention."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from translator.errors import InputError
from translator.formats import ADAPTERS, parse
from translator.formats.base import BlockRole
from translator.formats.pdftext import parse_pdftext
from translator.formats.plaintext import decode_text


def test_the_registry_names_the_three_text_adapters() -> None:
    assert set(ADAPTERS) >= {"text", "pdftext", "markdown"}


@pytest.mark.parametrize("name", ["text", "pdftext", "markdown"])
def test_every_adapter_follows_the_same_escaping_convention(
    name: str, assert_inline_html: Callable[[str], None]
) -> None:
    result = parse(b"AT&T <b>bold</b> 3 > 2.\n", "x.txt", format=name)
    assert result.format == name
    assert result.blocks[0].text == "AT&amp;T &lt;b&gt;bold&lt;/b&gt; 3 &gt; 2."
    assert_inline_html(result.blocks[0].text)


def test_auto_detects_and_dispatches(shared_bytes: Callable[[str], bytes]) -> None:
    essay = parse(shared_bytes("samples/bolshevik-counterrevolution.en.pdf.txt"), "essay.txt")
    assert essay.format == "pdftext"
    assert sum(b.role is BlockRole.HEADING for b in essay.blocks) == 5
    readme = parse(shared_bytes("corpus/markdown-art-of-command-line/README.md"), "README.md")
    assert readme.format == "markdown"
    assert parse(b"One paragraph.\n\nAnother.\n", "notes.txt").format == "text"


def test_an_explicit_format_overrides_detection() -> None:
    result = parse(b"# Not a heading here\n\nText.\n", "a.md", format="text")
    assert [b.text for b in result.blocks] == ["# Not a heading here", "Text."]


def test_an_unknown_format_is_an_input_error_on_the_format_field() -> None:
    with pytest.raises(InputError) as caught:
        parse(b"Text.\n", "a.txt", format="docx-ish")
    assert caught.value.field == "format"
    assert caught.value.file == "a.txt"
    assert "markdown" in caught.value.message


def test_legacy_encodings_are_decoded_by_parse() -> None:
    (block,) = parse(b"caf\xe9 na\xefve \x93quoted\x94\r\n", "old.txt").blocks
    assert block.text == "café naïve “quoted”"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"), (b"```\ncode\n```\n", "no text")],
)
def test_unusable_files_are_input_errors_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse(data, "upload.md")
    assert caught.value.file == "upload.md"


def test_pdf_text_parsing_is_linear_up_to_megabytes(
    shared_path: Callable[[str], Path],
) -> None:
    """Twice the text takes about twice the time (a quadratic step would take four
    times); compared within the run, so a busy machine does not fail it."""
    paths = sorted(shared_path("corpus/pd-essays-paragraph-aligned").glob("*_en.txt"))
    text = "\n".join(decode_text(path.read_bytes()) for path in paths)
    lines = [line[i : i + 90] for line in text.split("\n") for i in range(0, len(line), 90)]
    half = "\n".join(lines * 2)
    whole = "\n".join(lines * 4)
    assert len(whole) > 1_000_000

    def timed(big: str) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            result = parse_pdftext(big)
            best = min(best, time.perf_counter() - start)
        assert len(result.blocks) > 500
        return best

    timed("\n".join(lines))  # warm the caches
    small, large = timed(half), timed(whole)
    assert large < 3 * small + 0.1, (small, large)
