"""What every request and response goes through: refusing malformed input before any
view reads it, and the security headers.

Malformed input is a 400 naming the field, never a 500 further down: a NUL character
(PostgreSQL cannot store one) or a lone surrogate (no encoding can) in any query
parameter, form field, URL part or JSON string; a query string or form that is not
valid UTF-8; an integer the database's 32-bit INTEGER cannot hold, in the URL (404),
in ``args``/``form`` read with ``type=int`` or in JSON.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Request, Response, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

from translator.errors import InputError

MAX_JSON_BYTES = 1024 * 1024  # the largest API request: a segment is 20 000 characters
MAX_ID = 2**31 - 1  # the database's INTEGER keys: a larger id names nothing (and PostgreSQL
# would refuse to compare it with one: a 500 before this bound)
MAX_INT = MAX_ID  # any integer a request gives (ids, offsets, versions) must fit too
_BAD_CHARACTER = re.compile(r"[\x00\ud800-\udfff]")
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def bounded_int(value: str, name: str) -> int:
    """``value`` as an integer the database can hold (32 bits), or InputError naming
    ``name``."""
    if not _INTEGER.fullmatch(value):
        raise InputError(f"{name!r} must be a whole number", field=name)
    number = int(value)
    if not -MAX_INT <= number <= MAX_INT:
        raise InputError(f"{name!r} is out of range", field=name)
    return number


class CheckedMultiDict(ImmutableMultiDict[str, str]):
    """``args`` and ``form`` whose ``get(..., type=int)`` refuses out-of-range numbers
    (a 400 naming the field) instead of handing them to the database."""

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        if type is not int:
            return super().get(key, default, type)
        if key not in self:
            return default
        raw = super().get(key)
        if raw is None or not _INTEGER.fullmatch(raw):
            return default  # as werkzeug: an unparsable value is the default
        return bounded_int(raw, key)

    def getlist(self, key: str, type: Any = None) -> Any:
        if type is not int:
            return super().getlist(key, type)
        return [bounded_int(v, key) for v in super().getlist(key) if _INTEGER.fullmatch(v)]


class CheckedRequest(Request):
    parameter_storage_class = CheckedMultiDict


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in a URL (an id): a number beyond the ids' 32 bits names nothing,
    a 404. Raised here rather than letting the rule not match: werkzeug would then
    find the same path's rule for another method and answer 405."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound(f"nothing has the id {value} (ids are at most {MAX_ID})") from None


def _check_text(value: str, name: str) -> None:
    found = _BAD_CHARACTER.search(value)
    if found is not None:
        character = "NUL (U+0000)" if found.group() == "\x00" else "a lone surrogate"
        raise InputError(f"{name!r} contains {character}, which no text may hold", field=name)


def _check_json(value: Any, name: str, depth: int = 0) -> None:
    if depth > 64:
        raise InputError("the JSON body is nested too deeply", field=name or None)
    if isinstance(value, str):
        _check_text(value, name or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, name or "body")
            _check_json(item, f"{name}.{key}" if name else key, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{name}[{index}]", depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise InputError(f"{name!r} is out of range", field=name or None)


def _check_utf8(raw: bytes, where: str) -> None:
    for part in raw.split(b"&"):
        for piece in part.split(b"=", 1):
            decoded = unquote_to_bytes(piece.replace(b"+", b" "))
            try:
                decoded.decode("utf-8")
            except UnicodeDecodeError as exc:
                name = unquote_to_bytes(part.split(b"=", 1)[0]).decode("utf-8", "replace")
                raise InputError(
                    f"the {where} is not valid UTF-8 (byte {exc.start} of {name!r})", field=name
                ) from None


def check_request_input() -> None:
    """``before_request``: refuse malformed input (see the module docstring)."""
    _check_utf8(request.query_string, "query string")
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            _check_text(value, name)
    for name, value in request.args.items(multi=True):
        _check_text(name, name)
        _check_text(value, name)
    if request.mimetype == "application/x-www-form-urlencoded":
        _check_utf8(request.get_data(cache=True), "form")
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            _check_text(name, name)
            _check_text(value, name)
        for name, upload in request.files.items(multi=True):
            _check_text(upload.filename or "", name)
    if request.is_json and request.content_length:
        if request.content_length > MAX_JSON_BYTES:
            raise RequestEntityTooLarge(f"a JSON body holds at most {MAX_JSON_BYTES} bytes")
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            raise InputError("the JSON body is nested too deeply") from None
        _check_json(body, "")


def security_headers(response: Response) -> Response:
    """``after_request``: the headers every response carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def harden(app: Flask) -> None:
    """Install the input checks, the bounded integers and the security headers."""
    app.request_class = CheckedRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(check_request_input)
    app.after_request(security_headers)
