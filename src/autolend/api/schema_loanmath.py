"""Request and response bodies of the loan calculators (``POST /api/v1/schedules``).

Fields are those of ``autolend schedule``, in snake_case and as text where the CLI
takes text (amounts ``"5000.00"``, percents ``"12"``, dates ``"2022-11-01"``), so both
front ends hand the same values to :mod:`autolend.domain.schedule_input` and report the
same errors; whole counts (``periods``, ``grace_periods``) are JSON integers.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from autolend.api.schemas import StrictRequest
from autolend.domain.schedule import MAX_PERIODS

_TEXT = 40


class ScheduleRequest(StrictRequest):
    """The schedule calculator's inputs; defaults as on the command line."""

    principal: str = Field(max_length=_TEXT, description='amount lent, e.g. "5000.00"')
    annual_rate: str = Field(max_length=_TEXT, description='annual rate in percent, e.g. "12"')
    periods: int = Field(description="number of regular installments, 1 to 480")
    start: str = Field(max_length=_TEXT, description='disbursement date, e.g. "2022-11-01"')
    frequency: str = Field("monthly", max_length=_TEXT)
    first_due: str | None = Field(None, max_length=_TEXT)
    method: str = Field("equal_installment", max_length=_TEXT)
    interest_basis: str = Field("period", max_length=_TEXT)
    day_count: str | None = Field(
        None, max_length=_TEXT, description="default: the pack's (CN ACT/360, US ACT/365)"
    )
    rounding: str = Field("half-up", max_length=_TEXT)
    installment_multiple: str = Field("0.01", max_length=_TEXT)
    balloon: str | None = Field(
        None,
        max_length=_TEXT,
        description='balloon method residual: "1500.00" or "30%"',
        examples=["1500.00"],
    )
    currency: str = Field("CNY", max_length=_TEXT)
    grace_periods: int = 0
    grace_kind: str = Field("interest_only", max_length=_TEXT)
    step_weights: list[str] | None = Field(None, max_length=MAX_PERIODS)
    subsidy_customer_rate: str | None = Field(
        None,
        max_length=_TEXT,
        description="subsidised rate the borrower pays, percent",
        examples=["0"],
    )


class ScheduleCalculationRequest(ScheduleRequest):
    """``POST /api/v1/schedules``: the terms and the regulation pack whose APR to disclose
    (a booking names its pack ``pack_code`` instead, so the terms alone are shared)."""

    jurisdiction: str | None = Field(
        None,
        max_length=_TEXT,
        description="regulation pack of the APR, CN or US; default: the pack of the currency",
    )


class ScheduleRowResponse(BaseModel):
    n: int
    due_date: str
    days: int
    opening_balance: str
    principal: str
    interest: str
    payment: str
    subsidy_interest: str
    capitalised_interest: str
    deferred_interest: str
    deferred_interest_paid: str
    balance: str
    grace: bool


class ScheduleResponse(BaseModel):
    """The schedule as ``autolend schedule --json`` prints it; rates in percent."""

    currency: str
    installment: str
    total_principal: str
    total_interest: str
    total_payment: str
    total_subsidy: str
    total_capitalised_interest: str
    apr: str
    apr_effective: str
    rows: list[ScheduleRowResponse]
