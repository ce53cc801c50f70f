"""Bytes to text for every text-based adapter: BOMs, UTF-16, legacy Windows encodings.

Strict UTF-8 is tried first. When it fails, the file is either damaged UTF-8 or a
legacy single-byte text, and the bytes tell which: UTF-8 writes every non-ASCII
character as a multi-byte sequence of a strict shape, while in a legacy text such a
shape arises only by chance (an uppercase accented letter or "ß" right before a curly
quote or a dash: "Fuß“" in Windows-1252 is the valid UTF-8 of U+07D3). So the valid
multi-byte sequences are counted against the invalid ones (each maximal run of bytes
that is no UTF-8, as the decoder reports them):

- more valid sequences than invalid ones, or as many when the file ends inside a
  sequence (one "é", then a file cut short): damaged UTF-8 (a cp1252 fragment pasted
  in, a flipped byte, a truncated download). It is refused with the byte offset, the
  line and the bad bytes, rather than decoded as cp1252 into "Ã©" mojibake everywhere;
- otherwise a legacy text ("Fuß“ und schön": one chance sequence, one invalid byte).
  A cp1252 text with "Ã©" once and "é" once goes this way too, and its "Ã©" is then
  refused as mojibake below. ``charset_normalizer`` is asked for candidates, and
  Windows-1252 always competes with them: on short Western texts ``charset_normalizer``
  often prefers cp1250 or mac_latin2 and would turn "naïve" into "naďve". Each candidate
  decoding is scored for mojibake and the least suspicious one wins; if even that one
  looks wrong the file is rejected rather than silently garbled.

Control characters (C0 but tab and line ends, DEL, C1) are removed from the decoded
text: PostgreSQL refuses NUL in text, and none of them is prose.
"""

from __future__ import annotations

import codecs
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import islice

import charset_normalizer

from translator.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF file (import it as a PDF)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/EPUB/ODT file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc); save it as DOCX or ODT"),
)
# C0 controls that never belong in prose (tab, LF, VT, FF, CR are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_HIGH_BYTES = bytes(range(128, 256))
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_MAX_SCORED_WORDS = 5000
_SUSPICIOUS = frozenset({"So", "Sc", "Sk", "Sm", "No", "Po", "Ps", "Pe", "Pi", "Pf"})


def decode_text(data: bytes, filename: str = "<input>") -> str:
    """Decode an uploaded text file to ``str`` with LF line ends and no BOM.

    Accepts UTF-8 (with or without BOM), UTF-16/32 with a BOM, BOM-less UTF-16 and legacy
    single-byte encodings (Windows-1252/Latin-1 first, others via ``charset_normalizer``).
    Control characters are removed (NEL becomes a line end). Raises ``InputError``
    naming ``filename`` (and the line, where it helps) for an empty file, a binary file,
    damaged UTF-8 (with the byte offset and the bad bytes), or text whose encoding
    cannot be determined without mojibake.
    """
    if not data.strip():
        raise InputError("the file is empty", file=filename)
    text = _decode(data, filename)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _STRAY_CONTROLS.sub("", text.replace("\x0b", "\n").replace("\x85", "\n"))
    if not text.strip():
        raise InputError(
            "the file contains no text, only whitespace or control characters", file=filename
        )
    return text


def _decode(data: bytes, filename: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the file starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding}",
                    file=filename,
                ) from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"this is not a text file: it looks like {what}", file=filename)
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise InputError(
                "this is not a text file (it contains NUL bytes)",
                file=filename,
                line=_line_of(data, data.index(b"\x00")),
            )
        return utf16
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > 0.05 * len(data):
        raise InputError("this is not a text file (too many control characters)", file=filename)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _damaged_utf8(data):
            raise InputError(
                _invalid_utf8(data, exc), file=filename, line=_line_of(data, exc.start)
            ) from exc
        return _decode_legacy(data, filename, _line_of(data, exc.start))


