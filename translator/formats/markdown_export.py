"""Markdown export (``md``): CommonMark plus the footnote syntax of markdown-it's
footnote plugin (``[^label]`` calls, ``[^label]: text`` definitions), which is also
what the Markdown import reads, so an exported edition imports back block for block.

Headings are ``#`` lines, quotes ``>`` lines, list items ``-`` (numbered ones ``3.``,
or their label after the ``-`` when it is not a decimal number) nested by
indentation; ``em`` → ``*``, ``strong`` → ``**``, ``code`` → backticks, ``a`` →
``[text](url)``, ``br`` → a backslash line break; ``sup``/``sub`` stay inline HTML
(CommonMark allows it). Entities are decoded, and only what Markdown would read as
syntax is escaped with a backslash. An unfinished edition opens with its notice as a
blockquote.
"""

from __future__ import annotations

import html
import re

from translator.formats.base import BlockRole
from translator.formats.exports import ExportFormat, ExportKind, ExportOptions, register
from translator.formats.lists import ItemList, ListItem, list_lines, list_run, list_tree
from translator.formats.publication import Passage, Publication, footnote_calls
from translator.formats.text_export import (
    InlineReader,
    footnote_labels,
    notice_lines,
    sanitize,
    title_and_body,
)

__all__ = ["escape_markdown", "inline_markdown", "write_markdown"]

