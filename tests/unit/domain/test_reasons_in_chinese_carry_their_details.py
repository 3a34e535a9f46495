"""A broken product rule says in Chinese what it says in English: the figures that make
it (found walking the pages: en "(age 66, allowed 18-60)", "(DSR 60% > 50%)", "(offered:
12, 24, 36)", "(loan-to-value at most 70%; ... 75.26%)"; zh only "申请人年龄不符合产品
要求"), and a case with no bureau-query consent tells a Chinese reader that no consent
was given, not that the report is merely delayed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.bureau_unavailable import NO_BUREAU_CONSENT
from autolend.domain.decision_rules import bureau_unavailable_hit, violation_hit
from autolend.domain.money import Money
from autolend.domain.product_catalogue import (
    DEMO_PRODUCTS,
    NEV_GREEN_2025,
    STANDARD_NEW,
    USED_CAR,
)
from autolend.domain.product_rules import ProductRequest, Violation, check_request
from autolend.domain.products import Employment, Energy, VehicleCondition

AS_OF = date(2026, 11, 28)
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


BASE = ProductRequest(
    vehicle_price=cny("100000"), down_payment=cny("20000"), term_months=48,
    condition=VehicleCondition.USED, energy=Energy.ICE, birth_date=date(1960, 1, 1),
    employment=Employment.RETIRED,
    monthly_income=cny("3000"), monthly_obligations=cny("2000"), annual_rate=Decimal("0.5"),
)  # fmt: skip
"""Used, 48 months, 20 % down, 66 years old, retired, a DSR far above the cap, 50 %."""


def every_violation() -> list[Violation]:
    found = [v for p in DEMO_PRODUCTS for v in check_request(p, BASE, AS_OF)]
    new = replace(BASE, condition=VehicleCondition.NEW, energy=Energy.NEV, monthly_income=None)
    found += check_request(STANDARD_NEW, new, AS_OF)
    found += check_request(NEV_GREEN_2025, replace(BASE, amount=cny("90000")), AS_OF)
    return found


def test_the_requests_here_break_every_rule_a_product_has() -> None:
    rules = {v.rule for v in every_violation()}
    assert rules >= {
        "not_in_force", "condition_not_allowed", "term_not_offered", "term_above_cap",
        "down_payment_too_low", "amount_above_price", "ltv_above_cap", "age_at_application",
        "age_at_maturity", "employment_not_allowed", "income_required", "dsr_above_cap",
        "rate_out_of_range", "first_time_buyer_only", "energy_not_allowed",
    }  # fmt: skip


@pytest.mark.parametrize("violation", every_violation(), ids=lambda v: v.rule)
def test_each_broken_rule_gives_its_figures_in_chinese_as_in_english(
    violation: Violation,
) -> None:
    hit = violation_hit(violation)
    assert violation.message_zh, violation
    assert hit.message_zh.endswith(f"（{violation.message_zh}）")
    assert not re.search(r"[a-z]{3,}", violation.message_zh), violation.message_zh
    assert set(NUMBER.findall(violation.message)) <= set(NUMBER.findall(violation.message_zh))


def test_the_chinese_of_the_walkthroughs_cases_reads_in_full() -> None:
    said = {v.rule: violation_hit(v).message_zh for v in check_request(USED_CAR, BASE, AS_OF)}
    assert said["term_not_offered"] == "所申请的期限不在产品范围内（可选期限：12、24、36 个月）"
    assert said["age_at_application"].endswith("（年龄 66 岁，允许 18-60 岁）")
    assert said["dsr_above_cap"].startswith("月还款额相对家庭收入过高（债务收入比 ")
    assert "贷款价值比最高 70%；计入融资费用后为" in said["ltv_above_cap"]


def test_a_case_without_a_bureau_query_consent_says_so_in_chinese_too() -> None:
    hit = bureau_unavailable_hit(NO_BUREAU_CONSENT)
    assert "未授权查询征信" in hit.message_zh and "暂未取得" not in hit.message_zh
    assert NO_BUREAU_CONSENT in hit.message_en
    failed = bureau_unavailable_hit("the credit bureau refused the query (HTTP 400)")
    assert failed.message_zh == "暂未取得征信报告，将转人工审核（征信机构拒绝了查询）"
