"""Web page export of one edition (``html``), and the page's parts that the side-by-side
page (``html_parallel``) shares.

A standalone, semantic HTML5 page with its stylesheet embedded and nothing to fetch:
no remote font, image or script; the only URLs are the links of the text itself. Every
stored text goes through ``text_export.sanitize`` first (never trusted), then footnote
calls become links to the endnotes and back (``#fn-LABEL`` / ``#fnref-LABEL``, labels
made safe as ids by ``safe_id``). The PDF writer renders these same pages with a print
stylesheet (``render_page`` / ``html_parallel.render_parallel_page``).
"""

from __future__ import annotations

import html
import re
from importlib import resources

from translator.errors import InputError
from translator.formats.base import BlockRole
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.lists import (
    list_tree,
    lists_html,
)
from translator.formats.publication import (
    EditionInfo,
    Notice,
    Passage,
    Publication,
    footnote_calls,
)
from translator.formats.text_export import (
    footnote_labels,
    notice_lines,
    people_lines,
    sanitize,
    title_and_body,
)
from translator.formats.wording import wording

__all__ = [
    "FootnoteLinker",
    "edition_header",
    "language_attributes",
    "notice_box",
    "render_page",
    "safe_id",
    "stylesheet",
    "write_html",
]

_RTL = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_OPEN_LINK = re.compile(r"<a\b")
# Refused in an extra stylesheet: a way out of <style>, a fetch, escapes spelling them.
_UNSAFE_CSS = re.compile(r"</|@import|image-set|\\|url\s*\(\s*(?![\"']?data:)|src\s*\(", re.I)


def stylesheet(*names: str) -> str:
    """The packaged stylesheets ``names`` (files of ``formats/styles``), concatenated."""
    folder = resources.files("translator.formats").joinpath("styles")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in names)


def safe_id(label: str) -> str:
    """``label`` as a fragment of an id: ASCII letters, digits and ``-`` as they are,
    every other character as ``_`` + its hex code (so two labels never collide)."""
    return "".join(
        char if char.isascii() and (char.isalnum() or char == "-") else f"_{ord(char):x}"
        for char in label
    )


def language_attributes(language: str) -> str:
    """``lang="…" dir="…"`` for a BCP 47 tag (``und`` when it is not one)."""
    tag = language if _LANGUAGE_TAG.fullmatch(language) else "und"
    direction = "rtl" if tag.split("-")[0].lower() in _RTL else "ltr"
    return f'lang="{tag}" dir="{direction}"'


class FootnoteLinker:
    """Turns footnote calls into links to their notes, and remembers which notes were
    called, so that a note links back to its first call. ``prefix`` keeps the ids of
    several editions on one page apart."""

    def __init__(self, labels: set[str], prefix: str = "", language: str = "en") -> None:
        self.words = wording(language)
        # Calls are found in escaped text: a label "a&b" is written "a&amp;b" there.
        self.labels = {html.escape(label, quote=False): label for label in labels}
        self.prefix = prefix
        self.calls: dict[str, int] = {}

    def note_id(self, label: str) -> str:
        """The id of the note ``label``."""
        return f"fn-{self.prefix}{safe_id(label)}"

    def call_id(self, label: str, count: int = 1) -> str:
        """The id of the ``count``-th call of the note ``label``."""
        suffix = "" if count == 1 else f"-{count}"
        return f"fnref-{self.prefix}{safe_id(label)}{suffix}"

    def link(self, text: str) -> str:
        """Sanitized ``text`` with every call of a known note made a link to it."""
        clean = sanitize(text)
        out: list[str] = []
        position = 0
        for call in footnote_calls(clean, set(self.labels)):
            before = clean[: call.start]
            if len(_OPEN_LINK.findall(before)) > before.count("</a>"):
                continue  # inside a link of the text: links do not nest
            label = self.labels[call.label]
            count = self.calls.get(label, 0) + 1
            self.calls[label] = count
            out.append(clean[position : call.start])
            out.append(
                f'<sup class="fn-call"><a href="#{self.note_id(label)}" '
                f'id="{self.call_id(label, count)}" role="doc-noteref">'
                f"{html.escape(label)}</a></sup>"
            )
            position = call.end
        out.append(clean[position:])
        return "".join(out)

    def note(self, label: str, text: str) -> str:
        """A note's content with its label and, when it was called, a link back."""
        back = ""
        if label in self.calls:
            back = (
                f' <a class="fn-back" href="#{self.call_id(label)}" role="doc-backlink" '
                f'aria-label="{self.words.back_to_text}">↩</a>'
            )
        return f'<span class="fn-label">{html.escape(label)}.</span> {self.link(text)}{back}'


def notice_box(notice: Notice | None, language: str) -> str:
    """The visible notice of an unfinished edition ("" when it is finished)."""
    lines = notice_lines(notice, language)
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines[1:])
    return (
        f'<aside class="notice" role="note"><p><strong>{html.escape(lines[0])}</strong></p>'
        f"{f'<ul>{items}</ul>' if items else ''}</aside>"
    )


