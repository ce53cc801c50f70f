"""The document page's alignment tools: align the editions (a background job), the
manual fixes of one row (merge, split, move a sentence, insert an empty unit) and undo.

Every fix is a POST that commits once and redirects back to the page it came from (same
``page`` and ``review`` filter) at the row it changed. A fix the services refuse
(InputError, Conflict) becomes a flash message; a unit of another document is a 404."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from translator.errors import Conflict, InputError
from translator.extensions import db
from translator.i18n import _, ngettext
from translator.models import Document, StructureChange
from translator.services.alignment import (
    LOW_CONFIDENCE,
    manual_changes_since_alignment,
    preferred_pivot,
)
from translator.services.documents import get_document
from translator.services.jobs import active_job, create_job
from translator.services.progress import EditionProgress, edition_progress
from translator.services.rights import Right
from translator.services.structure import (
    Side,
    get_unit,
    insert_unit,
    last_change,
    merge_units,
    move_sentence,
    split_offsets,
    split_unit,
    undo_change,
)
from translator.services.units import count_units
from translator.web.documents.forms import AT_OFFSET, AlignForm, SplitForm
from translator.web.documents.views import bp
from translator.web.jobs.views import enqueue
from translator.web.rights import requires

HIGH_CONFIDENCE = 0.8  # at or above this a unit is shaded as a confident match
PREVIEW_WORDS = 8


@dataclass(slots=True)
class AlignmentTools:
    """What the document page shows around the table: the align form (with two
    editions or more), the last change undo would revert, the "needs review" count."""

    form: AlignForm | None
    manual_changes: int
    last_change: StructureChange | None
    last_change_kind: str
    review_count: int
    low: float = LOW_CONFIDENCE
    high: float = HIGH_CONFIDENCE


def change_kind_name(kind: str) -> str:
    """A structure change's kind, translated (as the undo button and messages say it)."""
    names = {
        "alignment": _("alignment"),
        "merge": _("merge"),
        "split": _("split"),
        "move": _("sentence moved"),
        "insert": _("empty unit inserted"),
        "undo": _("undo"),
    }
    return str(names.get(str(kind), kind))


def _editions_with_text(document: Document, progress: dict[int, EditionProgress]) -> list[str]:
    languages = []
    for edition in document.editions:
        p = progress.get(edition.id)
        if p and p.total_segments - p.segments["empty"] > 0:
            languages.append(edition.language)
    return languages


def default_pivot(
    document: Document, progress: dict[int, EditionProgress], languages: list[str]
) -> str:
    """``services.alignment.choose_pivot``'s choice (the last pivot chosen, else the
    original, else the edition with the most words, the first one on a tie) from the
    page's progress figures: choose_pivot reads every segment's word count, 45 ms for
    30 000 segments."""
    preferred = preferred_pivot(document, languages)
    if preferred is not None:
        return preferred  # ``languages`` are the editions with text
    words = {
        e.language: progress[e.id].total_words if e.id in progress else 0 for e in document.editions
    }
    return max(languages, key=lambda lang: (words.get(lang, 0), -languages.index(lang)))


def _align_form(document: Document, progress: dict[int, EditionProgress], manual: int) -> AlignForm:
    with_text = _editions_with_text(document, progress)
    form = AlignForm()
    form.pivot.choices = [SelectChoice(lang, lang) for lang in with_text]
    form.editions.choices = [SelectChoice(e.language, e.language) for e in document.editions]
    if request.method == "GET" and with_text:
        form.pivot.data = default_pivot(document, progress, with_text)
        form.editions.data = with_text
    form.force.label.text = ngettext(
        "Replace the manual fix made since the last alignment (it stays in the history)",
        "Replace the %(num)d manual fixes made since the last alignment (they stay in the history)",
        manual,
    )
    return form


def alignment_tools(
    document: Document, progress: dict[int, EditionProgress], *, review: bool, total: int
) -> AlignmentTools:
    """The page's alignment tools, in a few queries whatever the document's size."""
    form = None
    manual = manual_changes_since_alignment(document)
    if len(document.editions) >= 2:
        form = _align_form(document, progress, manual)
    review_count = total if review else count_units(document, max_confidence=LOW_CONFIDENCE)
    latest = last_change(document)
    kind = change_kind_name(latest.kind) if latest else ""
    return AlignmentTools(form, manual, latest, kind, review_count)


