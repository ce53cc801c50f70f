"""Deleting a document or an edition (to the trash), and the trash: the instance's for
administrators (``/trash``), a document's deleted editions on its settings page for
whoever manages it. Restoring brings everything back; purging, the only hard delete,
needs its box ticked (``PurgeForm``)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from translator.errors import TranslatorError
from translator.extensions import db
from translator.i18n import _
from translator.services.documents import get_document
from translator.services.exports import remove_artifact_file
from translator.services.languages import language_name
from translator.services.rights import Right
from translator.services.trash import (
    Purged,
    delete_document,
    delete_edition,
    list_trash,
    purge_document,
    purge_edition,
    restore_document,
    restore_edition,
    trash_days,
    trashed_document,
    trashed_edition,
)
from translator.web.documents.forms import PurgeForm
from translator.web.documents.views import bp
from translator.web.rights import requires


def _refused(exc: TranslatorError) -> None:
    db.session.rollback()
    flash(exc.message, "error")


def _commit_purge(purged: Purged) -> None:
    db.session.commit()
    for stored_name in purged.stored_names:  # their rows are gone for good now
        remove_artifact_file(stored_name)
    flash(_("Deleted for good."), "success")


@bp.route("/documents/<slug>/delete", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def delete(slug: str) -> Any:
    """Move the document to the trash."""
    document = get_document(slug)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("documents.settings", slug=slug))
    delete_document(document, user_id=current_user.id)
    db.session.commit()
    flash(
        _(
            "“%(title)s” is in the trash; it will be deleted for good after %(days)s days "
            "unless a coordinator restores it from there.",
            title=document.title,
            days=f"{trash_days():g}",
        ),
        "success",
    )
    return redirect(url_for("documents.index"))


@bp.route("/documents/<slug>/editions/<language>/delete", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def delete_edition_view(slug: str, language: str) -> Any:
    """Move one edition to the trash (listed on the settings page, to restore)."""
    document = get_document(slug)
    if FlaskForm().validate_on_submit():
        try:
            edition = delete_edition(document, language, user_id=current_user.id)
        except TranslatorError as exc:
            _refused(exc)
        else:
            db.session.commit()
            flash(
                _(
                    "The %(language)s edition is in the trash (below, to restore).",
                    language=language_name(edition.language),
                ),
                "success",
            )
    return redirect(url_for("documents.settings", slug=slug, _anchor="trash"))


@bp.route("/documents/<slug>/editions/<language>/restore", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def restore_edition_view(slug: str, language: str) -> Any:
    """Bring a deleted edition back, with its cells and their history."""
    document = get_document(slug)
    if FlaskForm().validate_on_submit():
        try:
            restore_edition(trashed_edition(document, language))
        except TranslatorError as exc:
            _refused(exc)
        else:
            db.session.commit()
            flash(_("Restored."), "success")
    return redirect(url_for("documents.settings", slug=slug))


@bp.route("/documents/<slug>/editions/<language>/purge", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def purge_edition_view(slug: str, language: str) -> Any:
    """Delete a deleted edition for good (the box must be ticked)."""
    document = get_document(slug)
    form = PurgeForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
    else:
        try:
            _commit_purge(purge_edition(trashed_edition(document, language)))
        except TranslatorError as exc:
            _refused(exc)
    return redirect(url_for("documents.settings", slug=slug, _anchor="trash"))


@bp.route("/trash")
@requires(Right.MANAGE_TRASH)
def trash() -> Any:
    """Everything in the trash: what, by whom, when, and when it goes for good."""
    return render_template(
        "documents/trash.html", items=list_trash(), purge_form=PurgeForm(), days=f"{trash_days():g}"
    )


@bp.route("/trash/documents/<trashed>/restore", methods=["POST"])
@requires(Right.MANAGE_TRASH)
def restore(trashed: str) -> Any:
    """Bring a deleted document back as it was."""
    if FlaskForm().validate_on_submit():
        try:
            document = trashed_document(trashed)
            restore_document(document)
        except TranslatorError as exc:
            _refused(exc)
        else:
            db.session.commit()
            flash(_("Restored."), "success")
            return redirect(url_for("documents.show", slug=document.slug))
    return redirect(url_for("documents.trash"))


@bp.route("/trash/documents/<trashed>/purge", methods=["POST"])
@requires(Right.MANAGE_TRASH)
def purge(trashed: str) -> Any:
    """Delete a deleted document for good (the box must be ticked)."""
    form = PurgeForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
    else:
        try:
            _commit_purge(purge_document(trashed_document(trashed)))
        except TranslatorError as exc:
            _refused(exc)
    return redirect(url_for("documents.trash"))
