"""TMX 1.4: valid against the DTD, every language of the document in one file, read
back the same (by us and by translate-toolkit); the real TICO-19 memories read fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from translator.errors import InputError
from translator.formats.exports import ExportOptions, export_format
from translator.formats.inline_codes import canonical_html
from translator.formats.interchange import read_interchange

from .interchange_samples import CORPUS, SCHEMAS, sample_file, shown_alike

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_valid_against_the_dtd_with_every_language() -> None:
    data = export_format("tmx").write(sample_file(), ExportOptions())
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    root = etree.fromstring(data)
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    header = root.find("header")
    assert header.get("srclang") == "en" and header.get("creationtool") == "translator"
    first = root.find("body/tu")
    assert first.get("tuid") == "1"
    assert [tuv.get(XML_LANG) for tuv in first.findall("tuv")] == ["en", "fr", "pt"]
    tricky = root.find("body/tu[@tuid='9001']")
    assert [n.text for n in tricky.findall("note")] == ["Check the brand & the tags", "second note"]
    assert [tuv.get(XML_LANG) for tuv in tricky.findall("tuv")] == ["en", "fr"]  # pt is empty


def test_srclang_follows_the_options() -> None:
    data = export_format("tmx").write(sample_file(1), ExportOptions(source="pt"))
    assert etree.fromstring(data).find("header").get("srclang") == "pt"


def test_reads_back_every_language() -> None:
    original = sample_file()
    back = read_interchange(export_format("tmx").write(original, ExportOptions()), "m.tmx")
    assert (
        back.languages == ["en", "fr", "pt"] and back.slug == "udhr" and back.title == "UDHR & co"
    )
    assert [u.id for u in back.units] == [u.id for u in original.units]
    for before, after in zip(original.units, back.units, strict=True):
        assert after.role == before.role and after.notes == before.notes
        expected = {lang: s for lang, s in before.segments.items() if s.text}
        assert set(after.segments) == set(expected)
        for lang, segment in expected.items():
            got = after.segments[lang]
            assert got.text == canonical_html(segment.text)
            assert (got.status, got.outdated, got.base) == (
                segment.status,
                segment.outdated,
                segment.base,
            )


def test_translate_toolkit_reads_our_tmx(tmp_path: Path) -> None:
    from translate.storage import factory

    original = sample_file()
    path = tmp_path / "m.tmx"
    path.write_bytes(export_format("tmx").write(original, ExportOptions()))
    store = factory.getobject(str(path))
    units = list(store.units)
    assert [u.getid() for u in units] == [u.id for u in original.units]
    for ours, theirs in zip(original.units, units, strict=True):
        for got, text in [
            (theirs.source, ours.segments["en"].text),
            (theirs.target, ours.segments["fr"].text),
        ]:
            # translate-toolkit shows a <bpt>'s native code (the tag) as text
            assert shown_alike(got, text), (got, text)


@pytest.mark.parametrize("name", ["all.en-fr.tmx", "all.en-pt-BR.tmx"])
def test_the_real_memories_read_in_seconds(name: str) -> None:
    path = CORPUS / "tico19" / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    data = path.read_bytes()
    assert len(data) > 1_000_000
    started = time.perf_counter()
    result = read_interchange(data, name)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert len(result.units) == 3071
    assert result.languages == ["en", name.removeprefix("all.en-").removesuffix(".tmx")]
    assert result.units[0].id == "CMU_1:1"
    assert all(len(u.segments) == 2 for u in result.units)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"<tmx version='1.4'><header srclang='en'/></tmx>", "no <body>"),
        (b"<tmx version='1.4'><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>", "xml:lang"),
        (b"<tmx version='1.4'><body></body></tmx>", "no unit"),
        (b"<tmx version='1.4'><header srclang='*all*'/><body><tu/></body></tmx>", "no language"),
        (b"<xliff version='1.2'/>", "<xliff> root, not a TMX"),
        (b'msgid "a"\nmsgstr "b"\n', "PO file, not a TMX"),
    ],
)
def test_unusable_tmx_says_why(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as caught:
        read_interchange(data, "m.tmx")
    assert caught.value.file == "m.tmx"


def test_foreign_inline_codes_keep_their_text() -> None:
    data = b"""<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1"
 segtype="sentence" o-tmf="x" adminlang="en" datatype="rtf"/><body><tu tuid="7">
 <tuv lang="EN"><seg>A <bpt i="1">{\\b </bpt>bold<ept i="1">}</ept> <hi>word</hi>
 <ph>&lt;br&gt;</ph></seg></tuv>
 </tu></body></tmx>"""
    result = read_interchange(data, "old.tmx")
    assert result.units[0].segments["EN"].text == "A bold word <br>"
    assert result.warnings
