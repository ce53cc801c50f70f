"""What python-docx does not do for the DOCX writers: runs from inline tokens (with real
hyperlink relationships), the styles Word has but the default template lacks, a real
footnotes part, the language of runs and of the document, and deterministic zip bytes.

The footnotes part is ``word/footnotes.xml`` related to the document part with the
officeDocument footnotes relationship; it starts with the two separator footnotes Word
expects (ids -1 and 0), and each note is a ``w:footnote`` whose first run is the
``w:footnoteRef`` mark, referenced in the text by a ``w:footnoteReference`` run.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.text.run import Run

from translator.formats.epub_inline import Break, Call, Close, Open, Text, Token, is_rtl

__all__ = [
    "Footnotes",
    "RunWriter",
    "add_styles",
    "deterministic_zip",
    "set_document_language",
    "set_language",
    "set_right_to_left",
]

MONOSPACE = "Courier New"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)
# CT_RPr children that come after w:lang (the schema's order matters to Word).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_BIDI = (
    *("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing"),
    *("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment"),
    *("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr"),
    "w:pPrChange",
)


def add_styles(document: Document) -> None:
    """Add the styles the default template lacks: Footnote Text, Footnote Reference,
    Hyperlink (Word's own names and ids) and Notice (the unfinished-edition note)."""
    styles = document.styles
    names = {style.name for style in styles}
    if "Footnote Text" not in names:
        text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.font.size = Pt(10)
        text.paragraph_format.space_after = Pt(0)
    if "Footnote Reference" not in names:
        reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True
    if "Hyperlink" not in names:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
    if "Notice" not in names:
        notice = styles.add_style("Notice", WD_STYLE_TYPE.PARAGRAPH)
        notice.base_style = styles["Normal"]
        notice.font.italic = True
        notice.font.size = Pt(10)
        notice.font.color.rgb = RGBColor(0x80, 0x20, 0x20)


def set_language(element: BaseOxmlElement, language: str) -> None:
    """Set ``w:lang`` (all three scripts) on an rPr element, replacing any there."""
    for old in element.findall(qn("w:lang")):
        element.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    element.insert_element_before(lang, *_AFTER_LANG)


def set_right_to_left(p_pr: BaseOxmlElement) -> None:
    """Make a paragraph (or the paragraph defaults) right to left: ``w:bidi``."""
    if p_pr.find(qn("w:bidi")) is None:
        p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def set_document_language(document: Document, language: str) -> None:
    """The language every run has unless it says otherwise (docDefaults), and the
    paragraphs' direction when that language is written right to left."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is not None:
        set_language(r_pr, language)
    p_pr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if p_pr is not None and is_rtl(language):
        set_right_to_left(p_pr)


class RunWriter:
    """Appends runs for inline tokens to a ``w:p``: em/strong/code/sup/sub become run
    properties, links real ``w:hyperlink`` elements related from ``part``; ``on_call``
    decides what a footnote call becomes (it returns the run, or None for text)."""

    def __init__(
        self,
        part: Part,
        language: str | None = None,
        on_call: Callable[[Call], BaseOxmlElement | None] | None = None,
    ) -> None:
        self.part = part
        self.language = language
        self.on_call = on_call

    def write(
        self, paragraph: BaseOxmlElement, tokens: Iterable[Token], bold: bool = False
    ) -> None:
        """Append the runs of ``tokens`` to the paragraph element."""
        open_tags: list[str] = []
        target = paragraph
        for token in tokens:
            if isinstance(token, Text):
                self._run(target, token.text, open_tags, bold)
            elif isinstance(token, Open):
                open_tags.append(token.tag)
                if token.href is not None:
                    target = OxmlElement("w:hyperlink")
                    rid = self.part.relate_to(token.href, RT.HYPERLINK, is_external=True)
                    target.set(qn("r:id"), rid)
                    paragraph.append(target)
            elif isinstance(token, Close):
                if token.tag in open_tags:
                    open_tags.reverse()
                    open_tags.remove(token.tag)
                    open_tags.reverse()
                if token.tag == "a":
                    target = paragraph
            elif isinstance(token, Break):
                run = self._run(target, "", open_tags, bold)
                run.add_break()
            elif isinstance(token, Call):
                element = self.on_call(token) if self.on_call else None
                if element is None:
                    self._run(target, token.text, open_tags, bold)
                else:
                    target.append(element)

    def _run(self, target: BaseOxmlElement, text: str, tags: list[str], bold: bool) -> Run:
        element = OxmlElement("w:r")
        target.append(element)
        run = Run(element, None)  # type: ignore[arg-type]  # no parent: we never ask for it
        if text:  # a w:t of our own: Run.text appends character by character
            piece = OxmlElement("w:t")
            piece.text = text.replace("\t", " ").replace("\n", " ")
            if piece.text != piece.text.strip():
                piece.set(qn("xml:space"), "preserve")
            element.append(piece)
        if "a" in tags:
            element.get_or_add_rPr().style = "Hyperlink"
        if "em" in tags:
            run.italic = True
        if "strong" in tags or bold:
            run.bold = True
        if "code" in tags:
            run.font.name = MONOSPACE
        if "sup" in tags:
            run.font.superscript = True
        elif "sub" in tags:
            run.font.subscript = True
        if self.language:
            set_language(element.get_or_add_rPr(), self.language)
        return run


class Footnotes:
    """The document's footnotes part, made on the first note."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.part: XmlPart | None = None
        self.count = 0

    def add(self, tokens: list[Token], language: str | None = None) -> BaseOxmlElement:
        """Add a footnote with the text of ``tokens``; the reference run to put where it
        is called."""
        part = self._part()
        self.count += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.count))
        paragraph = OxmlElement("w:p")
        paragraph.get_or_add_pPr().style = "FootnoteText"
        mark = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            "<w:footnoteRef/></w:r>"
        )
        paragraph.append(mark)
        paragraph.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> </w:t></w:r>'))
        RunWriter(part, language).write(paragraph, tokens)
        note.append(paragraph)
        part.element.append(note)
        return parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{self.count}"/></w:r>'
        )

    def _part(self) -> XmlPart:
        if self.part is None:
            element = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}>{_SEPARATORS}</w:footnotes>")
            package = self.document.part.package
            partname = PackURI("/word/footnotes.xml")
            self.part = XmlPart(partname, CT.WML_FOOTNOTES, element, package)
            self.document.part.relate_to(self.part, RT.FOOTNOTES)
            _footnote_settings(self.document)
        return self.part


def _footnote_settings(document: Document) -> None:
    """``w:footnotePr`` in settings names the separators, as Word writes it."""
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    properties = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(properties)


def deterministic_zip(data: bytes) -> bytes:
    """The same package with every entry dated 2000-01-01, so that the same document
    always gives the same bytes."""
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read(entry.filename))
    return buffer.getvalue()
