"""Maker-checker in the web UI (双人复核): the page where a second person approves or
rejects what waits for them (fee waivers, write-offs), and the loan page's forms that ask.

``/approvals`` shows the pending requests, the longest waiting first, then the latest
decided. Its buttons show to whoever holds the kind's checker permission
(``fee:waive_approve``, ``loan:write_off_approve``) and did not ask; the service refuses
the maker anyway, and the page says so. Each decision form carries a server-made
idempotency key, so a double click decides once. A decision taken goes back to the page
(Post/Redirect/Get, 303 to ``/approvals?decided=5``, plus ``&replayed=1`` when the same
form was sent again), which says what was decided from the request as stored: only a
decided request its reader decided, so that an address naming another's, a pending one or
none says nothing. A refusal answers the page with why, at its own status.

On the loan page servicing asks for a write-off (value date, reason) or a fee waiver
(installment, amount, reason); the page then says the request waits for approval.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from autolend.domain.money import parse_money
from autolend.domain.schedule_input import parse_date
from autolend.services.approvals import (
    KINDS,
    WaiverInput,
    checker_permission,
    may_read_requests,
)
from autolend.services.idempotency import IdempotencyRequest, request_hash
from autolend.services.servicing_input import Field, parse_fields, positive, reason_field
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    SignedIn,
    SignedInDep,
    WebState,
    WebStateDep,
    form_fields,
)
from autolend.web.loan_notices import done_url, see_loan
from autolend.web.loan_views import refusal
from autolend.web.problem_text import page_status, problem_of
from autolend.web.routes_loans import _loan_id, loan_page
from autolend.web.routes_loans_forms import MAX_ID

router = APIRouter(include_in_schema=False)
DECIDED_SHOWN = 20  # the latest decisions under the pending ones
MAX_INSTALLMENT = 1000  # the highest installment a waiver names, as the API bounds it


def _page(
    request: Request, state: WebState, signed: SignedIn, *, notice: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    approvals, actor = state.services.approvals, signed.actor
    pending = approvals.list_requests(actor, status="pending", limit=500)
    latest = approvals.list_requests(actor, limit=DECIDED_SHOWN * 2, newest_first=True)
    decided = [r for r in latest if r["status"] != "pending"][:DECIDED_SHOWN]
    waived = {r["loan_id"] for r in (*pending, *decided) if r["kind"] == "fee_waiver"}
    context = {
        "pending": sorted(pending, key=lambda r: (r["created_at"], r["id"])),
        "decided": decided,
        "currencies": approvals.loan_currencies(actor, waived) if waived else {},
        "may_decide": {kind: actor.can(checker_permission(kind)) for kind in KINDS},
        "form_keys": {r["id"]: str(uuid.uuid4()) for r in pending},
        "notice": notice,
        "error": error,
        "nav_section": "approvals",
    }
    return state.renderer.render(request, "approvals.html", context, signed=signed, status=status)


@router.get("/approvals")
def approvals_page(request: Request, state: WebStateDep, signed: SignedInDep) -> Response:
    """What waits for a second person, and the latest decisions."""
    if not may_read_requests(signed.actor):
        raise PageForbidden(Permission.FEE_WAIVE_APPROVE.value)
    return _page(request, state, signed, notice=_notice(state, signed, request.query_params))


def decided_url(request_id: int, *, replayed: bool = False) -> str:
    """The page that says request ``request_id`` was decided (or, ``replayed``, that the
    same form sent again decided nothing more).

    >>> decided_url(5), decided_url(5, replayed=True)
    ('/approvals?decided=5', '/approvals?decided=5&replayed=1')
    """
    query = {"decided": str(request_id)} | ({"replayed": "1"} if replayed else {})
    return f"/approvals?{urlencode(query)}"


def _decided_id(text: str | None) -> int | None:
    """The id an address names: 1 to ``MAX_ID``, else none ("7" -> 7; "x", "0", "-1" or
    "99999999999999999999" name none)."""
    if not text or not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        return None
    return int(text)


def _notice(state: WebState, signed: SignedIn, query: Mapping[str, str]) -> dict[str, Any] | None:
    """What ``/approvals?decided=5`` says: request 5 as stored, if its reader decided it
    (approved or rejected); None for an id that names none, a pending request, one its
    reader may not read or one someone else decided."""
    number = _decided_id(query.get("decided"))
    if number is None:
        return None
    try:
        stored = state.services.approvals.get_request(signed.actor, number)
    except (NotFound, PermissionDenied):
        return None
    if stored["status"] == "pending" or stored["checker_user_id"] != signed.actor.user_id:
        return None
    return {"request": stored, "replayed": query.get("replayed") == "1"}


@router.post("/approvals/{request_id}/decision")
async def decide(
    request_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """Approve (posting the waiver or the write-off) or reject one request; done, 303 to
    the page that says so (:func:`decided_url`), else the page with why (4xx)."""
    if not may_read_requests(signed.actor):
        raise PageForbidden(Permission.FEE_WAIVE_APPROVE.value)
    number = _loan_id(request_id)  # the same id rule: 1 to 2**63 - 1, else the 404 page
    fields = await form_fields(request)
    approve = fields.get("approve") == "true"
    key = fields.get("idempotency_key", "")[:128]
    route = f"POST /approval-requests/{number}/decision"
    idem = IdempotencyRequest(key, signed.actor.user_id, route, request_hash({"approve": approve}))
    try:
        result = state.services.approvals.decide(
            signed.actor, number, approve, idem if key else None
        )
    except DomainError as problem:
        error = problem_of(problem, request_id=number)
        return _page(request, state, signed, error=error, status=page_status(problem))
    return see_loan(request, decided_url(number, replayed=result.replayed))


@router.post("/loans/{loan_id}/write-off-requests")
async def ask_write_off(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """Servicing asks for a write-off; risk approves it on ``/approvals``."""

    def ask(number: int, fields: dict[str, str]) -> dict[str, Any]:
        reason = fields.get("reason", "")[:200]
        parsed = parse_fields({  # every wrong field at once, in the form's order
            "value_date": Field(lambda: parse_date(fields.get("value_date", ""), "value_date")),
            "reason": reason_field(reason, "a write-off needs a reason", "核销须说明原因"),
        })  # fmt: skip
        on = parsed["value_date"]
        return state.services.approvals.request_write_off(signed.actor, number, on, reason)

    asking = Asking("write_off_request", Permission.LOAN_WRITE_OFF, ask)
    return await _asked(request, state, signed, loan_id, asking)


@router.post("/loans/{loan_id}/fee-waiver-requests")
async def ask_fee_waiver(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """Servicing asks to waive an installment's unpaid fee; another user approves it."""

    def ask(number: int, fields: dict[str, str]) -> dict[str, Any]:
        currency = state.services.loans.get(signed.actor, number)["currency"]
        reason = fields.get("reason", "")[:200]
        parsed = parse_fields({  # every wrong field at once, in the form's order
            "n": Field(lambda: _installment(fields.get("n", ""))),
            "amount": Field(lambda: parse_money(fields.get("amount", ""), currency), positive),
            "reason": reason_field(reason, "a waiver needs a reason"),
        })  # fmt: skip
        data = WaiverInput(parsed["n"], parsed["amount"], reason)
        return state.services.approvals.request_fee_waiver(signed.actor, number, data)

    asking = Asking("fee_waiver_request", Permission.FEE_WAIVE_REQUEST, ask)
    return await _asked(request, state, signed, loan_id, asking)


