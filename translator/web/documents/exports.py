"""Export a document (a job per export) and download or delete what was exported.

Whoever may read a document may export it and download its files; deleting a file
is for those who manage the document. Downloads are always attachments: an exported
web page is never rendered on the service's own origin."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.errors import InputError, NotFound
from translator.extensions import db
from translator.i18n import _, _l, get_locale
from translator.services.documents import get_document
from translator.services.exports import (
    artifact_path,
    check_export,
    delete_artifact,
    export_formats,
    get_artifact,
    list_artifacts,
    remove_artifact_file,
    request_export,
)
from translator.services.languages import language_name
from translator.services.rights import Right
from translator.services.users import get_user_names
from translator.web.documents.forms import ExportForm
from translator.web.documents.views import bp
from translator.web.jobs.views import enqueue
from translator.web.rights import requires

FORMAT_LABELS = {
    "html": _l("Web page (HTML)"),
    "epub": _l("E-book (EPUB 3)"),
    "pdf": _l("Print (PDF)"),
    "docx": _l("Word (DOCX)"),
    "md": _l("Markdown"),
    "txt": _l("Plain text"),
    "parallel-html": _l("Parallel edition, web page (HTML)"),
    "parallel-pdf": _l("Parallel edition, print (PDF)"),
    "parallel-docx": _l("Parallel edition, Word (DOCX)"),
    "xliff": _l("XLIFF 1.2 (CAT tools)"),
    "xliff2": _l("XLIFF 2.0 (CAT tools)"),
    "po": _l("PO (Poedit)"),
    "tmx": _l("TMX 1.4 (translation memory)"),
}


def _form(document: Any) -> ExportForm:
    form = ExportForm()
    locale = str(get_locale())
    form.format.choices = [
        SelectChoice(f.name, str(FORMAT_LABELS.get(f.name, f.name))) for f in export_formats()
    ]
    editions = [
        SelectChoice(e.language, language_name(e.language, locale)) for e in document.editions
    ]
    form.languages.choices = editions
    form.source.choices = [SelectChoice("", "—"), *editions]
    if request.method == "GET":
        wanted = request.args.getlist("lang") or document.languages[:1]
        form.languages.data = [lang for lang in wanted if document.edition(lang)]
        form.format.data = request.args.get("format", "html")
    return form


@bp.route("/documents/<slug>/export", methods=["GET", "POST"])
@requires(Right.VIEW_DOCUMENT)
def export(slug: str) -> Any:
    """The export form and the files exported so far."""
    document = get_document(slug)
    form = _form(document)
    if form.validate_on_submit():
        try:
            export_request = check_export(
                document,
                form.format.data,
                list(form.languages.data or []),
                source=form.source.data or None,
                typography={"on": True, "off": False}.get(form.typography.data or ""),
            )
        except InputError as exc:
            target = {"source": form.source, "format": form.format}.get(
                exc.field or "", form.languages
            )
            target.errors.append(exc.message)
        else:
            job = request_export(document, export_request, user_id=current_user.id)
            db.session.commit()
            return redirect(url_for("jobs.show", job_id=enqueue(job)))
    artifacts = list_artifacts(document)
    status = 400 if form.errors else 200
    return render_template(
        "documents/export.html",
        document=document,
        form=form,
        artifacts=artifacts,
        authors=get_user_names({a.created_by for a in artifacts if a.created_by}),
        format_labels=FORMAT_LABELS,
        delete_form=FlaskForm(),
    ), status


@bp.route("/documents/<slug>/exports/<artifact_id>")
@requires(Right.VIEW_DOCUMENT)
def download(slug: str, artifact_id: str) -> Any:
    """The exported file, as an attachment, checked to be complete."""
    document = get_document(slug)
    try:
        artifact = get_artifact(document, artifact_id)
        path = artifact_path(artifact)
    except NotFound:
        abort(404)
    response = send_file(
        path,
        mimetype=artifact.media_type,
        as_attachment=True,
        download_name=artifact.filename,
        conditional=True,
        etag=artifact.checksum,
        max_age=0,
    )
    response.headers["Digest"] = f"sha-256={artifact.checksum}"
    return response


@bp.route("/documents/<slug>/exports/<artifact_id>/delete", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def delete_export(slug: str, artifact_id: str) -> Any:
    """Delete an exported file (the row, then the file once that is committed)."""
    document = get_document(slug)
    if FlaskForm().validate_on_submit():
        try:
            stored_name = delete_artifact(get_artifact(document, artifact_id))
        except NotFound:
            abort(404)
        db.session.commit()
        remove_artifact_file(stored_name)
        flash(_("Deleted."), "success")
    return redirect(url_for("documents.export", slug=slug))
