"""PO: msgfmt -c accepts what we write, polib and translate-toolkit read it back as we
meant it, the statuses survive (fuzzy, outdated), and real catalogues read; a broken
line is an InputError naming file and line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from translator.errors import InputError
from translator.formats.exports import ExportOptions, export_format
from translator.formats.inline_codes import canonical_html
from translator.formats.interchange import read_interchange

from .interchange_samples import CORPUS, plain, sample_file


def write(source: str = "en", target: str = "fr") -> bytes:
    return export_format("po").write(sample_file(), ExportOptions(source, target))


@pytest.mark.parametrize(("source", "target"), [("en", "fr"), ("fr", "pt"), ("pt", "en")])
def test_msgfmt_accepts_it(tmp_path: Path, source: str, target: str) -> None:
    path = tmp_path / "doc.po"
    path.write_bytes(write(source, target))
    done = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_entries_say_what_the_brief_says() -> None:
    catalog = polib.pofile(write().decode())
    assert catalog.metadata["Language"] == "fr"
    assert catalog.metadata["X-Source-Language"] == "en"
    assert catalog.metadata["X-Translator-Document"] == "udhr"
    by_id = {entry.msgctxt: entry for entry in catalog}
    tricky = by_id["9001"]
    assert tricky.msgid == "AT&amp;T &lt;b&gt; <em>is <strong>bold</strong></em> now<br>ok"
    assert "fuzzy" in tricky.flags  # a draft
    assert tricky.tcomment == "Check the brand & the tags\nsecond note"
    assert "translator-base: en=a1 fr=b1" in tricky.comment
    assert "fuzzy" in by_id["9002"].flags  # outdated
    plain_entry = by_id["2"]
    assert "&" not in plain_entry.msgid or "&amp;" not in plain_entry.msgid
    assert "fuzzy" not in plain_entry.flags
    # Equal sources stay separate entries: the context is the unit.
    assert len(by_id) == len(catalog)


def test_reads_back_the_same_units() -> None:
    original = sample_file()
    back = read_interchange(write("fr", "pt"), "doc.po")
    assert back.languages == ["fr", "pt"] and back.slug == "udhr"
    kept = [u for u in original.units if u.segments["fr"].text]
    assert [u.id for u in back.units] == [u.id for u in kept]
    for before, after in zip(kept, back.units, strict=True):
        assert after.role == before.role
        for lang in ("fr", "pt"):
            assert after.segments[lang].text == canonical_html(before.segments[lang].text)
            assert after.segments[lang].base == before.segments[lang].base
        tgt = before.segments["pt"]
        assert (after.segments["pt"].status, after.segments["pt"].outdated) == (
            tgt.status,
            tgt.outdated and bool(tgt.text),
        )


@pytest.mark.parametrize(
    ("flags", "said", "expected"),
    [
        ([], "translated", ("translated", False)),
        (["fuzzy"], "translated", ("draft", False)),  # the translator marked it fuzzy
        (["fuzzy"], "reviewed outdated", ("reviewed", True)),
        ([], "reviewed outdated", ("reviewed", False)),
        ([], "draft", ("translated", False)),  # fuzzy removed: the draft is done
        ([], "", ("translated", False)),
    ],
)
def test_statuses_after_a_poedit_session(
    flags: list[str], said: str, expected: tuple[str, bool]
) -> None:
    catalog = polib.POFile()
    catalog.metadata = {
        "Language": "fr",
        "X-Source-Language": "en",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    comment = f"translator-status: {said}" if said else ""
    catalog.append(
        polib.POEntry(msgctxt="1", msgid="One", msgstr="Un", flags=flags, comment=comment)
    )
    (unit,) = read_interchange(str(catalog).encode(), "x.po").units
    assert (unit.segments["fr"].status, unit.segments["fr"].outdated) == expected


def test_translate_toolkit_reads_our_po(tmp_path: Path) -> None:
    from translate.storage import factory

    original = sample_file()
    path = tmp_path / "doc.po"
    path.write_bytes(write("en", "pt"))
    store = factory.getobject(str(path))
    units = [u for u in store.units if not u.isheader()]
    kept = [u for u in original.units if u.segments["en"].text]
    assert [u.getcontext() for u in units] == [u.id for u in kept]
    for ours, theirs in zip(kept, units, strict=True):
        for got, text in [
            (theirs.source, ours.segments["en"].text),
            (theirs.target, ours.segments["pt"].text),
        ]:
            assert got == (text if "<" in text or "&lt;" in text else plain(text))


def test_real_catalogues_read() -> None:
    folder = CORPUS / "python-docs-po"
    if not folder.exists():
        pytest.skip(f"{folder} not available")
    total = 0
    for path in sorted(folder.glob("*/*/*.po")):
        result = read_interchange(path.read_bytes(), path.name)
        target = "fr" if "/fr/" in str(path) else "pt-BR"
        assert result.languages == ["en", target], path
        total += len(result.units)
        assert all(u.segments["en"].text for u in result.units)
    assert total > 3500  # fr 1 882 + pt-BR 2 417 entries, less obsolete and header


def test_fuzzy_and_untranslated_entries_of_a_real_catalogue() -> None:
    path = CORPUS / "python-docs-po" / "fr" / "tutorial" / "controlflow.po"
    if not path.exists():
        pytest.skip(f"{path} not available")
    catalog = polib.pofile(str(path))
    result = read_interchange(path.read_bytes(), path.name)
    statuses = [u.segments["fr"].status for u in result.units]
    assert statuses.count("draft") == len(
        [e for e in catalog if "fuzzy" in e.flags and e.msgstr and not e.obsolete]
    )
    assert statuses.count("empty") == len(
        [e for e in catalog if not e.msgstr and not e.obsolete and e.msgid]
    )


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        ('msgstr "Mise en bouche', 20),
        ("garbage here", 20),
        ('msgid "a" "b"', 20),
    ],
)
def test_a_broken_line_names_file_and_line(broken: str, line: int) -> None:
    path = CORPUS / "python-docs-po" / "fr" / "tutorial" / "appetite.po"
    if not path.exists():
        pytest.skip(f"{path} not available")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = broken
    with pytest.raises(InputError) as caught:
        read_interchange("\n".join(lines).encode(), "appetite.po")
    assert (caught.value.file, caught.value.line) == ("appetite.po", line)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"/etc/passwd", "not a valid PO line"),  # never taken for a file name
        (b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n', "no unit"),
        (b"<?xml version='1.0'?><xliff/>", "XML, not a PO"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b'msgid "caf\xe9"\nmsgstr ""\n', "not valid utf-8"),
    ],
)
def test_unusable_po_files_say_why(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as caught:
        read_interchange(data, "x.po")
    assert caught.value.file == "x.po"


def test_a_latin1_catalogue_is_decoded_by_its_header() -> None:
    data = (
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=ISO-8859-1\\n"\n"Language: fr\\n"\n\n'
        'msgid "Coffee"\nmsgstr "Café"\n'
    ).encode("latin-1")
    (unit,) = read_interchange(data, "x.po").units
    assert unit.segments["fr"].text == "Café"
