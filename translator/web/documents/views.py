"""Document list, import form and the document page (units as rows, editions as columns)."""

from __future__ import annotations

import math
import os
import tempfile
import uuid
from functools import partial
from pathlib import Path
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
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from translator.extensions import db
from translator.i18n import _, get_locale
from translator.models import Document
from translator.services.alignment import LOW_CONFIDENCE
from translator.services.document_list import (
    NO_PROJECT,
    DocumentFilters,
    DocumentState,
    document_page,
    visible_languages,
)
from translator.services.documents import (
    get_document,
    list_documents,
    set_original,
    update_document,
    update_edition,
)
from translator.services.jobs import create_job
from translator.services.languages import language_name
from translator.services.progress import edition_progress
from translator.services.projects import (
    get_project,
    list_projects,
    missing_languages,
    project_id,
    set_document_project,
)
from translator.services.releases import changes_since_release, latest_release
from translator.services.rights import Right, Target, document_target, has_right, require
from translator.services.trash import list_trash, trash_days
from translator.services.units import count_units, unit_rows
from translator.services.users import find_person
from translator.web.documents.forms import DocumentForm, EditionForm, ImportForm, PurgeForm
from translator.web.jobs.views import enqueue
from translator.web.rights import requires

bp = Blueprint("documents", __name__)


def _list_filters() -> tuple[DocumentFilters, dict[str, str], bool]:
    """The list's filters from the query string: the filters, the arguments to keep in
    its links (only those given), and whether the person named matched nobody."""
    args = {
        name: request.args.get(name, "").strip()[:254]
        for name in ("project", "language", "person", "state")
        if request.args.get(name, "").strip()
    }
    project: int | str | None = None
    if args.get("project") == NO_PROJECT:
        project = NO_PROJECT
    elif "project" in args:
        project = project_id(args["project"]) or 0  # an unknown project: nothing matches
    person = find_person(args["person"]) if "person" in args else None
    unknown_person = "person" in args and person is None
    try:
        state = DocumentState(args["state"]) if "state" in args else None
    except ValueError:
        args.pop("state")
        state = None
    filters = DocumentFilters(
        project=project,
        language=args.get("language") or None,
        person=person.id if person is not None else (0 if unknown_person else None),
        state=state,
    )
    return filters, args, unknown_person


@bp.route("/")
@requires(Right.SIGNED_IN)
def index() -> Any:
    """The documents the user may see, filtered (project, language, person, state: kept
    in the query string) and paged."""
    filters, args, unknown_person = _list_filters()
    page = request.args.get("page", 1, type=int)
    listed = document_page(current_user, filters, page=page)
    if page < 1 or page > listed.pages:
        abort(404)
    return render_template(
        "documents/index.html",
        listed=listed,
        progress=edition_progress([d.id for d in listed.documents]),
        args=args,
        unknown_person=unknown_person,
        projects=list_projects(visible_to=current_user),
        languages=visible_languages(current_user),
    )


