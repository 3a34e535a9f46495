"""Typed domain errors.

Every failure the domain reports is a :class:`DomainError` subclass carrying a stable
machine-readable ``code`` and, where it applies, the input ``field`` at fault.  The API
layer maps these to HTTP status codes in exactly one place:

========================  =====================  ====
class                     code                   HTTP
========================  =====================  ====
``InvalidInput``          ``invalid_input``      422
``CurrencyMismatch``      ``currency_mismatch``  422
``NotFound``              ``not_found``          404
``Conflict``              ``conflict``           409
``PermissionDenied``      ``forbidden``          403
``AuthenticationFailed``  ``unauthorized``       401
``Busy``                  ``busy``               503
========================  =====================  ====

>>> err = InvalidInput("amount has 3 decimal places", field="amount")
>>> (err.code, err.field, err.message)
('invalid_input', 'amount', 'amount has 3 decimal places')
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AuthenticationFailed",
    "Busy",
    "Conflict",
    "CurrencyMismatch",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
]


class DomainError(Exception):
    """Base of all domain failures: a human message plus an optional offending field, and
    the message in Chinese where the rule that failed has one (pages in zh-CN show it)."""

    code = "domain_error"

    def __init__(
        self, message: str, *, field: str | None = None, message_zh: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.message_zh = message_zh


class InvalidInput(DomainError):  # noqa: N818 - API-facing name
    """The caller supplied a value the domain rules reject (HTTP 422). ``others``: the
    further wrong fields of the same request, where a parser reports them all at once
    (:mod:`autolend.domain.field_errors`); this error is the first of them."""

    code = "invalid_input"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        message_zh: str | None = None,
        others: Sequence[InvalidInput] = (),
    ) -> None:
        super().__init__(message, field=field, message_zh=message_zh)
        self.others = tuple(others)

    def every(self) -> tuple[InvalidInput, ...]:
        """This error and the others found with it, in the order they were found."""
        return (self, *self.others)


class NotFound(DomainError):  # noqa: N818 - API-facing name
    """The referenced entity does not exist or is not visible (HTTP 404)."""

    code = "not_found"


class Conflict(DomainError):  # noqa: N818 - API-facing name
    """The request clashes with the current state, e.g. a stale version (HTTP 409)."""

    code = "conflict"


class PermissionDenied(DomainError):  # noqa: N818 - API-facing name
    """The caller is known but not allowed to do this (HTTP 403)."""

    code = "forbidden"


class AuthenticationFailed(DomainError):  # noqa: N818 - API-facing name
    """The caller could not be identified (HTTP 401)."""

    code = "unauthorized"


class CurrencyMismatch(InvalidInput):
    """Two amounts in different currencies were combined or compared (HTTP 422)."""

    code = "currency_mismatch"


class TooManyAttempts(DomainError):  # noqa: N818 - API-facing name
    """Sign-in is throttled after repeated failures (HTTP 429)."""

    code = "too_many_attempts"


class Busy(DomainError):  # noqa: N818 - API-facing name
    """The system of record could not take the write in time (e.g. SQLite's single writer
    held by a long end-of-day partition); nothing was written, try again (HTTP 503)."""

    code = "busy"
