"""UI catalog checks (``make i18n-check`` and tests/test_catalogs.py).

Fails on: a committed ``locales/messages.pot`` that differs from what the code and
templates say (stale), a fr/pt entry that is untranslated or fuzzy, a translation whose
placeholders differ from its source, a French one with a plain space where French
typography wants a no-break space (before ``: ; ? ! »``, after ``«``: a line must not
break there), or a catalog that does not compile."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
UI_LANGUAGES = ("fr", "pt")
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")
BREAKABLE_FRENCH_SPACE_RE = re.compile(r" [:;?!»]|« ")


def placeholders(text: str) -> list[str]:
    """The sorted placeholders of a message (``%(name)s``, ``%d``, ``{x}``)."""
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


def _keys(catalog: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog if not e.obsolete}


def extract_messages(target: Path) -> None:
    """Run pybabel extract the same way ``make i18n`` does."""
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs=.* __pycache__",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def check_catalogs(languages: tuple[str, ...] = UI_LANGUAGES) -> list[str]:
    """Every problem found, one line each naming the file, line and message."""
    problems: list[str] = []
    pot_path = LOCALES / "messages.pot"
    if not pot_path.exists():
        return [f"{pot_path}: missing; run `make i18n`"]
    pot = polib.pofile(str(pot_path))
    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = Path(tmp) / "messages.pot"
        extract_messages(fresh_path)
        fresh = polib.pofile(str(fresh_path))
    missing = _keys(fresh) - _keys(pot)
    extra = _keys(pot) - _keys(fresh)
    for _ctx, msgid, _plural in sorted(missing, key=str):
        problems.append(f"{pot_path}: stale, lacks {msgid!r}; run `make i18n`")
    for _ctx, msgid, _plural in sorted(extra, key=str):
        problems.append(f"{pot_path}: stale, still has {msgid!r}; run `make i18n`")

    for lang in languages:
        po_path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{po_path}: missing")
            continue
        po = polib.pofile(str(po_path))
        if _keys(po) != _keys(fresh):
            problems.append(f"{po_path}: not in step with the code; run `make i18n`")
        for entry in po:
            if entry.obsolete:
                continue
            where = f"{po_path}:{entry.linenum}"
            if "fuzzy" in entry.flags:
                problems.append(f"{where}: fuzzy translation of {entry.msgid!r}")
            translations = (
                list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            )
            if not all(t.strip() for t in translations):
                problems.append(f"{where}: untranslated {entry.msgid!r}")
                continue
            sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            expected = set(placeholders(sources[-1])) | set(placeholders(sources[0]))
            for text in translations:
                found = set(placeholders(text))
                if found - expected or (not entry.msgid_plural and found != expected):
                    problems.append(
                        f"{where}: placeholders {sorted(found)} differ from {sorted(expected)} "
                        f"in {entry.msgid!r}"
                    )
                space = BREAKABLE_FRENCH_SPACE_RE.search(text) if lang == "fr" else None
                if space:
                    problems.append(
                        f"{where}: a plain space in {space.group(0)!r} (use a no-break space, "
                        f"U+00A0) in the translation of {entry.msgid!r}"
                    )
    return problems


def main() -> int:
    problems = check_catalogs()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("catalogs: fr and pt complete, messages.pot up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
