"""How an assignment is shown (pages and API alike): its person, its range, whether it
is overdue and the editor link that opens on it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from translator.models import Assignment, AssignmentState
from translator.services.assignment_figures import Figures


def assignment_view(assignment: Assignment, figures: Figures) -> dict[str, Any]:
    first, last = figures.first_position, figures.last_position
    overdue = (
        assignment.due is not None
        and assignment.due < date.today()
        and assignment.state is AssignmentState.OPEN
        and figures.words_left > 0
    )
    return {
        "assignment": assignment,
        "figures": figures,
        "name": assignment.user.name,
        "units": f"{first}-{last}" if first is not None and last is not None else "",
        "overdue": overdue,
        "editor": url_for("editor.edit", slug=assignment.document.slug, assignment=assignment.id),
    }
