"""One error body everywhere, and the one place where domain errors become HTTP statuses.

Body: ``{"error": {"code": "invalid_input", "message": "...", "field": "id_number"}}``.
Where a request has several wrong fields (an application with a bad ID and a negative
income), ``message`` and ``field`` are the first and ``errors`` lists every one, that one
first: ``[{"field": "applicants[0].id_number", "message": "..."}, {"field":
"applicants[0].monthly_income", "message": "..."}]``. A field is named as the caller
wrote it, wherever it was: ``amount``, ``loan_id``, ``limit``, ``Idempotency-Key``; a
nested one by its path, an item of a list by its index in brackets, whether the request
model or a domain rule refused it: ``fees[0].amount``, ``applicants[1].address``,
``eligibility.max_dsr`` (never ``fees.0.amount``). An unknown endpoint under /api/v1
answers this body too (``no such endpoint: GET /api/v1/nope``), and a wrong method names
the ones allowed.
"""

from __future__ import annotations

import logging
import re
import types
from typing import Any, Union, get_args, get_origin

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
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
from autolend.services.contract_ports import ContractFontMissing

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
    (ContractFontMissing, 503),
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


_MESSAGE_ZH = "The message in Chinese, where the platform words it so; absent otherwise"


class FieldError(BaseModel):
    field: str | None = None
    message: str
    message_zh: str | None = Field(None, description=_MESSAGE_ZH)


class ErrorDetail(BaseModel):
    code: str
    message: str
    message_zh: str | None = Field(None, description=_MESSAGE_ZH)
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

CONTRACT_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: _documented("The contract cannot be drawn: its font file is missing "
                     "(`contract_font_missing`, naming AUTOLEND_CONTRACT_FONT; nothing is "
                     "written), or the database is busy: retry shortly"),
}  # fmt: skip
"""What a call that draws a contract's PDF may answer besides the usual errors."""


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
    ``Idempotency-Key``, ``("body", "fees", 0, "amount")`` ``fees[0].amount``; the body as
    a whole is ``body``."""
    parts = list(loc[1:] if loc and loc[0] in _LOCATIONS else loc)
    named = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return named.removeprefix(".") or "body"


_DOTTED_INDEX = re.compile(r"\.(\d+)(?=[.\[]|$)")


def api_field(field: str | None) -> str | None:
    """A field a domain rule names, in the API's one style: an item of a list by its index
    in brackets. ``fees.0.amount`` is ``fees[0].amount``, ``step_weights.2``
    ``step_weights[2]``; ``applicants[0].id_number`` and ``eligibility.max_dsr`` stay."""
    return None if field is None else _DOTTED_INDEX.sub(r"[\1]", field)


def _options(annotation: Any) -> list[Any]:
    """The types a value may be: ``A | B | None`` is ``[A, B]``, ``A | None`` ``[A]``."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _inside(annotation: Any, part: Any) -> list[Any]:
    """What a value of ``annotation`` holds at ``part``: a list's item at an index, a
    dict's value at a key, a model's field by its name; nothing where ``part`` cannot be."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (list, tuple) and isinstance(part, int):
        return list(args[:1])
    if origin is dict:
        return list(args[1:2])
    fields = _fields_of(annotation)
    return [fields[part].annotation] if part in fields else []


def _untagged(request: Request, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` without the member Pydantic names inside a union of several types, which the
    caller never wrote: ``monthly_fees`` is an object or a list, so ``("body",
    "monthly_fees", "list[MonthlyFeeItem]", 0, "amount")`` is ``("body", "monthly_fees", 0,
    "amount")``. As it is past a part the route's body model does not declare."""
    body = getattr(request.scope.get("route"), "body_field", None)
    if body is None or not loc or loc[0] != "body":
        return loc
    kept, at = [loc[0]], [body.field_info.annotation]
    for index, part in enumerate(loc[1:], start=1):
        if len(at) == 1 and len(_options(at[0])) > 1 and isinstance(part, str):
            at = _options(at[0])  # the member's tag: the parts after it say which member
            continue
        kept.append(part)
        at = [inner for each in at for option in _options(each) for inner in _inside(option, part)]
        if not at:
            return (*kept, *loc[index + 1 :])
    return tuple(kept)


def _json_kind(value: Any) -> str:
    """What a JSON value is, in the caller's words: ``100`` is "a number", ``None`` "null"."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return "a number"
    return "an object" if isinstance(value, dict) else "an array"


def _declared(request: Request, loc: tuple[Any, ...]) -> FieldInfo | None:
    """The body field at ``loc`` (``("body", "fees", 0, "amount")``, union tags already
    left out) as the route's model declares it, or None where the route or the path through
    its models is not known. An item of a list is its list's field."""
    body = getattr(request.scope.get("route"), "body_field", None)
    if body is None or not loc or loc[0] != "body":
        return None
    at, found = [body.field_info.annotation], None
    for part in loc[1:]:
        options = [option for each in at for option in _options(each)]
        if isinstance(part, str):
            named = [_fields_of(o)[part] for o in options if part in _fields_of(o)]
            found = named[0] if named else None
        at = [inner for option in options for inner in _inside(option, part)]
        if not at:
            return None
    return found


def _fields_of(annotation: Any) -> dict[str, FieldInfo]:
    fields = getattr(annotation, "model_fields", None)
    return fields if isinstance(fields, dict) else {}


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
    first = _named(error)
    body = error_body(error.code, first["message"], first["field"])
    if "message_zh" in first:  # a dealer's system can show its staff the Chinese
        body["error"]["message_zh"] = first["message_zh"]
    if isinstance(error, InvalidInput) and error.others:
        body["error"]["errors"] = [_named(e) for e in error.every()]
    return JSONResponse(body, status_code=status, headers=headers)


def _named(error: DomainError) -> dict[str, Any]:
    """A domain error's field and message, the field in the API's style where its message
    says it too: ``fees.0.kind 'parking' is not one of ...`` reads ``fees[0].kind ...``."""
    field, message = api_field(error.field), error.message
    if error.field and field != error.field:
        message = message.replace(error.field, str(field))
    named: dict[str, Any] = {"field": field, "message": message}
    if error.message_zh:
        named["message_zh"] = error.message_zh
    return named


def _validation_errors(request: Request, error: RequestValidationError) -> list[dict[str, str]]:
    """Every wrong field of a request, each once, in Pydantic's order: a body with a bad
    ``amount`` and a missing ``date`` gives ``[{"field": "amount", ...}, {"field": "date",
    ...}]``; a body that is not JSON gives one, ``body``. Of a union, the member the caller
    meant speaks: a list of monthly fees with a bad item is told of that item, not that it
    is no object (the other member)."""
    found = []
    for each in error.errors() or [{"loc": ("body",), "msg": "invalid"}]:
        loc = tuple(each.get("loc", ("body",)))
        found.append((dict(each, loc=_untagged(request, loc)), len(loc)))
    listed: dict[str, str] = {}
    for each, written in found:
        loc = each["loc"]
        if len(loc) < written and any(o["loc"][: len(loc)] == loc != o["loc"] for o, _ in found):
            continue  # a member the caller did not mean: another went deeper
        field = "body" if each.get("type") == "json_invalid" else _field_of(loc)
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
