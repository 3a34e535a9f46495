"""The OpenAPI document as an integrator reads it: what FastAPI derives from the routes,
plus who may call each operation and the idempotency contract of the money-moving ones.

FastAPI knows a route's dependencies but not what they mean, so four facts are added
here, from the routes themselves rather than by hand, so they cannot drift:

* an operation behind ``Require(Permission.LOAN_BOOK)`` says so, with the roles holding
  it: "Permission: `loan:book` (roles: servicing)";
* an ``Idempotency-Key`` described as required is marked ``required: true`` (the route
  keeps it optional in Python so that its absence is reported with the body's other wrong
  fields in one 422), and its success answer documents ``Idempotent-Replayed``;
* an operation that needs no sign-in (no ``current_actor`` among its dependencies: the
  quote calculator, the sign-in itself) lists no 401 or 403 of the API's shared error
  answers, which it never sends; one the route documents itself (the sign-in's wrong
  password) stays;
* a documented answer's examples keep their nulls (FastAPI drops every null from the
  document it writes, so ``"closed_on": null`` would vanish from a loan's example and the
  example would lack a field its schema requires);
* FastAPI's generated name for the sign-in form (``Body_sign_in_api_v1_auth_token_post``)
  becomes ``TokenRequest``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from autolend.api.deps import IDEMPOTENCY_KEY_REQUIRED, Require, current_actor
from autolend.domain.access import ROLE_PERMISSIONS, Permission

API_DESCRIPTION = """\
Auto-finance lending platform: origination, servicing, risk, reporting.

**Signing in.** `POST /api/v1/auth/token` with the form fields `username` and `password`
answers a bearer token; send it as `Authorization: Bearer <token>` on every other call
(the quote calculator `POST /api/v1/quotes` needs none). Each operation names the
permission it needs and the roles that hold it; a borrower or a dealer reaches only its
own records, and anything else answers 404, never 403, so ids cannot be probed.

