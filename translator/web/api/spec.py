"""``@operation``: what an API view takes and answers, declared once, on the view.

The declaration does two things with the same classes:

- before the view runs (after the rights hook), it reads the request: the JSON body
  into the ``body`` model, the query string into the ``query`` model, ``If-Match`` into
  ``version``, and passes them to the view as keyword arguments; anything that does not
  fit is a 400 naming the field (``InputError``), a missing ``If-Match`` a 428;
- ``web.api.openapi`` turns it, with the route's URL rule and declared right, into the
  operation of the OpenAPI document: parameters, request body, every status the view
  can answer and the schema of each.

So the document cannot say a view takes something it does not read, and a view cannot
read a field the document does not name.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from translator.errors import InputError
from translator.web.api import schemas

JSON = "application/json"
_KIND_MESSAGES = {
    "missing": "is missing",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object",
}


@dataclass(frozen=True)
class Operation:
    """One API operation as its view declares it (see ``operation``)."""

    summary: str
    tag: str
    description: str
    answer: Any = None  # the type of the success answer's JSON (a TypedDict)
    status: int = 200
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    if_match: bool = False
    errors: Mapping[int, Any] = field(default_factory=dict)
    media_type: str = JSON


def operation(
    summary: str,
    *,
    tag: str,
    answer: Any = None,
    status: int = 200,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    query: type[BaseModel] | None = None,
    if_match: bool = False,
    errors: Mapping[int, Any] | None = None,
    media_type: str = JSON,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an API view's operation (put it below ``@requires``). ``errors`` maps the
    statuses the view gives beyond those every operation may (``web.api.openapi``) to a
    sentence saying when (the answer is then an ``Error``), or to ``(sentence, type of
    the answer's JSON)``. The view's docstring is the operation's description."""

    def declare(view: Callable[..., Any]) -> Callable[..., Any]:
        declared = Operation(
            summary=summary,
            tag=tag,
            description=inspect.getdoc(view) or "",
            answer=answer,
            status=status,
            body=body,
            body_required=body_required,
            query=query,
            if_match=if_match,
            errors=dict(errors or {}),
            media_type=media_type,
        )

        @functools.wraps(view)
        def run(**view_args: Any) -> Any:
            if declared.body is not None:
                view_args["body"] = read_body(declared.body, required=declared.body_required)
            if declared.query is not None:
                view_args["query"] = read_query(declared.query)
            if declared.if_match:
                view_args["version"] = schemas.if_match()
            return view(**view_args)

        run.api_operation = declared  # type: ignore[attr-defined]
        return run

    return declare


def declared_operation(view: Any) -> Operation | None:
    """The operation a view declared, if it declared one."""
    found: Operation | None = getattr(view, "api_operation", None)
    return found


def _where(location: tuple[int | str, ...]) -> str:
    path = str(location[0]) if location else "body"
    for part in location[1:]:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def input_error(exc: ValidationError) -> InputError:
    """The first problem pydantic found, as a 400 naming the field."""
    problem = exc.errors(include_url=False)[0]
    location = tuple(problem["loc"])
    where = _where(location)
    said = _KIND_MESSAGES.get(problem["type"])
    if said is None:
        message = str(problem["msg"])
        said = message[:1].lower() + message[1:]
        return InputError(f"{where!r}: {said}", field=str(location[0]) if location else None)
    return InputError(f"{where!r} {said}", field=str(location[0]) if location else None)


def read_body(model: type[BaseModel], *, required: bool = True) -> BaseModel:
    """The request's JSON object as ``model``; without a body, ``model()`` when the
    body is optional."""
    if not required and not request.get_data(cache=True):
        return model()
    try:
        return model.model_validate(schemas.json_body())
    except ValidationError as exc:
        raise input_error(exc) from None


def read_query(model: type[BaseModel]) -> BaseModel:
    """The query string as ``model`` (the first value of each parameter; an empty one
    counts as absent)."""
    args = {name: value for name, value in request.args.items() if value != ""}
    try:
        return model.model_validate(args)
    except ValidationError as exc:
        raise input_error(exc) from None
