"""The Chinese texts of a decision state an amount in its own currency: yuan for CNY,
dollars for USD (a US application's review reason said "…元")."""

from __future__ import annotations

from dataclasses import replace

from autolend.domain.decision import decide
from autolend.domain.decision_rules import zh_amount
from autolend.domain.money import Money
from tests.unit.domain.test_us_adverse_action import US_NEW, facts, policy


def test_an_amount_is_said_in_chinese_in_its_own_currency() -> None:
    assert zh_amount(Money.parse("5000", "CNY")) == "5000.00元"
    assert zh_amount(Money.parse("5000", "USD")) == "5000.00美元"


def test_a_usd_application_above_the_review_amount_is_referred_in_dollars() -> None:
    limit = Money.parse("1000", "USD")  # below any application of the test's product
    rules = replace(policy(US_NEW).in_currency("USD"), refer_amount_above=limit)
    decision = decide(facts(US_NEW, pd="0.01"), rules)
    (hit,) = [h for h in decision.rule_hits if h.rule == "amount_needs_review"]
    assert hit.message_zh == "贷款金额超过1000.00美元，需人工审核"
    assert hit.message_en == "Loans above 1000.00 are reviewed by a person"
