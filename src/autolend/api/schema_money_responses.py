"""What the money-moving POSTs of the loans API answer (and the payoff quote before a
payoff): the money event posted, with its allocation; the disbursement; a fee; a refund,
a recovery, a subsidy receipt; an accrual; a maker-checker request, its decision and the
queue of them. A replay with the same ``Idempotency-Key`` answers the same body.

As in :mod:`autolend.api.schema_loan_responses`, the routes only document these: the
body is the service's own, and unknown fields are forbidden so that the test validating
real bodies catches a field added without its documentation.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autolend.api.schema_loan_responses import MoneyAllocation

_AMOUNT = 'Decimal string in the loan\'s currency, e.g. "1066.19"'


def _shown(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


_EVENT_EXAMPLE: dict[str, Any] = {
    "id": 3, "loan_id": 1, "kind": "repayment", "amount": "1066.19", "currency": "CNY",
    "value_date": "2026-02-05", "channel": "bank_transfer", "reference": "BANK-1",
    "status": "posted", "entry_id": 41, "reversal_entry_id": None,
    "allocation": {"penalty": "0.00", "interest": "120.00", "fees": "0.00",
                   "principal": "946.19", "advance": "0.00", "waterfall": "default",
                   "lines": [{"n": 1, "component": "interest", "amount": "120.00"},
                             {"n": 1, "component": "principal", "amount": "946.19"}]},
}  # fmt: skip


class MoneyEvent(BaseModel):
    """A money event as posted: a repayment (201), or one reversed (200, ``status``
    reversed, ``reversal_entry_id`` set); ``allocation`` says where the money went."""

    model_config = _shown(_EVENT_EXAMPLE)
    id: int = Field(description="The event's id (a reversal names it)")
    loan_id: int
    kind: str = Field(description="repayment, prepayment, payoff, refund, recovery ...")
    amount: str = Field(description=_AMOUNT)
    currency: str
    value_date: str = Field(description="YYYY-MM-DD")
    channel: str | None
    reference: str | None
    status: str = Field(description="posted or reversed")
    entry_id: int | None = Field(description="The journal entry that posted it")
    reversal_entry_id: int | None = Field(description="The entry that reversed it")
    allocation: MoneyAllocation = Field(description="{} when nothing was allocated")


class PrepaymentEvent(MoneyEvent):
    """A prepayment (``kind`` prepayment) or payoff (``kind`` payoff) as posted, with the
    prepayment fee the product's rule charged on it (0.00 when none)."""

    model_config = _shown(_EVENT_EXAMPLE | {
        "kind": "payoff", "amount": "10152.00",
        "allocation": {"penalty": "0.00", "interest": "152.00", "fees": "0.00",
                       "principal": "10000.00", "advance": "0.00", "from_advance": "0.00",
                       "waterfall": "payoff", "lines": []},
        "prepayment_fee": "200.00",
    })  # fmt: skip
    prepayment_fee: str = Field(description=_AMOUNT)


class FeeEvent(MoneyEvent):
    """A fee charged on the loan (``kind`` fee)."""

    model_config = _shown(_EVENT_EXAMPLE | {"kind": "fee", "amount": "50.00", "channel": None,
                                            "reference": None, "allocation": {},
                                            "fee_kind": "late_fee", "n": 2})  # fmt: skip
    fee_kind: str | None = Field(description="origination, gps, insurance, late_fee, other")
    n: int | None = Field(description="Due with this installment; null: at once")


class RefundEvent(MoneyEvent):
    """Part of the advance paid back to the borrower (``kind`` refund): it allocates
    nothing (``allocation`` {}), the advance is lowered by ``amount``."""

    model_config = _shown(_EVENT_EXAMPLE | {"id": 5, "kind": "refund", "amount": "100.00",
                                            "value_date": "2026-02-06", "channel": None,
                                            "reference": None, "allocation": {}})  # fmt: skip


class RecoveryEvent(MoneyEvent):
    """Cash collected on a written-off loan (``kind`` recovery): all of it recovery
    income, so it allocates nothing (``allocation`` {})."""

    model_config = _shown(_EVENT_EXAMPLE | {"id": 9, "kind": "recovery", "amount": "500.00",
                                            "value_date": "2026-04-10", "reference": "COLL-1",
                                            "allocation": {}})  # fmt: skip


class SubsidyReceipt(BaseModel):
    """The car maker's payment against a promotion's subsidy it owed: 4,000.00 of
    6,000.00 received leaves ``still_owed`` 2000.00."""

    model_config = _shown({"loan_id": 4, "entry_id": 57, "amount": "4000.00",
                           "currency": "CNY", "value_date": "2026-03-01",
                           "still_owed": "2000.00"})  # fmt: skip
    loan_id: int
    entry_id: int = Field(description="The receipt's journal entry (Dr cash / Cr 1140)")
    amount: str = Field(description=_AMOUNT)
    currency: str
    value_date: str = Field(description="YYYY-MM-DD")
    still_owed: str = Field(description="The subsidy the maker still owes after it")


class LoanAccrual(BaseModel):
    """What accruing one loan through a day posted: one entry per day and component at
    most, so a repeat (or an inactive loan) posts 0."""

    model_config = _shown({"loan_id": 1, "through": "2026-01-15", "entries_posted": 10})
    loan_id: int
    through: str = Field(description="Accrued through this day, YYYY-MM-DD")
    entries_posted: int = Field(description="The journal entries this call posted")


