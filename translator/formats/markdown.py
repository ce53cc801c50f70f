"""Markdown (CommonMark, footnotes, GFM tables) through markdown-it-py.

Block mapping: ATX/setext headings → HEADING (their level); paragraphs → PARAGRAPH;
every paragraph inside a block quote → QUOTE; every paragraph of a list item → LIST_ITEM
(level = list nesting depth, 1 = top; the first block of an ordered list's item has the
item's number as ``label``, "3." or "3)", counted from the list's start as CommonMark
renders it); footnote definitions → FOOTNOTE blocks (one per
paragraph, ``label`` = the footnote's label) placed after everything else, in definition
order, referenced or not. The innermost container wins (a quote in a list item is a QUOTE).

Kept out of translation, each with a warning naming its line: code blocks and fences, raw
HTML blocks (HTML comments are dropped silently). A table becomes one PARAGRAPH per
non-empty cell, with a warning: the units stay translatable, the grid does not survive.
Inline footnotes (``^[...]``) are not recognised and stay literal text.
The rendering of inline markup into Block.text is described in ``markdown_inline``.

Deep nesting. markdown-it stops at its ``maxNesting`` and silently drops the rest of
the document (2 000 nested ``>`` lost 1 981 lines of 2 000); it also recurses, two
Python frames per container. So nothing is left to that limit:

- a run of more than 16 ``>`` markers at the start of a line keeps its first 16: the
  blocks keep no quote depth, so a paragraph 2 000 quotes deep is the same QUOTE;
- a list item's ``level`` is capped at 9 (what word processors and ODF lists allow);
- containers (quotes, list items, footnotes) nested more than 250 deep, which no
  flattening can undo (``- > - > ...``), are refused with an ``InputError`` naming the
  line where the nesting goes too deep; 250 containers take about 500 frames, well
  within Python's default recursion limit of 1 000 even from a worker's stack;
- inline nesting (links in images in links) keeps the CommonMark preset's limit of 20,
  beyond which markdown-it reads the rest as text: nothing is lost there, and a higher
  limit makes ``[[[[...`` recurse and slows every ``[`` down.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from translator.errors import InputError
from translator.formats.base import Block, BlockRole, ParsedText
from translator.formats.markdown_inline import render_inline

_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)
MAX_CONTAINER_DEPTH = 250
MAX_LIST_LEVEL = 9
_KEPT_QUOTE_MARKERS = 16
_INLINE_NESTING = 20  # the CommonMark preset's
_BLOCK_LEVELS = 4 * MAX_CONTAINER_DEPTH  # a container opens at most two levels
_DEPTH = "translator_container_depth"  # the env key that counts nested containers
# More than _KEPT_QUOTE_MARKERS ">" at a line's start (at most 4 blanks between two).
_DEEP_QUOTE = re.compile(
    rf"^([ ]{{0,3}}(?:>[ \t]{{0,4}}+){{{_KEPT_QUOTE_MARKERS - 1}}}>)(?:[ \t]{{0,4}}+>)+",
    re.MULTILINE,
)


class _MarkdownIt(MarkdownIt):
    """Accept every link destination: ``markdown_inline`` filters schemes itself, so that
    a ``javascript:`` link keeps its text instead of staying as raw ``[text](url)``.
    Block containers nest as deep as ``MAX_CONTAINER_DEPTH``, then raise (see the
    module docstring)."""

    def __init__(self, max_nesting: int) -> None:
        options = {"html": True, "maxNesting": max_nesting}
        super().__init__("commonmark", options)
        self.block = _DepthLimitedBlocks()
        self.configure("commonmark", options)  # again, for the new block parser's rules

    def validateLink(self, url: str) -> bool:
        return True


class _DepthLimitedBlocks(ParserBlock):
    """markdown-it's block parser, refusing (never dropping) what nests too deep."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        depth = state.env.get(_DEPTH, 0)
        if depth > MAX_CONTAINER_DEPTH or state.level >= state.md.options.maxNesting:
            raise InputError(
                f"quotes and lists nest more than {MAX_CONTAINER_DEPTH} deep here; "
                "flatten them or import the file as plain text",
                line=startLine + 1,
            )
        state.env[_DEPTH] = depth + 1
        try:
            super().tokenize(state, startLine, endLine)
        finally:
            state.env[_DEPTH] = depth


