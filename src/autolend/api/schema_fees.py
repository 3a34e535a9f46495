"""Request bodies of the fee and maker-checker routes; unknown fields are refused."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from autolend.api.schemas import StrictRequest

_AMOUNT = Field(max_length=40, description='decimal string, e.g. "30.00"')
_CURRENCY = Field(min_length=3, max_length=3, description="ISO 4217 code, e.g. CNY")


class FeeRequest(StrictRequest):
    kind: str = Field(max_length=16, description="origination, gps, insurance, late_fee, other")
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    n: int | None = Field(None, ge=1, le=1000, description="installment the fee is due with")
    value_date: str | None = Field(None, max_length=10, description="YYYY-MM-DD; default today")

    def canonical(self) -> dict[str, Any]:
        return self.model_dump()


class FeeWaiverRequest(StrictRequest):
    n: int = Field(ge=1, le=1000, description="installment whose fee is waived")
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    reason: str = Field(min_length=1, max_length=200)


class DecisionRequest(StrictRequest):
    approve: bool
