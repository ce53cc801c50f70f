"""Every route declares the right it needs, and one hook checks it before the view runs.

A view is marked with ``@requires(Right.X)`` (and, where reading and writing differ,
``read=Right.Y`` for GET/HEAD). ``check_route_right`` (a ``before_request`` hook) first
applies the scope of the API token that authenticated the request, if one did (a
``read`` token may only read: ``services.rights.require_scope``), then finds
the route's target from its URL arguments — the document of ``slug``, the document and
language of ``segment_id`` or ``suggestion_id``, the document of ``unit_id`` or
``comment_id``, the job of ``job_id``, the project of ``project_slug`` — and asks
``services.rights.require``. A route
without a declaration is refused at start-up (``check_declared``), so a new route cannot
be left open by mistake. Where the target is in the request body (the import form's
document, the replace form's language), the view asks ``services.rights.require`` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_login import current_user

from translator.errors import SignInRequired
from translator.services.rights import (
    NOTHING,
    READ_METHODS,
    Target,
    comment_target,
    document_target,
    job_target,
    project_target,
    require,
    require_scope,
    segment_target,
    signed_in,
    suggestion_target,
    unit_target,
)
from translator.services.rights_table import DOCUMENT_RIGHTS, PROJECT_RIGHTS, Right, refusal
from translator.web.bearer import request_token

View = TypeVar("View", bound=Callable[..., Any])
READS = READ_METHODS
# Endpoints Flask itself adds: static files are public.
BUILT_IN = {"static": Right.ANYONE}


def requires(right: Right, *, read: Right | None = None) -> Callable[[View], View]:
    """Declare the right a view needs (``read``: the right for GET and HEAD, if less)."""

    def declare(view: View) -> View:
        view.required_right = right  # type: ignore[attr-defined]
        view.read_right = read or right  # type: ignore[attr-defined]
        return view

    return declare


def declared_right(app: Flask, endpoint: str, method: str) -> Right | None:
    """The right the endpoint declared for ``method``, or None if it declared none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    right: Right | None = getattr(view, "required_right", None)
    if right is not None and method in READS:
        read: Right = view.read_right  # type: ignore[union-attr]
        return read
    return right


def check_declared(app: Flask) -> None:
    """Refuse to start with a route that declares no right."""
    missing = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if declared_right(app, rule.endpoint, "POST") is None
    )
    if missing:
        raise RuntimeError(f"routes without a declared right: {', '.join(missing)}")


def route_target(view_args: dict[str, Any]) -> Target:
    """The target named by a route's URL arguments (NotFound if it does not exist)."""
    if "segment_id" in view_args:
        return segment_target(view_args["segment_id"])
    if "suggestion_id" in view_args:
        return suggestion_target(view_args["suggestion_id"])
    if "unit_id" in view_args and "slug" not in view_args:
        return unit_target(view_args["unit_id"])
    if "comment_id" in view_args:
        return comment_target(view_args["comment_id"])
    if "job_id" in view_args:
        return job_target(view_args["job_id"])
    if "slug" in view_args:
        return document_target(view_args["slug"])
    if "project_slug" in view_args:
        return project_target(view_args["project_slug"])
    return NOTHING


def check_route_right() -> None:
    """``before_request``: refuse the request unless the user has the route's right."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: the 404/405 handler answers
        return
    right = declared_right(current_app, endpoint, request.method)
    if right is None:  # check_declared makes this impossible; fail closed anyway
        raise RuntimeError(f"route {endpoint} declares no right")
    token = request_token()
    require_scope(token.scope if token is not None else None, request.method)
    if right is Right.ANYONE:
        return
    if not signed_in(current_user):  # before any lookup: nothing is told to strangers
        raise SignInRequired(refusal(Right.SIGNED_IN))
    target = NOTHING
    needs_target = (
        right in DOCUMENT_RIGHTS
        or right in PROJECT_RIGHTS
        or right in (Right.VIEW_JOB, Right.RETRY_JOB)
    )
    if needs_target:
        target = route_target(request.view_args or {})
    if right in (Right.EDIT_EDITION, Right.REVIEW_EDITION) and target.language is None:
        raise RuntimeError(f"route {endpoint} needs {right} but names no segment")
    require(current_user, right, target)  # its refusal is said in the interface's language
