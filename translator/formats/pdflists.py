"""Lists hidden in text extracted from a PDF: tables of contents, back-of-book indexes,
lists of terms. Their lines end no sentence, so the reflow would join a whole index
into one "paragraph" of thousands of characters; here such runs become list items.

* a table-of-contents line has dot leaders ("Chapter One . . . . . 17", the dots
  put back on its line when they were drawn, and extracted, one by one): the item is
  its title, without the leaders and the page number (which the translation's pages
  will not keep);
* an index line is a term followed by page references ("Bakunin, Mikhail, 12, 45–47",
  "anarchism 3, 17"); the item is the whole line;
* a wrapped entry (a line that is no entry, right before one, inside a run) is joined
  to it;
* a run counts when it has at least three entries. What is left of a paragraph over
  ``LONG_BLOCK`` characters with almost no sentence end and a comma every few words (a
  list of terms) is cut at its line ends into items of a few hundred characters; long
  sentences of prose (Descartes' run to 1 500 characters) have long clauses between
  their commas and stay whole.
"""

from __future__ import annotations

import re

from translator.formats.pdflines import Item, Line

LONG_BLOCK = 1000
_ITEM_TARGET = 400
_LEADERS = re.compile(
    r"\s*(?:(?:\.\s?){3,}|…{2,}|(?:·\s?){3,}|_{4,})\s*(?:\d{1,4}|[ivxlcdm]{1,6})?$"
)
_PAGE = r"\d{1,4}(?:\s?[-–]\s?\d{1,4})?[nf]?"
_PAGES = rf"(?:{_PAGE}|[ivxlcdm]{{1,6}})(?:\s*,\s*(?:{_PAGE}|[ivxlcdm]{{1,6}}))*"
# "Bakunin, Mikhail, 12, 45–47, xii" or "anarchism 3, 17": a roman page after a comma only.
_INDEX_ENTRY = re.compile(rf"[^\d.!?]{{1,80}}?(?:,\s*{_PAGES}|\s{_PAGE}(?:\s*,\s*{_PAGES})?)\.?")
_LEADER_ONLY = re.compile(r"[.·…](?:\s?[.·…])*(?:\s*(?:\d{1,4}|[ivxlcdm]{1,6}))?")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s|$)")
_MIN_RUN = 3
_WORDS_PER_TERM = 4  # a list of terms has a comma every few words; prose does not

Group = tuple[bool, list[Line]]  # (is a list item, its lines)


def split_lists(lines: list[Line]) -> list[Group]:
    """Cut one paragraph's lines into (is_item, lines) groups in order: list items for
    the table-of-contents and index runs it holds and for an over-long run of terms,
    paragraphs for the rest. A paragraph with none gives ``[(False, lines)]``."""
    kinds = [_entry_kind(line) for line in lines]
    groups: list[Group] = []
    current: list[Line] = []
    index = 0
    while index < len(lines):
        run_end = _run_end(kinds, index)
        if run_end > index:
            if current:
                groups.extend(_cut_long(current))
                current = []
            groups.extend(_entries(lines[index:run_end], kinds[index:run_end]))
            index = run_end
            continue
        current.append(lines[index])
        index += 1
    if current:
        groups.extend(_cut_long(current))
    return groups


def merge_leader_lines(items: list[Item]) -> list[Item]:
    """Dot leaders drawn dot by dot come out one dot a line ("Preface .", ".", ".",
    ". 7"): put them back on the line they lead from (across no blank line)."""
    if not any(isinstance(item, Line) and _LEADER_ONLY.fullmatch(item.text) for item in items):
        return items
    merged: list[Item] = []
    for item in items:
        last = merged[-1] if merged else None
        if isinstance(item, Line) and isinstance(last, Line) and _LEADER_ONLY.fullmatch(item.text):
            merged[-1] = Line(last.number, f"{last.text} {item.text}", last.indent)
        else:
            merged.append(item)
    return merged


def is_list_entry(line: Line) -> bool:
    """Whether a line is a table-of-contents or index entry."""
    return bool(_entry_kind(line))


def _entry_kind(line: Line) -> str:
    """ "toc", "index" or "" (not an entry)."""
    text = line.text
    last = text.rstrip(".")[-1:]
    if not (last.isdigit() or last in "ivxlcdmnf" or text.endswith(("..", ". .", "…", "__"))):
        return ""  # the common case, decided without a regular expression
    if any(mark in text for mark in ("..", ". .", "…", "··", "· ·", "__")) and (
        _LEADERS.search(text) and _LEADERS.sub("", text).strip()
    ):
        return "toc"
    if len(text) <= 160 and _INDEX_ENTRY.fullmatch(text):
        return "index"
    return ""


def _run_end(kinds: list[str], start: int) -> int:
    """End of the run of entries starting at ``start`` (a wrapped entry's first line
    included); ``start`` when no run starts there. A run has three entries (two for a
    table of contents: dot leaders leave no doubt), at most one wrapped line per three."""
    end = start
    while end < len(kinds):
        if kinds[end]:
            end += 1
        elif end + 1 < len(kinds) and kinds[end + 1] and end > start:
            end += 2  # the first line of a wrapped entry, then its end
        else:
            break
    found = [kind for kind in kinds[start:end] if kind]
    needed = 2 if found and all(kind == "toc" for kind in found) else _MIN_RUN
    if len(found) < needed or 3 * (end - start - len(found)) > len(found):
        return start
    return end


def _entries(lines: list[Line], kinds: list[str]) -> list[Group]:
    groups: list[Group] = []
    pending: list[Line] = []
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "toc":
            line = Line(line.number, _LEADERS.sub("", line.text).rstrip(), line.indent)
        pending.append(line)
        if kind:
            groups.append((True, pending))
            pending = []
    if pending:
        groups.append((True, pending))
    return groups


def _cut_long(lines: list[Line]) -> list[Group]:
    """A run of lines over ``LONG_BLOCK`` characters with under one sentence end per
    500 characters is cut into items at line ends (after a comma or semicolon when it
    can); anything else stays one paragraph."""
    size = sum(len(line.text) + 1 for line in lines)
    if size <= LONG_BLOCK:
        return [(False, lines)]
    text = " ".join(line.text for line in lines)
    if len(_SENTENCE_END.findall(text)) * 500 >= size:
        return [(False, lines)]
    separators = text.count(",") + text.count(";") + text.count("·") + text.count("•")
    if len(text.split()) > _WORDS_PER_TERM * (separators + 1):
        return [(False, lines)]  # long clauses between the commas: prose, however long
    groups: list[Group] = []
    current: list[Line] = []
    length = 0
    for line in lines:
        current.append(line)
        length += len(line.text) + 1
        if length >= 2 * _ITEM_TARGET or (
            length >= _ITEM_TARGET and line.text.endswith((",", ";", "·", "•"))
        ):
            groups.append((True, current))
            current, length = [], 0
    if current:
        groups.append((True, current))
    return groups
