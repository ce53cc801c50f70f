"""The exported files speak the edition's language."""

from __future__ import annotations

from translator.formats.publication import Notice
from translator.formats.wording import notice_lines, row_ranges, wording


def test_each_language_has_its_words() -> None:
    assert wording("fr").role("trl") == "Traduction"
    assert wording("pt-BR").notes == "Notas"
    assert wording("de").contents == "Contents"  # English for the others
    assert wording("en").role("xyz") == "xyz"


def test_a_notice_lists_rows_as_runs() -> None:
    assert row_ranges((7, 3, 4, 5, 12)) == "3\u20135, 7, 12"
    assert row_ranges(tuple(range(1, 100, 2))).endswith(", \u2026")
    lines = notice_lines(Notice(untranslated=(4, 5), outdated=(9,)), "fr")
    assert lines == [
        "Cette édition n’est pas terminée.",
        "Pas encore traduits\u202f: 2 (lignes 4\u20135).",
        "Périmés depuis la modification de leur source\u202f: 1 (lignes 9).",
    ]
    assert notice_lines(None, "fr") == []
