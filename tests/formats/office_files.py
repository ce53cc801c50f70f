"""Small DOCX, ODT and EPUB files built in the tests (nothing committed, nothing
downloaded): python-docx for DOCX, with the parts it cannot write (footnotes, endnotes,
numbering definitions) added as XML; ODT and EPUB written member by member."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def require_tool(name: str) -> str:
    """The path of a command-line tool the test needs; skip without it (fail in CI)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


def convert(
    tool: str, source: Path, target_format: str, outdir: Path, writer: str | None = None
) -> bytes:
    """``source`` converted by pandoc (its ``writer``, e.g. "epub2") or LibreOffice; the
    converted file's bytes."""
    target = outdir / f"{source.stem}.{target_format}"
    if tool == "soffice":
        command = [
            require_tool("soffice"),
            f"-env:UserInstallation=file://{outdir}/lo-profile",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ]
    else:
        command = [require_tool("pandoc"), "-s", str(source), "-o", str(target)]
        if writer:
            command += ["-t", writer]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return target.read_bytes()


def zip_bytes(members: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    """A ZIP archive of ``members`` (``stored_first``, e.g. "mimetype", uncompressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def replace_members(data: bytes, changes: dict[str, bytes | str]) -> bytes:
    """``data`` (a ZIP archive) with members replaced or added."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members: dict[str, bytes | str] = {n: source.read(n) for n in source.namelist()}
    members.update(changes)
    return zip_bytes(members)


# --- DOCX ------------------------------------------------------------------------------


def numbered(paragraph: Paragraph, num_id: int, ilvl: int = 0) -> Paragraph:
    """Give ``paragraph`` the numbering ``num_id`` at level ``ilvl``."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


def note_call(paragraph: Paragraph, kind: str, note_id: int) -> None:
    """Append a footnote (``kind`` "footnote") or endnote reference to ``paragraph``."""
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{kind}Reference w:id="{note_id}"/></w:r>'
        )
    )


def add_numbering(document: docx.document.Document) -> None:
    """Numbering definitions: numId 10 = "1." / "a)" levels starting at 3; numId 11 =
    the same definition restarted at 1; numId 12 = bullets."""
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%2)"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
            '<w:lvlText w:val="%1.%3"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="\u2022"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="10"><w:abstractNumId w:val="90"/></w:num>')
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="11"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="12"><w:abstractNumId w:val="91"/></w:num>')
    )


def _notes_part(kind: str, notes: dict[int, list[str]]) -> str:
    body = "".join(
        f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>'
        + "</w:p><w:p>".join(
            text
            if text.startswith("<w:")
            else f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r>'
            for text in texts
        )
        + f"</w:p></w:{kind}>"
        for note_id, texts in notes.items()
    )
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    r_ns = f'xmlns:r="{_REL}"'
    return f"{declaration}<w:{kind}s {W_NS} {r_ns}>{separators}{body}</w:{kind}s>"


def with_notes(
    data: bytes, footnotes: dict[int, list[str]], endnotes: dict[int, list[str]]
) -> bytes:
    """A saved python-docx file with footnotes and endnotes parts added."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        rels = source.read("word/_rels/document.xml.rels").decode()
        types = source.read("[Content_Types].xml").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdFn" Type="{_REL}/footnotes" Target="footnotes.xml"/>'
        f'<Relationship Id="rIdEn" Type="{_REL}/endnotes" Target="endnotes.xml"/>'
        "</Relationships>",
    )
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    types = types.replace(
        "</Types>",
        f'<Override PartName="/word/footnotes.xml" ContentType="{main}.footnotes+xml"/>'
        f'<Override PartName="/word/endnotes.xml" ContentType="{main}.endnotes+xml"/>'
        "</Types>",
    )
    return replace_members(
        data,
        {
            "word/_rels/document.xml.rels": rels,
            "[Content_Types].xml": types,
            "word/footnotes.xml": _notes_part("footnote", footnotes),
            "word/endnotes.xml": _notes_part("endnote", endnotes),
            # A link in a note is a relationship of the notes part, not of the body.
            "word/_rels/footnotes.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdNoteLink" '
                f'Type="{_REL}/hyperlink" Target="https://example.org/source" '
                'TargetMode="External"/></Relationships>'
            ),
        },
    )


def sample_docx() -> bytes:
    """A DOCX with every structure the import reads (see test_docx_import)."""
    document = docx.Document()
    document.add_heading("A Collective's Book", 0)
    document.add_heading("First chapter", 1)
    paragraph = document.add_paragraph("Plain ")
    paragraph.add_run("bold").bold = True
    paragraph.add_run(", ")
    paragraph.add_run("italic").italic = True
    paragraph.add_run(", ")
    paragraph.add_run("underlined").underline = True
    paragraph.add_run(" & H")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("O, x")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run(" <not a tag>.")
    note_call(paragraph, "footnote", 1)
    outlined = document.add_paragraph("An outline-level heading")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    document.add_paragraph("Said in a quote.", style="Quote")
    document.add_paragraph("Said intensely.", style="Intense Quote")
    add_numbering(document)
    numbered(document.add_paragraph("Third item"), 10)
    numbered(document.add_paragraph("Fourth item"), 10)
    numbered(document.add_paragraph("Sub a"), 10, 1)
    numbered(document.add_paragraph("Sub b"), 10, 1)
    numbered(document.add_paragraph("Deep"), 10, 2)
    numbered(document.add_paragraph("Fifth item"), 10)
    numbered(document.add_paragraph("Restarted"), 11)
    numbered(document.add_paragraph("A bullet"), 12)
    document.add_paragraph("A styled number", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, texts in zip(table.rows, [("Cell one", "Cell two"), ("", "Cell four")], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    closing = document.add_paragraph("See the ")
    closing._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="'
            + document.part.relate_to(
                "https://example.org/page?a=1&b=2", f"{_REL}/hyperlink", is_external=True
            )
            + '"><w:r><w:t>site</w:t></w:r></w:hyperlink>'
        )
    )
    closing._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="'
            + document.part.relate_to("javascript:alert(1)", f"{_REL}/hyperlink", is_external=True)
            + '"><w:r><w:t xml:space="preserve"> and nothing</w:t></w:r></w:hyperlink>'
        )
    )
    closing.add_run(" here.")
    note_call(closing, "endnote", 5)
    note_call(closing, "footnote", 2)
    buffer = io.BytesIO()
    document.save(buffer)
    return with_notes(
        buffer.getvalue(),
        footnotes={
            1: ["The first footnote."],
            2: [
                "The second footnote.",
                '<w:r><w:t xml:space="preserve">Its second paragraph, from </w:t></w:r>'
                '<w:hyperlink r:id="rIdNoteLink"><w:r><w:t>a source</w:t></w:r></w:hyperlink>'
                "<w:r><w:t>.</w:t></w:r>",
            ],
        },
        endnotes={5: ["An endnote."]},
    )
