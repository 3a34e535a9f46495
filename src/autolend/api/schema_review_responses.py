"""What the applications API answers besides an application in full: a page of them, a
VIN recorded, an underwriter's review and the second approval, and the queue of what
waits for an underwriter.

As in :mod:`autolend.api.schema_application_responses`, the routes only document these:
the body is the service's own (:mod:`autolend.services.review`,
:func:`autolend.services.application_views.summary_view`), and unknown fields are
forbidden so that the test validating real bodies catches a field added without its
documentation. Example: a referred case of 140,000.00 approved at 5.49 % where the
decision priced 8.99 % answers ``{"id": 7, "status": "pending_second"}``, and waits in
the queue with its ``rate_override`` until another underwriter confirms it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autolend.api.schema_application_responses import (
    SUMMARY_EXAMPLE,
    ApplicationSummary,
    CounterOfferStructure,
)

_FORBID = ConfigDict(extra="forbid")


def _shown(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class ApplicationPage(BaseModel):
    """A page of applications, the newest filed first: the next starts at ``offset +
    limit`` while that is under ``total``."""

    model_config = _shown({"items": [SUMMARY_EXAMPLE], "total": 1, "limit": 50, "offset": 0})
    items: list[ApplicationSummary]
    total: int = Field(description="How many applications match, on every page together")
    limit: int
    offset: int


class VinRecorded(BaseModel):
    """The VIN now on the application, as checked (check digit and all)."""

    model_config = _shown({"id": 7, "vin": "LGXCE6CB3N0123459"})
    id: int = Field(description="The application's id")
    vin: str


class ReviewResult(BaseModel):
    """Where a person's decision left the application."""

    model_config = _shown({"id": 7, "status": "pending_second"})
    id: int = Field(description="The application's id")
    status: str = Field(
        description="A review: approved, counter_offered, declined, or pending_second (it "
        "waits for another underwriter); a second approval: approved, counter_offered or "
        "referred (sent back to review)"
    )


class RateOverrideView(BaseModel):
    """A rate set by a person other than the case's risk-based rate."""

    model_config = _FORBID
    risk_based_rate: str = Field(description="The rate the decision priced, a fraction")
    annual_rate: str = Field(description="The rate set, a fraction: 0.0549 is 5.49 %")
    set_by: int = Field(description="The underwriter's user id")
    set_by_name: str
    direction: str | None = Field(
        None,
        description="below or above the risk-based rate; absent: below (kept so before "
        "directions were recorded)",
    )


class SecondApprovalAmounts(BaseModel):
    """A case's amounts and the one the policy's second-approval limit is compared with
    (:mod:`autolend.services.review_amounts`): the vehicle amount financed (a
    counter-offer's own), never the total with the fees the product finances."""

    model_config = _FORBID
    compared: str = Field(description="The amount compared with the limit: vehicle_amount")
    vehicle_amount: str = Field(description="The vehicle amount financed: compared")
    financed_fees: str | None = Field(description="The fees the product adds to the loan")
    total_financed: str | None = Field(
        description="The loan: vehicle amount + financed fees (not compared); null when "
        "the product is not known"
    )
    limit: str | None = Field(description="The policy's limit in the case's currency")
    above: bool = Field(description="Whether the vehicle amount is above the limit")


_AMOUNTS = {"compared": "vehicle_amount", "vehicle_amount": "140000.00",
            "financed_fees": "0.00", "total_financed": "140000.00", "limit": "300000.00",
            "above": False}  # fmt: skip
"""The example's amounts: NEV_GREEN finances no fee (STD_NEW would add its 1,500.00 GPS)."""


class QueuedApplication(ApplicationSummary):
    """A case waiting for an underwriter, with the decision's reasons and what a first
    person set (a counter-offer, a rate override) for the second to see."""

    model_config = _shown(SUMMARY_EXAMPLE | {
        "status": "pending_second", "outcome": "approve", "may_review": True,
        "reasons": ["Debt-to-income ratio"], "reasons_zh": ["负债收入比"],
        "counter_offer": {"down_payment": "80000.00", "term_months": 24,
                          "amount": "120000.00"},
        "rate_override": {"risk_based_rate": "0.0899", "annual_rate": "0.0549", "set_by": 4,
                          "set_by_name": "underwriter", "direction": "below"},
        "second_approval": _AMOUNTS | {"vehicle_amount": "120000.00",
                                       "total_financed": "120000.00"},
    })  # fmt: skip
    may_review: bool = Field(
        description="False where another underwriter must decide it: the caller filed it, "
        "or approved it and it waits for a second person"
    )
    reasons: list[str] = Field(description="The decision's reasons, in English")
    reasons_zh: list[str] = Field(description="The same, in Chinese")
    counter_offer: CounterOfferStructure | None
    rate_override: RateOverrideView | None
    second_approval: SecondApprovalAmounts


class WaitingCounts(BaseModel):
    model_config = _FORBID
    referred: int = Field(description="Referred by the automated decision")
    pending_second: int = Field(description="Approved by one underwriter, waiting for another")


class ReviewQueue(BaseModel):
    """What waits for an underwriter, the longest waiting first, a page at a time: the
    next starts at ``offset + limit`` while that is under ``total``."""

    model_config = _shown({
        "items": [SUMMARY_EXAMPLE | {"status": "referred", "outcome": "refer",
                                     "may_review": True, "reasons": [], "reasons_zh": [],
                                     "counter_offer": None, "rate_override": None,
                                     "second_approval": _AMOUNTS}],
        "total": 1, "waiting": {"referred": 1, "pending_second": 0}, "limit": 50, "offset": 0,
    })  # fmt: skip
    items: list[QueuedApplication]
    total: int = Field(description="How many wait, on every page together")
    waiting: WaitingCounts
    limit: int
    offset: int
