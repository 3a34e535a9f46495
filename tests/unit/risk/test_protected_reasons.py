"""A protected attribute is never a reason, whichever the method: the next feature moves up."""

from __future__ import annotations

from autolend.risk.reasons import scorecard_reasons, shap_reasons

FEATURES = ("personal_status_and_sex", "Foreign.Worker", "age_in_years", "credit_amount")


def test_sex_marital_status_and_foreign_worker_status_are_never_scorecard_reasons() -> None:
    reasons = scorecard_reasons(FEATURES, [30.0, 25.0, 10.0, 5.0])
    assert [r.code for r in reasons] == ["AGE_IN_YEARS", "CREDIT_AMOUNT"]


def test_sex_marital_status_and_foreign_worker_status_are_never_shap_reasons() -> None:
    reasons = shap_reasons(FEATURES, [0.9, 0.8, 0.1, 0.05])
    assert [r.code for r in reasons] == ["AGE_IN_YEARS", "CREDIT_AMOUNT"]