def _save_upload(data: bytes, suffix: str) -> Path:
    """Write the upload atomically where the import job will read it."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return target


@bp.route("/import", methods=["GET", "POST"])
@requires(Right.IMPORT_DOCUMENTS)
def import_text() -> Any:
    """Import a text: a new document, or a new edition of one the user manages."""
    form = ImportForm()
    form.document.choices = [SelectChoice("", _("New document"))] + [
        SelectChoice(d.slug, d.title)
        for d in list_documents(visible_to=current_user)
        if has_right(current_user, Right.MANAGE_DOCUMENT, Target(d.id))
    ]
    if request.method == "POST" and request.form.get("document"):
        require(current_user, Right.MANAGE_DOCUMENT, document_target(request.form["document"]))
    if request.method == "GET" and request.args.get("document"):
        form.document.data = request.args["document"]
    projects = list_projects(visible_to=current_user)
    # Each project's original language, for the form's script to propose (js/import.js).
    form.project.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(p.slug, p.name, render_kw={"data-original": p.original_language or ""})
        for p in projects
    ]
    chosen = next((p for p in projects if p.slug == request.args.get("project")), None)
    if request.method == "GET" and chosen is not None:
        form.project.data = chosen.slug  # and the project's original language
        form.language.data = form.language.data or chosen.original_language
    return _import_page(form, None)


@bp.route("/documents/<slug>/add-edition", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT)
def add_edition(slug: str) -> Any:
    """Import an existing edition of this document (its coordinators' way in)."""
    document = get_document(slug)
    form = ImportForm()
    form.document.choices = [SelectChoice(document.slug, document.title)]
    form.document.data = document.slug
    form.project.choices = [SelectChoice("", "")]  # an edition joins its document's project
    return _import_page(form, document)


def _import_page(form: ImportForm, document: Document | None) -> Any:
    """The import form: validate, keep the upload, start the import job."""
    page = partial(render_template, "documents/import.html", form=form, document=document)
    if form.validate_on_submit():
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        if form.file.data and form.file.data.filename:
            filename = Path(form.file.data.filename).name
            data = form.file.data.read(limit + 1)
        else:
            filename = "pasted.txt"
            data = form.text.data.encode("utf-8")
        if len(data) > limit:
            form.file.errors.append(
                _(
                    "The upload is over the %(limit)s MB limit.",
                    limit=f"{current_app.config['MAX_UPLOAD_MB']:g}",
                )
            )
            return page(), 413
        path = _save_upload(data, Path(filename).suffix[:10])
        target = document or (get_document(form.document.data) if form.document.data else None)
        job = create_job(
            "import",
            {
                "path": str(path),
                "filename": filename,
                "language": form.language.data,
                "document": form.document.data or None,
                "title": form.title.data or None,
                "format": form.format.data,
                "project": (form.project.data or None) if not form.document.data else None,
            },
            user_id=current_user.id,
            document_id=target.id if target is not None else None,
        )
        db.session.commit()
        return redirect(url_for("jobs.show", job_id=enqueue(job, upload=str(path))))
    return page(), 400 if form.errors else 200


@bp.route("/documents/<slug>")
@requires(Right.VIEW_DOCUMENT)
def show(slug: str) -> Any:
    """One row per unit, one column per edition; ``?review=1`` lists only the units whose
    alignment confidence is low. The alignment tools sit around the table."""
    document = get_document(slug)
    per_page = current_app.config["UNITS_PER_PAGE"]
    review = request.args.get("review") == "1"
    max_confidence = LOW_CONFIDENCE if review else None
    total = count_units(document, max_confidence=max_confidence)
    pages = max(1, math.ceil(total / per_page))
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > pages:
        abort(404)
    languages = [e.language for e in document.editions]
    rows = unit_rows(
        document,
        offset=(page - 1) * per_page,
        limit=per_page,
        max_confidence=max_confidence,
    )
    progress = edition_progress([document.id])
    locale = str(get_locale())
    last_release = latest_release(document)
    changed = (
        {lang: len(found) for lang, found in changes_since_release(document, last_release).items()}
        if last_release is not None
        else {}
    )
    return render_template(
        "documents/show.html",
        last_release=last_release,
        changed_since_release=changed,
        document=document,
        languages=languages,
        language_names={lang: language_name(lang, locale) for lang in languages},
        rows=rows,
        page=page,
        pages=pages,
        total=total,
        progress=progress,
        review=review,
        tools=alignment.alignment_tools(document, progress, review=review, total=total),
        missing=missing_languages(document),
    )


@bp.route("/documents/<slug>/settings", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT)
def settings(slug: str) -> Any:
    """Edit the document's description and each edition's title and credits."""
    document = get_document(slug)
    form = DocumentForm(obj=document, prefix="document")
    locale = str(get_locale())
    form.original.choices = [SelectChoice("", _("None: the editions are peers"))] + [
        SelectChoice(e.language, language_name(e.language, locale)) for e in document.editions
    ]
    form.project_slug.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(p.slug, p.name)
        for p in list_projects(visible_to=current_user)
        if p.id == document.project_id
        or has_right(current_user, Right.MANAGE_PROJECT_TEAM, Target(project_id=p.id))
    ]
    if request.method == "GET":
        form.original.data = document.original.language if document.original else ""
        form.project_slug.data = document.project.slug if document.project else ""
    edition_forms = {
        e.language: EditionForm(obj=e, prefix=f"edition-{e.language}") for e in document.editions
    }
    if form.validate_on_submit() and all(f.validate() for f in edition_forms.values()):
        update_document(
            document,
            title=form.title.data,
            author=form.author.data or "",
            notes=form.notes.data or "",
            publication_date=form.publication_date.data,
            review_required=bool(form.review_required.data),
        )
        if form.original.raw_data:  # a form without the field leaves the original alone
            set_original(document, form.original.data or None)
        if form.project_slug.raw_data:  # the same for the project
            _move_to_project(document, form.project_slug.data or None)
        for edition in document.editions:
            edition_form = edition_forms[edition.language]
            update_edition(
                edition,
                title=edition_form.title.data or "",
                credits=edition_form.credits.data or "",
                typography=bool(edition_form.typography.data),
            )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("documents.show", slug=document.slug))
    status = 400 if form.errors or any(f.errors for f in edition_forms.values()) else 200
    return render_template(
        "documents/settings.html",
        document=document,
        form=form,
        edition_forms=edition_forms,
        trash=list_trash(document),
        delete_form=FlaskForm(),
        purge_form=PurgeForm(),
        trash_days=f"{trash_days():g}",
    ), status


def _move_to_project(document: Document, slug: str | None) -> None:
    """Into the project ``slug`` (a coordinator of it may add documents to it), or out
    of any with None."""
    project = get_project(slug) if slug else None
    if project is not None and project.id != document.project_id:
        require(current_user, Right.MANAGE_PROJECT_TEAM, Target(project_id=project.id))
    set_document_project(document, project)


# The alignment tools' views register on ``bp`` (they import it from here).
from translator.web.documents import (  # noqa: E402, F401
    alignment,
    editions,
    exports,
    members,
    releases,
    translations,
    trash,
)
