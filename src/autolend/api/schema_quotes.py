"""Request and response bodies of the public quote calculator (``POST /api/v1/quotes``).

Amounts are decimal strings (``"150000.00"``), rates and shares percent strings
(``"4.5"``, ``"30"``), dates ISO strings; whole counts are JSON integers.  The fields
are those of :class:`autolend.domain.quote_input.QuoteInput`, which parses them for the
API and the web calculator alike (errors: 422 naming the field).  The currency is the
lender's jurisdiction's (``AUTOLEND_JURISDICTION``: CN CNY, US USD).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from autolend.api.schema_loanmath import ScheduleRowResponse
from autolend.api.schemas import StrictRequest
from autolend.domain.quote_input import MAX_FEES, FeeInput, QuoteInput

_TEXT = 40


class QuoteFee(StrictRequest):
    """One borrower-paid fee: a fixed ``amount`` or a ``rate_percent`` of the vehicle
    amount financed (price less down payment)."""

    kind: str = Field(
        max_length=_TEXT,
        description="origination, gps, credit-insurance, monthly-service or other",
    )
    amount: str | None = Field(None, max_length=_TEXT, description='e.g. "1500.00"')
    rate_percent: str | None = Field(None, max_length=_TEXT, description='e.g. "1" for 1 %')
    timing: str = Field("upfront", max_length=_TEXT, description="upfront or monthly")
    financed: bool = Field(False, description="an upfront fee added to the loan principal")

    def to_input(self) -> FeeInput:
        return FeeInput(**self.model_dump())


class QuoteRequestBody(StrictRequest):
    """A car-loan deal to quote.  Give ``down_payment`` or ``down_payment_ratio``."""

    vehicle_price: str = Field(max_length=_TEXT, description='e.g. "150000.00"')
    down_payment: str | None = Field(None, max_length=_TEXT, description='e.g. "45000.00"')
    down_payment_ratio: str | None = Field(
        None, max_length=_TEXT, description='percent of the price, e.g. "30"'
    )
    annual_rate: str = Field(max_length=_TEXT, description='percent a year, e.g. "4.5"')
    term_months: int = Field(description="number of monthly installments, 1 to 480")
    method: str | None = Field(
        None,
        max_length=_TEXT,
        description="equal-installment (default; balloon with balloon_percent), "
        "equal-principal, flat, interest-only, balloon",
    )
    start: str | None = Field(None, max_length=_TEXT, description="loan date; default today")
    first_due: str | None = Field(None, max_length=_TEXT)
    fees: list[QuoteFee] = Field(default_factory=list, max_length=MAX_FEES)
    subsidy_customer_rate: str | None = Field(
        None,
        max_length=_TEXT,
        description="subsidised rate the borrower pays, percent",
        examples=["0"],
    )
    balloon_percent: str | None = Field(
        None,
        max_length=_TEXT,
        description="final balloon payment, percent of the price",
        examples=["30"],
    )
    compare_terms: bool = True
    monthly_income: str | None = Field(None, max_length=_TEXT, description='e.g. "12000.00"')
    max_income_share: str = Field("50", max_length=_TEXT, description="percent of income")
    currency: str | None = Field(
        None,
        max_length=_TEXT,
        description="ISO 4217 code; default and only value the lender's jurisdiction's "
        "(CN: CNY, US: USD); another is 422 naming currency",
        examples=["CNY"],
    )

    def to_input(self) -> QuoteInput:
        data = self.model_dump(exclude={"fees"})
        return QuoteInput(**data, fees=tuple(fee.to_input() for fee in self.fees))


class AprResponse(BaseModel):
    nominal: str
    effective: str


class CostCeilingResponse(BaseModel):
    status: Literal["ok", "warn", "breach"]
    ceiling: str


class RegZResponse(BaseModel):
    """Truth-in-Lending figures (12 CFR 1026.18), US pack only."""

    amount_financed: str
    finance_charge: str
    total_of_payments: str
    total_sale_price: str
    apr: str


QuoteRowResponse = ScheduleRowResponse


class QuoteScheduleResponse(BaseModel):
    currency: str
    installment: str
    total_principal: str
    total_interest: str
    total_payment: str
    total_subsidy: str
    total_capitalised_interest: str
    rows: list[QuoteRowResponse]


class TermComparisonResponse(BaseModel):
    term_months: int
    installment: str
    monthly_payment: str
    total_interest: str
    total_repayable: str
    apr: str


class AffordabilityResponse(BaseModel):
    installment_share: str
    max_income_share: str
    affordable_price: str


class QuoteResponse(BaseModel):
    """The priced deal; amounts as decimal strings, rates as percent strings."""

    currency: str
    vehicle_price: str
    down_payment: str
    amount_financed: str
    installment: str
    monthly_fees: str
    monthly_payment: str
    upfront_fees_cash: str
    financed_fees: str
    total_interest: str
    total_fees: str
    total_repayable: str
    total_cost_of_credit: str
    total_subsidy: str
    apr: AprResponse
    cost_ceiling: CostCeilingResponse
    regz: RegZResponse | None = None
    schedule: QuoteScheduleResponse
    comparison: list[TermComparisonResponse] | None
    affordability: AffordabilityResponse | None
