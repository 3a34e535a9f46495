"""Reason codes: order, limits, faithfulness to the method, and the bilingual catalogue."""

from __future__ import annotations

import re

import pytest

from autolend.risk.reasons import explain, scorecard_reasons, shap_reasons

SYNTHETIC = (
    "age",
    "monthly_income",
    "income_stability_months",
    "employment_type",
    "existing_debt_payments",
    "debt_service_ratio",
    "bureau_delinquencies_24m",
    "bureau_inquiries_6m",
    "credit_utilisation",
    "down_payment_ratio",
    "ltv",
    "term_months",
    "vehicle_condition",
    "vehicle_energy",
    "vehicle_price",
    "dealer_id",
    "city_tier",
    "first_time_buyer",
)
GERMAN = (
    "status.of.existing.checking.account",
    "duration.in.month",
    "credit.history",
    "purpose",
    "credit.amount",
    "savings.account.and.bonds",
    "present.employment.since",
    "installment.rate.in.percentage.of.disposable.income",
    "personal.status.and.sex",
    "other.debtors.or.guarantors",
    "present.residence.since",
    "property",
    "age.in.years",
    "other.installment.plans",
    "housing",
    "number.of.existing.credits.at.this.bank",
    "job",
    "number.of.people.being.liable.to.provide.maintenance.for",
    "telephone",
    "foreign.worker",
)


def test_the_first_reason_names_the_feature_that_lost_the_most_points() -> None:
    features = ("ltv", "monthly_income", "term_months", "age", "dealer_id", "city_tier")
    reasons = scorecard_reasons(features, [5.0, 31.5, 0.0, 12.25, 3.0, 7.0])
    assert [r.feature for r in reasons] == ["monthly_income", "age", "city_tier", "ltv"]
    assert [r.points_lost for r in reasons] == [31.5, 12.25, 7.0, 5.0]
    assert all(r.shap_value is None for r in reasons)


def test_features_in_their_best_bin_are_never_reasons() -> None:
    assert scorecard_reasons(("ltv", "age"), [0.0, 0.0]) == ()
    assert [r.feature for r in scorecard_reasons(("ltv", "age"), [0.0, 2.0])] == ["age"]


def test_shap_reasons_are_the_largest_adverse_contributions_only() -> None:
    features = ("ltv", "monthly_income", "term_months", "age", "dealer_id")
    reasons = shap_reasons(features, [0.4, -0.9, 0.05, 0.7, 0.1])
    assert [r.feature for r in reasons] == ["age", "ltv", "dealer_id", "term_months"]
    assert reasons[0].shap_value == 0.7 and reasons[0].points_lost is None


def test_debt_service_reads_as_plain_language_in_both_languages() -> None:
    text = explain("debt_service_ratio")
    assert text.code == "DEBT_SERVICE_RATIO"
    assert text.text_en == "monthly debt payments are high compared with income"
    assert text.text_zh == "每月债务还款额相对收入偏高"


@pytest.mark.parametrize("feature", SYNTHETIC + GERMAN)
def test_every_known_feature_has_its_own_sentence_in_both_languages(feature: str) -> None:
    text = explain(feature)
    assert "favourable than for most" not in text.text_en  # not the generic sentence
    assert text.text_zh and "不如大多数" not in text.text_zh
    assert "score" not in text.text_en


def test_dotted_and_underscored_german_names_share_a_code_and_text() -> None:
    assert explain("credit.amount") == explain("credit_amount")


def test_an_unknown_feature_gets_a_sentence_that_names_it() -> None:
    text = explain("years_at_bank")
    assert text.code == "YEARS_AT_BANK"
    assert "years_at_bank" in text.text_en and "years_at_bank" in text.text_zh
    assert "score too low" not in text.text_en


def test_chinese_feature_names_get_codes_of_their_own() -> None:
    reasons = scorecard_reasons(("月收入", "负债收入比", "贷款价值比"), [3.0, 9.0, 5.0])
    assert [r.code for r in reasons] == ["负债收入比", "贷款价值比", "月收入"]
    assert explain("首付 比例(%)").code == "首付_比例"


def test_names_without_a_letter_or_digit_get_distinct_stable_codes() -> None:
    codes = {explain(name).code for name in ("%", "—", "?!")}
    assert len(codes) == 3 and all(re.fullmatch(r"FEATURE_[0-9A-F]{8}", c) for c in codes)
    assert explain("%").code == explain(" % ").code == "FEATURE_BBF3F11C"


@pytest.mark.parametrize("feature", SYNTHETIC + GERMAN)
def test_the_codes_of_ascii_names_are_unchanged(feature: str) -> None:
    # The old rule, kept for every ASCII name: reason codes already stored must still match.
    assert explain(feature).code == re.sub(r"[^0-9a-z]+", "_", feature.lower()).strip("_").upper()
