"""Start a translation from the original: a new, empty edition following its units."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from translator.errors import Conflict, InputError, TranslatorError
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.services.documents import get_document
from translator.services.editions import start_translation
from translator.services.languages import language_name
from translator.services.projects import start_missing_translations
from translator.services.rights import Right
from translator.web.documents.forms import NewTranslationForm
from translator.web.documents.views import bp
from translator.web.rights import requires


@bp.route("/documents/<slug>/translate", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT)
def new_translation(slug: str) -> Any:
    """The form, then the new edition opened in the editor."""
    document = get_document(slug)
    form = NewTranslationForm()
    if form.validate_on_submit():
        try:
            made = start_translation(document, form.language.data, title=form.title.data or "")
        except (InputError, Conflict) as exc:
            db.session.rollback()
            form.language.errors.append(exc.message)
        else:
            language = made.edition.language
            db.session.commit()
            flash(
                _(
                    "New %(language)s edition: %(words)s words to translate.",
                    language=language_name(language, str(get_locale())),
                    words=made.words_to_translate,
                ),
                "success",
            )
            return redirect(url_for("editor.edit", slug=slug))
    original = document.original
    status = 400 if form.errors else 200
    return render_template(
        "documents/new_translation.html", document=document, form=form, original=original
    ), status


@bp.route("/documents/<slug>/start-translations", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def start_project_translations(slug: str) -> Any:
    """Start a translation in each default language of the document's project it has
    no edition in yet."""
    document = get_document(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        started = start_missing_translations(document)
    except TranslatorError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("documents.show", slug=slug))
    db.session.commit()
    locale = str(get_locale())
    flash(
        _(
            "New editions to translate: %(languages)s.",
            languages=", ".join(language_name(s.edition.language, locale) for s in started),
        ),
        "success",
    )
    return redirect(url_for("documents.show", slug=slug))
