"""Fees and maker-checker requests. Charging a fee moves money and needs an
``Idempotency-Key``; a waiver (and a write-off, asked on the loans API) is a request
that another user decides."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from autolend.api.deps import ActorDep, KeyHeader, OptionalKeyHeader, ServicesDep, require
from autolend.api.routes.loans import MAX_ID, LoanId, _idem, _json
from autolend.api.schema_fees import DecisionRequest, FeeChargeRequest, FeeWaiverRequest
from autolend.api.schema_money_responses import (
    ApprovalDecision,
    ApprovalRequest,
    ApprovalRequests,
    FeeEvent,
)
from autolend.domain.access import Actor, Permission
from autolend.domain.money import parse_money
from autolend.domain.schedule_input import parse_date
from autolend.services.approvals import WaiverInput
from autolend.services.fees import FeeCharge
from autolend.services.servicing_input import Field, parse_fields, positive, reason_field

router = APIRouter(tags=["fees"])
RequestId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The approval request's id", examples=[1])
]


@router.post("/loans/{loan_id}/fees", status_code=201, responses={201: {"model": FeeEvent}})
def charge_fee(
    loan_id: LoanId,
    body: FeeChargeRequest,
    actor: Annotated[Actor, Depends(require(Permission.FEE_CHARGE))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Charge a fee on the loan (origination, gps, insurance, late_fee, other), due with
    installment ``n`` or at once; within the regulation pack's cost ceiling. Answers 201
    with the fee; 409 on a loan that is not active."""
    route = f"POST /loans/{loan_id}/fees"
    parsed = parse_fields({  # every wrong field at once
        "idem": Field(lambda: _idem(idempotency_key, actor, route, body.canonical())),
        "amount": Field(lambda: parse_money(body.amount, body.currency, field="amount")),
        "value_date": Field(
            lambda: parse_date(body.value_date, "value_date") if body.value_date else None),
    })  # fmt: skip
    fee = FeeCharge(body.kind, parsed["amount"], body.n, parsed["value_date"])
    return _json(services.fees.charge_fee(actor, loan_id, fee, parsed["idem"]))


@router.post(
    "/loans/{loan_id}/fee-waivers",
    status_code=201,
    response_model=None,
    responses={201: {"model": ApprovalRequest}},
)
def request_fee_waiver(
    loan_id: LoanId,
    body: FeeWaiverRequest,
    actor: Annotated[Actor, Depends(require(Permission.FEE_WAIVE_REQUEST))],
    services: ServicesDep,
) -> dict[str, Any]:
    """Ask to waive (part of) the fee due with installment ``n``, for ``reason``: a
    pending approval request (maker-checker) that another user with
    ``fee:waive_approve`` decides at ``POST /approval-requests/{id}/decision``. Nothing
    moves here, so no ``Idempotency-Key``; 409 on a loan that is not active."""
    parsed = parse_fields({  # every wrong field at once (the service checks n against the loan)
        "amount": Field(lambda: parse_money(body.amount, body.currency, field="amount"), positive),
        "reason": reason_field(body.reason, "a waiver needs a reason"),
    })  # fmt: skip
    data = WaiverInput(body.n, parsed["amount"], body.reason)
    return services.approvals.request_fee_waiver(actor, loan_id, data)


@router.post(
    "/approval-requests/{request_id}/decision", responses={200: {"model": ApprovalDecision}}
)
def decide(
    request_id: RequestId,
    body: DecisionRequest,
    actor: ActorDep,
    services: ServicesDep,
    idempotency_key: OptionalKeyHeader = None,
) -> JSONResponse:
    """The checker approves (posting the waiver or the write-off) or rejects; once only
    (409 after). The checker needs the kind's permission (``fee:waive_approve``,
    ``loan:write_off_approve``) and is never the maker. An ``Idempotency-Key`` is
    optional here: with one, a retry answers the first response. Any signed-in user;
    the service checks the kind's permission (403 without it)."""
    route = f"POST /approval-requests/{request_id}/decision"
    idem = (
        None if idempotency_key is None else _idem(idempotency_key, actor, route, body.model_dump())
    )
    return _json(services.approvals.decide(actor, request_id, body.approve, idem))


@router.get("/approval-requests", response_model=None, responses={200: {"model": ApprovalRequests}})
def list_requests(
    actor: ActorDep,
    services: ServicesDep,
    status: Annotated[
        str | None,
        Query(max_length=16, description="pending, approved or rejected", examples=["pending"]),
    ] = None,
    kind: Annotated[str | None, Query(max_length=32, description="fee_waiver or write_off")] = None,
    limit: Annotated[
        int, Query(ge=1, le=500, description="At most this many requests (1 to 500)")
    ] = 100,
) -> dict[str, Any]:
    """Approval requests, the oldest first (the queue's order), by ``status`` and ``kind``
    (fee_waiver, write_off), for the makers and checkers of either kind (403 for anyone
    else)."""
    items = services.approvals.list_requests(actor, status=status, kind=kind, limit=limit)
    return {"items": items}
