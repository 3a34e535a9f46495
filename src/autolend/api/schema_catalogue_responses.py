"""What the products and credit-model APIs answer: a product version in its JSON form, and
one registered version of a credit model (``GET /models/{name}``).

The routes only document these: a product is :func:`autolend.domain.product_codec.
product_to_dict` (every field, null where not set: rates and ratios decimal strings,
amounts decimal strings in the product's currency), a model the registry's metadata as
stored at training (:meth:`autolend.services.models.ModelService.train`). Unknown fields
are forbidden so that the test validating real bodies catches a field added without its
documentation. Example: ``GET /products/USED_CAR`` answers ``{"code": "USED_CAR",
"version": 1, "max_ltv_used": "0.70", "terms": [12, 24, 36], "late_fee": {"amount":
"50.00", "after_days": 15}, ...}``; ``GET /models/default`` the latest version without
the card's curves and bins (``roc``, ``ks_curve``, ``reliability``,
``score_distribution``, ``bins``), which ``?curves=true`` adds.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autolend.domain.product_catalogue import USED_CAR
from autolend.domain.product_codec import product_to_dict

_FORBID = ConfigDict(extra="forbid")
_RATE = 'A fraction as a decimal string: "0.0899" is 8.99 %'
_AMOUNT = 'Decimal string in the product\'s currency, e.g. "30000.00"'
_CURVE = "Only with ?curves=true: "


def _shown(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class ProductEligibility(BaseModel):
    """Who may borrow under the product."""

    model_config = _FORBID
    min_age: int
    max_age: int | None = Field(description="At application; null: no limit (US)")
    max_age_at_maturity: int | None = Field(description="At the last installment; null: none")
    conditions: list[str] = Field(description="new and/or used")
    energies: list[str] = Field(description="ice and/or nev")
    employment: list[str] = Field(description="salaried, self_employed, farmer, retired ...")
    first_time_buyer_only: bool
    max_dsr: str = Field(description="Largest debt-service ratio; " + _RATE)


class ProductFee(BaseModel):
    """A borrower-paid fee: a fixed ``amount`` or a ``rate_of_amount``, never both."""

    model_config = _FORBID
    kind: str = Field(examples=["gps"])
    amount: str | None = Field(description=_AMOUNT + "; null for a rate")
    rate_of_amount: str | None = Field(description="Of the amount financed; " + _RATE)
    timing: str = Field(description="upfront or monthly")
    financed: bool = Field(description="An upfront fee added to the amount financed")
    name: str = Field(description="Shown instead of the kind's label when not empty")


class ProductSubsidySpec(BaseModel):
    """An interest subsidy: the borrower's rate (``customer_rate``) or points off the
    contract rate (``rate_points``), whichever is given."""

    model_config = _FORBID
    subsidiser: str = Field(description="oem, dealer or state")
    customer_rate: str | None
    rate_points: str | None
    max_share: str = Field(description="Largest share of the interest subsidised; " + _RATE)
    cap: str | None = Field(
        description="Largest subsidy per borrower at this lender over the plan's loans; " + _AMOUNT
    )
    principal_cap: str | None = Field(
        None,
        description="The subsidy runs on at most this much of the principal, pro rata; " + _AMOUNT,
    )
    settlement: str = Field(description="deducted or receivable")


class ProductLateFee(BaseModel):
    model_config = _FORBID
    amount: str = Field(description="Charged once on an installment still unpaid; " + _AMOUNT)
    after_days: int


class ProductVersion(BaseModel):
    """One version of a product: what origination may offer under it, in force from
    ``effective_from`` through ``effective_to`` (null: open-ended)."""

    model_config = _shown(product_to_dict(USED_CAR))
    code: str
    version: int
    name_zh: str
    name_en: str
    effective_from: str = Field(description="YYYY-MM-DD")
    effective_to: str | None = Field(description="YYYY-MM-DD; null while in force")
    pack: str = Field(description="The regulation pack: CN or US")
    currency: str
    rate_min: str = Field(description="Lowest contract rate; " + _RATE)
    rate_max: str
    terms: list[int] = Field(description="The terms offered, in months")
    method: str = Field(
        description="equal_installment, equal_principal, flat, interest_only, balloon or step"
    )
    balloon_ratio: str | None
    step_weights: list[str] | None = Field(description="A step loan's monthly weights")
    min_down_payment_ratio: str
    max_ltv_new: str
    max_ltv_used: str
    min_amount: str = Field(description=_AMOUNT)
    max_amount: str
    eligibility: ProductEligibility
    fees: list[ProductFee]
    waterfall: str = Field(description="How a repayment is allocated")
    penalty_uplift: str = Field(description="Penalty rate over the contract rate: 0.5 is +50 %")
    prepayment_fee_rule: str
    prepayment_fee_rate: str
    credit_insurance_required: bool
    subsidy: ProductSubsidySpec | None
    late_fee: ProductLateFee | None


class ModelData(BaseModel):
    """The file the version was trained on."""

    model_config = _FORBID
    file: str = Field(description="Its name (no path)")
    sha256: str
    rows: int
    bad_rate: float
    target: str = Field(description="The target column")
    bad: str = Field(description="The target's value that meant bad, also when guessed")
    excluded: list[str] = Field(description="Columns left out (identifiers, outcomes)")
    protected: list[str] = Field(description="Kept out of the model, for fairness only")


class ModelFeature(BaseModel):
    model_config = _FORBID
    name: str
    kind: str = Field(description="numeric or categorical")


class ModelMetrics(BaseModel):
    """Cross-validated measures of the primary model."""

    model_config = _FORBID
    auc: float
    gini: float
    ks: float
    brier: float
    brier_raw: float | None = Field(description="Before calibration; null for an ensemble")
    rows: int
    bad_rate: float
    candidate_auc: dict[str, float] = Field(description="Each candidate model -> its AUC")


class ModelCard(BaseModel):
    """The model card's numbers (the curves and bins only with ``?curves=true``)."""

    model_config = _FORBID
    name: str
    primary: str = Field(description="The model that scores: champion, challenger, ensemble")
    reason_method: str
    calibration_method: str
    metrics: ModelMetrics
    features: list[dict[str, Any]] = Field(description="Each feature: name, kind, direction")
    scaling: dict[str, Any] = Field(description="The points scale: base_points, base_odds, pdo")
    grades: dict[str, list[Any]] = Field(description="upper_pd: each grade's bound; grades")
    psi_baseline: dict[str, list[Any]] = Field(
        description="The training scores' deciles for PSI: edges, shares (and counts, "
        "kept since monitoring states them)"
    )
    top_features: list[dict[str, Any]] = Field(
        description="Each feature: points_range, gain_share; the widest first"
    )
    columns: list[dict[str, Any]] | None = Field(
        None,
        description="Columns read otherwise than as-is: column, code, left_out, text, details "
        "(absent from versions registered before the card kept them)",
    )
    roc: dict[str, list[float]] | None = Field(None, description=_CURVE + "x, y, threshold")
    ks_curve: dict[str, list[float]] | None = Field(None, description=_CURVE + "x, y, threshold")
    reliability: list[dict[str, Any]] | None = Field(
        None, description=_CURVE + "PD bins: lower, upper, count, mean_pd, bad_rate"
    )
    score_distribution: dict[str, list[float]] | None = Field(
        None, description=_CURVE + "edges, good and bad counts per score bin"
    )
    bins: list[dict[str, Any]] | None = Field(
        None, description=_CURVE + "per feature its scorecard rows (bin, count, woe, points)"
    )


