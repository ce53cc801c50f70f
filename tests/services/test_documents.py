from __future__ import annotations

from typing import Any

import pytest

from translator.errors import Conflict, InputError
from translator.services.documents import create_document, slugify
from translator.services.languages import language_name, normalize_language


def test_slugify() -> None:
    assert slugify("Discours de la méthode") == "discours-de-la-methode"
    assert slugify("  !!! ") == "document"


def test_derived_slugs_are_made_unique_explicit_duplicates_refused(db: Any) -> None:
    assert create_document("Essay").slug == "essay"
    assert create_document("Essay").slug == "essay-2"
    with pytest.raises(Conflict) as excinfo:
        create_document("Other", slug="essay")
    assert excinfo.value.field == "slug"
    with pytest.raises(InputError):
        create_document("Other", slug="Not A Slug")
    with pytest.raises(InputError):
        create_document("   ")


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "en"), ("pt_br", "pt-BR"), ("PT-br", "pt-BR"), ("fr", "fr")]
)
def test_language_codes_are_normalised(code: str, expected: str) -> None:
    assert normalize_language(code) == expected


@pytest.mark.parametrize("code", ["", "xx", "english", "e n", "fr;drop"])
def test_bad_language_codes_are_refused(code: str) -> None:
    with pytest.raises(InputError):
        normalize_language(code)


def test_language_names_are_localised() -> None:
    assert language_name("pt-BR", "fr") == "portugais (Brésil)"
    assert language_name("fr", "pt") == "francês"
