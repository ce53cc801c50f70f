"""The dashboard through the API (docs/api.md): every edition of the documents the
user manages, as the dashboard page lists them."""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify, url_for
from flask_login import current_user
from pydantic import Field

from translator.services.dashboard import Row, utc_today
from translator.services.dashboard_page import page_rows, ranked_editions
from translator.services.rights import Right, managed_documents
from translator.web.api import coordination_shapes
from translator.web.api.inputs import Query
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.dashboard.views import blocker_links
from translator.web.rights import requires
from translator.web.security import MAX_INT

MAX_ROWS = 1000


class DashboardQuery(Query):
    offset: Annotated[int, Field(ge=0, le=MAX_INT)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 200


def row_json(row: Row) -> coordination_shapes.DashboardRow:
    """A dashboard row as the API gives it."""
    return {
        "document": row.slug,
        "title": row.title,
        "language": row.language,
        "original": row.original,
        "phase": row.phase,  # type: ignore[typeddict-item]
        "ready": row.ready,
        "segments": {str(s): n for s, n in row.progress.segments.items()},
        "words_total": row.words_total,
        "words_to_translate": row.words_to_translate,
        "words_to_review": row.words_to_review,
        "words_left": row.words_left,
        "assignees": [
            {
                "user": {"id": a.user_id, "name": a.name},
                "kind": a.kind,  # type: ignore[typeddict-item]
                "due": a.due.isoformat() if a.due else None,
            }
            for a in row.assignees
        ],
        "due": row.due.isoformat() if row.due else None,
        "velocity": round(row.velocity, 1),
        "forecast": row.forecast.isoformat() if row.forecast else None,
        "overdue": row.overdue,
        "at_risk": row.at_risk,
        "blockers": [
            {
                "reason": item["blocker"].reason,
                "segments": item["blocker"].segments,
                "editor": item["editor"],
            }
            for item in blocker_links(row)
        ],
        "url": url_for("dashboard.edition", slug=row.slug, language=row.language),
    }


@bp.get("/dashboard")
@requires(Right.COORDINATE)
@operation(
    "Every edition of the documents the user manages: progress, due date, forecast",
    tag="documents",
    query=DashboardQuery,
    answer=coordination_shapes.Dashboard,
)
def dashboard(query: DashboardQuery) -> Any:
    """The dashboard's rows, overdue first, then at risk, then by due date (none last),
    ready editions last; ``offset`` and ``limit`` take a window of them. Read from the
    counters kept with every save and the open assignments: no segment is read."""
    today = utc_today()
    ranked = ranked_editions(managed_documents(current_user), today=today)
    window = page_rows(ranked, offset=query.offset, limit=query.limit, today=today)
    answer: coordination_shapes.Dashboard = {
        "today": today.isoformat(),
        "total": len(ranked),
        "offset": query.offset,
        "rows": [row_json(r) for r in window],
    }
    return jsonify(answer)
