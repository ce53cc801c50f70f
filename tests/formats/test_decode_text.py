"""decode_text: encodings, BOMs, line ends, and the files it must refuse."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest

from translator.errors import InputError
from translator.formats.plaintext import decode_text

FRENCH = "Le cœur a ses raisons que la raison ne connaît point. « Déjà » l’été — où ça ?\n"
PORTUGUESE = "A revolução não será televisionada. Ação, reação, coração e situação.\n"
POLISH = "List otwarty do delegacji robotniczych udających się z Ameryki i Europy do Rosji.\n"
RUSSIAN = "Пролетарии всех стран, соединяйтесь! Призрак бродит по Европе.\n"


def test_utf8_is_returned_as_is() -> None:
    assert decode_text("naïve “quoted” — ok\n".encode()) == "naïve “quoted” — ok\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "héllo\nwörld".encode(),
        "héllo\nwörld".encode("utf-16"),  # native order, with BOM
        codecs.BOM_UTF16_LE + "héllo\nwörld".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "héllo\nwörld".encode("utf-16-be"),
        "héllo\nwörld".encode("utf-32"),
    ],
    ids=["utf8-bom", "utf16", "utf16-le", "utf16-be", "utf32"],
)
def test_byte_order_marks_are_honoured_and_stripped(data: bytes) -> None:
    assert decode_text(data) == "héllo\nwörld"


def test_bomless_utf16_is_recognised_rather_than_called_binary() -> None:
    data = "Plain English text, saved by Notepad.\n".encode("utf-16-le")
    assert decode_text(data) == "Plain English text, saved by Notepad.\n"


def test_crlf_and_cr_become_lf() -> None:
    assert decode_text(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_the_windows_1252_example_of_the_issue_is_not_mojibake() -> None:
    assert decode_text(b"caf\xe9 na\xefve \x93quoted\x94") == "café naïve “quoted”"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),
        (PORTUGUESE, "latin-1"),
        (POLISH, "cp1250"),
        (RUSSIAN, "cp1251"),
    ],
)
def test_legacy_encodings_round_trip(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


def test_a_long_french_text_in_windows_1252_round_trips(
    shared_bytes: Callable[[str], bytes],
) -> None:
    text = shared_bytes("corpus/pd-essays-paragraph-aligned/manifesto_fr.txt").decode()
    text = text[:20000].encode("cp1252", errors="ignore").decode("cp1252")
    assert decode_text(text.encode("cp1252")) == text.replace("\r\n", "\n")


def test_text_that_no_encoding_explains_is_refused_not_garbled() -> None:
    with pytest.raises(InputError) as caught:
        decode_text("café naïve".encode("mac_roman"), "old.txt")
    assert caught.value.file == "old.txt"
    assert "UTF-8" in caught.value.message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode_text(data, "empty.txt")
    assert caught.value.file == "empty.txt"
    assert "empty" in caught.value.message


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "ZIP"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
    ids=["png", "zip", "pdf", "random-bytes"],
)
def test_binary_files_are_refused(data: bytes, hint: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_text(data, "upload.txt")
    assert hint in caught.value.message
    assert caught.value.file == "upload.txt"


def test_a_nul_byte_is_reported_with_its_line() -> None:
    with pytest.raises(InputError) as caught:
        decode_text(b"first line\nsecond line\nthird \x00 line\n", "f.txt")
    assert caught.value.line == 3
    assert str(caught.value).startswith("f.txt:3:")


def test_many_control_characters_mean_binary() -> None:
    with pytest.raises(InputError, match="control characters"):
        decode_text(b"abc\x01\x02\x03\x04\x05\x06def\x07\x08\x0e\x0f" * 10)


def test_stray_control_characters_are_removed_and_form_feeds_kept() -> None:
    assert decode_text(b"page one\x1b\n\x0cpage\x0btwo\n") == "page one\n\x0cpage\ntwo\n"


def test_damaged_utf8_is_refused_with_the_byte_offset_the_line_and_the_bytes() -> None:
    lines = [f"Ligne {n} : déjà l’été, « où ça ? »\n".encode() for n in range(1, 400)]
    lines[211] = b"Ligne 212 : caf\xe9l\xe9 pasted from Windows-1252\n"
    data = b"".join(lines)
    with pytest.raises(InputError) as caught:
        decode_text(data, "essai.fr.txt")
    offset = data.index(b"\xe9l")
    assert caught.value.file == "essai.fr.txt"
    assert caught.value.line == 212
    assert f"invalid UTF-8 at byte {offset:,} (line 212): \\xe9 followed by 'l'" in str(
        caught.value
    )
    assert str(caught.value).startswith("essai.fr.txt:212: ")


def test_a_utf8_file_cut_short_inside_a_character_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        decode_text("Un été, puis la fin".encode() + b" \xe2\x80", "cut.txt")
    assert "byte 22 (line 1): \\xe2\\x80 at the end of the file, cut short" in str(caught.value)


def test_damaged_cyrillic_utf8_is_not_taken_for_a_legacy_encoding() -> None:
    data = RUSSIAN.encode() * 20 + "Призрак".encode("cp1251") + b"\n"
    offset = len(RUSSIAN.encode()) * 20
    with pytest.raises(InputError, match=rf"invalid UTF-8 at byte {offset:,} \(line 21\)"):
        decode_text(data, "manifest.txt")


def test_a_legacy_text_with_a_chance_utf8_sequence_is_still_legacy() -> None:
    # "ß“" in Windows-1252 is the bytes DF 93, the valid UTF-8 of U+07D3.
    text = "Der „Fuß“ ist schön."
    assert b"\xdf\x93" in text.encode("cp1252")
    assert decode_text(text.encode("cp1252")) == text


def test_cp1252_with_as_much_mojibake_as_accents_is_refused_not_guessed() -> None:
    # One "Ã©" (valid UTF-8 for "é") and three cp1252 accents: legacy, where the scorer
    # sees the mojibake in every reading (cp1252 "CafÃ©", cp775 "Caf├®").
    with pytest.raises(InputError) as caught:
        decode_text("CafÃ© ou café, ça dépend.".encode("cp1252"), "mixed.txt")
    assert caught.value.file == "mixed.txt"
    assert "UTF-8" in caught.value.message


def test_c1_controls_are_removed_and_nel_ends_a_line() -> None:
    assert decode_text("one\u0085two\u0080\u009fthree".encode()) == "one\ntwothree"


@pytest.mark.parametrize(
    "data",
    [bytes(range(1, 9)) * 1000, "\u0080\u0081\u0090".encode() * 100, b"\x1b\x7f\x0b\x0c\r"],
    ids=["c0", "c1-in-utf8", "few-controls-and-breaks"],
)
def test_a_file_of_only_control_characters_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode_text(data, "controls.txt")
    assert caught.value.file == "controls.txt"
    assert "text" in caught.value.message