**Values.** Amounts are decimal strings, `"100.00"` (at most the currency's decimals),
never JSON numbers; currencies ISO 4217 codes (`CNY`, `USD`); dates `YYYY-MM-DD`; rates
percent strings (`"12"` is 12 % a year). Unknown fields are refused.

**Money-moving requests** (repayments, prepayments, refunds, recoveries, disbursements,
subsidy receipts, fees, migrations) need an `Idempotency-Key` header: a retry with the
same key answers the first response again (`Idempotent-Replayed: true`) and moves
nothing twice.

**Errors** share one body: `{"error": {"code": "invalid_input", "message": "...",
"field": "amount"}}`; where several fields are wrong, `errors` lists each
(`[{"field": "amount", "message": "..."}, ...]`) and `field` / `message` are the first.
Lists are pages: `limit` and `offset`, and `total` where the list says so.
"""

TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "Sign in for a bearer token, sign out, who am I."},
    {"name": "users", "description": "User administration (admin)."},
    {"name": "customers", "description": "Borrowers: register, read, find by ID number."},
    {
        "name": "consents and credit bureau",
        "description": "A customer's consents, and credit-bureau queries made under them.",
    },
    {
        "name": "applications",
        "description": "Origination: file, decide, offers, accept, sign, disburse; "
        "documents; the underwriters' review queue.",
    },
    {"name": "contracts", "description": "Loan contracts: issue, read, PDF, e-signature."},
    {
        "name": "loans",
        "description": "Booked loans: read, book, migrate, and servicing's money-moving "
        "posts (each needs an `Idempotency-Key`).",
    },
    {
        "name": "fees",
        "description": "Fees on a loan, and maker-checker approval requests (fee waivers, "
        "write-offs).",
    },
    {"name": "products", "description": "The product catalogue, versioned by date."},
    {"name": "calculators", "description": "Quotes and repayment schedules; nothing stored."},
    {"name": "models", "description": "Credit models: registry, model cards, scoring."},
    {"name": "audit", "description": "The audit trail and its hash-chain verification."},
    {"name": "health", "description": "Liveness, readiness and Prometheus metrics."},
]

_RENAMED = {"Body_sign_in_api_v1_auth_token_post": "TokenRequest"}
_REPLAYED = {
    "description": "`true` when this answer repeats the first response to the same "
    "`Idempotency-Key` (nothing was posted again); absent otherwise.",
    "schema": {"type": "string", "enum": ["true"]},
}


def install_openapi(app: FastAPI, routers: Sequence[APIRouter], prefix: str) -> None:
    """Serve the document built by FastAPI with the additions above, built once (on the
    first request for it, when every route is in). ``routers`` are those included under
    ``prefix``: their routes carry the dependencies (the app's own routes are wrappers)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            app.openapi_schema = annotated(document, routers, prefix)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def annotated(
    document: dict[str, Any], routers: Sequence[APIRouter], prefix: str
) -> dict[str, Any]:
    """``document`` with the permissions, the idempotency keys and the names fixed."""
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    for route in routes:
        path = document["paths"].get(prefix + route.path_format, {})
        for method in route.methods or ():
            operation = path.get(method.lower())
            if operation is not None:
                _note_permission(operation, permissions_of(route.dependant))
                if not signs_in(route.dependant):
                    _drop_sign_in_errors(operation, route)
                _mark_idempotency_key(operation)
    _restore_examples(document, routes)
    return _renamed(document)


def permissions_of(dependant: Dependant) -> list[Permission]:
    """The permissions a route's dependencies check, in the order they are declared."""
    found: list[Permission] = []
    for each in dependant.dependencies:
        if isinstance(each.call, Require) and each.call.permission not in found:
            found.append(each.call.permission)
        found.extend(p for p in permissions_of(each) if p not in found)
    return found


def signs_in(dependant: Dependant) -> bool:
    """Whether a route's dependencies resolve the signed-in user (``current_actor``, on
    its own or under a ``Require``): only such a route answers 401, or 403 for a
    permission. ``POST /quotes`` depends on none: anyone may call it."""
    return any(each.call is current_actor or signs_in(each) for each in dependant.dependencies)


_SIGN_IN_ERRORS = ("401", "403")


def _drop_sign_in_errors(operation: dict[str, Any], route: APIRoute) -> None:
    """Remove the shared 401 and 403 from an operation that needs no sign-in, keeping
    one its route documents itself (``responses=SIGN_IN_RESPONSES``)."""
    own = {str(status) for status in route.responses}
    for status in _SIGN_IN_ERRORS:
        if status not in own:
            operation["responses"].pop(status, None)


def roles_holding(permission: Permission) -> list[str]:
    """``loan:book`` -> ``["servicing"]``: each role whose permissions include it."""
    return [role.value for role, held in ROLE_PERMISSIONS.items() if permission in held]


def _note_permission(operation: dict[str, Any], permissions: list[Permission]) -> None:
    if not permissions:
        return
    lines = [
        f"Permission: `{p.value}` (roles: {', '.join(roles_holding(p)) or 'none'})."
        for p in permissions
    ]
    text = operation.get("description", "").rstrip()
    operation["description"] = "\n\n".join([text, *lines] if text else lines)


def _mark_idempotency_key(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "Idempotency-Key" and parameter.get("in") == "header":
            if parameter.get("description") == IDEMPOTENCY_KEY_REQUIRED:
                parameter["required"] = True
            for status, answer in operation["responses"].items():
                if status.startswith("2"):
                    answer.setdefault("headers", {})["Idempotent-Replayed"] = _REPLAYED


def _restore_examples(document: dict[str, Any], routes: Sequence[APIRoute]) -> None:
    """Put back the examples of the models the routes document as their answers (and of
    the models inside them) as the models state them, nulls included."""
    schemas = document.get("components", {}).get("schemas", {})
    for route in routes:
        for answer in route.responses.values():
            model = answer.get("model")
            if model is None:
                continue
            stated = TypeAdapter(model).json_schema(mode="serialization")
            named = stated.get("$defs", {}) | {getattr(model, "__name__", ""): stated}
            for name, schema in named.items():
                if "examples" in schema and name in schemas:
                    schemas[name]["examples"] = schema["examples"]


def _renamed(document: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(document)
    for old, new in _RENAMED.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    schemas = renamed.get("components", {}).get("schemas", {})
    for old, new in _RENAMED.items():
        if old in schemas:
            schemas[new] = schemas.pop(old)
            schemas[new]["title"] = new
    return renamed