def _damaged_utf8(data: bytes) -> bool:
    """Whether text that is not valid UTF-8 still reads as UTF-8 (module docstring)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(data)  # not final: a sequence cut by the end stays buffered
    cut_short = bool(decoder.getstate()[0])
    invalid = text.count("\ufffd") - data.count("\ufffd".encode()) + cut_short
    valid = len(text) - len(data.translate(None, _HIGH_BYTES)) - (invalid - cut_short)
    return valid > invalid or (cut_short and valid == invalid)


def _invalid_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """ "invalid UTF-8 at byte 18,734 (line 212): \\xe9 followed by 'l'" (offsets from 0)."""
    bad = "".join(f"\\x{byte:02x}" for byte in data[error.start : error.end])
    following = data[error.end : error.end + 1]
    if not following:
        cut = error.reason == "unexpected end of data"
        after = "at the end of the file" + (", cut short inside a character" if cut else "")
    elif following == b"\n":
        after = "at the end of the line"
    elif 0x20 <= following[0] < 0x7F:
        after = f"followed by {following.decode()!r}"
    else:
        after = f"followed by \\x{following[0]:02x}"
    line = _line_of(data, error.start)
    return (
        f"invalid UTF-8 at byte {error.start:,} (line {line}): {bad} {after}; the rest of "
        "the file is UTF-8: fix these bytes, or save the whole file as UTF-8"
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.4 * half and other.count(0) < 0.01 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(data: bytes, filename: str, bad_line: int) -> str:
    best: tuple[int, str] | None = None
    for encoding in _legacy_candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _mojibake_score(text)
        if score == 0:
            return text
        if best is None or score < best[0]:
            best = (score, text)
    if best is None or best[0] > _count_non_ascii_words(best[1]) // 50:
        raise InputError(
            "cannot tell the text encoding (not UTF-8, not Windows-1252); save it as UTF-8",
            file=filename,
            line=bad_line,
        )
    return best[1]


def _legacy_candidates(data: bytes) -> Iterator[str]:
    """Windows-1252, then (only if it reads as mojibake: ``charset_normalizer`` takes
    most of the time on a large file) up to seven others, Latin-1 last."""
    yield "cp1252"
    candidates = ["cp1252"]
    for match in charset_normalizer.from_bytes(data):
        name = codecs.lookup(match.encoding).name
        if name not in candidates and not name.startswith("utf"):
            candidates.append(name)
    # Ties go to the Windows code pages: legacy files come from Windows far more often
    # than from ISO 8859 systems (cp1250 "ą" is ISO 8859-2 "š").
    candidates.sort(key=lambda name: not name.startswith("cp125"))
    candidates.append("latin-1")
    yield from candidates[1:8]


def _count_non_ascii_words(text: str) -> int:
    return sum(1 for _ in islice(_NON_ASCII_WORD.finditer(text), _MAX_SCORED_WORDS))


def _mojibake_score(text: str) -> int:
    """Count the signs of a wrong single-byte decoding; 0 for plausible text."""
    bad = 0
    for match in islice(_NON_ASCII_WORD.finditer(text), _MAX_SCORED_WORDS):
        word = match.group()
        scripts: set[str] = set()
        for i, char in enumerate(word):
            if char.isascii():
                if char.isalpha():
                    scripts.add("LATIN")
                continue
            category = unicodedata.category(char)
            prev_char = word[i - 1] if i else " "
            next_char = word[i + 1] if i + 1 < len(word) else " "
            if category[0] == "C":
                bad += 1
            elif category[0] == "L":
                scripts.add(unicodedata.name(char, "UNKNOWN").split()[0])
                if category == "Lu" and prev_char.islower():
                    bad += 1
            elif (
                category in _SUSPICIOUS
                and char not in "’‘·…"
                and (prev_char.isalpha() and next_char.isalpha())
            ):
                bad += 1  # a symbol inside a word: "Za¿ó³æ", "na•ve"
            elif "\u2500" <= char <= "\u259f" and (prev_char.isalpha() or next_char.isalpha()):
                bad += 1  # DOS box drawing against a letter: "Caf├®" (cp775 for "Ã©")
        if len(scripts) > 1:
            bad += 1
    counts = Counter(_NON_ASCII_CHAR.findall(text))
    latin_accented = sum(n for c, n in counts.items() if "LATIN" in unicodedata.name(c, ""))
    ascii_letters = sum(map(text.count, string.ascii_letters))
    if latin_accented > 0.3 * (latin_accented + ascii_letters):
        bad += latin_accented  # Cyrillic or Greek read as Latin-1: "Ïðîëåòàðèè"
    return bad
