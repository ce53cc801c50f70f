"""The fr/pt UI catalogs are complete, not fuzzy, in step with the code, and keep the
placeholders of their source strings."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from translator import catalogs


def test_fr_and_pt_catalogs_are_complete_and_current() -> None:
    assert catalogs.check_catalogs() == []


def test_the_check_catches_fuzzy_untranslated_and_placeholder_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copy the real catalogs, break them four ways, and expect four complaints."""
    fake_locales = tmp_path / "locales"
    for lang in ("fr", "pt"):
        target = fake_locales / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        po = polib.pofile(str(catalogs.LOCALES / lang / "LC_MESSAGES" / "messages.po"))
        if lang == "fr":
            by_id = {e.msgid: e for e in po}
            by_id["Documents"].flags.append("fuzzy")
            by_id["Import a text"].msgstr = ""
            by_id["Page %(page)s of %(pages)s"].msgstr = "Page %(page)s sur %(total)s"
            by_id["Documents"].msgstr = "Documents :"
        po.save(str(target / "messages.po"))
    (fake_locales / "messages.pot").write_bytes((catalogs.LOCALES / "messages.pot").read_bytes())
    monkeypatch.setattr(catalogs, "LOCALES", fake_locales)
    problems = catalogs.check_catalogs()
    assert len(problems) == 4, problems
    assert any("fuzzy" in p and "'Documents'" in p for p in problems)
    assert any("untranslated" in p and "Import a text" in p for p in problems)
    assert any("placeholders" in p and "%(total)s" in p for p in problems)
    assert any("no-break space" in p and "' :'" in p for p in problems)
    assert all("fr/LC_MESSAGES/messages.po:" in p for p in problems)


def test_placeholders() -> None:
    assert catalogs.placeholders("%(b)s and %(a)d, {x}") == ["%(a)d", "%(b)s", "{x}"]
