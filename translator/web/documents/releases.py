"""Releases on the web: each edition's readiness with links to the blocking units in
the editor, the publish form (the document's coordinators), the releases with their
files, and what changed since the last release.

Whoever may read the document sees the page and downloads a release's files (made
from the release's frozen copy: the same bytes every time); publishing is for those
who manage the document."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from translator.errors import InputError
from translator.extensions import db
from translator.i18n import _, _l, get_locale
from translator.services.documents import get_document
from translator.services.languages import language_name
from translator.services.release_exports import export_release
from translator.services.releases import (
    NotReady,
    changes_since_release,
    edition_readiness,
    get_release,
    list_releases,
    publish_document,
)
from translator.services.rights import Right
from translator.services.users import get_user_names
from translator.text.diff import word_diff
from translator.web.documents.exports import FORMAT_LABELS
from translator.web.documents.views import bp
from translator.web.rights import requires

# What a release offers to download: every edition format, and side by side.
RELEASE_FORMATS = ("html", "epub", "pdf", "docx", "md", "txt")
PARALLEL_FORMATS = ("parallel-html", "parallel-pdf", "parallel-docx")


class PublishForm(FlaskForm):  # type: ignore[misc]
    """Publish: the editions, an optional note, and a reason to publish anyway."""

    languages = SelectMultipleField(
        _l("Editions to publish together"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    override_reason = TextAreaField(
        _l("Publish anyway, because"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Only when an edition is not ready: say why it is published all the same. "
            "The reason is kept with the release."
        ),
    )


def _editor_link(slug: str, filters: dict[str, Any]) -> str:
    """The editor opened on the units a blocker names (its filters in the address)."""
    return url_for("editor.edit", slug=slug, **filters)


@bp.route("/documents/<slug>/releases", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT, read=Right.VIEW_DOCUMENT)
def releases(slug: str) -> Any:
    """Readiness per edition, the publish form, the releases, and the changes since."""
    document = get_document(slug)
    locale = str(get_locale())
    form = PublishForm()
    form.languages.choices = [
        SelectChoice(e.language, language_name(e.language, locale)) for e in document.editions
    ]
    if request.method == "GET":
        form.languages.data = list(document.languages)
    refused: dict[str, Any] = {}
    if request.method == "POST" and form.validate_on_submit():
        try:
            release = publish_document(
                document,
                list(form.languages.data or []),
                current_user,
                form.override_reason.data or None,
                note=form.note.data or "",
            )
        except NotReady as exc:
            db.session.rollback()
            refused = exc.blockers
            form.override_reason.errors.append(
                _(
                    "Not every edition is ready: see what holds each one back below, or "
                    "say why to publish anyway."
                )
            )
        except InputError as exc:
            db.session.rollback()
            form.languages.errors.append(exc.message)
        else:
            version = release.version
            db.session.commit()
            flash(_("Release %(version)d published.", version=version), "success")
            return redirect(url_for("documents.releases", slug=slug))
    found = list_releases(document)
    changes = changes_since_release(document, found[0]) if found else {}
    status = 400 if form.errors else 200
    return render_template(
        "documents/releases.html",
        document=document,
        form=form,
        readiness=edition_readiness(document),
        refused=refused,
        releases=found,
        authors=get_user_names({r.created_by for r in found if r.created_by}),
        changes=changes,
        diff=word_diff,
        editor_link=_editor_link,
        formats=[(name, FORMAT_LABELS[name]) for name in RELEASE_FORMATS],
        parallel_formats=[(name, FORMAT_LABELS[name]) for name in PARALLEL_FORMATS],
    ), status


@bp.route("/documents/<slug>/releases/<int:version>/export")
@requires(Right.VIEW_DOCUMENT)
def release_download(slug: str, version: int) -> Any:
    """A file of a release (``?format=epub&languages=fr``), made from its frozen copy."""
    release = get_release(get_document(slug), version)
    languages = request.args.get("languages", "").split(",")
    made = export_release(release, request.args.get("format", ""), languages)
    return Response(
        made.content,
        mimetype=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
