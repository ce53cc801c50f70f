"""The one way an uploaded archive (DOCX, ODT, EPUB) is opened: every member is checked
from the central directory before a single byte is decompressed.

Refused, with an ``InputError`` naming the file (and the member): a file that is not a
ZIP archive; more than ``MAX_MEMBERS`` members; more than ``MAX_TOTAL_BYTES`` once
uncompressed; a member over ``MAX_MEMBER_BYTES`` (``MAX_PART_BYTES`` for a part that
is read and parsed, which bounds the parser's memory), or one that inflates more than
``MAX_RATIO`` times (a zip bomb: 10 GB of zeros fit in 10 MB); a member name that is
absolute, climbs out with ``..`` or names a drive (``C:``), which no office file needs and
an extracting tool would write outside its folder; an encrypted member. Nothing is ever
written to disk: members are read into memory, each at most as long as its header says
(a header that lies is caught by the CRC check, or by the size limit while reading).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import PurePath

from translator.errors import InputError

__all__ = ["SafeZip", "archive_format", "resolve_member"]

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024  # a part that is parsed: lxml takes several times that
MAX_RATIO = 100  # ordinary XML compresses 5-20 times; a bomb of zeros 1 000 times
_RATIO_FLOOR = 1024 * 1024  # small members may inflate as they like: a bomb needs size
_DRIVE = re.compile(r"^[A-Za-z]:")
_SUFFIXES = {".docx": "docx", ".odt": "odt", ".epub": "epub"}
_ARTICLED = {"docx": "a DOCX", "odt": "an ODT", "epub": "an EPUB"}
_KEY_PARTS = {"docx": "word/document.xml", "epub": "META-INF/container.xml", "odt": "content.xml"}
_MIMETYPES = {
    b"application/epub+zip": "epub",
    b"application/vnd.oasis.opendocument.text": "odt",
}


def archive_format(data: bytes, filename: str) -> str | None:
    """ "docx", "odt" or "epub" for a ZIP upload, told apart by its parts (its ``mimetype``
    member, else ``word/document.xml``, ``META-INF/container.xml``, ``content.xml``);
    None for anything else not named like one of them. ``InputError`` naming the file
    for a file named ``.docx``/``.odt``/``.epub`` that is not such an archive (not a ZIP
    archive, or one without the parts its name promises), and for a ZIP archive that is
    none of the three."""
    claimed = _SUFFIXES.get(PurePath(filename).suffix.lower())
    if not data.startswith(b"PK\x03\x04"):
        if claimed:
            raise InputError(
                f"this is not {_ARTICLED[claimed]} file (it is not a ZIP archive)", file=filename
            )
        return None
    found = _parts_format(SafeZip(data, filename))
    if claimed and found != claimed:
        raise InputError(
            f"this is not {_ARTICLED[claimed]} file: it has no {_KEY_PARTS[claimed]} part"
            + (f" (it looks like {found.upper()})" if found else ""),
            file=filename,
        )
    if found is None:
        raise InputError(
            "a ZIP archive that is not a DOCX, ODT or EPUB document (none of their parts is in it)",
            file=filename,
        )
    return found


def _parts_format(archive: SafeZip) -> str | None:
    if archive.has("mimetype"):
        kind = _MIMETYPES.get(archive.read("mimetype").strip())
        if kind:
            return kind
    for kind, part in _KEY_PARTS.items():
        if archive.has(part):
            return kind
    return None


class SafeZip:
    """A checked ZIP archive in memory; ``read`` returns one member's bytes."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.filename = filename
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise InputError(f"not a readable ZIP archive ({exc})", file=filename) from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(
                f"the archive has {len(infos)} members, over the limit of {MAX_MEMBERS}",
                file=filename,
            )
        total = 0
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._check(info)
            total += info.file_size
            self._members.setdefault(info.filename, info)
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                f"the archive would take {total // (1024 * 1024)} MB once uncompressed, over "
                f"the limit of {MAX_TOTAL_BYTES // (1024 * 1024)} MB (a zip bomb?)",
                file=filename,
            )

    def _check(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise InputError(
                f"member {name!r} has a name that points outside the archive (refused)",
                file=self.filename,
            )
        if info.flag_bits & 0x1:
            raise InputError(f"member {name!r} is encrypted", file=self.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                f"member {name!r} is {info.file_size // (1024 * 1024)} MB uncompressed, over "
                f"the limit of {MAX_MEMBER_BYTES // (1024 * 1024)} MB",
                file=self.filename,
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                f"member {name!r} inflates {info.file_size // max(info.compress_size, 1)} "
                f"times, over the limit of {MAX_RATIO} (a zip bomb?)",
                file=self.filename,
            )

    def has(self, name: str) -> bool:
        """Whether the archive holds a member called ``name`` (exactly)."""
        return name in self._members

    def names(self) -> list[str]:
        """The member names, in archive order."""
        return list(self._members)

    def read(self, name: str) -> bytes:
        """The bytes of member ``name``; ``InputError`` naming the file and the member
        when it is missing or damaged."""
        member = self._members.get(name)
        if member is None:
            raise InputError(f"the archive has no {name!r} part", file=self.filename)
        limit = member.file_size
        if limit > MAX_PART_BYTES:
            raise InputError(
                f"part {name!r} is {limit / (1024 * 1024):.1f} MB uncompressed, over the limit "
                f"of {MAX_PART_BYTES / (1024 * 1024):g} MB for a part that is read",
                file=self.filename,
            )
        try:
            with self._zip.open(member) as stream:
                data = stream.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise InputError(f"part {name!r} is damaged ({exc})", file=self.filename) from None
        if len(data) > limit:
            raise InputError(f"part {name!r} is longer than it says", file=self.filename)
        return data


def resolve_member(base: str, href: str) -> str:
    """The member name ``href`` (relative, percent-decoded by the caller) points to from
    member ``base``: ``resolve_member("OEBPS/text/a.xhtml", "../b.xhtml")`` is
    ``"OEBPS/b.xhtml"``."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    return joined.lstrip("/")