# --- align ------------------------------------------------------------------------


@bp.route("/documents/<slug>/align", methods=["POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def align(slug: str) -> Any:
    """Start an alignment job and show its progress."""
    document = get_document(slug)
    back = redirect(url_for("documents.show", slug=document.slug, _anchor="align"))
    progress = edition_progress([document.id])
    manual = manual_changes_since_alignment(document)
    form = _align_form(document, progress, manual)
    if len(form.pivot.choices) < 2:
        flash(_("Alignment needs at least two editions with text."), "error")
        return back
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return back
    languages = None  # a form without the edition list (an older page): all of them
    if request.form.get("editions_listed"):
        languages = list(form.editions.data or [])
        if form.pivot.data not in languages:
            flash(_("Tick the pivot edition among the editions to align."), "error")
            return back
        with_text = set(_editions_with_text(document, progress))
        if len([lang for lang in languages if lang in with_text]) < 2:
            flash(_("Tick at least two editions with text to align."), "error")
            return back
    if manual and not form.force.data:
        flash(
            ngettext(
                "Not aligned: confirm that the manual fix made since the last alignment "
                "may be replaced.",
                "Not aligned: confirm that the %(num)d manual fixes made since the last "
                "alignment may be replaced.",
                manual,
            ),
            "error",
        )
        return back
    running = active_job(document.id, "align")
    if running is not None:
        flash(_("This document is already being aligned."), "error")
        return redirect(url_for("jobs.show", job_id=running.id))
    job = create_job(
        "align",
        {
            "pivot": form.pivot.data,
            "languages": languages,
            "force": bool(form.force.data),
        },
        document_id=document.id,
        user_id=current_user.id,
    )
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=enqueue(job)))


# --- manual fixes -----------------------------------------------------------------


def _back(document: Document, unit_id: int | None = None) -> Response:
    """Back to the page the fix came from (its ``page`` and ``review`` filter, the page
    kept within range) at the row ``unit_id``."""
    review = request.values.get("review") == "1"
    page = request.values.get("page", 1, type=int) or 1
    per_page = current_app.config["UNITS_PER_PAGE"]
    total = count_units(document, max_confidence=LOW_CONFIDENCE if review else None)
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    return redirect(
        url_for(
            "documents.show",
            slug=document.slug,
            page=page if page > 1 else None,
            review=1 if review else None,
            _anchor=f"u{unit_id}" if unit_id else None,
        )
    )


def _refused(document: Document, unit_id: int | None, message: str) -> Response:
    db.session.rollback()
    flash(message, "error")
    return _back(document, unit_id)


def _done(document: Document, unit_id: int | None, message: str) -> Response:
    """Commit a fix (open editors are told to reload) and go back to where it was."""
    db.session.commit()
    flash(message, "success")
    return _back(document, unit_id)


