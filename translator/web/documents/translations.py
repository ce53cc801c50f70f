"""Bring back a file translated in a CAT tool (XLIFF, PO, TMX exported from here): the
upload becomes a job, whose page lists what happened to each unit.

Whoever edits an edition of the document may upload; the import itself changes only
the editions the uploader may edit (the others are reported as refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from translator.extensions import db
from translator.i18n import _
from translator.services.documents import get_document
from translator.services.jobs import create_job
from translator.services.rights import Right
from translator.web.documents.forms import TranslationsForm
from translator.web.documents.views import _save_upload, bp
from translator.web.jobs.views import enqueue
from translator.web.rights import requires

EXTENSIONS = (".xlf", ".xliff", ".po", ".tmx")


@bp.route("/documents/<slug>/translations", methods=["GET", "POST"])
@requires(Right.EDIT_ANY_EDITION)
def translations(slug: str) -> Any:
    """Upload a translated XLIFF, PO or TMX file of this document."""
    document = get_document(slug)
    form = TranslationsForm()
    if form.validate_on_submit():
        filename = Path(form.file.data.filename or "").name
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        data = form.file.data.read(limit + 1)
        if Path(filename).suffix.lower() not in EXTENSIONS:
            form.file.errors.append(
                _("%(name)s is not an XLIFF, PO or TMX file.", name=filename or "?")
            )
        elif len(data) > limit:
            form.file.errors.append(
                _(
                    "The upload is over the %(limit)s MB limit.",
                    limit=f"{current_app.config['MAX_UPLOAD_MB']:g}",
                )
            )
        else:
            path = _save_upload(data, Path(filename).suffix.lower())
            job = create_job(
                "translations",
                {"path": str(path), "filename": filename, "document": document.slug},
                document_id=document.id,
                user_id=current_user.id,
            )
            db.session.commit()
            return redirect(url_for("jobs.show", job_id=enqueue(job, upload=str(path))))
    status = 413 if any("MB" in str(e) for e in form.file.errors) else 400 if form.errors else 200
    return render_template("documents/translations.html", document=document, form=form), status
