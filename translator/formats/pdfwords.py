"""Font sizes of the lines of ``pdftotext -raw`` text, from the word boxes that
``pdftotext -raw -bbox`` writes for the same PDF in the same (drawing) order.

The raw text has no layout left but its line breaks: a heading in a narrow column is as
short as the last line of a paragraph. The height of a word's box is its font size
(times the font's ascent and descent), so the lines of a heading set in a bigger or
bold font stand out from the body text. Each text line gets the median height of its
characters: a line of body text with one bold word keeps the body's size.

The words are matched to the text by their characters, spaces left out; when they do
not spell the same text (another poppler, a damaged file), no size is given at all and
the reflow does without, as it does for text copied out of a PDF.
"""

from __future__ import annotations

import html
import re

_WORD = re.compile(
    r'<word xMin="[-\d.]+" yMin="(?P<top>[-\d.]+)" xMax="[-\d.]+" yMax="(?P<bottom>[-\d.]+)">'
    r"(?P<text>[^<]*)</word>"
)
_SPACE = re.compile(r"\s+")


def word_heights(bbox_html: str) -> list[tuple[str, float]]:
    """(text, box height) of every word of ``pdftotext -bbox`` output, in order."""
    return [
        (html.unescape(match["text"]), float(match["bottom"]) - float(match["top"]))
        for match in _WORD.finditer(bbox_html)
    ]


def line_sizes(text: str, words: list[tuple[str, float]]) -> dict[int, float]:
    """Map each 1-based line number of ``text`` holding characters to the median box
    height of its characters; ``{}`` when ``words`` do not spell ``text``."""
    lengths = [len(_SPACE.sub("", word)) for word, _height in words]
    sizes: dict[int, float] = {}
    position = 0  # the next word
    for number, line in enumerate(text.split("\n"), start=1):
        count = len(_SPACE.sub("", line))
        if not count:
            continue
        taken: list[tuple[float, int]] = []
        while count > 0 and position < len(words):
            taken.append((words[position][1], lengths[position]))
            count -= lengths[position]
            position += 1
        if count != 0:
            return {}  # a word across two lines, or the words ran out: another text
        taken.sort()
        middle, seen = sum(length for _height, length in taken) / 2, 0
        for height, length in taken:
            seen += length
            if seen >= middle:
                sizes[number] = height
                break
    return sizes if position == len(words) else {}