def edition_header(info: EditionInfo, title: str) -> str:
    """The edition's metadata: its title (inline HTML, sanitized here; none when "")
    and credits."""
    parts = [f'<h1 class="title">{sanitize(title)}</h1>' if title else ""]
    if info.document_title and info.document_title != info.title:
        parts.append(f'<p class="document-title">{html.escape(info.document_title)}</p>')
    lines = [html.escape(line) for line in people_lines(info)]
    if info.date:  # the last line: "Date: 2026-12-03"
        iso = info.date.isoformat()
        lines[-1] = lines[-1].replace(iso, f'<time datetime="{iso}">{iso}</time>')
    parts.extend(f'<p class="credit">{line}</p>' for line in lines)
    return "".join(parts)


def passages_html(passages: tuple[Passage, ...], linker: FootnoteLinker) -> str:
    """Headings, paragraphs, quotes and nested lists of one edition (footnotes aside);
    numbered lists keep their numbers (``lists.lists_html``)."""
    out: list[str] = []
    run: list[Passage] = []  # consecutive list items, written as lists once complete
    quote = False

    def item_text(passage: Passage) -> str:
        return linker.link(" ".join(passage.sentences))

    for passage in passages:
        if passage.role is BlockRole.FOOTNOTE:
            continue
        if passage.role is not BlockRole.LIST_ITEM and run:
            out.append(lists_html(list_tree(run), item_text, html.escape).rstrip("\n"))
            run = []
        if passage.role is not BlockRole.QUOTE and quote:
            out.append("</blockquote>")
            quote = False
        if passage.role is BlockRole.LIST_ITEM:
            run.append(passage)
            continue
        text = item_text(passage)
        if passage.role is BlockRole.HEADING:
            level = min(max(passage.level or 2, 1), 6)
            out.append(f"<h{level}>{text}</h{level}>")
        elif passage.role is BlockRole.QUOTE:
            out.append(f"{'' if quote else '<blockquote>'}<p>{text}</p>")
            quote = True
        else:
            out.append(f"<p>{text}</p>")
    if run:
        out.append(lists_html(list_tree(run), item_text, html.escape).rstrip("\n"))
    out.append("</blockquote>" if quote else "")
    return "\n".join(out)


def endnotes_html(passages: tuple[Passage, ...], linker: FootnoteLinker) -> str:
    """The footnotes as an endnotes section, each note linking back to its call."""
    notes = [passage for passage in passages if passage.role is BlockRole.FOOTNOTE]
    labels = [passage.label or str(number) for number, passage in enumerate(notes, 1)]
    items = [
        f'<li id="{linker.note_id(label)}">{linker.note(label, " ".join(note.sentences))}</li>'
        for label, note in zip(labels, notes, strict=True)
    ]
    if not items:
        return ""
    return (
        f'<section class="endnotes" role="doc-endnotes" aria-labelledby="notes-title">'
        f'<h2 id="notes-title">{linker.words.notes}</h2><ol>{"".join(items)}</ol></section>'
    )


def metadata(infos: tuple[EditionInfo, ...]) -> str:
    """``<meta>`` elements a reader, a search engine or WeasyPrint's PDF info read:
    the authors (everyone credited when no author is), the edition date and its
    latest change."""
    people = [person for info in infos for person in info.people]
    authors = [person for person in people if person.role == "aut"] or people
    names = dict.fromkeys(person.name for person in authors)
    tags = [f'<meta name="author" content="{html.escape(name)}">' for name in names]
    if infos and infos[0].date:
        tags.append(f'<meta name="dcterms.created" content="{infos[0].date.isoformat()}">')
    if infos and infos[0].modified:
        tags.append(f'<meta name="dcterms.modified" content="{html.escape(infos[0].modified)}">')
    return "".join(f"{tag}\n" for tag in tags)


def document(
    infos: tuple[EditionInfo, ...], title: str, css: str, body: str, body_class: str
) -> str:
    """A complete HTML5 page around ``body``, in the language of the first edition."""
    language = infos[0].language if infos else "und"
    return (
        f'<!DOCTYPE html>\n<html {language_attributes(language)}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{metadata(infos)}"
        f"<style>\n{css}\n</style>\n</head>\n"
        f'<body class="{body_class}">\n{body}\n</body>\n</html>\n'
    )


def extra_css(options: ExportOptions) -> str:
    """The caller's extra stylesheet, refused when it could fetch or escape <style>."""
    if _UNSAFE_CSS.search(options.stylesheet):
        raise InputError(
            "the extra stylesheet may not import, fetch URLs, use CSS escapes or close "
            "the style element",
            field="stylesheet",
        )
    return options.stylesheet


def render_page(publication: Publication, css: str) -> str:
    """One edition as an HTML page with the stylesheet ``css``."""
    info = publication.info
    linker = FootnoteLinker(footnote_labels(publication), language=publication.info.language)
    title, passages = title_and_body(publication)
    header = edition_header(info, linker.link(title))
    body = passages_html(passages, linker)
    notes = endnotes_html(passages, linker)  # after the body: calls known
    notice = notice_box(publication.notice, info.language)
    page = (
        f'<header class="edition">{header}</header>\n{notice}\n'
        f"<main>\n<article>\n{body}\n</article>\n{notes}\n</main>"
    )
    return document((info,), info.title, css, page, "edition")


def write_html(publication: Publication, options: ExportOptions) -> bytes:
    """One edition as a standalone HTML5 page (UTF-8)."""
    css = stylesheet("page.css") + extra_css(options)
    return render_page(publication, css).encode("utf-8")


register(
    ExportFormat(
        name="html",
        kind=ExportKind.EDITION,
        extension="html",
        media_type="text/html; charset=utf-8",
        write=write_html,
        label="Web page",
    )
)
