"""Reason codes: order, limits, faithfulness to the method, the bilingual catalogue, and no
reason (and no score) from a feature about someone other than the applicant: the dealer."""

from __future__ import annotations

import pickle
import re
from functools import cache

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.risk.challenger import ChallengerSettings
from autolend.risk.dataset import FeatureKind, TrainingData, training_data
from autolend.risk.model import CreditModel, train_model
from autolend.risk.reasons import explain, scorecard_reasons, shap_reasons
from autolend.risk.synth import synthetic_applicants
from autolend.services import demo_models

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


@pytest.mark.parametrize("column", ["dealer_id", "Dealer ID", "dealer.code", "DEALER"])
def test_a_column_about_the_dealer_is_left_out_of_training_with_a_note_saying_why(
    column: str,
) -> None:
    frame = pandas.DataFrame(
        {"ltv": [0.6, 0.9, 0.7, 0.8] * 5, column: ["D001", "D002"] * 10, "bad": [0, 1] * 10}
    )
    data = training_data(frame, "bad", 1)
    assert list(data.kinds) == ["ltv"]
    [note] = data.notes
    assert (note.column, note.code, note.left_out) == (column, "not_about_the_applicant", True)
    assert note.text.startswith(f"{column}: left out, it describes the dealer, not the applicant")


def test_a_model_trained_with_the_dealer_before_the_rule_still_loads_and_explains_it() -> None:
    # Its reasons must stay the factors that moved its scores, in the catalogue's words.
    rng = np.random.default_rng(2)
    rows = 800
    ltv, dealer = rng.uniform(0.4, 1.0, rows), rng.choice(["D001", "D007"], rows)
    logit = -2.0 + 2.0 * (ltv - 0.7) + 1.5 * (dealer == "D007")
    bad = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    features = pandas.DataFrame({"ltv": ltv, "dealer_id": dealer.astype(object)})
    kinds: dict[str, FeatureKind] = {"ltv": "numeric", "dealer_id": "categorical"}
    before = TrainingData(features, bad, kinds)  # as training_data read it before the rule
    settings = ChallengerSettings(max_trees=40, early_stopping=10, inner_folds=3)
    old = train_model(before, name="old", seed=1, folds=3, challenger=settings)
    loaded = pickle.loads(pickle.dumps(old, protocol=5))  # our own artifact, as the registry
    result = loaded.score({"ltv": 0.7, "dealer_id": "D007"})
    [reason] = [r for r in result.reasons if r.feature == "dealer_id"]
    assert (reason.code, reason.text_en) == ("DEALER_ID", explain("dealer_id").text_en)
    assert reason.text_zh == "该经销商渠道的贷款表现较差"


@cache
def _demo_model() -> tuple[CreditModel, pandas.DataFrame, TrainingData]:
    """The demo's ``default`` model: its rows, seed, columns left out and light settings."""
    applicants = synthetic_applicants(
        demo_models.TRAIN_ROWS, demo_models.TRAIN_SEED, as_of_month=demo_models.TRAIN_AS_OF
    )
    frame = applicants.drop(columns=[*demo_models.LEFT_OUT, *demo_models.PROTECTED])
    data = training_data(frame, "bad", None)
    settings = ChallengerSettings(max_trees=300, early_stopping=30, inner_folds=3)
    model = train_model(data, name="default", seed=0, folds=3, challenger=settings)
    return model, frame.drop(columns="bad"), data


def test_the_demo_models_reasons_never_name_the_dealer_an_applicant_bought_from() -> None:
    model, applicants, data = _demo_model()
    assert "dealer_id" not in model.features
    assert [n.column for n in data.notes if n.code == "not_about_the_applicant"] == ["dealer_id"]
    scored = model.score_batch(applicants)
    codes = set(scored[[f"reason_{k}" for k in range(1, 5)]].to_numpy().ravel())
    assert "DEALER_ID" not in codes and {"DEBT_SERVICE_RATIO", "LTV"} <= codes
    # One application as the decision service sends it, dealer and all, scores as before.
    row = {k: (None if pandas.isna(v) else v) for k, v in applicants.iloc[0].items()}
    assert model.score(row).pd == pytest.approx(float(scored["pd"].iloc[0]))


def test_a_reason_for_a_value_not_given_keeps_its_code_and_says_it_was_not_given() -> None:
    features = ("credit_utilisation",)
    given = scorecard_reasons(features, [9.0])[0]
    absent = scorecard_reasons(features, [9.0], missing={"credit_utilisation"})[0]
    assert given.text_en == "a high share of available credit limits is in use"
    assert absent.code == given.code == "CREDIT_UTILISATION"
    # the feature in words, not its column (every web application read "未提供
    # income_stability_months 的信息", found walking the pages)
    assert absent.text_en == "no information was given on the share of credit limits in use"
    assert absent.text_zh == "未提供信用额度使用率的信息"
    assert "偏高" not in absent.text_zh and "_" not in absent.text_en
    stable = scorecard_reasons(
        ("income_stability_months",), [5.0], missing={"income_stability_months"}
    )
    assert stable[0].text_zh == "未提供收入稳定时长的信息"
    other = scorecard_reasons(("Foo_Bar",), [5.0], missing={"Foo_Bar"})[0]
    assert other.text_en == "no information was given on Foo Bar"
