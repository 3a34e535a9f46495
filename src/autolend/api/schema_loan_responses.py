"""What the loans API answers, as an integrator's client reads it: the success bodies of
``GET /loans``, ``GET /loans/{id}`` (and its transactions, ledger and payoff quote) and of
the money-moving POSTs, field by field.

The routes document these (``responses={200: {"model": LoanDetail}}``) but return the
service's own dict, so nothing here filters or changes a body; every model forbids
unknown fields, so a field the service adds and these omit fails the test that validates
real bodies against them (tests/integration/test_api_documented_responses.py). Amounts
are decimal strings in the loan's currency (``"1066.19"``), dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_AMOUNT = 'Decimal string in the loan\'s currency, e.g. "1066.19"'
_DAY = "YYYY-MM-DD"


def _shown(example: dict[str, Any]) -> ConfigDict:
    """The config of a documented body: no field beyond the documented ones, and
    ``example`` shown in the document."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


_FORBID = ConfigDict(extra="forbid")
_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": 1, "status": "active", "currency": "CNY", "product_code": "standard",
    "customer_id": 1, "dealer_id": 1, "principal": "12000.00", "approved": "12000.00",
    "disbursed": "12000.00", "start_date": "2026-01-05", "accrued_through": "2026-03-01",
    "closed_on": None,
}  # fmt: skip


class LoanSummary(BaseModel):
    """A loan in a list: who, how much, and where it stands."""

    model_config = _shown(_SUMMARY_EXAMPLE)
    id: int = Field(description="The loan's id")
    status: str = Field(description="booked, active, paid_off, written_off, closed or cancelled")
    currency: str = Field(description="ISO 4217 code", examples=["CNY"])
    product_code: str = Field(description="The product lent under")
    customer_id: int | None = Field(description="The borrower's customer id")
    dealer_id: int | None = Field(description="The selling dealer's id")
    principal: str = Field(description="The principal lent; " + _AMOUNT)
    approved: str = Field(description="The amount approved; " + _AMOUNT)
    disbursed: str = Field(description="Paid out so far (0.00 before disbursement)")
    start_date: str = Field(description="The loan's start, " + _DAY)
    accrued_through: str | None = Field(description="Interest accrued through this day")
    closed_on: str | None = Field(description="The day it was paid off or closed")


class LoanPage(BaseModel):
    """A page of loans: the next starts at ``offset + limit`` while that is under ``total``."""

    model_config = _shown({"items": [_SUMMARY_EXAMPLE], "total": 1, "limit": 100, "offset": 0})
    items: list[LoanSummary]
    total: int = Field(description="How many loans match, on every page together")
    limit: int
    offset: int


class LoanBalances(BaseModel):
    """What each sub-ledger holds, normal-signed: owed by the borrower for principal,
    interest, penalty and fees; held for them in ``suspense`` (the advance)."""

    model_config = _FORBID
    principal: str
    interest: str
    penalty: str
    fees: str
    suspense: str = Field(description="The advance: money paid ahead, held for the borrower")
    subsidy: str = Field(description="A promotion's subsidy still owed by the car maker")


class LoanCollateral(BaseModel):
    model_config = _FORBID
    price: str = Field(description="The car's price; " + _AMOUNT)
    vehicle_type: str = Field(description="e.g. nev_new, ice_used", examples=["nev_new"])


class LoanLateFee(BaseModel):
    """The contract's late fee: ``amount`` once an installment is ``after_days`` late."""

    model_config = _FORBID
    amount: str
    after_days: int


class InstallmentCount(BaseModel):
    """How many installments, and what they owe in all."""

    model_config = _FORBID
    installments: int
    amount: str


class NextDue(BaseModel):
    """The next installment; ``to_pay`` is ``amount`` less the advance held for it."""

    model_config = _FORBID
    n: int = Field(description="The installment's number, from 1")
    due_date: str
    amount: str
    to_pay: str


class LoanScheduleLine(BaseModel):
    """One installment of the schedule and what was paid on it."""

    model_config = _FORBID
    n: int
    due_date: str
    principal: str
    interest: str
    fee: str
    paid: str
    outstanding: str
    status: str = Field(
        description="future, due, partly_paid, overdue, fee_unpaid or paid; written_off "
        "(left unpaid by a write-off); cancelled (the loan was cancelled before its payout: "
        "nothing is outstanding)"
    )


