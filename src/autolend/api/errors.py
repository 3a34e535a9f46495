"""One error body everywhere, and the one place where domain errors become HTTP statuses.

Body: ``{"error": {"code": "invalid_input", "message": "...", "field": "id_number"}}``.
Where a request has several wrong fields (an application with a bad ID and a negative
income), ``message`` and ``field`` are the first and ``errors`` lists every one, that one
first: ``[{"field": "applicants[0].id_number", "message": "..."}, {"field":
"applicants[0].monthly_income", "message": "..."}]``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from autolend.domain.errors import (
    AuthenticationFailed,
    Busy,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from autolend.services.bureau_ports import BureauNoRecord, BureauRejected, BureauUnavailable

log = logging.getLogger("autolend.api")

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidInput, 422),
    (TooManyAttempts, 429),
    (BureauNoRecord, 404),
    (BureauRejected, 502),
    (BureauUnavailable, 503),
    (Busy, 503),
]

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_attempts",
    502: "bad_gateway",
    503: "service_unavailable",
}


class FieldError(BaseModel):
    field: str | None = None
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    errors: list[FieldError] | None = None


class ErrorBody(BaseModel):
    """The one error body, documented for every route of the API."""

    error: ErrorDetail


def _documented(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _documented("Not signed in: no bearer token, or it has expired or was revoked"),
    403: _documented("The caller's roles lack the permission (`message` names it)"),
    404: _documented("No such record, or none the caller may see"),
    409: _documented("The record's state does not allow this now (`message` says why)"),
    422: _documented(
        "Bad input: `field` names the first wrong field, `errors` each of several; "
        "`idempotency_key_reused` for an Idempotency-Key already sent with another body"
    ),
    503: _documented("The database is busy with another write: retry shortly"),
}
"""What each API route may answer besides its success (``include_router(responses=...)``);
422 replaces FastAPI's own validation schema, which this API never sends."""

SIGN_IN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _documented("Wrong user name or password, or the user is deactivated"),
    429: _documented("Too many failed sign-ins for this user: try again later"),
}
"""``POST /auth/token``'s own failures, in place of the signed-in routes' 401."""

BUREAU_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: _documented("No such customer, or the bureau holds no record for this person"),
    502: _documented("The credit bureau answered something unreadable"),
    503: _documented("The credit bureau is down or not configured: retry later"),
}
"""What a call that reaches the credit bureau may answer besides the usual errors."""


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status, headers=headers)


def status_of(error: DomainError) -> int:
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 400


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    if kind == "json_invalid":
        return "request body is not valid JSON"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "missing":
        return f"field '{field}' is required"
    return f"{field}: {error.get('msg', 'invalid value')}"


async def _on_domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    body = error_body(error.code, error.message, error.field)
    if isinstance(error, InvalidInput) and error.others:
        body["error"]["errors"] = [{"field": e.field, "message": e.message} for e in error.every()]
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_errors(error: RequestValidationError) -> list[dict[str, str]]:
    """Every wrong field of a request, each once, in Pydantic's order: a body with a bad
    ``amount`` and a missing ``date`` gives ``[{"field": "amount", ...}, {"field": "date",
    ...}]``; a body that is not JSON gives one, ``body``."""
    listed: dict[str, str] = {}
    for each in error.errors() or [{"loc": ("body",), "msg": "invalid"}]:
        field = _field_of(tuple(each.get("loc", ("body",))))
        if each.get("type") == "json_invalid":
            field = "body"
        listed.setdefault(field, _validation_message(each, field))
    return [{"field": field, "message": message} for field, message in listed.items()]


async def _on_validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    every = _validation_errors(error)
    body = error_body("invalid_input", every[0]["message"], every[0]["field"])
    if len(every) > 1:  # as a domain InvalidInput: ``errors`` only where there are several
        body["error"]["errors"] = every
    return JSONResponse(body, status_code=422)


async def _on_http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = _HTTP_CODES.get(error.status_code, "http_error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    headers = dict(error.headers or {})
    return JSONResponse(error_body(code, message), status_code=error.status_code, headers=headers)


async def _on_unexpected(_request: Request, error: Exception) -> JSONResponse:
    # The exception type only: messages of unexpected errors may carry data values.
    log.error("unhandled error", extra={"error_type": type(error).__name__})
    return error_response(500, "internal_error", "an unexpected error occurred; it was logged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
