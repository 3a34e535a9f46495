"""No credit model for the application's currency: the decision refers the case to a person
with a reason that says so in both languages, and never treats it as a fact about the
applicant (a person's decline does not give it as a principal reason)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from autolend.domain.decision import Outcome, decide, no_model_hit
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.manual_review import declined_by_person
from tests.unit.domain.test_decision import facts

USD_EN = (
    "No credit model is registered for USD amounts, so the application was not scored; "
    "a person will review"
)
USD_ZH = "暂无适用于美元金额的信用评分模型，本申请未评分，将转人工审核"


def test_without_a_model_for_its_currency_the_case_is_referred_saying_so() -> None:
    decision = decide(replace(facts(no_score=True), no_model_for="USD"), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    [hit] = [h for h in decision.rule_hits if h.field == "score"]
    assert (hit.rule, hit.effect, hit.message_en, hit.message_zh) == (
        "no_model", "refer", USD_EN, USD_ZH,
    )  # fmt: skip
    assert [r.code for r in decision.reasons] == ["no_model"]
    assert decision.model_version is None and decision.pd is None


def test_the_yuan_model_missing_is_named_in_chinese_as_renminbi() -> None:
    hit = no_model_hit("CNY")
    assert hit.message_en.startswith("No credit model is registered for CNY amounts")
    assert hit.message_zh.startswith("暂无适用于人民币金额的信用评分模型")


def test_a_persons_decline_of_such_a_case_gives_no_reason_about_the_missing_model() -> None:
    referred = decide(replace(facts(no_score=True), no_model_for="USD"), DEFAULT_POLICY)
    declined = declined_by_person(referred, "income not verified", date(2026, 12, 1))
    assert declined.adverse_action is not None
    assert [r.code for r in declined.adverse_action.reasons] == ["manual_decline"]
