"""One error body everywhere, and the one place where domain errors become HTTP statuses.

Body: ``{"error": {"code": "invalid_input", "message": "...", "field": "id_number"}}``.
Where a request has several wrong fields (an application with a bad ID and a negative
income), ``message`` and ``field`` are the first and ``errors`` lists every one, that one
first: ``[{"field": "applicants[0].id_number", "message": "..."}, {"field":
"applicants[0].monthly_income", "message": "..."}]``. A field is named as the caller
wrote it, wherever it was: ``amount``, ``loan_id``, ``limit``, ``Idempotency-Key``. An
unknown endpoint under /api/v1 answers this body too (``no such endpoint: GET
/api/v1/nope``), and a wrong method names the ones allowed.
"""

from __future__ import annotations

import logging
import re
import types
from typing import Any, Union, get_args, get_origin

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

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


_LOCATIONS = ("body", "path", "query", "header", "cookie")
_API_PREFIX = "/api/v1"  # as autolend.api.app's, which imports this module
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _field_of(loc: tuple[Any, ...]) -> str:
    """A field as the caller wrote it, without where it was: ``("body", "amount")`` is
    ``amount``, ``("path", "loan_id")`` ``loan_id``, ``("header", "Idempotency-Key")``
    ``Idempotency-Key``; the body as a whole is ``body``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _json_kind(value: Any) -> str:
    """What a JSON value is, in the caller's words: ``100`` is "a number", ``None`` "null"."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return "a number"
    return "an object" if isinstance(value, dict) else "an array"


def _model_in(annotation: Any) -> Any:
    """The model inside ``X | None`` or ``list[X]``, else the annotation itself."""
    while get_origin(annotation) in (Union, types.UnionType, list, tuple):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation


def _declared(request: Request, loc: tuple[Any, ...]) -> FieldInfo | None:
    """The body field at ``loc`` (``("body", "fees", 0, "amount")``) as the route's model
    declares it, or None where the route or the path through its models is not known."""
    body = getattr(request.scope.get("route"), "body_field", None)
    if body is None or not loc or loc[0] != "body":
        return None
    model, found = body.field_info.annotation, None
    for part in loc[1:]:
        if isinstance(part, int):
            continue  # an item of a list: the list's own model carries on
        model = _model_in(model)
        fields = getattr(model, "model_fields", None)
        if not isinstance(fields, dict) or part not in fields:
            return None
        found = fields[part]
        model = found.annotation
    return found


def _example_of(info: FieldInfo | None) -> str | None:
    """A value the schema shows for a field: its first example, the ``e.g. "12"`` (or
    ``e.g. 2``) of its description, or a text default (``"CNY"``)."""
    if info is None:
        return None
    if info.examples and isinstance(info.examples[0], str):
        return info.examples[0]
    said = re.search(r'e\.g\. (?:"([^"]+)"|(\d[\d.]*\d|\d))', info.description or "")
    if said:
        return said.group(1) or said.group(2)
    return info.default if isinstance(info.default, str) and info.default else None


def _not_a_string(request: Request, error: dict[str, Any], field: str) -> str:
    """A JSON number, bool, object or null where a string belongs. A number is the usual
    slip (``"amount": 100``), so it is told with an example of the field's form:
    ``amount must be a decimal string such as "100.00", not a number``; a currency sent
    as ``156`` reads ``currency must be a string such as "CNY", not a number``."""
    kind = _json_kind(error.get("input"))
    example = None
    if kind == "a number":
        example = _example_of(_declared(request, tuple(error.get("loc", ()))))
    if example is None:
        return f"{field} must be a string, not {kind}"
    form = "a decimal string" if re.fullmatch(r"-?\d+\.\d+", example) else "a string"
    return f'{field} must be {form} such as "{example}", not {kind}'


def _validation_message(request: Request, error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    if kind == "json_invalid":
        return "request body is not valid JSON"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "missing":
        return f"field '{field}' is required"
    if kind == "string_type" and not isinstance(error.get("input"), str):
        return _not_a_string(request, error, field)
    return f"{field}: {error.get('msg', 'invalid value')}"


async def _on_domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    body = error_body(error.code, error.message, error.field)
    if isinstance(error, InvalidInput) and error.others:
        body["error"]["errors"] = [{"field": e.field, "message": e.message} for e in error.every()]
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_errors(request: Request, error: RequestValidationError) -> list[dict[str, str]]:
    """Every wrong field of a request, each once, in Pydantic's order: a body with a bad
    ``amount`` and a missing ``date`` gives ``[{"field": "amount", ...}, {"field": "date",
    ...}]``; a body that is not JSON gives one, ``body``."""
    listed: dict[str, str] = {}
    for each in error.errors() or [{"loc": ("body",), "msg": "invalid"}]:
        field = _field_of(tuple(each.get("loc", ("body",))))
        if each.get("type") == "json_invalid":
            field = "body"
        listed.setdefault(field, _validation_message(request, each, field))
    return [{"field": field, "message": message} for field, message in listed.items()]


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    every = _validation_errors(request, error)
    body = error_body("invalid_input", every[0]["message"], every[0]["field"])
    if len(every) > 1:  # as a domain InvalidInput: ``errors`` only where there are several
        body["error"]["errors"] = every
    return JSONResponse(body, status_code=422)


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route answers at this path: DELETE /api/v1/customers is refused
    with ``GET, POST`` (Starlette's own ``Allow`` names only the first route it tried)."""
    allowed = []
    for method in _METHODS:
        # A fresh scope, not a copy: routers note their matching in the scope's own dicts.
        scope = {"type": "http", "path": request.url.path, "root_path": "", "method": method}
        if any(r.matches(scope)[0] is Match.FULL for r in request.app.router.routes):
            allowed.append(method)
    return allowed


def _routing_miss(request: Request, error: StarletteHTTPException) -> JSONResponse | None:
    """An API path no route answers, or not with this method, told as such: ``no such
    endpoint: GET /api/v1/nope``, ``DELETE is not allowed on /api/v1/customers; allowed:
    GET, POST``. None elsewhere: the web pages keep their own 404 page,
    and a route's own 404 (``no such loan``) its message."""
    path = request.url.path
    if path != _API_PREFIX and not path.startswith(_API_PREFIX + "/"):
        return None
    if error.status_code == 404 and "route" not in request.scope:  # no route matched
        message = f"no such endpoint: {request.method} {path} (see {_API_PREFIX}/docs)"
        return error_response(404, "not_found", message)
    if error.status_code != 405:
        return None
    allowed = ", ".join(_allowed_methods(request))
    message = f"{request.method} is not allowed on {path}; allowed: {allowed}"
    return error_response(405, "method_not_allowed", message, Allow=allowed)


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    miss = _routing_miss(request, error)
    if miss is not None:
        return miss
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
