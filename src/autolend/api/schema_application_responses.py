"""What the applications API answers: an application (filed, read, withdrawn; its
summary in a list), the decision and offers of a submit, an accepted offer, the two steps
of signing.

The routes only document these (``responses={200: {"model": ApplicationView}}``): the
body is the service's own (:mod:`autolend.services.application_views`), and unknown
fields are forbidden so that the test validating real bodies catches a field added
without its documentation. Personal data is masked unless the caller reads it in full;
money is a decimal string (``"140000.00"``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autolend.api.schema_quotes import RegZResponse

_FORBID = ConfigDict(extra="forbid")
_MONEY = 'Decimal string, e.g. "140000.00"'
_STAFF = "Staff only (absent for others): "


def _shown(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class OfferFee(BaseModel):
    model_config = _FORBID
    kind: str = Field(examples=["gps"])
    label: str
    timing: str = Field(description="upfront or monthly")
    financed: bool = Field(description="Added to the amount financed")
    amount: str


class OfferPreviewRow(BaseModel):
    model_config = _FORBID
    n: int
    due_date: str
    payment: str
    principal: str
    interest: str
    balance: str
    fee: str | None = Field(None, description="A monthly fee, where the offer has one")


class OfferLateTerms(BaseModel):
    """Late terms: CN a penalty rate; US none, the contract rate running on instead."""

    model_config = _FORBID
    penalty_rate: str | None
    penalty_rate_percent: str | None
    overdue_interest_rate: str | None = None
    overdue_interest_rate_percent: str | None = None
    late_fee: str | None
    late_fee_days: int


_OFFER_EXAMPLE: dict[str, Any] = {
    "option": 1, "term_months": 36, "down_payment": "60000.00",
    "amount_financed": "141500.00", "installment": "4561.58", "monthly_payment": "4561.58",
    "total_interest": "22716.88", "total_fees": "2900.00", "total_cost": "25616.88",
    "total_repayable": "164216.88", "currency": "CNY", "annual_rate": "0.099",
    "annual_rate_percent": "9.90%", "apr_nominal": "0.1021", "apr_effective": "0.1071",
    "apr_nominal_percent": "10.21%", "apr_effective_percent": "10.71%",
    "fees": [{"kind": "gps", "label": "GPS", "timing": "upfront", "financed": True,
              "amount": "1500.00"}],
    "schedule_preview": [{"n": 1, "due_date": "2026-02-05", "payment": "4561.58",
                          "principal": "3394.20", "interest": "1167.38",
                          "balance": "138105.80"}],
    "first_due": "2026-02-05", "product_version": 1, "start": "2026-01-05",
}  # fmt: skip


class ApplicationOffer(BaseModel):
    """A priced offer: installment, totals, APR with every fee, a schedule preview."""

    model_config = _shown(_OFFER_EXAMPLE)
    option: int = Field(description="What ``POST .../accept`` takes")
    term_months: int
    down_payment: str = Field(description=_MONEY)
    amount_financed: str
    installment: str
    monthly_payment: str
    total_interest: str
    total_fees: str
    total_cost: str
    total_repayable: str
    currency: str
    annual_rate: str = Field(description="A fraction: 0.099 is 9.9 %")
    annual_rate_percent: str
    apr_nominal: str
    apr_effective: str
    apr_nominal_percent: str
    apr_effective_percent: str
    fees: list[OfferFee]
    schedule_preview: list[OfferPreviewRow]
    first_due: str
    customer_rate: str | None = Field(None, description="Under a subsidy, the borrower's")
    customer_rate_percent: str | None = None
    subsidiser: str | None = Field(None, description="Who pays the subsidy")
    product_version: int | None = Field(None, description="The product version priced")
    regz: RegZResponse | None = Field(None, description="US only: Truth-in-Lending figures")
    late: OfferLateTerms | None = None
    installments_vary: bool | None = Field(None, description="true where they are not level")
    start: str = Field(description="The day its loan would start (the decision's)")


class RuleHitView(BaseModel):
    model_config = _FORBID
    rule: str
    field: str = Field(description="The application's field it is about")
    effect: str = Field(description="decline, refer or warn")
    message_en: str
    message_zh: str


class DecisionReason(BaseModel):
    model_config = _FORBID
    code: str
    text_en: str
    text_zh: str


class MoneyAmount(BaseModel):
    model_config = _FORBID
    amount: str
    currency: str


class CounterOfferView(BaseModel):
    model_config = _FORBID
    kind: str
    down_payment: MoneyAmount | None
    term_months: int | None
    amount: MoneyAmount | None
    text_en: str
    text_zh: str


class CounterOfferStructure(BaseModel):
    """The structure a person's counter-offer set, and the vehicle amount it finances."""

    model_config = _FORBID
    down_payment: str
    term_months: int
    amount: str = Field(description="The vehicle amount financed: price less down_payment")


