"""Request and response bodies of consents and bureau queries.

Amounts are decimal strings (``"1234.56"``) in the summary's ``currency``, the customer's
pack's (CNY for a resident ID, USD for an SSN or ITIN); times ISO 8601 with a zone. A
summary names no person: counts, totals, the worst delinquency, inquiries, red flags and
the open credit cards' limits, balances and utilisation only.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, Field

from autolend.api.schemas import StrictRequest
from autolend.domain.bureau import ReportSummary
from autolend.domain.money import Money
from autolend.domain.score_features import card_utilisation
from autolend.services.bureau import BureauQueryView
from autolend.services.consents import ConsentView


class ConsentCreate(StrictRequest):
    kind: str = Field(max_length=32, description="bureau_query, data_processing or sensitive_data")
    text_version: str = Field(max_length=32, description="version of the text the customer saw")
    expires_at: AwareDatetime | None = Field(
        None,
        strict=False,  # an ISO 8601 string with a zone, e.g. "2027-03-01T00:00:00+08:00"
        description="default: 90 days for bureau_query, none for the others",
    )


class ConsentResponse(BaseModel):
    id: int
    customer_id: int
    kind: str
    text_version: str
    granted_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool

    @classmethod
    def of(cls, view: ConsentView) -> ConsentResponse:
        return cls(**view.__dict__)


class BureauQueryCreate(StrictRequest):
    purpose: str = Field(
        max_length=32, description="loan_application, post_loan_management or guarantor_review"
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class ReportSummaryResponse(BaseModel):
    accounts: int
    open_accounts: int
    total_outstanding: str
    monthly_obligations: str
    worst_months_overdue: int
    months_overdue_any: int
    months_overdue_90_plus: int
    inquiries_6m: int
    inquiries_12m: int
    thin_file: bool
    red_flags: list[str]
    card_limits: str
    card_balances: str
    card_utilisation: str | None = Field(
        description="open cards' balances over their limits, to 3 places; null for a thin "
        "file or no card that states its limit"
    )
    currency: str

    @classmethod
    def of(cls, summary: ReportSummary, currency: str) -> ReportSummaryResponse:
        """The summary with its amounts in ``currency`` (the report's: its subject's pack's)."""
        return cls(
            accounts=summary.accounts,
            open_accounts=summary.open_accounts,
            total_outstanding=Money.of_minor(summary.total_outstanding_minor, currency).to_api(),
            monthly_obligations=Money.of_minor(
                summary.monthly_obligations_minor, currency
            ).to_api(),
            worst_months_overdue=summary.worst_months_overdue,
            months_overdue_any=summary.months_overdue_any,
            months_overdue_90_plus=summary.months_overdue_90_plus,
            inquiries_6m=summary.inquiries_6m,
            inquiries_12m=summary.inquiries_12m,
            thin_file=summary.thin_file,
            red_flags=list(summary.red_flags),
            card_limits=Money.of_minor(summary.card_limit_minor, currency).to_api(),
            card_balances=Money.of_minor(summary.card_balance_minor, currency).to_api(),
            card_utilisation=_text(card_utilisation(summary)),
            currency=currency,
        )


class BureauQueryResponse(BaseModel):
    id: int
    customer_id: int
    reference: str
    purpose: str
    outcome: str = Field(description="ok, no_record, unavailable or rejected")
    detail: str | None
    latency_ms: int
    attempts: int
    queried_by: int
    queried_at: datetime
    summary: ReportSummaryResponse | None

    @classmethod
    def of(cls, view: BureauQueryView) -> BureauQueryResponse:
        fields = dict(view.__dict__)
        currency = fields.pop("currency")
        fields["summary"] = (
            ReportSummaryResponse.of(view.summary, currency) if view.summary else None
        )
        return cls(**fields)
