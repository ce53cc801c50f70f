"""Documents and editions: creation, lookup, slugs."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from translator.errors import Conflict, InputError, NotFound
from translator.extensions import db
from translator.models import INCLUDE_DELETED, Document, Edition, Unit
from translator.services.languages import normalize_language
from translator.services.rights import visible_documents

ALL = object()  # list_documents(): no filter

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 100


def slugify(title: str) -> str:
    """ASCII, lowercase, dash-separated; "Discours de la méthode" → "discours-de-la-methode"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "document"


def get_document(slug: str) -> Document:
    """The document with this slug, or NotFound naming it (a document in the trash is
    not found: ``services.trash`` finds those)."""
    document: Document | None = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(f"no document with slug {slug!r}", field="document")
    return document


def _checked_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise InputError("a document needs a title", field="title")
    if len(title) > 500:
        raise InputError("the title is longer than 500 characters", field="title")
    return title


def slug_taken(slug: str) -> bool:
    """Whether a document, in the trash or not, has this slug (a deleted document keeps
    its slug, so that restoring it never breaks a link)."""
    query = select(Document.id).where(Document.slug == slug)
    return db.session.scalar(query.execution_options(**{INCLUDE_DELETED: True})) is not None


def _unique_slug(base: str) -> str:
    query = select(Document.slug).where(Document.slug.startswith(base))
    taken = set(db.session.scalars(query.execution_options(**{INCLUDE_DELETED: True})).all())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_document(
    title: str,
    *,
    slug: str | None = None,
    author: str = "",
    notes: str = "",
    publication_date: date | None = None,
) -> Document:
    """Create a document. An explicit slug must be free; a derived one is made unique."""
    title = _checked_title(title)
    if slug is not None:
        slug = slug.strip()
        if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
            raise InputError(
                f"{slug!r} is not a valid slug (lowercase letters, digits and dashes)",
                field="slug",
            )
        if slug_taken(slug):
            raise Conflict(f"a document with slug {slug!r} already exists", field="slug")
    else:
        slug = _unique_slug(slugify(title))
    document = Document(
        title=title,
        slug=slug,
        author=author.strip(),
        notes=notes,
        publication_date=publication_date,
    )
    db.session.add(document)
    db.session.flush()
    return document


def add_edition(
    document: Document,
    language: str,
    *,
    title: str = "",
    credits: str = "",
    source_filename: str = "",
    source_format: str = "",
) -> Edition:
    """Add an edition in ``language`` (validated BCP 47); one per language per document."""
    language = normalize_language(language)
    if document.edition(language) is not None:
        raise Conflict(
            f"document {document.slug!r} already has an edition in {language}", field="language"
        )
    in_trash = (
        select(Edition.id)
        .where(Edition.document_id == document.id, Edition.language == language)
        .execution_options(**{INCLUDE_DELETED: True})
    )
    if db.session.scalar(in_trash) is not None:
        raise Conflict(
            f"document {document.slug!r} has an edition in {language} in the trash: "
            "restore it, or purge it first",
            field="language",
        )
    edition = Edition(
        document=document,
        language=language,
        title=title or document.title,
        credits=credits,
        source_filename=source_filename,
        source_format=source_format,
    )
    db.session.add(edition)
    db.session.flush()
    db.session.expire(document, ["all_editions"])  # view-only: reloaded with the new one
    return edition


def list_documents(visible_to: Any = ALL) -> list[Document]:
    """The documents ``visible_to`` may see (every one by default: the command line),
    most recently updated first, with their editions (one query for all: a list shows
    every document's editions)."""
    query = (
        select(Document)
        .options(selectinload(Document.editions))
        .order_by(Document.updated_at.desc())
    )
    if visible_to is not ALL:
        query = query.where(visible_documents(visible_to))
    return list(db.session.scalars(query).all())


def update_document(
    document: Document,
    *,
    title: str,
    author: str = "",
    notes: str = "",
    publication_date: date | None = None,
    review_required: bool | None = None,
) -> Document:
    """Change a document's descriptive fields (the slug stays: links keep working) and,
    unless None, whether its editions need review to be ready for a release."""
    title = _checked_title(title)
    if review_required is not None:
        document.review_required = review_required
    document.title = title
    document.author = author.strip()
    document.notes = notes
    document.publication_date = publication_date
    db.session.flush()
    return document


def update_edition(
    edition: Edition, *, title: str = "", credits: str = "", typography: bool | None = None
) -> Edition:
    """Change an edition's own title and credits (its translators) and, if given,
    whether exports apply its language's typography."""
    if len(title) > 500:
        raise InputError("the title is longer than 500 characters", field="title")
    edition.title = title.strip()
    edition.credits = credits.strip()
    if typography is not None:
        edition.typography = typography
    db.session.flush()
    return edition


def set_original(document: Document, language: str | None) -> None:
    """Make the ``language`` edition the document's original (None: no original, the
    editions are peers), then re-derive every outdated flag under the new rule."""
    from translator.services.siblings import refresh_outdated  # siblings -> segments

    if language:
        edition = document.edition(language)
        if edition is None:
            raise InputError(f"the document has no {language!r} edition", field="original")
        original_id: int | None = edition.id
    else:
        original_id = None
    if original_id == document.original_edition_id:
        return
    document.original_edition_id = original_id
    db.session.flush()
    refresh_outdated(
        list(db.session.scalars(select(Unit.id).where(Unit.document_id == document.id)))
    )