class AdverseActionNotice(BaseModel):
    """The notice a decline or counter-offer sends, with its principal reasons."""

    model_config = _FORBID
    notice_date: str
    outcome: str
    reasons: list[DecisionReason]
    bureau: str | None = Field(description="The credit bureau whose report was used")
    pack_code: str | None = Field(None, description="Absent for CN; US otherwise")


_DECISION_EXAMPLE: dict[str, Any] = {
    "outcome": "approve", "rule_hits": [], "pd": "0.031", "score": 712, "grade": "B",
    "model_version": "default@1", "reason_method": "shap",
    "reasons": [{"code": "DTI", "text_en": "Debt-to-income ratio", "text_zh": "负债收入比"}],
    "annual_rate": "0.099", "max_amount": {"amount": "160000.00", "currency": "CNY"},
    "counter_offers": [], "adverse_action": None, "policy_name": "default",
    "policy_version": 1, "second_approval_required": False,
}  # fmt: skip


class ApplicationDecision(BaseModel):
    """The credit decision: outcome, rules hit, the model's score and reasons."""

    model_config = _shown(_DECISION_EXAMPLE)
    outcome: str = Field(description="approve, refer or decline")
    rule_hits: list[RuleHitView]
    pd: str | None = Field(description="Probability of default, a fraction")
    score: int | None
    grade: str | None
    model_version: str | None = Field(examples=["default@1"])
    reason_method: str | None
    reasons: list[DecisionReason]
    annual_rate: str | None
    max_amount: MoneyAmount | None
    counter_offers: list[CounterOfferView]
    adverse_action: AdverseActionNotice | None
    policy_name: str
    policy_version: int
    second_approval_required: bool
    counter_offer: CounterOfferStructure | None = Field(
        None, description="A person's counter-offer: the structure they set (absent: none)"
    )
    pack_code: str | None = Field(None, description="Absent for CN; US otherwise")
    facts: dict[str, Any] | None = Field(None, description=_STAFF + "the facts snapshot")
    rate_override: dict[str, Any] | None = Field(None, description=_STAFF + "a rate override")
    proposed: dict[str, Any] | None = Field(None, description=_STAFF + "an approval declined")


class ApplicationParty(BaseModel):
    """A borrower, co-borrower or guarantor; masked (``张*``, ``1101**...``) unless the
    caller reads personal data in full."""

    model_config = _FORBID
    role: str = Field(description="borrower, co_borrower or guarantor")
    name: str
    id_number: str
    mobile: str
    address: str
    employment: str
    monthly_income: str | None = Field(description="Masked to a band unless read in full")
    income_documented: bool
    monthly_obligations: str
    first_time_buyer: bool
    income_stability_months: int | None


class ApplicationCar(BaseModel):
    model_config = _FORBID
    vin: str | None
    make: str
    model: str
    energy: str = Field(description="ice or nev")
    condition: str = Field(description="new or used")
    price: str
    reference_price: str | None
    dealer_id: int | None


class ApplicationConsent(BaseModel):
    model_config = _FORBID
    kind: str
    text_version: str


class ApplicationDocument(BaseModel):
    model_config = _FORBID
    id: int
    kind: str = Field(examples=["id_front"])
    content_type: str
    size: int = Field(description="Bytes")
    sha256: str
    uploaded_at: str


