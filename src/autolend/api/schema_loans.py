"""Request bodies of the loan servicing routes. Amounts are decimal strings ("100.00"),
dates ISO strings; unknown fields are refused (422 naming them)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from autolend.api.schema_loanmath import ScheduleRequest
from autolend.api.schemas import StrictRequest

MAX_ID = 2**63 - 1

_AMOUNT = Field(max_length=40, description='decimal string, e.g. "100.00"')
_CURRENCY = Field(min_length=3, max_length=3, description="ISO 4217 code, e.g. CNY")
_DATE = Field(max_length=10, description="YYYY-MM-DD")


class RepaymentRequest(StrictRequest):
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str = _DATE
    channel: str = Field("bank_transfer", min_length=1, max_length=32)
    reference: str | None = Field(None, min_length=1, max_length=128)

    def canonical(self) -> dict[str, Any]:
        return self.model_dump()


class PrepaymentRequest(RepaymentRequest):
    mode: str = Field(
        "lower_installment",
        max_length=32,
        description="lower_installment, shorten_term (on a due date) or payoff",
    )
    trade_in: bool = Field(False, description="a trade-in: waives a waived_trade_in fee")


class RefundRequest(StrictRequest):
    """Money returned to the borrower out of the loan's advance (an overpayment)."""

    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str = _DATE


class ReversalRequest(StrictRequest):
    reason: str = Field(min_length=1, max_length=200)


class DisbursementRequest(StrictRequest):
    """The principal paid out to the dealer: fees and a promotion's subsidy deducted at
    source, the down payment (paid by the borrower to the dealer) recorded beside it."""

    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str | None = Field(None, max_length=10)
    fees_deducted: str | None = Field(None, max_length=40)
    down_payment: str | None = Field(None, max_length=40, description="paid to the dealer")
    subsidy: str | None = Field(None, max_length=40, description="car maker's interest subsidy")
    subsidy_settlement: str = Field(
        "deducted", max_length=16, description="deducted (from the dealer) or receivable"
    )


class MonthlyFeeItem(StrictRequest):
    kind: str = Field(max_length=32, description="gps or insurance")
    amount: str = _AMOUNT


class CollateralItem(StrictRequest):
    """The car the loan is secured on: its price (appraised, for a used car) and kind."""

    price: str = _AMOUNT
    energy: str = Field(max_length=8, description="ice or nev")
    condition: str = Field(max_length=8, description="new or used")


class LateFeeItem(StrictRequest):
    """The contract's late fee: ``amount`` charged once on an installment still unpaid
    ``after_days`` (1..90) days after its due date, within the cost ceiling."""

    amount: str = _AMOUNT
    after_days: int = Field(15, ge=1, le=90)


class BookingBody(ScheduleRequest):
    """Book a loan: the schedule calculator's terms plus the contract's parties, the
    product's allocation waterfall and the monthly fees due with each installment, under
    the regulation pack ``pack_code`` (by default the one of the loan's currency: CNY CN,
    USD US), whose penalty, cost ceiling and day count the loan is serviced by."""

    approved: str | None = Field(None, max_length=40, description="default: the principal")
    pack_code: str | None = Field(
        None,
        min_length=1,
        max_length=8,
        description="regulation pack, CN or US; default: the pack of the loan's currency",
    )
    product_code: str = Field("standard", min_length=1, max_length=32)
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    dealer_id: int | None = Field(None, ge=1, le=MAX_ID)
    waterfall: str = Field(
        "standard", max_length=32, description="standard, principal_first or non_performing"
    )
    monthly_fees: dict[str, str] | list[MonthlyFeeItem] | None = Field(
        None, max_length=8, description='{"gps": "30.00", "insurance": "50.00"} or a list'
    )
    prepayment_fee_rule: str = Field("none", max_length=32)
    prepayment_fee_rate: str | None = Field(None, max_length=40, description="percent, e.g. 2")
    collateral: CollateralItem | None = Field(
        None, description="the car, valued for the ECL's loss given default"
    )
    penalty_uplift: str | None = Field(
        None,
        max_length=40,
        description="percent over the contract rate, e.g. 30; default: the pack's",
    )
    late_fee: LateFeeItem | None = Field(
        None, description="charged once on an installment unpaid after_days after its due date"
    )
    pd_orig: str | None = Field(
        None,
        max_length=40,
        description="the probability of default at origination, a decimal fraction strictly "
        "between 0 and 1 (0.08 is 8 %), which the ECL grades the loan by; default: none "
        "recorded, the ECL's conservative default grade",
    )

    def schedule_fields(self) -> dict[str, Any]:
        return self.model_dump(include=set(ScheduleRequest.model_fields))


class WriteOffRequest(StrictRequest):
    """Ask to write off everything outstanding on ``value_date`` (核销), for ``reason``;
    another user (risk) approves it (maker-checker)."""

    value_date: str = _DATE
    reason: str = Field(min_length=1, max_length=200)


class AccrualRequest(StrictRequest):
    """Accrue one loan day by day through ``through`` (the end-of-day reference)."""

    through: str = _DATE


class PaidItem(StrictRequest):
    n: int = Field(ge=1, le=480)
    principal: str = _AMOUNT
    interest: str = _AMOUNT
    fee: str = Field("0", max_length=40)


class MigrationBody(BookingBody):
    """A loan from another system: its original terms, and on ``cut_over`` what was paid
    per installment (or ``installments_paid`` fully paid), penalty unpaid, advance held."""

    cut_over: str = _DATE
    installments_paid: int = Field(0, ge=0, le=480)
    paid: list[PaidItem] = Field(default_factory=list, max_length=480)
    penalty: str | None = Field(None, max_length=40)
    advance: str | None = Field(None, max_length=40)
    accrued_interest: str | None = Field(None, max_length=40, description="checked if sent")


class SubsidyReceiptRequest(StrictRequest):
    """Money a car maker (or the state) pays against a promotion's subsidy receivable."""

    amount: str = Field(max_length=32)
    currency: str = Field("CNY", min_length=3, max_length=3)
    value_date: str = Field(max_length=10)
