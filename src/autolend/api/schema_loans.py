"""Request bodies of the loan servicing routes. Amounts are decimal strings ("100.00"),
dates ISO strings; unknown fields are refused (422 naming them)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from autolend.api.schemas import StrictRequest

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
    amount: str = _AMOUNT
    currency: str = _CURRENCY
    value_date: str | None = Field(None, max_length=10)
    fees_deducted: str | None = Field(None, max_length=40)
