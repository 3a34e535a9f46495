"""Request bodies of the fee and maker-checker routes; unknown fields are refused."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from autolend.api.schemas import StrictRequest

_AMOUNT = Field(max_length=40, description='Decimal string, e.g. "30.00"', examples=["30.00"])
_CURRENCY = Field(
    min_length=3, max_length=3, description="ISO 4217 code: the loan's currency", examples=["CNY"]
)


class FeeChargeRequest(StrictRequest):
    """A fee charged on a loan, in the loan's currency."""

    kind: str = Field(max_length=16, description="origination, gps, insurance, late_fee, other")
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    n: int | None = Field(
        None, ge=1, le=1000, description="Installment the fee is due with; default: due now"
    )
    value_date: str | None = Field(
        None, max_length=10, description="YYYY-MM-DD; default today", examples=["2026-06-15"]
    )

    def canonical(self) -> dict[str, Any]:
        return self.model_dump()


class FeeWaiverRequest(StrictRequest):
    """Ask to waive (part of) an installment's fee; another user decides."""

    n: int = Field(ge=1, le=1000, description="installment whose fee is waived")
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    reason: str = Field(
        min_length=1,
        max_length=200,
        description="Why the fee is waived, for the checker and the audit trail",
        examples=["GPS unit never installed"],
    )


class DecisionRequest(StrictRequest):
    """The checker's decision on an approval request."""

    approve: bool = Field(description="true approves (and posts), false rejects")