_PAID_OUT: dict[str, Any] = {
    "loan_id": 1, "entry_id": 7, "amount": "141500.00", "currency": "CNY",
    "value_date": "2026-01-05", "fees_deducted": "2900.00", "down_payment": "60000.00",
    "subsidy": "0.00", "subsidy_settlement": None, "to_dealer": "138600.00",
}  # fmt: skip


class LoanDisbursement(BaseModel):
    """The principal paid out: ``to_dealer`` is ``amount`` less the fees (and a
    promotion's subsidy settled at source) deducted."""

    model_config = _shown(_PAID_OUT)
    loan_id: int
    entry_id: int = Field(description="The disbursement's journal entry")
    amount: str = Field(description="The principal disbursed; " + _AMOUNT)
    currency: str
    value_date: str
    fees_deducted: str
    down_payment: str = Field(description="Paid by the borrower to the dealer")
    subsidy: str
    subsidy_settlement: str | None = Field(description="deducted or receivable; null: no subsidy")
    to_dealer: str


class ApplicationDisbursement(LoanDisbursement):
    """An application's loan paid out; as a loan's disbursement, with the application."""

    model_config = _shown(_PAID_OUT | {"application_id": 7})
    application_id: int


class PayoffQuote(BaseModel):
    """What pays the loan off on ``valid_until``: each receivable, the prepayment fee,
    less the advance, in ``total``."""

    model_config = _shown({
        "penalty": "0.00", "interest": "52.60", "fees": "0.00", "principal": "10018.52",
        "loan_id": 1, "currency": "CNY", "valid_until": "2026-03-20", "advance": "0.00",
        "prepayment_fee": "0.00", "total": "10071.12", "advance_left": "0.00",
    })  # fmt: skip
    penalty: str = Field(description="Penalty and compound interest owed")
    interest: str = Field(description="Interest to the day")
    fees: str = Field(description="Fees billed and unpaid")
    principal: str = Field(description="Principal outstanding")
    loan_id: int
    currency: str
    valid_until: str = Field(description="The payoff date quoted; valid that day only")
    advance: str = Field(description="The advance held, deducted from the total")
    prepayment_fee: str
    total: str = Field(description="What to pay; 0.00 when the advance covers it all")
    advance_left: str = Field(
        description="The advance above what is owed: it stays held after the payoff (of "
        "0.00) and is refunded"
    )


class ApprovalRequest(BaseModel):
    """A maker-checker request, pending until another user decides it."""

    model_config = _shown({
        "id": 1, "kind": "fee_waiver", "loan_id": 1,
        "payload": {"n": 2, "amount_minor": 3000, "reason": "goodwill", "amount": "30.00"},
        "status": "pending", "maker_user_id": 3, "checker_user_id": None,
        "created_at": "2026-03-01T09:00:00+00:00", "decided_at": None,
    })  # fmt: skip
    id: int
    kind: str = Field(description="fee_waiver or write_off")
    loan_id: int
    payload: dict[str, str | int] = Field(
        description="What is asked: a waiver's n, amount, amount_minor and reason; a "
        "write-off's value_date and reason"
    )
    status: str = Field(description="pending, approved or rejected")
    maker_user_id: int
    checker_user_id: int | None
    created_at: str = Field(description="ISO 8601 date and time")
    decided_at: str | None


class ApprovalDecision(ApprovalRequest):
    """A request decided once: approved, with the ``event`` its approval posted (the fee
    waiver, a fee event of ``kind`` fee_waiver; the write-off, a money event of ``kind``
    write_off and ``amount`` 0.00, its parts in the loan's transactions), or rejected,
    with no ``event``."""

    model_config = _shown({
        "id": 1, "kind": "fee_waiver", "loan_id": 1,
        "payload": {"n": 2, "amount_minor": 3000, "reason": "goodwill", "amount": "30.00"},
        "status": "approved", "maker_user_id": 3, "checker_user_id": 9,
        "created_at": "2026-03-01T09:00:00+00:00", "decided_at": "2026-03-01T10:00:00+00:00",
        "event": _EVENT_EXAMPLE | {"id": 6, "kind": "fee_waiver", "amount": "30.00",
                                   "value_date": "2026-03-01", "channel": None,
                                   "reference": "approval:1", "allocation": {},
                                   "fee_kind": None, "n": 2},
    })  # fmt: skip
    event: FeeEvent | MoneyEvent | None = Field(None, description="Absent on a rejection")


_LISTED: dict[str, Any] = {
    "id": 2, "kind": "write_off", "loan_id": 4,
    "payload": {"value_date": "2026-04-01", "reason": "borrower untraceable"},
    "status": "pending", "maker_user_id": 3, "checker_user_id": None,
    "created_at": "2026-04-01T09:00:00+00:00", "decided_at": None,
    "maker": "servicing", "checker": None,
}  # fmt: skip


class ListedApprovalRequest(ApprovalRequest):
    """A request as the queue lists it, with the maker's and the checker's usernames."""

    model_config = _shown(_LISTED)
    maker: str | None = Field(description="The maker's username")
    checker: str | None = Field(description="The checker's username; null while pending")


class ApprovalRequests(BaseModel):
    model_config = _shown({"items": [_LISTED]})
    items: list[ListedApprovalRequest] = Field(description="Oldest first: the queue's order")