class ApplicationEvent(BaseModel):
    """A move of the application from one status to another."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    action: str = Field(examples=["submit"])
    from_: str | None = Field(alias="from", description="The status before; null at filing")
    to: str
    actor_user_id: int | None
    automated: bool
    reason: str | None
    at: str = Field(description="ISO 8601 date and time")
    detail: dict[str, Any] | None = Field(description="The move's particulars")


SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": 7, "status": "draft", "channel": "dealer", "product_code": "NEV_GREEN",
    "dealer_id": 1, "customer_id": 3, "currency": "CNY", "amount": "140000.00",
    "price": "200000.00", "term_months": 36, "outcome": None, "loan_id": None,
    "contract_id": None, "created_at": "2026-01-05T09:00:00+08:00",
    "updated_at": "2026-01-05T09:00:00+08:00", "submitted_at": None,
}  # fmt: skip
"""An application as a list shows it (also what its full view begins with)."""


class ApplicationSummary(BaseModel):
    """An application in a list: its amounts and where it stands, no personal data."""

    model_config = _shown(SUMMARY_EXAMPLE)
    id: int
    status: str = Field(description="draft, approved, referred, declined, accepted ...")
    channel: str = Field(description="borrower or dealer")
    product_code: str
    dealer_id: int | None
    customer_id: int = Field(description="The borrower's customer id")
    currency: str
    amount: str = Field(description="The vehicle amount financed; " + _MONEY)
    price: str
    term_months: int
    outcome: str | None = Field(description="The decision's outcome; null before submit")
    loan_id: int | None = Field(description="The loan booked on acceptance")
    contract_id: int | None
    created_at: str
    updated_at: str
    submitted_at: str | None


class ApplicationView(ApplicationSummary):
    """An application: its amounts, parties, car, decision, offers and history."""

    model_config = _shown(SUMMARY_EXAMPLE | {
        "parties": [], "vehicle": {"vin": "LSVAU2180N2183294", "make": "BYD",
                                   "model": "Qin PLUS", "energy": "nev", "condition": "new",
                                   "price": "200000.00", "reference_price": None,
                                   "dealer_id": 1},
        "down_payment": "60000.00", "requested_amount": None, "financed_fees": "1500.00",
        "amount_financed": "141500.00", "consents": [], "decision": None, "offers": [],
        "accepted_option": None, "documents": [], "events": [],
    })  # fmt: skip
    parties: list[ApplicationParty]
    vehicle: ApplicationCar
    down_payment: str
    requested_amount: str | None = Field(description="The amount asked for, if any")
    financed_fees: str | None = Field(description="Fees the product adds; null: unknown")
    amount_financed: str | None = Field(description="amount + financed_fees")
    consents: list[ApplicationConsent]
    decision: ApplicationDecision | None
    offers: list[ApplicationOffer]
    accepted_option: int | None
    documents: list[ApplicationDocument]
    events: list[ApplicationEvent] = Field(description="Oldest first")


class SubmittedApplication(BaseModel):
    """The decision of a submit, and its offers when approved."""

    model_config = _shown({"id": 7, "status": "approved", "decision": _DECISION_EXAMPLE,
                           "offers": [_OFFER_EXAMPLE]})  # fmt: skip
    id: int
    status: str = Field(description="approved, referred, declined or pending_second")
    decision: ApplicationDecision
    offers: list[ApplicationOffer]


class ApplicationOffers(BaseModel):
    model_config = _FORBID
    items: list[ApplicationOffer]


class AcceptedOffer(BaseModel):
    """The offer taken and the loan booked on it (status booked until paid out)."""

    model_config = _shown({"id": 7, "status": "accepted", "loan_id": 12,
                           "offer": _OFFER_EXAMPLE})  # fmt: skip
    id: int
    status: Literal["accepted"]
    loan_id: int
    offer: ApplicationOffer


class ContractSummary(BaseModel):
    model_config = _FORBID
    id: int
    loan_id: int
    reference: str
    locale: str
    status: str = Field(description="issued, signing, signed or withdrawn")
    sha256: str = Field(description="The contract PDF's SHA-256")
    created_at: str
    signed_at: str | None


class SigningStarted(BaseModel):
    """No code sent: the contract issued and a one-time code sent to the borrower."""

    model_config = _shown({"id": 7, "status": "signing", "contract_id": 4,
                           "code_expires_at": "2026-01-05T09:10:00+08:00",
                           "messages": [15]})  # fmt: skip
    id: int
    status: Literal["signing"]
    contract_id: int
    code_expires_at: str
    messages: list[int] = Field(description="The outbox ids of the messages queued")


class ContractSigned(BaseModel):
    """The code sent: the contract signed (``messages``: the confirmation queued; absent
    when the contract was found signed already)."""

    model_config = _FORBID
    id: int
    status: Literal["signed"]
    contract: ContractSummary
    messages: list[int | None] | None = None


SignResult = SigningStarted | ContractSigned
"""What ``POST /applications/{id}/sign`` answers: one or the other."""
