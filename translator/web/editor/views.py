"""The editor page. It is a shell: rows are fetched in windows from ``/api/v1/`` and
rendered by static/js/editor/, so a 10 000-unit document opens as fast as a short one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from translator.errors import InputError
from translator.services.assignment_figures import editor_start
from translator.services.assignments import get_assignment
from translator.services.documents import get_document
from translator.services.rights import Right, Target, has_right
from translator.web.rights import requires

bp = Blueprint("editor", __name__)


@bp.route("/documents/<slug>/edit")
@requires(Right.VIEW_DOCUMENT)
def edit(slug: str) -> Any:
    document = get_document(slug)
    api = url_for("api.document", slug=slug)
    editor = {
        "slug": document.slug,
        "api": "/api/v1",
        "document": api,
        "units": api + "/units",
        "events": api + "/events",
        "presence": api + "/presence",
        "columns": api + "/columns",
        "undo": api + "/undo",
        "show": url_for("documents.show", slug=slug),
        "replace": url_for("replace.page", slug=slug),
        # What the page offers: only the actions the user may take.
        "restructure": has_right(current_user, Right.RESTRUCTURE_DOCUMENT, Target(document.id)),
        "edits": has_right(current_user, Right.EDIT_ANY_EDITION, Target(document.id)),
        # ?assignment=<id>: the list shows that assignment's units, open at the first to do.
        "assignment": _assignment(document, request.args.get("assignment", "")),
    }
    return render_template("editor/edit.html", document=document, editor=editor)


def _assignment(document: Any, value: str) -> dict[str, Any] | None:
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"no assignment {value!r}", field="assignment")
    return editor_start(get_assignment(document, int(value)))
