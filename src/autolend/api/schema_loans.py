"""Request bodies of the loan servicing routes. Amounts are decimal strings ("100.00"),
dates ISO strings; unknown fields are refused (422 naming them)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from autolend.api.schema_loanmath import ScheduleRequest
from autolend.api.schemas import StrictRequest

MAX_ID = 2**63 - 1

_AMOUNT = Field(max_length=40, description='Decimal string, e.g. "100.00"', examples=["100.00"])
_CURRENCY = Field(
    min_length=3, max_length=3, description="ISO 4217 code: the loan's currency", examples=["CNY"]
)
_DATE = Field(max_length=10, description="YYYY-MM-DD", examples=["2026-06-15"])
_REASON = Field(
    min_length=1, max_length=200, description="Why, for the audit trail", examples=["bounced"]
)


class RepaymentRequest(StrictRequest):
    """Money received from the borrower (or, on a recovery, collected after write-off)."""

    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str = _DATE
    channel: str = Field(
        "bank_transfer",
        min_length=1,
        max_length=32,
        description="How the money came, a channel of the loan's pack: CN bank_transfer, "
        "cash, direct_debit, wechat_pay, alipay; US ach, card, check, wire, cash",
        examples=["bank_transfer"],
    )
    reference: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="The payer's or the bank's reference, kept with the transaction",
        examples=["BANK-20260615-0042"],
    )

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
    """Why a repayment is reversed."""

    reason: str = _REASON


class DisbursementRequest(StrictRequest):
    """The principal paid out to the dealer: fees and a promotion's subsidy deducted at
    source, the down payment (paid by the borrower to the dealer) recorded beside it."""

    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str | None = Field(
        None, max_length=10, description="YYYY-MM-DD; default today", examples=["2026-06-15"]
    )
    fees_deducted: str | None = Field(
        None, max_length=40, description="Fees kept back from the payout", examples=["500.00"]
    )
    down_payment: str | None = Field(
        None, max_length=40, description="Paid by the borrower to the dealer", examples=["30000.00"]
    )
    subsidy: str | None = Field(
        None, max_length=40, description="The car maker's interest subsidy", examples=["1200.00"]
    )
    subsidy_settlement: str = Field(
        "deducted", max_length=16, description="deducted (from the dealer) or receivable"
    )


class MonthlyFeeItem(StrictRequest):
    """A fee due with every installment."""

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
    after_days: int = Field(15, ge=1, le=90, description="Days after the due date, 1 to 90")


class BookingBody(ScheduleRequest):
    """Book a loan: the schedule calculator's terms plus the contract's parties, the
    product's allocation waterfall and the monthly fees due with each installment, under
    the regulation pack ``pack_code`` (by default the one of the loan's currency: CNY CN,
    USD US), whose penalty, cost ceiling and day count the loan is serviced by."""

    approved: str | None = Field(
        None, max_length=40, description="default: the principal", examples=["120000.00"]
    )
    pack_code: str | None = Field(
        None,
        min_length=1,
        max_length=8,
        description="regulation pack, CN or US; default: the pack of the loan's currency",
    )
    product_code: str = Field(
        "standard", min_length=1, max_length=32, description="The product's code"
    )
    customer_id: int | None = Field(None, ge=1, le=MAX_ID, description="The borrower's id")
    dealer_id: int | None = Field(None, ge=1, le=MAX_ID, description="The selling dealer's id")
    waterfall: str = Field(
        "standard", max_length=32, description="standard, principal_first or non_performing"
    )
    monthly_fees: dict[str, str] | list[MonthlyFeeItem] | None = Field(
        None, max_length=8, description='{"gps": "30.00", "insurance": "50.00"} or a list'
    )
    prepayment_fee_rule: str = Field(
        "none",
        max_length=32,
        description="none, percent_of_prepaid or waived_trade_in (waived on a trade-in)",
    )
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
    reason: str = _REASON


class AccrualRequest(StrictRequest):
    """Accrue one loan day by day through ``through`` (the end-of-day reference)."""

    through: str = _DATE


class PaidItem(StrictRequest):
    """What was paid on installment ``n`` before the cut-over."""

    n: int = Field(ge=1, le=480, description="Installment number", examples=[1])
    principal: str = _AMOUNT
    interest: str = _AMOUNT
    fee: str = Field("0", max_length=40, description="Fees paid with it", examples=["0.00"])


class MigrationBody(BookingBody):
    """A loan from another system: its original terms, and on ``cut_over`` what was paid
    per installment (or ``installments_paid`` fully paid), penalty unpaid, advance held."""

    cut_over: str = _DATE
    installments_paid: int = Field(
        0, ge=0, le=480, description="Installments fully paid before the cut-over"
    )
    paid: list[PaidItem] = Field(
        default_factory=list, max_length=480, description="Or what each installment was paid"
    )
    penalty: str | None = Field(
        None, max_length=40, description="Penalty interest unpaid", examples=["0.00"]
    )
    advance: str | None = Field(
        None, max_length=40, description="Money held ahead of dues", examples=["0.00"]
    )
    accrued_interest: str | None = Field(
        None,
        max_length=40,
        description="Interest accrued but not due on the cut-over; checked against ours if sent",
        examples=["356.16"],
    )


class SubsidyReceiptRequest(StrictRequest):
    """Money a car maker (or the state) pays against a promotion's subsidy receivable."""

    amount: str = Field(max_length=32, description='Decimal string, e.g. "1200.00"',
                        examples=["1200.00"])  # fmt: skip
    currency: str = Field(
        "CNY", min_length=3, max_length=3, description="ISO 4217 code", examples=["CNY"]
    )
    value_date: str = _DATE