def _installment(text: str) -> int:
    """The installment chosen: a whole number from 1 to ``MAX_INSTALLMENT`` (the API's
    bound): "3" -> 3; "", "x" or "99999999999999999999999" are refused."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_INSTALLMENT):
        raise InvalidInput("choose an installment", field="n")
    return int(text)


@dataclass(frozen=True)
class Asking:
    """A maker's form on the loan page: its notice, the permission it needs, and what it
    asks of the approvals service with the loan's id and the form's fields."""

    action: str
    permission: Permission
    ask: Callable[[int, dict[str, str]], dict[str, Any]]


async def _asked(
    request: Request, state: WebState, signed: SignedIn, loan_text: str, asking: Asking
) -> Response:
    """To the loan page that says the request waits for approval (303), or the page with
    why it was refused."""
    if not signed.actor.can(asking.permission):
        raise PageForbidden(asking.permission.value)
    number = _loan_id(loan_text)
    fields = await form_fields(request)
    try:
        asked = asking.ask(number, fields)
    except (InvalidInput, Conflict, NotFound) as problem:
        error = refusal(problem, action=asking.action)
        return loan_page(request, state, signed, number, error=error, typed=fields,
                         status=page_status(problem))  # fmt: skip
    return see_loan(request, done_url(number, asking.action, request_id=asked["id"]))
