"""The dashboard (``coordinate``): every edition of the documents one manages, overdue
and at-risk ones first, with people's throughput; its live updates (server-sent
``progress`` events, and a change caught at each keep-alive); and one edition's page
(``manage_document``): its burndown, why it is not ready, who works on it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from translator.errors import NotFound
from translator.extensions import db
from translator.i18n import get_locale
from translator.models import Document, Edition
from translator.services import live
from translator.services.assignment_figures import assignment_figures
from translator.services.assignments import list_assignments
from translator.services.dashboard import Row, change_token, edition_row, utc_today
from translator.services.dashboard_history import (
    burndown,
    record_edition_days_once,
    throughput,
)
from translator.services.dashboard_page import Totals, page_rows, ranked_editions
from translator.services.documents import get_document
from translator.services.languages import language_name
from translator.services.rights import Right, managed_documents
from translator.web.assignments.rows import assignment_view
from translator.web.dashboard.charts import burndown_chart, throughput_chart
from translator.web.rights import requires
from translator.web.streams import event_stream_response, outside_request

bp = Blueprint("dashboard", __name__)
PER_PAGE = 50  # rows drawn per page: drawing is what a long page costs


def blocker_links(row: Row) -> list[dict[str, Any]]:
    """Each reason the edition is not ready, with the editor's address listing its
    cells (the editor's filters, on this edition's column)."""
    blockers = row.progress.blockers
    if not blockers:
        return []
    editor = url_for("editor.edit", slug=row.slug)  # once a row: a page draws 50 of them
    return [
        {
            "blocker": blocker,
            "editor": f"{editor}?"
            + urlencode({**blocker.editor_filters, "status_language": row.language}),
        }
        for blocker in blockers
    ]


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.route("/dashboard")
@requires(Right.COORDINATE)
def index() -> Any:
    """Every edition of the documents the user manages; ``?partial=rows`` answers the
    table alone (what the live updates reload)."""
    today = utc_today()
    if record_edition_days_once(today):  # the day's first view keeps its snapshot
        db.session.commit()
    condition = managed_documents(current_user)
    ranked = ranked_editions(condition, today=today)
    pages = max(1, -(-len(ranked) // PER_PAGE))
    page = min(_page_number(), pages)
    shown = page_rows(ranked, offset=(page - 1) * PER_PAGE, limit=PER_PAGE, today=today)
    totals = Totals.of(ranked)
    context = {
        "rows": shown,
        "blockers": {row.edition_id: blocker_links(row) for row in shown},
        "page": page,
        "pages": pages,
        "total": totals.editions,
        "overdue": totals.overdue,
        "at_risk": totals.at_risk,
        "ready": totals.ready,
        "today": today,
    }
    if request.args.get("partial") == "rows":
        return render_template("dashboard/_rows.html", **context)
    people = throughput(condition, today=today)
    return render_template(
        "dashboard/index.html",
        throughput=throughput_chart(people) if people else None,
        **context,
    )


@bp.route("/dashboard/events")
@requires(Right.COORDINATE)
def events() -> Any:
    """Server-sent ``progress`` events ``{"document": id}`` for the documents the user
    manages (``{"document": null}``: something changed where the live hub does not
    reach, seen at a keep-alive); the page reloads its table on each."""
    documents: frozenset[int] | None = None
    if not (current_user.is_admin or current_user.is_coordinator):
        documents = frozenset(
            db.session.scalars(select(Document.id).where(managed_documents(current_user)))
        )
    timeout = float(current_app.config["LIVE_KEEPALIVE"])
    stream = ProgressStream(
        live.subscribe(live.COORDINATION, timeout=timeout),
        documents,
        outside_request(change_token),
    )
    return event_stream_response(stream)


class ProgressStream:
    """The coordinators' channel as ``text/event-stream`` for one person: the
    ``progress`` events of the documents they manage (``documents``; None: all), and at
    each keep-alive a ``progress`` event if ``watch``'s token changed unannounced (a
    worker process the embedded hub does not reach)."""

    def __init__(
        self, subscription: live.Subscription, documents: frozenset[int] | None, watch: Any
    ) -> None:
        self.subscription, self.documents, self.watch = subscription, documents, watch
        self._seen = watch()
        self._opened = False

    def __iter__(self) -> ProgressStream:
        return self

    def __next__(self) -> str:
        if not self._opened:
            self._opened = True
            return live.OPENING
        item = next(self.subscription)
        if item is not None:
            name, data = item
            if self.documents is None or data.get("document") in self.documents:
                return live.format_sse(name, data)
            return live.KEEPALIVE
        token = self.watch()
        if token == self._seen:
            return live.KEEPALIVE
        self._seen = token
        return live.format_sse("progress", {"document": None})

    def close(self) -> None:
        self.subscription.close()


@bp.route("/dashboard/<slug>/<language>")
@requires(Right.MANAGE_DOCUMENT)
def edition(slug: str, language: str) -> Any:
    """One edition: its figures, its burndown, why it is not ready (links to those
    cells in the editor), its open assignments and its people's throughput."""
    document = get_document(slug)
    today = utc_today()
    row = edition_row(document, language, today=today)
    if row is None:
        raise NotFound(f"the document has no {language!r} edition", field="language")
    assignments = [
        a for a in list_assignments(document_id=document.id) if a.edition_id == row.edition_id
    ]
    figures = assignment_figures([a.id for a in assignments])
    people = throughput(Edition.id == row.edition_id, today=today)
    return render_template(
        "dashboard/edition.html",
        document=document,
        row=row,
        blockers=blocker_links(row),
        burndown=burndown_chart(
            row, burndown(row, today=today), language_name(language, str(get_locale()))
        ),
        throughput=throughput_chart(people, "edition-throughput") if people else None,
        assignments=[assignment_view(a, figures[a.id]) for a in assignments],
        today=today,
    )
