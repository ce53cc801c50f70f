"""What the exported files themselves say (credits, notes, contents, the notice of an
unfinished edition), in the edition's language, not the reader's interface language.

English, French and Portuguese; another language gets English. Pure: the writers ask
``wording(info.language)``; the service's UI catalogs are not involved, since a file is
written for its readers, whoever clicked Export."""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.formats.publication import Notice

__all__ = ["Wording", "notice_lines", "row_ranges", "wording"]

MAX_RANGES = 20  # a notice lists at most this many runs of rows, then "…"


@dataclass(frozen=True, slots=True)
class Wording:
    """The words of one language; templates take ``{count}`` and ``{rows}``."""

    notes: str
    contents: str
    start: str
    title_page: str
    notice: str
    section: str  # takes {number}
    back_to_text: str
    date: str
    unfinished: str
    untranslated: str
    drafts: str
    outdated: str
    roles: dict[str, str] = field(default_factory=dict)

    def role(self, code: str) -> str:
        """The name of a MARC relator code (``aut``, ``trl``, ``edt``), or the code."""
        return self.roles.get(code, code)


WORDINGS: dict[str, Wording] = {
    "en": Wording(
        notes="Notes",
        contents="Contents",
        start="Start of the text",
        title_page="Title page",
        notice="Notice",
        section="Section {number}",
        back_to_text="Back to the text",
        date="Date",
        unfinished="This edition is not finished.",
        untranslated="Not yet translated: {count} (rows {rows}).",
        drafts="Drafts not yet confirmed: {count} (rows {rows}).",
        outdated="Outdated since their source changed: {count} (rows {rows}).",
        roles={"aut": "Author", "trl": "Translator", "edt": "Editor"},
    ),
    "fr": Wording(
        notes="Notes",
        contents="Table des matières",
        start="Début du texte",
        title_page="Page de titre",
        notice="Avertissement",
        section="Section {number}",
        back_to_text="Retour au texte",
        date="Date",
        unfinished="Cette édition n’est pas terminée.",
        untranslated="Pas encore traduits\u202f: {count} (lignes {rows}).",
        drafts="Brouillons non confirmés\u202f: {count} (lignes {rows}).",
        outdated="Périmés depuis la modification de leur source\u202f: {count} (lignes {rows}).",
        roles={"aut": "Auteur", "trl": "Traduction", "edt": "Édition"},
    ),
    "pt": Wording(
        notes="Notas",
        contents="Índice",
        start="Início do texto",
        title_page="Página de rosto",
        notice="Aviso",
        section="Secção {number}",
        back_to_text="Voltar ao texto",
        date="Data",
        unfinished="Esta edição não está terminada.",
        untranslated="Ainda por traduzir: {count} (linhas {rows}).",
        drafts="Rascunhos por confirmar: {count} (linhas {rows}).",
        outdated="Desatualizados desde que a origem mudou: {count} (linhas {rows}).",
        roles={"aut": "Autor", "trl": "Tradução", "edt": "Edição"},
    ),
}


def wording(language: str) -> Wording:
    """The wording for a BCP 47 ``language`` (``pt-BR`` takes ``pt``; unknown: English)."""
    return WORDINGS.get(language.split("-")[0].lower(), WORDINGS["en"])


def row_ranges(rows: tuple[int, ...]) -> str:
    """Row numbers as runs (``3–7, 12``), at most ``MAX_RANGES`` runs then ``…``."""
    ordered = sorted(set(rows))
    if not ordered:
        return ""
    runs: list[str] = []
    start = previous = ordered[0]
    for row in [*ordered[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        runs.append(str(start) if start == previous else f"{start}\u2013{previous}")
        if row is not None:
            start = previous = row
    shown = ", ".join(runs[:MAX_RANGES])
    return shown if len(runs) <= MAX_RANGES else f"{shown}, \u2026"


def notice_lines(notice: Notice | None, language: str) -> list[str]:
    """What a reader is told about an unfinished edition, in its language: a title
    line, then one line per kind of unfinished row; nothing for a finished edition."""
    if notice is None:
        return []
    words = wording(language)
    lines = [words.unfinished]
    for template, rows in (
        (words.untranslated, notice.untranslated),
        (words.drafts, notice.drafts),
        (words.outdated, notice.outdated),
    ):
        if rows:
            lines.append(template.format(count=len(rows), rows=row_ranges(rows)))
    return lines