@cache
def _parser(max_nesting: int = _BLOCK_LEVELS) -> MarkdownIt:
    """The block parser (whose inline phase uses the inline one), or the inline parser."""
    parser = _MarkdownIt(max_nesting)
    parser.use(front_matter_plugin)
    parser.use(footnote_plugin, inline=False, move_to_end=False)
    parser.enable("table")
    if max_nesting != _INLINE_NESTING:
        parser.core.ruler.at("inline", _parse_inlines)
    return parser


def _parse_inlines(state: StateCore) -> None:
    """markdown-it's core "inline" rule, run by the parser with the inline limit."""
    parser = _parser(_INLINE_NESTING)
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            parser.inline.parse(token.content, parser, state.env, token.children)


def parse_markdown(text: str) -> ParsedText:
    """Parse Markdown into blocks whose text is the inline-HTML subset of ``INLINE_TAGS``.

    ``ParsedText.title`` comes from a front-matter ``title:`` or, failing that, from the
    only level-1 heading (as plain text). See the module docstring for the block mapping
    and for deep nesting, refused with an ``InputError`` naming the line.
    """
    walker = _Walker()
    env: dict[str, Any] = {}
    try:
        tokens = _parser().parse(_DEEP_QUOTE.sub(r"\1", text), env)
    except RecursionError as exc:  # only from a caller already deep in its stack
        raise InputError("quotes and lists nest too deep to be read") from exc
    walker.walk(tokens)
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
        self._numbers: list[int | None] = []  # the next number of each open list (None: bullets)
        self._item_labels: list[str | None] = []  # the label of each open item, until used
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
                start = token.attrGet("start") if kind == "ordered_list_open" else None
                self._numbers.append(None if kind == "bullet_list_open" else int(start or 1))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self._list_depth -= 1
                self._numbers.pop()
            elif kind in ("blockquote_open", "list_item_open", "footnote_reference_open"):
                self._containers.append(kind.split("_")[0])
                if kind == "footnote_reference_open":
                    self._footnote_label = str(token.meta["label"])
                elif kind == "list_item_open":
                    self._item_labels.append(self._next_number(token.markup))
            elif kind in ("blockquote_close", "list_item_close", "footnote_reference_close"):
                if self._containers.pop() == "list":
                    self._item_labels.pop()
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

    def _next_number(self, delimiter: str) -> str | None:
        """The label of a new item of the innermost list: "3." or "3)", None for a bullet."""
        if not self._numbers or self._numbers[-1] is None:
            return None
        number = self._numbers[-1]
        self._numbers[-1] = number + 1
        return f"{number}{delimiter}"

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
            level = min(self._list_depth, MAX_LIST_LEVEL)
            number, self._item_labels[-1] = self._item_labels[-1], None  # the first block's
            self.blocks.append(
                Block(BlockRole.LIST_ITEM, text, level=level, label=number, line=line)
            )
        elif self._containers and self._containers[-1] == "blockquote":
            self.blocks.append(Block(BlockRole.QUOTE, text, line=line))
        else:
            self.blocks.append(Block(BlockRole.PARAGRAPH, text, line=line))

    def _warn(self, token: Token, message: str) -> None:
        """A warning naming the line, or the lines, of ``token``'s block."""
        where = ""
        if token.map:
            first, end = token.map[0] + 1, token.map[1]
            where = f"lines {first}-{end}: " if end > first else f"line {first}: "
        self.warnings.append(where + message)
