"""A minor declined under the US pack is told why: Reg B 1002.6(b)(2)(i) lets a creditor
consider age to learn whether the applicant can contract, and 1002.9 wants the principal
reason stated, so the notice says the applicant has not reached the age of majority,
in English and Chinese, without their age. Any other age reason stays unstated under US;
CN declines a minor for the product's age range as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.adverse_notice import UNDER_AGE_OF_MAJORITY
from autolend.domain.decision import (
    Decision,
    DecisionFacts,
    FraudSignals,
    ModelScore,
    Outcome,
    decide,
)
from autolend.domain.decision_codec import decision_from_dict, decision_to_dict
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.eligibility import AGE_OF_MAJORITY
from autolend.domain.errors import InvalidInput
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.products import Eligibility, Product
from tests.unit.domain.test_us_adverse_action import AGE_AND_BASES, AS_OF, US_NEW, application
from tests.unit.domain.test_us_adverse_action import report as bureau_report

BORN_16_YEARS_AGO = date(AS_OF.year - 16, 6, 1)  # 16 on AS_OF
BORN_19_YEARS_AGO = date(AS_OF.year - 19, 6, 1)  # 19 on AS_OF


def decided(product: Product, born: date) -> Decision:
    """The decision of an applicant born on ``born`` whom the model would approve."""
    score = ModelScore(Decimal("0.01"), 700, "A", "default@3", "scorecard_points", AGE_AND_BASES)
    facts = DecisionFacts(
        application(product.currency, born=born), product, bureau_report(), None, score,
        FraudSignals(0, 0, False), AS_OF, product.pack,
    )  # fmt: skip
    return decide(facts, DEFAULT_POLICY)


def test_no_product_may_lend_below_the_age_of_majority() -> None:
    assert Eligibility().min_age == AGE_OF_MAJORITY
    with pytest.raises(InvalidInput) as caught:
        Eligibility(min_age=AGE_OF_MAJORITY - 1)
    assert caught.value.field == "min_age"  # the limit broken, not the one beside it
    assert caught.value.message == "min_age must be at least 18 (the age of majority)"


def test_a_us_minor_is_declined_for_lack_of_capacity_to_contract_stated_in_both_languages() -> None:
    decision = decided(US_NEW, BORN_16_YEARS_AGO)
    assert decision.outcome is Outcome.DECLINE
    notice = decision.adverse_action
    assert notice is not None
    codes = [r.code for r in notice.reasons]
    assert codes[0] == UNDER_AGE_OF_MAJORITY and "AGE" not in codes  # the model's stays out
    english, chinese = notice.text("en").splitlines(), notice.text("zh-CN").splitlines()
    assert english[3] == (
        "1. The applicant has not reached the age of majority (legal capacity to contract)"
    )
    assert chinese[3].startswith("1. 申请人未达到成年年龄")
    for text in (notice.text("en"), notice.text("zh-CN")):
        assert "16" not in text and "higher-risk group" not in text  # never the age itself


def test_the_capacity_hit_names_the_birth_date_and_survives_the_stored_form() -> None:
    decision = decided(US_NEW, BORN_16_YEARS_AGO)
    hits = [(h.rule, h.field, h.effect) for h in decision.rule_hits]
    assert hits == [(UNDER_AGE_OF_MAJORITY, "birth_date", "decline")]
    assert decision_from_dict(decision_to_dict(decision)) == decision


def test_a_us_adult_below_a_products_minimum_age_is_declined_with_no_age_reason() -> None:
    """A US product asking 21 declines a 19-year-old on age, which the notice never
    states: capacity is no reason for an adult (the model's age reason stays barred)."""
    over_21 = replace(US_NEW, eligibility=replace(US_NEW.eligibility, min_age=21))
    decision = decided(over_21, BORN_19_YEARS_AGO)
    assert decision.outcome is Outcome.DECLINE
    assert [h.rule for h in decision.rule_hits] == ["age_at_application"]
    assert decision.adverse_action is not None
    codes = {r.code for r in decision.adverse_action.reasons}
    assert codes == {"DEBT_SERVICE_RATIO", "LTV"}  # the model's other reasons only


def test_a_cn_minor_is_still_declined_for_the_products_age_range() -> None:
    decision = decided(STANDARD_NEW, BORN_16_YEARS_AGO)
    assert decision.adverse_action is not None
    said = {r.code: r.text_zh for r in decision.adverse_action.reasons}
    assert said["age_at_application"] == "申请人年龄不符合产品要求（年龄 16 岁，允许 18-60 岁）"
    assert UNDER_AGE_OF_MAJORITY not in said
