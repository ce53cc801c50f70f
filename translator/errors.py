"""Domain errors. Each carries where the problem is (file, line, field) so that the
CLI, the web forms and the job rows can all name it the same way."""

from __future__ import annotations


class TranslatorError(Exception):
    """A problem the user can act on; never a bug. Rendered as a 4xx or a CLI error."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, str | int | None]:
        return {"error": self.message, "file": self.file, "line": self.line, "field": self.field}


class InputError(TranslatorError):
    """The input (a file, a form field, a CLI argument) is unusable as given."""


class NotFound(TranslatorError):
    """A named object (document, edition, job) does not exist."""


class Conflict(TranslatorError):
    """The request clashes with existing data (a duplicate slug, a stale version)."""


class Forbidden(TranslatorError):
    """The signed-in user may not do this (edit a language they are not a member of)."""


class PreconditionRequired(InputError):
    """A write that must say which version it edited (``If-Match``) did not."""


class SignInRequired(TranslatorError):
    """Nobody is signed in (or the account is inactive) and this needs someone."""


class TooManyAttempts(TranslatorError):
    """Too many failed attempts lately (sign-in throttling); ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(TranslatorError):
    """A service this needs (the live hub's Redis) cannot be reached right now."""
