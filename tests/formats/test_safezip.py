"""Archives are checked before anything is decompressed: zip bombs, traversal names,
encrypted members, too many members, damaged archives; each refusal names the file."""

from __future__ import annotations

import pytest

from tests.formats.office_files import sample_docx, zip_bytes
from translator.errors import InputError
from translator.formats import parse, safezip
from translator.formats.safezip import SafeZip


def test_a_zip_bomb_by_compression_ratio_is_refused_before_inflating() -> None:
    bomb = zip_bytes(
        {"word/document.xml": b"<w:document/>", "word/media/zero.bin": bytes(20 << 20)}
    )
    assert len(bomb) < 100_000  # 20 MB of zeros in a few KB
    with pytest.raises(InputError, match=r"'word/media/zero\.bin' inflates \d+ times") as caught:
        parse(bomb, "bomb.docx")
    assert caught.value.file == "bomb.docx"


def test_the_total_uncompressed_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 10_000)
    data = zip_bytes({f"part{i}.xml": bytes(range(256)) * 10 for i in range(5)})
    with pytest.raises(InputError, match="once uncompressed"):
        SafeZip(data, "big.epub")


def test_the_number_of_members_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_MEMBERS", 5)
    with pytest.raises(InputError, match="6 members"):
        SafeZip(zip_bytes({f"m{i}": "x" for i in range(6)}), "many.odt")


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/passwd", "C:/windows/x", "a/../../b"])
def test_a_member_name_pointing_outside_the_archive_is_refused(name: str) -> None:
    data = zip_bytes({"mimetype": "application/epub+zip", name: "x"}, stored_first="mimetype")
    with pytest.raises(InputError, match="outside the archive") as caught:
        parse(data, "travel.epub")
    assert caught.value.file == "travel.epub"


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(zip_bytes({"content.xml": b"<x/>"}))
    # Set the "encrypted" bit of the general purpose flags, in both headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    with pytest.raises(InputError, match=r"'content\.xml' is encrypted") as caught:
        parse(bytes(data), "secret.odt")
    assert caught.value.file == "secret.odt"


def test_a_damaged_archive_and_an_unknown_archive_are_refused_naming_the_file() -> None:
    with pytest.raises(InputError, match="not a readable ZIP archive") as caught:
        parse(sample_docx()[:2000], "cut.docx")
    assert caught.value.file == "cut.docx"
    with pytest.raises(InputError, match="not a DOCX, ODT or EPUB") as caught:
        parse(zip_bytes({"photo.jpg": b"\xff\xd8\xff"}), "photos.zip")
    assert caught.value.file == "photos.zip"


def test_a_member_is_read_in_memory_only_as_long_as_it_says() -> None:
    archive = SafeZip(zip_bytes({"a.xml": "<a/>"}), "x.zip")
    assert archive.read("a.xml") == b"<a/>"
    with pytest.raises(InputError, match=r"no 'b\.xml' part"):
        archive.read("b.xml")


def test_a_part_too_large_to_parse_is_refused_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_PART_BYTES", 1000)
    data = zip_bytes({"content.xml": "<a>" + "text " * 1000 + "</a>", "image.png": bytes(2000)})
    archive = SafeZip(data, "big.odt")  # a large member that is never read is fine
    with pytest.raises(InputError, match=r"part 'content\.xml' is 0\.0 MB uncompressed, over"):
        archive.read("content.xml")
