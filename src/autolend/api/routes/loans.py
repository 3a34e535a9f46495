"""Loans: read (borrower their own, dealer its own, staff all), and the money-moving
routes of servicing. Every money-moving POST needs an ``Idempotency-Key`` header: a replay
returns the first response exactly; the same key with another body is refused (422
``idempotency_key_reused``) and posts nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from autolend.api.deps import KeyHeader, ServicesDep, require
from autolend.api.schema_loan_responses import LoanDetail, LoanLedger, LoanPage, LoanTransactions
from autolend.api.schema_loans import (
    AccrualRequest,
    DisbursementRequest,
    PrepaymentRequest,
    RefundRequest,
    RepaymentRequest,
    ReversalRequest,
    SubsidyReceiptRequest,
    WriteOffRequest,
)
from autolend.api.schema_money_responses import (
    ApprovalRequest,
    LoanAccrual,
    LoanDisbursement,
    MoneyEvent,
    PayoffQuote,
    PrepaymentEvent,
    RecoveryEvent,
    RefundEvent,
    SubsidyReceipt,
)
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money
from autolend.domain.schedule_input import parse_date
from autolend.services.disbursement import DisbursementInput
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, request_hash
from autolend.services.own_transactions import transactions_shown
from autolend.services.registry import Services
from autolend.services.servicing_input import (
    Field,
    MoneyIn,
    MoneyText,
    loan_day_check,
    money_fields,
    money_of,
    parse_fields,
    prepayment_mode,
    reason_field,
)

router = APIRouter(tags=["loans"])
MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9  # far past any book; keeps the number inside a 64-bit OFFSET
LoanId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The loan's id, as `GET /loans` lists it", examples=[1])
]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items (1 to 500)")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Skip this many items: the next page's start")
]
Reader = Annotated[Actor, Depends(require(Permission.LOAN_READ))]


def _idem(key: str | None, actor: Actor, route: str, body: dict[str, Any]) -> IdempotencyRequest:
    if not key or not key.strip():
        raise InvalidInput(
            "send an Idempotency-Key header (a unique value per money-moving request)",
            field="Idempotency-Key",
        )
    return IdempotencyRequest(key.strip(), actor.user_id, route, request_hash(body))


def _json(result: MoneyResult) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if result.replayed else None
    return JSONResponse(result.body, status_code=result.status_code, headers=headers)


def _money_in(
    key: str | None,
    actor: Actor,
    route: str,
    body: RepaymentRequest,
    services: Services,
    *,
    loan_id: int,
) -> tuple[IdempotencyRequest, MoneyIn]:
    """The request's key and money in, every wrong field refused at once (key, ``amount``,
    ``value_date``: on the loan too where another does not parse, ``channel``, ``mode``);
    a channel of another pack than the money's (the loan's) is 422 on ``channel``."""
    text = MoneyText(body.amount, body.currency, body.value_date, body.channel, body.reference)
    trade_in = isinstance(body, PrepaymentRequest) and body.trade_in
    on_day = loan_day_check(lambda: services.loans.get(actor, loan_id), services.clock.today())
    fields: dict[str, Field] = {
        "Idempotency-Key": Field(lambda: _idem(key, actor, route, body.canonical())),
        **money_fields(text, on_day),
    }
    if isinstance(body, PrepaymentRequest):
        fields["mode"] = Field(lambda: prepayment_mode(body.mode))
    parsed = parse_fields(fields)
    money = money_of(parsed, text, mode=parsed.get("mode"), trade_in=trade_in)
    return parsed["Idempotency-Key"], money


def _dated_amount(
    key: str | None, actor: Actor, route: str, body: RefundRequest | SubsidyReceiptRequest
) -> tuple[IdempotencyRequest, Money, date]:
    """The request's key, ``amount`` (in ``currency``) and ``value_date``, every wrong
    field refused at once in that order: a refund of ``{"amount": "1x", "value_date":
    "2026-13-01"}`` with no key is one 422 naming ``Idempotency-Key``, ``amount`` and
    ``value_date``."""
    parsed = parse_fields({
        "idem": Field(lambda: _idem(key, actor, route, body.model_dump())),
        "amount": Field(lambda: parse_money(body.amount, body.currency, field="amount")),
        "day": Field(lambda: parse_date(body.value_date, "value_date")),
    })  # fmt: skip
    return parsed["idem"], parsed["amount"], parsed["day"]


@router.get("/loans", response_model=None, responses={200: {"model": LoanPage}})
def list_loans(
    actor: Reader,
    services: ServicesDep,
    *,
    status: Annotated[
        str | None,
        Query(
            max_length=16,
            description="Only loans of this status: booked, active, paid_off, written_off, closed",
            examples=["active"],
        ),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    overdue: Annotated[
        bool, Query(description="Only loans with an installment past due, longest late first")
    ] = False,
) -> dict[str, Any]:
    """Loans by number, a page at a time: ``total`` counts them all, and the next page
    starts at ``offset + limit`` while that is under ``total``; ``overdue=true`` keeps the
    loans with an installment past due, the longest late first. A borrower sees their own
    loans, a dealer its customers', staff every loan."""
    return services.loans.list_loans(
        actor, status=status, limit=limit, offset=offset, overdue=overdue
    )