# Punctuation that can start or end inline syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
# What would start a block at the beginning of a line: a heading, a quote, a list
# marker, a thematic break, a fenced block, an ordered list ("1." / "1)").
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d{1,9})([.)]))")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ESCAPED = re.compile(r"\\([\\`*_\[\]<])")
_CALL_MARK = re.compile("\ue000([0-9]+)\ue001")
_LABEL_UNSAFE = re.compile(r"[^\w.\-]")


def escape_markdown(text: str) -> str:
    """Plain ``text`` escaped so that CommonMark reads it back as the same text."""
    return _ENTITY_LIKE.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", text))


def _escape_line_start(text: str) -> str:
    """Escape the character that would make a paragraph's line start a block."""

    def escape(match: re.Match[str]) -> str:
        if match[2]:
            return f"{match[1]}\\{match[2]}"
        return f"{match[1]}{match[3]}\\{match[4]}"

    return _LINE_START.sub(escape, text, count=1)


def markdown_label(label: str) -> str:
    """A footnote label Markdown accepts: no spaces, brackets or carets."""
    return _LABEL_UNSAFE.sub("-", label) or "note"


def inline_markdown(inline_html: str, labels: set[str], indent: str = "") -> str:
    """Stored inline HTML as Markdown; calls of the notes ``labels`` become ``[^label]``.
    ``indent`` continues the block after a line break (inside a list item, a quote)."""
    clean = sanitize(inline_html)
    if "\ue000" in clean or "\ue001" in clean:  # never in prose; if so, calls stay text
        return _convert(clean, indent)
    escaped = {html.escape(label, quote=False): label for label in labels}
    marked: list[str] = []
    called: list[str] = []
    position = 0
    for call in footnote_calls(clean, set(escaped)):
        # a mark, not the Markdown, so that a call inside <em> leaves the <em> whole
        marked.append(f"{clean[position : call.start]}\ue000{len(called)}\ue001")
        called.append(markdown_label(escaped[call.label]))
        position = call.end
    marked.append(clean[position:])
    converted = _convert("".join(marked), indent)
    return _CALL_MARK.sub(lambda match: f"[^{called[int(match[1])]}]", converted)


def _convert(fragment: str, indent: str) -> str:
    """Sanitized inline HTML (no footnote call) as Markdown."""
    out: list[str] = []
    opened: list[tuple[str, int, str]] = []  # tag, where its content starts, href
    for kind, value, href in InlineReader.read(fragment):
        if kind == "text":
            out.append(escape_markdown(value))
        elif kind == "start" and value == "br":
            out.append("\\\n" + indent)
        elif kind == "start":
            opened.append((value, len(out), href))
        elif kind == "end" and opened and opened[-1][0] == value:
            tag, start, url = opened.pop()
            content = "".join(out[start:])
            del out[start:]
            out.append(_wrap(tag, content, url))
    return "".join(out)


def _wrap(tag: str, content: str, url: str) -> str:
    """``content`` (Markdown already) marked up as ``tag``."""
    if tag in ("em", "strong"):
        if not content.strip():
            return content
        mark = "*" if tag == "em" else "**"
        core = content.strip()
        lead = content[: len(content) - len(content.lstrip())]
        trail = content[len(content.rstrip()) :]
        return f"{lead}{mark}{core}{mark}{trail}"
    if tag == "code":
        raw = _ESCAPED.sub(r"\1", content).replace("&amp;", "&")
        fence = "`" * (max((len(run) for run in re.findall(r"`+", raw)), default=0) + 1)
        pad = " " if raw.startswith("`") or raw.endswith("`") else ""
        return f"{fence}{pad}{raw}{pad}{fence}"
    if tag == "a" and url:
        for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
            url = url.replace(char, code)
        return f"[{content}]({url})"
    if tag in ("sup", "sub"):
        return f"<{tag}>{content}</{tag}>"
    return content


def _lists_markdown(lists: list[ItemList], labels: set[str]) -> str:
    """Lists as Markdown: bullets ``-``; a numbered list ``3.`` / ``3)`` when its numbers
    are decimal ones Markdown can count, otherwise bullets each starting with its label,
    escaped ("- iv. …", "- 2.1. …"); lists that follow each other are kept apart by a
    comment (Markdown would join two numbered lists)."""

    def marker(item_list: ItemList, item: ListItem) -> tuple[str, int]:
        numbering = item_list.numbering
        if not (item_list.ordered and item.label):
            return "- ", 2
        counted = ("decimal", "", "."), ("decimal", "", ")")  # what Markdown counts itself
        if (
            numbering is not None
            and (numbering.style, numbering.prefix, numbering.suffix) in counted
        ):
            return f"{item.label} ", len(item.label) + 1
        return f"- {_escape_line_start(escape_markdown(item.label))} ", 2

    def text(passage: Passage, indent: str) -> str:
        return _escape_line_start(inline_markdown(" ".join(passage.sentences), labels, indent))

    return "\n".join(list_lines(lists, marker, text, between="<!-- -->"))


def write_markdown(publication: Publication, options: ExportOptions) -> bytes:
    """The edition as CommonMark with footnotes (UTF-8), see the module docstring."""
    labels = footnote_labels(publication)
    blocks: list[str] = []
    if lines := notice_lines(publication.notice, publication.info.language):
        items = [f"> - {escape_markdown(line)}" for line in lines[1:]]
        title_line = f"> **{escape_markdown(lines[0])}**"
        blocks.append("\n".join([title_line, *([">"] if items else []), *items]))
    title, passages = title_and_body(publication)
    blocks.append("# " + inline_markdown(title, labels).replace("\n", " "))
    notes: list[str] = []
    previous: BlockRole | None = None
    for index, passage in enumerate(passages):
        text = " ".join(passage.sentences)
        role = passage.role
        if role is BlockRole.HEADING:
            level = min(max(passage.level or 2, 1), 6)
            blocks.append("#" * level + " " + inline_markdown(text, labels).replace("\n", " "))
        elif role is BlockRole.QUOTE:
            quote = "> " + _escape_line_start(inline_markdown(text, labels, indent="> "))
            if previous is BlockRole.QUOTE:
                blocks[-1] += "\n>\n" + quote
            else:
                blocks.append(quote)
        elif role is BlockRole.LIST_ITEM:
            if previous is not BlockRole.LIST_ITEM:
                blocks.append(_lists_markdown(list_tree(list_run(passages, index)), labels))
        elif role is BlockRole.FOOTNOTE:
            label = markdown_label(passage.label or str(len(notes) + 1))
            notes.append(f"[^{label}]: " + inline_markdown(text, labels, indent="    "))
        else:
            blocks.append(_escape_line_start(inline_markdown(text, labels).strip()))
        previous = role
    blocks.extend(notes)
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


register(
    ExportFormat(
        name="md",
        kind=ExportKind.EDITION,
        extension="md",
        media_type="text/markdown; charset=utf-8",
        write=write_markdown,
        label="Markdown",
    )
)