class ModelDescription(BaseModel):
    """One registered version of a credit model: the data, features, card and libraries
    it was trained with."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "data": {"file": "applicants.csv", "sha256": "ab" * 32, "rows": 1500,
                 "bad_rate": 0.084, "target": "bad", "bad": "1",
                 "excluded": ["application_id"], "protected": ["gender"]},
        "currency": "CNY", "features": [{"name": "monthly_income", "kind": "numeric"}],
        "seed": 0, "training_seconds": 12.5, "libraries": {"lightgbm": "4.5.0"},
        "card": {"name": "default", "primary": "champion", "reason_method": "points",
                 "calibration_method": "isotonic",
                 "metrics": {"auc": 0.78, "gini": 0.56, "ks": 0.42, "brier": 0.071,
                             "brier_raw": 0.072, "rows": 1500, "bad_rate": 0.084,
                             "candidate_auc": {"champion": 0.78}},
                 "features": [], "scaling": {}, "grades": {"upper_pd": [], "grades": []},
                 "psi_baseline": {"edges": [], "shares": [1.0]}, "top_features": []},
        "trained_at": "2026-11-28T09:30:00+00:00", "artifact_sha256": "cd" * 32, "version": 1,
    }]})  # fmt: skip
    data: ModelData
    currency: str = Field(description="Of the amount features; CNY for a version from "
                          "before the registry recorded it")  # fmt: skip
    features: list[ModelFeature]
    seed: int
    training_seconds: float
    libraries: dict[str, str] = Field(description="Library -> version trained with, or absent")
    card: ModelCard
    trained_at: str = Field(description="ISO 8601 date and time")
    artifact_sha256: str
    version: int
