"""XLIFF 1.2 and 2.0: schema-valid output for any language pair, read back to the same
units, texts (byte for byte, any stored text: a property over all four formats, each
valid against its schema or DTD), statuses, hashes and notes; translate-toolkit reads our
1.2 files as we meant them; real XLIFF files read, malformed ones refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from translator.errors import InputError
from translator.formats.exports import ExportKind, ExportOptions, export_format
from translator.formats.inline_codes import canonical_html
from translator.formats.interchange import read_interchange
from translator.formats.publication import InterchangeFile, InterchangeSegment, InterchangeUnit

from .interchange_samples import CORPUS, SCHEMAS, TRICKY, sample_file, shown_alike

PAIRS = [("en", "fr"), ("fr", "pt"), ("pt", "en")]
_OFFLINE = etree.XMLParser(no_network=True, resolve_entities=False)
VALIDATORS: dict[str, etree.XMLSchema | etree.DTD] = {
    "xliff": etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), _OFFLINE)),
    "xliff2": etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd"), _OFFLINE)),
    "tmx": etree.DTD(str(SCHEMAS / "tmx14.dtd")),
}


def assert_round_trip(
    original: InterchangeFile, back: InterchangeFile, source: str, target: str
) -> None:
    assert back.languages == [source, target]
    assert back.slug == original.slug and back.title == original.title
    assert [u.id for u in back.units] == [u.id for u in original.units]
    for before, after in zip(original.units, back.units, strict=True):
        assert after.role == before.role and after.notes == before.notes
        src, tgt = before.segments[source], before.segments[target]
        assert after.segments[source].text == canonical_html(src.text)
        assert after.segments[source].base == src.base
        got = after.segments[target]
        assert got.text == canonical_html(tgt.text), before.id
        assert (got.status, got.outdated, got.base) == (
            tgt.status,
            tgt.outdated and bool(tgt.text),
            tgt.base,
        ), before.id


@pytest.mark.parametrize("name", ["xliff", "xliff2"])
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_any_pair_is_schema_valid_and_reads_back(name: str, source: str, target: str) -> None:
    original = sample_file()
    fmt = export_format(name)
    assert fmt.kind == ExportKind.INTERCHANGE and fmt.extension == "xlf"
    data = fmt.write(original, ExportOptions(source=source, target=target))
    schema = VALIDATORS[name]
    assert schema.validate(etree.fromstring(data)), schema.error_log
    back = read_interchange(data, f"doc.{source}-{target}.xlf")
    assert back.warnings == []
    assert_round_trip(original, back, source, target)


def test_texts_without_markup_are_plain_and_markup_becomes_inline_codes() -> None:
    data = export_format("xliff").write(sample_file(2), ExportOptions("en", "fr")).decode()
    assert '<source>AT&amp;T &lt;b&gt; <g id="1" ctype="italic">is <g id="2" ctype="bold">' in data
    assert '<x id="3" ctype="lb"/>' in data
    assert (
        '<bpt id="1" rid="1" ctype="link">&lt;a href="https://example.org/?a=1&amp;amp;b=2"&gt;</bpt>'
        in data
    )
    assert 'state="needs-review-translation" state-qualifier="x-outdated-translated"' in data
    assert 'extradata="en=a1 fr=b1"' in data and '<note from="comment">' in data
    data2 = export_format("xliff2").write(sample_file(2), ExportOptions("en", "fr")).decode()
    assert '<unit id="u9001" type="translator:heading">' in data2
    assert 'subType="xlf:i"' in data2 and 'subType="xlf:lb"' in data2
    assert '<segment state="initial" subState="translator:draft">' in data2
    assert 'subState="translator:outdated"' in data2


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab &<>\"'é\u00a0", min_size=1, max_size=6).map(
                lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            ),
            st.sampled_from(
                ["<em>", "</em>", "<strong>", "</strong>", "<br>", '<a href="x">', "</a>"]
            ),
        ),
        max_size=12,
    )
)
@settings(max_examples=300, deadline=None)
def test_any_stored_text_comes_back_identical(pieces: list[str]) -> None:
    text = "".join(pieces)
    unit = InterchangeUnit("1", {"en": InterchangeSegment(text), "fr": InterchangeSegment(text)})
    file = InterchangeFile(["en", "fr"], [unit], slug="s")
    # Every interchange format, not only XLIFF: one property, four writers and readers.
    for name, ext in [("xliff", "xlf"), ("xliff2", "xlf"), ("po", "po"), ("tmx", "tmx")]:
        if name in ("po", "tmx") and not text:
            continue  # empty cells are not written (no msgid; a memory has no empty cells)
        data = export_format(name).write(file, ExportOptions())
        if name in VALIDATORS:
            validator = VALIDATORS[name]
            assert validator.validate(etree.fromstring(data)), (name, validator.error_log)
        back = read_interchange(data, f"x.{ext}")
        assert back.units[0].segments["en"].text == text, name
        assert back.units[0].segments["fr"].text == text, name


def test_translate_toolkit_reads_our_xliff(tmp_path: Path) -> None:
    from translate.storage import factory

    original = sample_file()
    path = tmp_path / "doc.xlf"
    path.write_bytes(export_format("xliff").write(original, ExportOptions("en", "pt")))
    store = factory.getobject(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert [u.xmlelement.get("id") for u in units] == [u.id for u in original.units]
    for ours, theirs in zip(original.units, units, strict=True):
        # translate-toolkit shows <g> content as text and a <bpt>'s native code as text
        for got, text in [
            (theirs.source, ours.segments["en"].text),
            (theirs.target, ours.segments["pt"].text),
        ]:
            assert shown_alike(got, text), (got, text)
    assert "Check the brand & the tags" in units[-3].getnotes()


@pytest.mark.parametrize("language", ["en", "fr", "pt", "pt_BR"])
def test_real_xliff_files_read(language: str) -> None:
    path = CORPUS / "interchange" / "xliff-symfony-validator" / f"validators.{language}.xlf"
    if not path.exists():
        pytest.skip(f"{path} not available")
    result = read_interchange(path.read_bytes(), path.name)
    assert len(result.units) == 116
    assert result.slug == "file.ext"
    assert {u.id for u in result.units} >= {"1", "6", "116"}
    six = next(u for u in result.units if u.id == "6")
    assert "{{ limit }}" in six.segments["en"].text
    if language == "en":
        assert result.languages == ["en"] and result.warnings
    else:
        target = language.replace("_", "-")
        assert result.languages == ["en", target]
        statuses = {u.segments[target].status for u in result.units}
        assert statuses <= {"translated", "draft"}
        if language.startswith("pt"):
            assert "draft" in statuses  # state="needs-translation" with text: a draft


def _corrupt(data: bytes) -> dict[str, bytes]:
    lines = data.split(b"\n")
    return {
        "truncated": data[: len(data) // 2],
        "mismatched tag": b"\n".join([*lines[:9], b"<target>oops</source>", *lines[9:]]),
        "bad character": data.replace(b"This value", b"This \x01value", 1),
        "two roots": data + b"<xliff/>",
        "unescaped ampersand": data.replace(b"This value", b"This & value", 1),
    }


@pytest.mark.parametrize(
    "case", ["truncated", "mismatched tag", "bad character", "two roots", "unescaped ampersand"]
)
def test_malformed_xliff_is_an_input_error_with_file_and_line(case: str) -> None:
    path = CORPUS / "interchange" / "xliff-symfony-validator" / "validators.fr.xlf"
    if not path.exists():
        pytest.skip(f"{path} not available")
    with pytest.raises(InputError) as caught:
        read_interchange(_corrupt(path.read_bytes())[case], "broken.xlf")
    assert caught.value.file == "broken.xlf"
    assert caught.value.line is not None and caught.value.line > 0
    assert "broken.xlf:" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:1.2' version='1.2'/>", "no <file>"),
        (
            b"<xliff xmlns='urn:oasis:names:tc:xliff:document:1.2' version='1.2'><file "
            b"source-language='en' datatype='x' original='o'><body><trans-unit id='1'/>"
            b"</body></file></xliff>",
            "no <source>",
        ),
        (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.0'/>", "srcLang"),
        (b"<tmx version='1.4'><body/></tmx>", "<tmx> root, not an XLIFF"),
        (b"<html><body>hi</body></html>", "<html> root"),
    ],
)
def test_xliff_that_is_not_usable_says_why(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as caught:
        read_interchange(data, "odd.xlf")
    assert caught.value.file == "odd.xlf"


def test_units_in_groups_and_several_segments_are_read() -> None:
    data = b"""<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
 <file id="f"><group id="g"><unit id="intro">
  <segment state="final"><source>One.</source><target>Un.</target></segment>
  <ignorable><source> </source></ignorable>
  <segment state="translated"><source>Two <pc id="1">x</pc>.</source>
   <target>Deux.</target></segment>
 </unit></group></file></xliff>"""
    result = read_interchange(data, "g.xliff")
    (unit,) = result.units
    assert unit.id == "intro"
    assert unit.segments["en"].text == "One. Two x."
    assert (unit.segments["fr"].text, unit.segments["fr"].status) == ("Un. Deux.", "translated")
    assert result.warnings  # the <pc> without original data was dropped, its text kept


def test_tricky_rows_are_the_ones_tested() -> None:
    assert [u.id for u in sample_file(0).units] == [u.id for u in TRICKY]


def test_the_target_language_may_be_on_the_targets_only() -> None:
    data = b"""<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
 <file source-language="en" datatype="plaintext" original="o"><body>
  <trans-unit id="a"><source>Yes</source><target xml:lang="fr">Oui</target></trans-unit>
 </body></file>
 <file source-language="en" target-language="de" datatype="plaintext" original="p"><body>
  <trans-unit id="b"><source>No</source><target>Nein</target></trans-unit>
 </body></file></xliff>"""
    result = read_interchange(data, "t.xlf")
    assert result.languages == ["en", "fr"]
    assert [u.id for u in result.units] == ["a"]
    assert result.units[0].segments["fr"].text == "Oui"
    assert any("other languages" in warning for warning in result.warnings)