@bp.route("/documents/<slug>/units/<int:unit_id>/merge", methods=["POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def merge(slug: str, unit_id: int) -> Any:
    document = get_document(slug)
    try:
        unit = merge_units(document, unit_id, author_id=current_user.id)
    except InputError as exc:
        if exc.field != "unit":  # e.g. the merged text would be over the length limit
            return _refused(document, unit_id, _("Not merged: %(reason)s", reason=exc.message))
        return _refused(document, unit_id, _("The last unit has no next unit to merge with."))
    except Conflict as exc:
        return _refused(document, unit_id, _("Not merged: %(reason)s", reason=exc.message))
    return _done(document, unit.id, _("Merged with the next unit."))


@bp.route("/documents/<slug>/units/<int:unit_id>/insert", methods=["POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def insert(slug: str, unit_id: int) -> Any:
    document = get_document(slug)
    try:
        unit = insert_unit(document, unit_id, after=True, author_id=current_user.id)
    except (InputError, Conflict) as exc:
        return _refused(document, unit_id, _("Not inserted: %(reason)s", reason=exc.message))
    return _done(document, unit.id, _("Empty unit inserted."))


@bp.route("/documents/<slug>/units/<int:unit_id>/move", methods=["POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def move(slug: str, unit_id: int) -> Any:
    """Move the first sentence of a cell to the previous unit (``to=previous``) or the
    last sentence to the next unit (``to=next``), in one language."""
    document = get_document(slug)
    language = request.values.get("language", "")
    direction = request.values.get("to", "")
    if document.edition(language) is None or direction not in ("previous", "next"):
        abort(400, _("Choose an edition and a direction to move the sentence to."))
    try:
        move_sentence(
            document, unit_id, language, to_next=direction == "next", author_id=current_user.id
        )
    except (InputError, Conflict) as exc:
        return _refused(document, unit_id, _("Not moved: %(reason)s", reason=exc.message))
    if direction == "next":
        return _done(document, unit_id, _("Last sentence moved to the next unit."))
    return _done(document, unit_id, _("First sentence moved to the previous unit."))


def _preview(text: str, offset: int) -> str:
    """The first words of ``text`` from ``offset``, as plain text."""
    words = Markup(text[offset:]).striptags().split()  # noqa: S704 - read, never rendered raw
    shown = " ".join(words[:PREVIEW_WORDS])
    return shown + ("…" if len(words) > PREVIEW_WORDS else "")


@bp.route("/documents/<slug>/units/<int:unit_id>/split", methods=["GET", "POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def split(slug: str, unit_id: int) -> Any:
    """The split dialog: one form per language with text, listing its sentence
    boundaries (or a character offset) and where the other languages' text goes."""
    document = get_document(slug)
    unit = get_unit(document, unit_id)
    by_edition = {s.edition_id: s.text for s in unit.segments}
    texts = {e.language: by_edition.get(e.id, "") for e in document.editions}
    forms: dict[str, SplitForm] = {}
    posted = request.form.get("language") if request.method == "POST" else None
    if posted is not None and not texts.get(posted):
        abort(400, _("Choose an edition with text to split."))
    for lang, text in texts.items():
        if not text:
            continue
        # The page's CSRF token is the unprefixed one CSRFProtect checks on every POST.
        form = SplitForm(
            prefix=lang, formdata=request.form if lang == posted else None, meta={"csrf": False}
        )
        form.boundary.choices = [
            SelectChoice(str(o), _("before “%(start)s”", start=_preview(text, o)))
            for o in split_offsets(text, lang)
        ] + [SelectChoice(AT_OFFSET, _("at a character offset"))]
        if lang != posted:
            form.boundary.data = form.boundary.choices[0].value
        forms[lang] = form
    if posted is not None:
        form = forms[posted]
        if form.validate_on_submit():
            try:
                first, _second = split_unit(
                    document,
                    unit.id,
                    posted,
                    form.split_offset(),
                    others=Side(form.others.data),
                    author_id=current_user.id,
                )
            except (InputError, Conflict):
                db.session.rollback()
                form.offset.errors.append(
                    _("This does not split the text in two: both parts need some text.")
                )
            else:
                return _done(document, first.id, _("Unit split in two."))
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render_template(
        "documents/split.html",
        document=document,
        unit=unit,
        texts=texts,
        forms=forms,
        page=request.values.get("page", 1, type=int),
        review=request.values.get("review") == "1",
    ), status


# --- undo -------------------------------------------------------------------------


@bp.route("/documents/<slug>/undo", methods=["POST"])
@requires(Right.RESTRUCTURE_DOCUMENT)
def undo(slug: str) -> Any:
    """Undo the latest structure change; ``change`` is the one the page showed, so that
    a stale page does not undo something its reader has not seen."""
    document = get_document(slug)
    change_id = request.form.get("change", type=int)
    latest = last_change(document)
    if latest is None:
        return _refused(document, None, _("There is nothing to undo."))
    if change_id is not None and change_id != latest.id:
        return _refused(
            document,
            None,
            _(
                "Nothing was undone: the page was out of date. The last change is now "
                "“%(kind)s”; undo again if you mean it.",
                kind=change_kind_name(latest.kind),
            ),
        )
    kind = change_kind_name(latest.kind)
    try:
        done = undo_change(document, latest.id, author_id=current_user.id)
    except (InputError, Conflict) as exc:
        return _refused(document, None, _("Nothing was undone: %(reason)s", reason=exc.message))
    return _done(document, done.after[0] if done.after else None, _("Undone: %(kind)s.", kind=kind))
