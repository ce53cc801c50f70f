"""The activity page (``/activity``: the filters are the query string; ``after`` and
``before`` turn the pages) and its figures as CSV (``/activity/figures.csv``). Both show
what ``services.rights.activity_scope`` lets the signed-in person see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user

from translator.errors import InputError
from translator.i18n import _, _l
from translator.services.activity import (
    ActivityEntry,
    activity_page,
    decode_cursor,
    parse_day,
    parse_filter,
)
from translator.services.activity_figures import activity_figures, figures_csv
from translator.services.activity_sources import kinds
from translator.services.rights import Right
from translator.web.rights import requires

bp = Blueprint("activity", __name__)
FILTERS = ("document", "language", "person", "from", "to", "kind")

KIND_LABELS = {
    "save": _l("Saved a draft"),
    "confirm": _l("Confirmed"),
    "review": _l("Reviewed"),
    "minor": _l("Minor edit"),
    "reject": _l("Rejected"),
    "revert": _l("Reverted"),
    "replace": _l("Search and replace"),
    "suggestion": _l("Accepted a suggestion"),
    "alignment": _l("Aligned"),
    "merge": _l("Merged rows"),
    "split": _l("Split a row"),
    "move": _l("Moved a sentence"),
    "insert": _l("Inserted a row"),
    "undo": _l("Undid a change"),
    "assignment": _l("Assignment"),
    "import": _l("Import"),
    "export": _l("Export"),
    "translations": _l("Brought back translations"),
    "comment": _l("Comment"),
    "publication": _l("Published a release"),
}


def entry_link(entry: ActivityEntry) -> str:
    """Where a line of the log leads: the job, the editor (a cell's change or a
    comment), else the document."""
    if entry.source == "job":
        return url_for("jobs.show", job_id=entry.id)
    if entry.source == "publication":
        return url_for("documents.releases", slug=entry.document)
    if entry.unit_id is not None:
        return url_for("editor.edit", slug=entry.document)
    return url_for("documents.show", slug=entry.document)


def _cursor(name: str) -> Any:
    value = request.args.get(name, "").strip()
    return decode_cursor(value, field_name=name) if value else None


@bp.get("/activity")
@requires(Right.VIEW_ACTIVITY)
def index() -> Any:
    """The log, newest first, as far as the signed-in person may see it."""
    filters = {name: request.args.get(name, "") for name in FILTERS}
    flt = parse_filter(filters, current_user)
    page = activity_page(flt, current_user, after=_cursor("after"), before=_cursor("before"))
    kept: dict[str, Any] = {k: v for k, v in filters.items() if v}
    return render_template(
        "activity/index.html",
        page=page,
        filters=filters,
        kinds=[(k, KIND_LABELS.get(k, k)) for k in kinds()],
        labels=KIND_LABELS,
        link=entry_link,
        older=url_for("activity.index", **kept, after=page.older) if page.older else None,
        newer=url_for("activity.index", **kept, before=page.newer) if page.newer else None,
        figures=url_for("activity.figures", **kept),
    )


@bp.get("/activity/figures.csv")
@requires(Right.VIEW_ACTIVITY)
def figures() -> Any:
    """Words translated and reviewed and segments saved per person × document ×
    language, ``from`` to ``to`` (UTC days, both included), as CSV (UTF-8, a header)."""
    filters = {name: request.args.get(name, "") for name in FILTERS if name != "kind"}
    start, end = parse_day(filters["from"], "from"), parse_day(filters["to"], "to")
    if start is None:
        raise InputError(_("Choose the first day (from=YYYY-MM-DD)."), field="from")
    if end is None:
        raise InputError(_("Choose the last day (to=YYYY-MM-DD)."), field="to")
    flt = parse_filter(filters, current_user)
    body = figures_csv(activity_figures(start, end, flt, current_user))
    name = f"activity-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
