"""The texts of a decision state an amount in its own currency (yuan for CNY, dollars for
USD: a US application's review reason said "…元") with its digits grouped in threes, in
both languages: "首付提高至171000.00元" was hard to tell from 17,100.00 at a glance."""

from __future__ import annotations

import doctest
import re
from dataclasses import replace

from autolend.domain import decision_rules
from autolend.domain.decision import decide
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.decision_rules import grouped, zh_amount
from autolend.domain.money import Money
from autolend.domain.product_catalogue import USED_CAR
from tests.unit.domain.test_decision import application
from tests.unit.domain.test_decision import facts as cn_facts
from tests.unit.domain.test_us_adverse_action import US_NEW, facts, policy


def test_an_amount_is_said_in_chinese_in_its_own_currency_grouped_in_threes() -> None:
    assert zh_amount(Money.parse("171000", "CNY")) == "171,000.00元"
    assert zh_amount(Money.parse("5000", "USD")) == "5,000.00美元"
    assert zh_amount(Money.parse("999.5", "CNY")) == "999.50元"


def test_grouping_keeps_the_sign_and_the_decimals_of_the_currency() -> None:
    assert grouped(Money.parse("-1234567.05", "CNY")) == "-1,234,567.05"
    assert grouped(Money.of_minor(-5, "CNY")) == "-0.05"
    assert grouped(Money.of_minor(1234567, "JPY")) == "1,234,567"


def test_a_usd_application_above_the_review_amount_is_referred_in_dollars() -> None:
    limit = Money.parse("1000", "USD")  # below any application of the test's product
    rules = replace(policy(US_NEW).in_currency("USD"), refer_amount_above=limit)
    decision = decide(facts(US_NEW, pd="0.01"), rules)
    (hit,) = [h for h in decision.rule_hits if h.rule == "amount_needs_review"]
    assert hit.message_zh == "贷款金额超过1,000.00美元，需人工审核"
    assert hit.message_en == "Loans above 1,000.00 are reviewed by a person"


def test_a_larger_down_payment_counter_offer_groups_its_amount_in_both_languages() -> None:
    app = application(condition="used", price="100000.00", down="20000.00")
    decision = decide(cn_facts(app, product=USED_CAR), DEFAULT_POLICY)
    offer = next(o for o in decision.counter_offers if o.kind == "larger_down_payment")
    assert offer.down_payment is not None
    shown = grouped(offer.down_payment)
    assert re.fullmatch(r"\d{1,3}(,\d{3})+\.\d\d", shown), shown
    assert offer.text_zh == f"首付提高至{shown}元即可获批"
    assert offer.text_en == f"A down payment of {shown} would qualify"


def test_a_lower_amount_counter_offer_groups_its_amount_in_both_languages() -> None:
    decision = decide(cn_facts(application(income="9000.00")), DEFAULT_POLICY)
    lower = next(o for o in decision.counter_offers if o.kind == "lower_amount")
    assert lower.amount is not None
    shown = grouped(lower.amount)
    assert "," in shown
    assert lower.text_zh == f"贷款金额调整为{shown}元即可获批"
    assert lower.text_en == f"A loan of {shown} would qualify"


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(decision_rules).failed == 0
