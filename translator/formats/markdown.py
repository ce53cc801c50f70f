"""Markdown (CommonMark, footnotes, GFM tables) through markdown-it-py.

Block mapping: ATX/setext headings → HEADING (their level); paragraphs → PARAGRAPH;
every paragraph inside a block quote → QUOTE; every paragraph of a list item → LIST_ITEM
(level = list nesting depth, 1 = top); footnote definitions → FOOTNOTE blocks (one per
paragraph, ``label`` = the footnote's label) placed after everything else, in definition
order, referenced or not. The innermost container wins (a quote in a list item is a QUOTE).

Kept out of translation, each with a warning naming its line: code blocks and fences, raw
HTML blocks (HTML comments are dropped silently). A table becomes one PARAGRAPH per
non-empty cell, with a warning: the units stay translatable, the grid does not survive.
Inline footnotes (``^[...]``) are not recognised and stay literal text.
The rendering of inline markup into Block.text is described in ``markdown_inline``.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.markdown_inline import render_inline

_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)


class _MarkdownIt(MarkdownIt):
    """Accept every link destination: ``markdown_inline`` filters schemes itself, so that
    a ``javascript:`` link keeps its text instead of staying as raw ``[text](url)``."""

    def validateLink(self, url: str) -> bool:
        return True


@cache
def _parser() -> MarkdownIt:
    parser = _MarkdownIt("commonmark", {"html": True})
    parser.use(front_matter_plugin)
    parser.use(footnote_plugin, inline=False, move_to_end=False)
    parser.enable("table")
    return parser


def parse_markdown(text: str) -> ParsedText:
    """Parse Markdown into blocks whose text is the inline-HTML subset of ``INLINE_TAGS``.

    ``ParsedText.title`` comes from a front-matter ``title:`` or, failing that, from the
    only level-1 heading (as plain text). See the module docstring for the block mapping.
    """
    walker = _Walker()
    env: dict[str, Any] = {}
    walker.walk(_parser().parse(text, env))
    return ParsedText(
        blocks=walker.blocks + walker.footnotes,
        format="markdown",
        title=walker.title or walker.only_h1(),
        warnings=walker.warnings,
    )


class _Walker:
    """One pass over markdown-it's flat token stream, tracking the open containers."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.footnotes: list[Block] = []
        self.warnings: list[str] = []
        self.title: str | None = None
        self._containers: list[str] = []  # "blockquote", "list" (item) or "footnote"
        self._list_depth = 0
        self._footnote_label = ""
        self._h1: list[str] = []
        self._table_warned = False

    def walk(self, tokens: list[Token]) -> None:
        """Turn the token stream into blocks, footnotes, title and warnings."""
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                self._inline(tokens[index - 1], token)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self._list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self._list_depth -= 1
            elif kind in ("blockquote_open", "list_item_open", "footnote_reference_open"):
                self._containers.append(kind.split("_")[0])
                if kind == "footnote_reference_open":
                    self._footnote_label = str(token.meta["label"])
            elif kind in ("blockquote_close", "list_item_close", "footnote_reference_close"):
                self._containers.pop()
            elif kind == "front_matter":
                match = _TITLE.search(token.content)
                if match:
                    self.title = match.group(1).strip("\"'") or None
            elif kind in ("fence", "code_block"):
                self._warn(token, "code block kept out of translation")
            elif kind == "html_block" and _COMMENT.sub("", token.content):
                self._warn(token, "raw HTML block skipped")
            elif kind == "table_open":
                self._table_warned = False

    def only_h1(self) -> str | None:
        """The plain text of the document's only level-1 heading, if it has exactly one."""
        if len(self._h1) != 1:
            return None
        return html.unescape(_TAG.sub("", self._h1[0])) or None

    def _inline(self, opener: Token, token: Token) -> None:
        text = render_inline(token.children or [])
        if not text:
            return
        line = token.map[0] + 1 if token.map else None
        if opener.type == "heading_open":
            level = int(opener.tag[1:])
            if level == 1:
                self._h1.append(text)
            self.blocks.append(Block(BlockRole.HEADING, text, level=level, line=line))
        elif opener.type in ("th_open", "td_open"):
            if not self._table_warned:
                self._warn(token, "table imported as one paragraph per cell")
                self._table_warned = True
            self.blocks.append(Block(BlockRole.PARAGRAPH, text, line=line))
        elif "footnote" in self._containers:
            label = self._footnote_label
            self.footnotes.append(Block(BlockRole.FOOTNOTE, text, label=label, line=line))
        elif self._containers and self._containers[-1] == "list":
            level = self._list_depth
            self.blocks.append(Block(BlockRole.LIST_ITEM, text, level=level, line=line))
        elif self._containers and self._containers[-1] == "blockquote":
            self.blocks.append(Block(BlockRole.QUOTE, text, line=line))
        else:
            self.blocks.append(Block(BlockRole.PARAGRAPH, text, line=line))

    def _warn(self, token: Token, message: str) -> None:
        where = f"line {token.map[0] + 1}: " if token.map else ""
        self.warnings.append(where + message)
