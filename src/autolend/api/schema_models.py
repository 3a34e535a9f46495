"""Bodies of the credit-model endpoints (``/api/v1/models``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# An application to score: one value per model feature (``null`` = missing); the model names
# the first absent or malformed feature in a 422 ``field``.
ApplicationValue = str | int | float | bool | None
Application = dict[str, ApplicationValue]


class ModelSummary(BaseModel):
    name: str
    version: int
    trained_at: str | None
    primary: str
    reason_method: str
    auc: float
    ks: float
    rows: int
    bad_rate: float
    latest: bool
    currency: str  # of the amount features (income, debts, price); CNY before it was kept


class ReasonResponse(BaseModel):
    code: str
    feature: str
    text_en: str
    text_zh: str
    points_lost: float | None = None
    shap_value: float | None = None


class ScoreResponse(BaseModel):
    pd: float
    score: int
    grade: str
    reasons: list[ReasonResponse]
    reason_method: str
    model_version: str


# ``GET /models/{name}``: the registry metadata; the card's curves and bin tables (tens of
# kilobytes) only with ``?curves=true``.
CARD_CURVES = ("roc", "ks_curve", "reliability", "score_distribution", "bins")


def without_curves(metadata: dict[str, Any]) -> dict[str, Any]:
    card = {k: v for k, v in metadata["card"].items() if k not in CARD_CURVES}
    return {**metadata, "card": card}
