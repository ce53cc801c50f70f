"""The rules files: packaged lists, site extensions, and language tags."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from translator.errors import InputError
from translator.text.segmentation import RULES_DIR_VARIABLE, split_sentences

PACKAGED = [
    f for f in (resources.files("translator.text") / "rules").iterdir() if f.name.endswith(".txt")
]


def test_packaged_rules_are_package_data() -> None:
    names = {f.name for f in PACKAGED}
    assert {"_default.txt", "en.txt", "fr.txt", "pt.txt"} <= names


@pytest.mark.parametrize("name", sorted(f.name for f in PACKAGED))
def test_packaged_rules_load(name: str) -> None:
    language = "xx" if name == "_default.txt" else name.removesuffix(".txt")
    assert split_sentences("One. Two.", language) == ["One.", "Two."]


def test_site_rules_extend_and_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ask Dr. Foo. Bar the Baz. 3 times. Baz. Done."
    assert split_sentences(text, "en") == [
        "Ask Dr. Foo.",
        "Bar the Baz.",
        "3 times.",
        "Baz.",
        "Done.",
    ]
    (tmp_path / "en.txt").write_text(
        "# site rules\nFoo\n!Dr  # Dr. ends sentences here\nBaz #NUMERIC_ONLY#\n", encoding="utf-8"
    )
    monkeypatch.setenv(RULES_DIR_VARIABLE, str(tmp_path))
    assert split_sentences(text, "en-GB") == [
        "Ask Dr.",
        "Foo. Bar the Baz. 3 times.",
        "Baz.",
        "Done.",
    ]


def test_site_default_rules_apply_to_languages_without_a_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "_default.txt").write_text("Ks\n", encoding="utf-8")
    (tmp_path / "sw.txt").write_text("Bw\n", encoding="utf-8")
    monkeypatch.setenv(RULES_DIR_VARIABLE, str(tmp_path))
    text = "Ks. Juma na Bw. Ali. Ks. Juma."
    assert split_sentences(text, "sw") == ["Ks. Juma na Bw. Ali.", "Ks. Juma."]
    assert split_sentences(text, "eo") == ["Ks. Juma na Bw.", "Ali.", "Ks. Juma."]
    assert split_sentences("Ks. Juma.", "en") == ["Ks.", "Juma."]  # en has its own list


def test_a_prefix_with_a_space_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fr.txt").write_text("# ok\nc.-à-d\np. ex\n", encoding="utf-8")
    monkeypatch.setenv(RULES_DIR_VARIABLE, str(tmp_path))
    with pytest.raises(InputError) as error:
        split_sentences("Bon.", "fr")
    assert error.value.file == str(tmp_path / "fr.txt")
    assert error.value.line == 3


def test_a_missing_site_directory_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RULES_DIR_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(InputError) as error:
        split_sentences("Bon.", "fr")
    assert error.value.field == RULES_DIR_VARIABLE


def test_an_empty_variable_means_no_site_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RULES_DIR_VARIABLE, "")
    assert split_sentences("Bon. Oui.", "fr") == ["Bon.", "Oui."]


@pytest.mark.parametrize("language", ["", "1", "-", "e", "../en", "en/../../x", "toolonglanguage"])
def test_malformed_language_tags_are_rejected(language: str) -> None:
    with pytest.raises(InputError) as error:
        split_sentences("One. Two.", language)
    assert error.value.field == "language"