class LoanDetail(LoanSummary):
    """One loan in full: balances, servicing terms, next due, arrears and schedule."""

    model_config = _shown(_SUMMARY_EXAMPLE | {
        "balances": {"principal": "11020.15", "interest": "0.00", "penalty": "0.00",
                     "fees": "0.00", "suspense": "0.00", "subsidy": "0.00"},
        "down_payment": None, "collateral": None, "annual_rate": "0.12", "customer_rate": None,
        "waterfall": "standard", "monthly_fees": {}, "penalty_uplift": "0.5", "late_fee": None,
        "as_of": "2026-03-01", "days_past_due": 0,
        "overdue": {"installments": 0, "amount": "0.00"},
        "fees_unpaid": {"installments": 0, "amount": "0.00"},
        "next_due": {"n": 2, "due_date": "2026-03-05", "amount": "1066.19", "to_pay": "1066.19"},
        "penalty_paid": "0.00",
        "schedule": [{"n": 1, "due_date": "2026-02-05", "principal": "979.85",
                      "interest": "86.34", "fee": "0.00", "paid": "1066.19",
                      "outstanding": "0.00", "status": "paid"}],
    })  # fmt: skip
    balances: LoanBalances
    down_payment: str | None = Field(description="Paid to the dealer; null if not recorded")
    collateral: LoanCollateral | None = Field(description="The car, where known")
    annual_rate: str = Field(description="The contract rate, a fraction: 0.12 is 12 %")
    customer_rate: str | None = Field(description="Under an interest subsidy, the borrower's")
    waterfall: str = Field(description="How a repayment is allocated", examples=["standard"])
    monthly_fees: dict[str, str] = Field(description="Fee kind -> amount each month")
    penalty_uplift: str = Field(description="Penalty rate over the contract rate: 0.5 is +50 %")
    late_fee: LoanLateFee | None
    as_of: str = Field(description="The day the figures are as of (serviced through)")
    days_past_due: int
    overdue: InstallmentCount = Field(description="Installments past due and what they owe")
    fees_unpaid: InstallmentCount = Field(description="Installments owing only a fee")
    next_due: NextDue | None = Field(description="Null unless the loan is active")
    penalty_paid: str = Field(description="Penalty and compound interest paid so far")
    schedule: list[LoanScheduleLine]


class AllocationLine(BaseModel):
    model_config = _FORBID
    n: int = Field(description="The installment paid")
    component: str = Field(description="principal, interest, fee or penalty")
    amount: str


class MoneyAllocation(BaseModel):
    """Where a money event's amount went, per component; ``{}`` before it is posted and
    for events that allocate nothing. A payoff's or prepayment's split also says
    ``from_advance`` and has no ``lines``."""

    model_config = _FORBID
    penalty: str | None = None
    interest: str | None = None
    fees: str | None = None
    principal: str | None = None
    advance: str | None = Field(None, description="Kept as an advance (overpayment)")
    from_advance: str | None = Field(None, description="Taken from the advance")
    waterfall: str | None = Field(
        None,
        description="The order the money was applied in (default, principal_first), as "
        "the loan's waterfall policy (standard, principal_first, non_performing) picks it "
        "by days past due; payoff or prepayment for those",
    )
    lines: list[AllocationLine] | None = Field(
        None,
        description="Per installment; penalty and compound interest belong to the loan, "
        "not to an installment, and are in penalty only",
    )


class WrittenOffParts(BaseModel):
    """What a write-off took off the loan: ``advance`` from the borrower's advance,
    ``loss`` the rest."""

    model_config = _FORBID
    amount: str
    principal: str
    interest: str
    penalty: str
    fees: str
    advance: str
    loss: str


class LoanTransaction(BaseModel):
    """A money movement of the loan, or a late fee its contract charged by itself."""

    model_config = _shown({
        "id": 3, "kind": "repayment", "amount": "1066.19", "requested": None,
        "currency": "CNY", "value_date": "2026-02-05", "channel": "bank_transfer",
        "reference": "BANK-1", "status": "posted", "entry_id": 41, "reversal_entry_id": None,
        "allocation": {"penalty": "0.00", "interest": "120.00", "fees": "0.00",
                       "principal": "946.19", "advance": "0.00", "waterfall": "default",
                       "lines": [{"n": 1, "component": "interest", "amount": "120.00"}]},
        "written_off": None, "fee_kind": None, "source": "event", "n": None,
    })  # fmt: skip
    id: int | None = Field(description="The event's id; null for a contract's late fee")
    kind: str = Field(description="repayment, prepayment, payoff, fee, write_off, recovery ...")
    amount: str = Field(description="A posted waiver: what the ledger waived")
    requested: str | None = Field(description="A posted waiver: the amount approved")
    currency: str
    value_date: str
    channel: str | None
    reference: str | None
    status: str = Field(description="posted or reversed")
    entry_id: int | None = Field(description="The journal entry that posted it")
    reversal_entry_id: int | None
    allocation: MoneyAllocation | None
    written_off: WrittenOffParts | None = Field(description="A write-off's parts; else null")
    fee_kind: str | None = Field(description="A fee's kind (late_fee, gps, prepayment ...)")
    source: Literal["event", "contract"] = Field(
        description="event: posted for the loan; contract: a late fee the contract charged"
    )
    n: int | None = Field(description="The installment a fee or waiver is on; else null")


class LoanTransactions(BaseModel):
    model_config = _FORBID
    items: list[LoanTransaction] = Field(description="By value date")


class LedgerPosting(BaseModel):
    model_config = _FORBID
    account: str = Field(description="The GL account's code", examples=["1130"])
    name: str = Field(description="The GL account's name")
    sub_ledger: str | None = Field(description="The loan's sub-ledger, if any")
    side: Literal["debit", "credit"]
    amount: str
    currency: str


class LedgerEntry(BaseModel):
    """A journal entry of the loan with its balanced postings."""

    model_config = _FORBID
    id: int
    kind: str
    value_date: str
    description: str
    reverses: int | None = Field(description="The entry this one reverses")
    fact: str | None = Field(description="The fact it states, e.g. ev:3")
    postings: list[LedgerPosting]


class LoanLedger(BaseModel):
    model_config = _FORBID
    items: list[LedgerEntry] = Field(description="Oldest first")
