"""Search and replace over one edition: ``GET`` shows the form, ``POST`` with
``action=preview`` lists what would change (nothing is written; ``start`` = the unit
position to search from, when a preview that stopped early goes on), ``action=apply``
writes the rows ticked in the preview, one revision each, and redirects back with a
summary. Both stop at the ``REPLACE_TIMEOUT`` setting (docs/limits.md).

Only a user who may edit a language (a member of it, or an administrator) sees it among
the choices; someone who may edit none of the document's languages gets a 403."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from translator.errors import InputError
from translator.extensions import db
from translator.i18n import _, get_locale, ngettext
from translator.models import Document
from translator.services.documents import get_document
from translator.services.languages import language_name
from translator.services.members import member_roles
from translator.services.replace import (
    PREVIEW_LIMIT,
    PreviewResult,
    apply_replace,
    preview_replace,
)
from translator.services.rights import Right, Target, require
from translator.text.segmentation import MAX_SEGMENT_LENGTH
from translator.web.replace.forms import ReplaceForm
from translator.web.rights import requires

bp = Blueprint("replace", __name__)

ACTIONS = ("preview", "apply")
KEEP = 120  # characters of unchanged text shown on each side of a change
SHOWN_CHANGES = 100  # changes shown per segment


def shown_changes(changes: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The diff parts of a preview row as shown: long unchanged stretches cut to their
    ends near the changes, long removed or inserted ones to both their ends, at most
    ``SHOWN_CHANGES`` changes. ``("…", "")`` marks a cut on both sides, ``("-…", "")``
    and ``("+…", "")`` one on that side only. Keeps the page small whatever the
    segment's length."""
    shown: list[tuple[str, str]] = []
    found = 0
    last = len(changes) - 1
    for i, (op, text) in enumerate(changes):
        if op == "-" or (op == "+" and (i == 0 or changes[i - 1][0] != "-")):
            found += 1
            if found > SHOWN_CHANGES:
                shown.append(("…", ""))
                break
        if len(text) <= 2 * KEEP + 1:
            shown.append((op, text))
        elif op != "=":
            shown += [(op, text[:KEEP]), (op + "…", ""), (op, text[-KEEP:])]
        elif i == 0:
            shown += [("…", ""), ("=", text[-KEEP:])]
        elif i == last:
            shown += [("=", text[:KEEP]), ("…", "")]
        else:
            shown += [("=", text[:KEEP]), ("…", ""), ("=", text[-KEEP:])]
    return shown


def _editable_languages(document: Document) -> list[str]:
    roles = member_roles(current_user, document.id)
    return [lang for lang in document.languages if lang in roles]


def _form(document: Document, languages: list[str]) -> ReplaceForm:
    locale = str(get_locale())
    form = ReplaceForm()
    form.language.choices = [SelectChoice(lang, language_name(lang, locale)) for lang in languages]
    if request.method == "GET":
        asked = request.args.get("language")
        form.language.data = asked if asked in languages else languages[0]
    return form


def _show_error(form: ReplaceForm, exc: InputError) -> None:
    target = getattr(form, exc.field or "", None) or form.find
    target.errors = [*target.errors, exc.message]


@bp.route("/documents/<slug>/replace", methods=["GET", "POST"])
@requires(Right.EDIT_ANY_EDITION)
def page(slug: str) -> Any:
    document = get_document(slug)
    languages = _editable_languages(document)
    form = _form(document, languages)
    result: PreviewResult | None = None
    if request.method == "POST":
        action = request.form.get("action")
        if action not in ACTIONS:
            abort(400, _("Choose to preview or to apply the replacement."))
        asked = request.form.get("language")
        if asked in document.languages:
            require(current_user, Right.EDIT_EDITION, Target(document.id, asked))
        if form.validate_on_submit():
            try:
                if action == "apply":
                    return _apply(document, form)
                result = preview_replace(
                    document,
                    form.language.data,
                    form.find.data,
                    form.replace.data or "",
                    regex=form.regex.data,
                    case=form.case.data,
                    start=max(0, request.form.get("start", 0, type=int)),
                )
            except InputError as exc:
                db.session.rollback()
                _show_error(form, exc)
    previews = result.previews if result is not None else None
    return render_template(
        "replace/page.html",
        document=document,
        form=form,
        result=result,
        previews=previews,
        diffs={p.segment_id: shown_changes(p.changes) for p in previews or []},
        limit=PREVIEW_LIMIT,
        max_length=MAX_SEGMENT_LENGTH,
        seconds=current_app.config["REPLACE_TIMEOUT"],
    ), 400 if form.errors else 200


def _expected_versions() -> dict[int, int]:
    """Segment id → the version the preview showed, for the ticked rows."""
    ticked = request.form.getlist("segment", type=int)
    if len(ticked) > PREVIEW_LIMIT:
        abort(400, _("At most %(limit)s segments can be changed at once.", limit=PREVIEW_LIMIT))
    expected = {}
    for segment_id in ticked:
        version = request.form.get(f"version-{segment_id}", type=int)
        if version is None:
            abort(400, _("The preview sent no version for a segment; preview again."))
        expected[segment_id] = version
    return expected


def _apply(document: Document, form: ReplaceForm) -> Any:
    language = form.language.data
    back = redirect(url_for("replace.page", slug=document.slug, language=language))
    expected = _expected_versions()
    if not expected:
        flash(_("No segment was ticked: nothing changed."), "error")
        return back
    result = apply_replace(
        document,
        language,
        form.find.data,
        form.replace.data or "",
        regex=form.regex.data,
        case=form.case.data,
        expected=expected,
        author_id=current_user.id,
        minor=bool(form.minor.data),
    )
    db.session.commit()
    message = ngettext("%(num)d segment changed.", "%(num)d segments changed.", len(result.changed))
    if result.skipped:
        message += " " + ngettext(
            "%(num)d skipped: it changed since the preview.",
            "%(num)d skipped: they changed since the preview.",
            len(result.skipped),
        )
    if result.too_long:
        message += " " + ngettext(
            "%(num)d left alone: the result would be longer than %(limit)s characters.",
            "%(num)d left alone: the results would be longer than %(limit)s characters.",
            len(result.too_long),
            limit=MAX_SEGMENT_LENGTH,
        )
    flash(message, "warning" if result.skipped or result.too_long else "success")
    return back
