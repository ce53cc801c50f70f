"""Markdown inline tokens → the safe inline-HTML subset of ``base.INLINE_TAGS``.

* text, and raw inline HTML, are HTML-escaped (``&`` ``<`` ``>``): raw HTML is shown as
  text, never passed through;
* ``*em*`` → ``<em>``, ``**strong**`` → ``<strong>``, ``code`` → ``<code>`` (escaped);
* ``[text](url)`` → ``<a href="url">text</a>`` for http, https, mailto and relative URLs
  (attribute-escaped); any other scheme (``javascript:``, ``data:``, ``file:``), or a
  URL over 1 000 characters escaped, leaves just the text (a tag must fit whole in a
  piece of a long sentence: see ``translator.text.long_sentences``);
* images → their alt text; soft line breaks → a space; hard breaks → ``<br>``;
* footnote references ``[^1]`` / ``[^note]`` → the plain marker ``[1]`` / ``[note]``.
"""

from __future__ import annotations

import html
import re

from markdown_it.token import Token

from translator.text.long_sentences import LONG_SENTENCE_LENGTH

_TAGS = {
    "em_open": "<em>",
    "em_close": "</em>",
    "strong_open": "<strong>",
    "strong_close": "</strong>",
    "softbreak": " ",
    "hardbreak": "<br>",
}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_MAX_HREF = LONG_SENTENCE_LENGTH // 2


def render_inline(tokens: list[Token]) -> str:
    """Render markdown-it inline tokens as escaped text with whitelisted inline tags."""
    out: list[str] = []
    kept_links: list[bool] = []
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special", "html_inline"):
            out.append(_escape(token.content))
        elif kind in _TAGS:
            out.append(_TAGS[kind])
        elif kind == "code_inline":
            out.append(f"<code>{_escape(token.content)}</code>")
        elif kind == "link_open":
            href = safe_href(str(token.attrGet("href") or ""))
            escaped = html.escape(href, quote=True) if href is not None else ""
            kept_links.append(0 < len(escaped) <= _MAX_HREF or href == "")
            if kept_links[-1]:
                out.append(f'<a href="{escaped}">')
        elif kind == "link_close":
            if kept_links.pop():
                out.append("</a>")
        elif kind == "image":
            out.append(render_inline(token.children or []))
        elif kind == "footnote_ref":
            out.append(f"[{_escape(str(token.meta['label']))}]")
        elif token.children:
            out.append(render_inline(token.children))
        else:
            out.append(_escape(token.content))
    return "".join(out).strip()


def safe_href(url: str) -> str | None:
    """The URL if its scheme is http, https or mailto, or it has none (relative); else None.

    Whitespace and control characters are ignored when reading the scheme, as browsers
    do ("java\\tscript:" is javascript:).
    """
    url = url.strip()
    match = _SCHEME.match(_INVISIBLE.sub("", url).lower())
    if match and match.group(1) not in _SAFE_SCHEMES:
        return None
    return url


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