@router.get("/loans/{loan_id}", response_model=None, responses={200: {"model": LoanDetail}})
def get_loan(loan_id: LoanId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    """One loan: its terms, status, balances and installments (404 for a loan the caller
    may not see: a borrower reaches their own, a dealer its customers')."""
    return services.loans.get(actor, loan_id)


@router.get(
    "/loans/{loan_id}/transactions",
    response_model=None,
    responses={200: {"model": LoanTransactions}},
)
def loan_transactions(loan_id: LoanId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    """The loan's money events after its payout (repayments, prepayments, payoffs,
    fees, waivers, write-off, recoveries; a reversed one with its status) and the late
    fees its contract charged, by value date, as ``{"items": [...]}``. The payout itself
    is the loan's ``disbursed`` and its first entry in ``/ledger``. A borrower or a dealer
    reads a payment's reference, not the lender's own on a fee, waiver or write-off."""
    return {"items": transactions_shown(actor, services.loans.transactions(actor, loan_id))}


@router.get("/loans/{loan_id}/ledger", response_model=None, responses={200: {"model": LoanLedger}})
def loan_ledger(loan_id: LoanId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    """The loan's journal entries, each with its double-entry postings (account, side
    debit or credit, amount), as ``{"items": [...]}``."""
    return {"items": services.loans.ledger(actor, loan_id)}


@router.get(
    "/loans/{loan_id}/payoff-quote",
    response_model=None,
    responses={200: {"model": PayoffQuote}},
)
def payoff_quote(
    loan_id: LoanId,
    actor: Reader,
    services: ServicesDep,
    date: Annotated[
        str,
        Query(max_length=10, description="Payoff date, YYYY-MM-DD", examples=["2026-06-15"]),
    ],
    trade_in: Annotated[
        bool, Query(description="Paid off with a trade-in: a waived_trade_in fee is waived")
    ] = False,
) -> dict[str, Any]:
    """What pays the loan off on ``date``: principal, interest to the day, fees and the
    prepayment fee, item by item and in total; nothing is posted (422 naming ``date`` for
    a bad or out-of-range date)."""
    day = parse_date(date, "date")
    return services.loans.payoff_quote(actor, loan_id, day, trade_in=trade_in)


@router.post("/loans/{loan_id}/repayments", status_code=201, responses={201: {"model": MoneyEvent}})
def post_repayment(
    loan_id: LoanId,
    body: RepaymentRequest,
    actor: Annotated[Actor, Depends(require(Permission.REPAYMENT_POST))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Post money the borrower paid on ``value_date``; the loan's allocation waterfall
    applies it (penalty, fees, interest, principal), any excess is kept as an advance.
    Answers 201 with the repayment and its allocation; 409 on a loan that is not active;
    422 naming each wrong field (``amount``, ``currency``: the loan's, ``value_date``)."""
    route = f"POST /loans/{loan_id}/repayments"
    idem, money = _money_in(idempotency_key, actor, route, body, services, loan_id=loan_id)
    return _json(services.servicing.post_repayment(actor, loan_id, money, idem))


@router.post(
    "/loans/{loan_id}/repayments/{repayment_id}/reversal",
    responses={200: {"model": MoneyEvent}},
)
def reverse_repayment(  # noqa: PLR0917 - FastAPI injects every parameter
    loan_id: LoanId,
    repayment_id: Annotated[
        int,
        Path(
            ge=1,
            le=MAX_ID,
            description="The repayment's (prepayment's, payoff's, refund's or recovery's) "
            "id, as the loan's transactions list it",
        ),
    ],
    body: ReversalRequest,
    actor: Annotated[Actor, Depends(require(Permission.REPAYMENT_REVERSE))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Reverse a repayment (a bounced transfer): a reversing journal entry undoes its
    allocation, the loan's balances are as before it; 409 if already reversed. A refund
    of the advance is reversed the same way (Dr refund payable / Cr the advance: the money
    is held again); a repayment whose advance a refund paid back is refused (409) naming
    the refund to reverse first. A recovery on a written-off loan is reversed the same
    way (Cr cash / Dr recovery income at its value date), which frees its room under the
    write-off's loss."""
    route = f"POST /loans/{loan_id}/repayments/{repayment_id}/reversal"
    idem = _idem(idempotency_key, actor, route, body.model_dump())
    result = services.servicing.reverse_repayment(actor, loan_id, repayment_id, body.reason, idem)
    return _json(result)


@router.post(
    "/loans/{loan_id}/prepayments", status_code=201, responses={201: {"model": PrepaymentEvent}}
)
def post_prepayment(
    loan_id: LoanId,
    body: PrepaymentRequest,
    actor: Annotated[Actor, Depends(require(Permission.PREPAYMENT_POST))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Pay principal ahead of schedule: ``mode`` lower_installment (same term, smaller
    installments) or shorten_term (same installment) on a due date, or payoff (everything,
    as ``GET /loans/{id}/payoff-quote`` quotes it); the product's prepayment fee applies.
    Answers 201 with the prepayment (or payoff) event, its allocation and the
    ``prepayment_fee`` charged on it (the new schedule: ``GET /loans/{id}``); 409 on a
    loan not active."""
    route = f"POST /loans/{loan_id}/prepayments"
    idem, money = _money_in(idempotency_key, actor, route, body, services, loan_id=loan_id)
    return _json(services.servicing.prepay(actor, loan_id, money, idem))


@router.post("/loans/{loan_id}/refunds", status_code=201, responses={201: {"model": RefundEvent}})
def post_refund(
    loan_id: LoanId,
    body: RefundRequest,
    actor: Annotated[Actor, Depends(require(Permission.REPAYMENT_POST))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Refund part of the advance (overpayment) to the borrower; 409 above the advance."""
    route = f"POST /loans/{loan_id}/refunds"
    idem, amount, day = _dated_amount(idempotency_key, actor, route, body)
    return _json(services.servicing.refund_advance(actor, loan_id, amount, day, idem))


@router.post(
    "/loans/{loan_id}/disbursements",
    status_code=201,
    responses={201: {"model": LoanDisbursement}},
)
def post_disbursement(
    loan_id: LoanId,
    body: DisbursementRequest,
    actor: Annotated[Actor, Depends(require(Permission.LOAN_BOOK))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Pay the principal out to the dealer: the loan turns ``active``; fees and a
    promotion's subsidy deducted at source, the down payment recorded beside it. Answers
    201 with the disbursement; 409 once disbursed."""
    route = f"POST /loans/{loan_id}/disbursements"

    def optional(text: str | None, field: str) -> Money | None:
        return parse_money(text, body.currency, field=field) if text else None

    def day(text: str | None) -> date | None:
        return parse_date(text, "value_date") if text else None

    parsed = parse_fields({  # every wrong field at once, in the body's order
        "idem": Field(lambda: _idem(idempotency_key, actor, route, body.model_dump())),
        "amount": Field(lambda: parse_money(body.amount, body.currency, field="amount")),
        "value_date": Field(lambda: day(body.value_date)),
        "fees_deducted": Field(lambda: optional(body.fees_deducted, "fees_deducted")),
        "down_payment": Field(lambda: optional(body.down_payment, "down_payment")),
        "subsidy": Field(lambda: optional(body.subsidy, "subsidy")),
    })  # fmt: skip
    idem = parsed.pop("idem")
    data = DisbursementInput(**parsed, subsidy_settlement=body.subsidy_settlement)
    return _json(services.loans.disburse(actor, loan_id, data, idem))


@router.post(
    "/loans/{loan_id}/write-off",
    status_code=201,
    response_model=None,
    responses={201: {"model": ApprovalRequest}},
)
def request_write_off(
    loan_id: LoanId,
    body: WriteOffRequest,
    actor: Annotated[Actor, Depends(require(Permission.LOAN_WRITE_OFF))],
    services: ServicesDep,
) -> dict[str, Any]:
    """Ask to write off everything outstanding (maker-checker): a pending approval
    request that another user with ``loan:write_off_approve`` (risk) approves at
    ``POST /approval-requests/{id}/decision``, which posts it (Dr allowance / impairment,
    Cr the receivables); nothing accrues afterwards, recoveries may follow. Nothing moves
    here, so no ``Idempotency-Key``: a second request while one is pending is a 409."""
    parsed = parse_fields({  # every wrong field at once; the service checks the date's range
        "value_date": Field(lambda: parse_date(body.value_date, "value_date")),
        "reason": reason_field(body.reason, "a write-off needs a reason", "核销须说明原因"),
    })  # fmt: skip
    return services.approvals.request_write_off(actor, loan_id, parsed["value_date"], body.reason)


@router.post(
    "/loans/{loan_id}/recoveries", status_code=201, responses={201: {"model": RecoveryEvent}}
)
def post_recovery(
    loan_id: LoanId,
    body: RepaymentRequest,
    actor: Annotated[Actor, Depends(require(Permission.REPAYMENT_POST))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """Cash collected on a written-off loan: Dr cash / Cr recovery income (409 unless
    the loan is written off)."""
    route = f"POST /loans/{loan_id}/recoveries"
    idem, money = _money_in(idempotency_key, actor, route, body, services, loan_id=loan_id)
    return _json(services.servicing.recover(actor, loan_id, money, idem))


@router.post(
    "/loans/{loan_id}/accruals", response_model=None, responses={200: {"model": LoanAccrual}}
)
def accrue_loan(
    loan_id: LoanId,
    body: AccrualRequest,
    actor: Annotated[Actor, Depends(require(Permission.LOAN_ACCRUE))],
    services: ServicesDep,
) -> dict[str, Any]:
    """Accrue the loan through ``through``: at most one entry per (loan, day, component),
    so a repeat posts nothing (no Idempotency-Key needed); nothing on an inactive loan."""
    through = parse_date(body.through, "through")
    posted = services.servicing.accrue_loan(actor, loan_id, through)
    return {"loan_id": loan_id, "through": through.isoformat(), "entries_posted": posted}


@router.post(
    "/loans/{loan_id}/subsidy-receipts",
    status_code=201,
    responses={201: {"model": SubsidyReceipt}},
)
def post_subsidy_receipt(
    loan_id: LoanId,
    body: SubsidyReceiptRequest,
    actor: Annotated[Actor, Depends(require(Permission.REPAYMENT_POST))],
    services: ServicesDep,
    idempotency_key: KeyHeader = None,
) -> JSONResponse:
    """The car maker pays a promotion's subsidy it owed: Dr cash / Cr 1140 subsidy
    receivable (loan), at most what is still owed."""
    route = f"POST /loans/{loan_id}/subsidy-receipts"
    idem, amount, day = _dated_amount(idempotency_key, actor, route, body)
    return _json(services.subsidies.receive(actor, loan_id, amount, day, idem=idem))
