"""detect_format: file names first, then Markdown syntax, then the marks of PDF text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from translator.errors import InputError
from translator.formats.detect import detect_format

PROSE = (
    "The assembly met every week in the old hall near the river and argued late. "
    "Nobody agreed on the agenda, yet everybody stayed until the lamps went out. "
    "Letters arrived from the other towns with news of strikes and of arrests. "
) * 3


def hard_wrapped(paragraphs: int, separator: str) -> str:
    return separator.join("\n".join(textwrap.wrap(PROSE, 70)) for _ in range(paragraphs))


@pytest.mark.parametrize("name", ["notes.md", "NOTES.MD", "a/b/readme.markdown"])
def test_markdown_file_names_decide(name: str) -> None:
    assert detect_format(b"Plain words only.\n", name) == "markdown"


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\nSome text.\n\n## Section\n\nMore.\n",
        "# Title\n\nSee [the site](https://example.org).\n",
        "Intro\n\n- see [one](a.md)\n- see [two](b.md)\n- see [three](c.md)\n",
        "# Title\n\n```\ncode\n```\n",
        "# The river\n\nThe river rose.\n\n> Water remembers.\n",  # a pasted essay
    ],
)
def test_markdown_syntax_is_recognised(text: str) -> None:
    assert detect_format(text, "upload.txt") == "markdown"


@pytest.mark.parametrize(
    "text",
    [
        "#1 priority is this.\n\nAnd #2 is that.\n",
        "A paragraph with a [bracket] and (parens).\n\n- a dash list\n- of items\n",
        "He wrote:\n\n> a quoted e-mail line\n\nand nothing else.\n",
    ],
)
def test_markdown_lookalikes_are_not_markdown(text: str) -> None:
    assert detect_format(text, "upload.txt") == "text"


def test_hard_wrapped_lines_without_blank_lines_are_pdf_text() -> None:
    assert detect_format(hard_wrapped(4, "\n"), "essay.txt") == "pdftext"


def test_hard_wrapped_paragraphs_separated_by_blank_lines_are_plain_text() -> None:
    assert detect_format(hard_wrapped(6, "\n\n"), "essay.txt") == "text"


def test_a_form_feed_means_pdf_text() -> None:
    assert detect_format("Page one.\n\fPage two.\n", "x.txt") == "pdftext"


def test_hyphenated_line_ends_mean_pdf_text() -> None:
    text = "\n\n".join(["A revolu-\ntionary idea.", "Another trans-\nformation."] * 5)
    assert detect_format(text, "x.txt") == "pdftext"


def test_one_paragraph_per_line_is_plain_text(shared_bytes: Callable[[str], bytes]) -> None:
    data = shared_bytes("corpus/pd-essays-paragraph-aligned/the_canterville_ghost_en.txt")
    assert detect_format(data, "ghost.txt") == "text"
    listing = shared_bytes("samples/workers-group-listing.txt")
    assert detect_format(listing, "listing.txt") == "text"


def test_one_sentence_per_line_is_plain_text(shared_bytes: Callable[[str], bytes]) -> None:
    # Nine long lines of similar length: too wide for a PDF page, so not hard-wrapped.
    data = shared_bytes("corpus/ntrex-en-fr-pt/perturbed-en-fr/scotsman.133783.fr")
    assert detect_format(data, "news.fr") == "text"


def test_markdown_content_without_the_extension(shared_bytes: Callable[[str], bytes]) -> None:
    data = shared_bytes("corpus/markdown-art-of-command-line/README-pt.md")
    assert detect_format(data, "leia-me.txt") == "markdown"


def test_bytes_are_decoded_first_so_binary_is_refused() -> None:
    with pytest.raises(InputError):
        detect_format(b"\x89PNG\r\n\x1a\n\x00\x00", "image.txt")
