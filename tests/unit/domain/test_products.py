"""Products are validated against their regulation pack naming the field; versions are
picked by date; the JSON form round-trips and names the field it refuses."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee, FeeKind
from autolend.domain.money import Money
from autolend.domain.product_catalogue import (
    BALLOON,
    DEMO_HISTORY,
    DEMO_PRODUCTS,
    NEV_GREEN,
    NEV_GREEN_2025,
    OEM_ZERO,
    SENIOR_INSURED,
    STANDARD_NEW,
    USED_CAR,
)
from autolend.domain.product_codec import product_from_dict, product_to_dict
from autolend.domain.product_versions import plan_publish, product_at
from autolend.domain.products import Eligibility, ProductSubsidy

D = Decimal
TODAY = date(2026, 11, 28)


def refused(field: str, **changes: Any) -> None:
    base = changes.pop("base", STANDARD_NEW)
    with pytest.raises(InvalidInput) as caught:
        replace(base, **changes)
    assert caught.value.field == field, caught.value.message


def test_the_demo_catalogue_holds_the_eight_products_of_the_brief() -> None:
    assert len(DEMO_PRODUCTS) == 8
    assert all(p.pack == "CN" and p.currency == "CNY" for p in DEMO_PRODUCTS)
    assert USED_CAR.terms[-1] == 36 and USED_CAR.max_ltv_used == D("0.70")
    assert BALLOON.method.value == "balloon" and BALLOON.balloon_ratio == D("0.30")
    assert OEM_ZERO.subsidy is not None and OEM_ZERO.subsidy.customer_rate == 0
    assert SENIOR_INSURED.credit_insurance_required


def test_a_minimum_rate_above_the_maximum_is_refused_naming_rate_min() -> None:
    refused("rate_min", rate_min=D("0.10"))


def test_a_maximum_rate_above_the_cost_ceiling_is_refused_naming_rate_max() -> None:
    refused("rate_max", rate_max=D("0.25"))


def test_a_rate_whose_apr_with_the_fees_breaks_the_ceiling_is_refused_naming_rate_max() -> None:
    # 23 % on its own is under 24 %, but the fees on 30,000.00 over 12 months push it over.
    refused("rate_max", rate_max=D("0.23"))
    assert replace(STANDARD_NEW, rate_max=D("0.23"), fees=()).rate_max == D("0.23")


def test_a_term_above_the_pack_cap_is_refused_naming_terms() -> None:
    refused("terms", terms=(12, 24, 36, 48, 60, 72))
    refused("terms", base=USED_CAR, terms=(12, 24, 36, 48))
    refused("terms", terms=(24, 12))


def test_an_ltv_above_the_pack_cap_is_refused_naming_the_field() -> None:
    refused("max_ltv_used", base=USED_CAR, max_ltv_used=D("0.75"))
    # Before 2024-04 a new ICE car was capped at 80 % (85 % for a NEV).
    refused("max_ltv_new", effective_from=date(2023, 1, 1), max_ltv_new=D("0.85"))
    early_nev = replace(NEV_GREEN, effective_from=date(2023, 1, 1), subsidy=None)
    assert early_nev.max_ltv_new == D("0.85")


def test_a_penalty_uplift_outside_the_pack_range_is_refused() -> None:
    refused("penalty_uplift", penalty_uplift=D("0.6"))
    refused("penalty_uplift", penalty_uplift=D("0.2"))


def test_method_settings_must_match_the_method() -> None:
    refused("balloon_ratio", base=BALLOON, balloon_ratio=None)
    refused("balloon_ratio", balloon_ratio=D("0.3"))
    refused("step_weights", method="step")


def test_required_credit_insurance_needs_its_fee() -> None:
    refused("fees", base=SENIOR_INSURED, fees=())


def test_other_bad_values_name_their_field() -> None:
    refused("currency", currency="USD")
    refused("code", code="std new")
    refused("code", code="P" * 33)  # a loan and an application name it in 32 characters
    refused("effective_to", effective_to=date(2025, 1, 1))
    refused("min_amount", min_amount=Money.parse("900000", "CNY"))
    refused("waterfall", waterfall="interest_last")
    refused("prepayment_fee_rate", prepayment_fee_rate=D("0.02"), prepayment_fee_rule="none")
    refused("subsidy.customer_rate", subsidy=ProductSubsidy(subsidiser="oem",
                                                            customer_rate=D("0.05")))  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        Eligibility(min_age=30, max_age=25)
    assert caught.value.field == "max_age"


def test_the_version_in_force_is_picked_by_date() -> None:
    assert product_at(DEMO_HISTORY, date(2026, 8, 31)) == NEV_GREEN_2025
    assert product_at([NEV_GREEN_2025, NEV_GREEN], date(2026, 9, 1)) == NEV_GREEN
    assert product_at([NEV_GREEN_2025, NEV_GREEN], date(2025, 12, 31)) is None
    ended = replace(STANDARD_NEW, effective_to=date(2026, 6, 30))
    assert product_at([ended], date(2026, 7, 1)) is None


def test_publishing_numbers_the_version_and_ends_the_previous_one_the_day_before() -> None:
    new = replace(STANDARD_NEW, effective_from=date(2026, 12, 1), rate_min=D("0.035"))
    plan = plan_publish([STANDARD_NEW], new, today=TODAY)
    assert plan.product.version == 2 and plan.closes == (1, date(2026, 11, 30))
    first = plan_publish([], STANDARD_NEW, today=date(2026, 1, 1))
    assert first.product.version == 1 and first.closes is None


def test_publishing_never_rewrites_the_past() -> None:
    for day in (TODAY, date(2026, 6, 1)):
        with pytest.raises(InvalidInput) as caught:
            plan_publish([STANDARD_NEW], replace(STANDARD_NEW, effective_from=day), today=TODAY)
        assert caught.value.field == "effective_from"
    with pytest.raises(InvalidInput):
        plan_publish([], STANDARD_NEW, today=TODAY)
    assert plan_publish([], STANDARD_NEW, today=TODAY, backfill=True).product.version == 1


def test_a_version_must_start_after_the_latest_one_even_when_backfilling() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_publish([NEV_GREEN], NEV_GREEN_2025, today=TODAY, backfill=True)
    assert caught.value.field == "effective_from"


def test_a_version_already_ended_earlier_is_left_as_it_is() -> None:
    ended = replace(STANDARD_NEW, effective_to=date(2026, 3, 31))
    plan = plan_publish(
        [ended], replace(STANDARD_NEW, effective_from=date(2027, 1, 1)), today=TODAY
    )
    assert plan.closes is None


@pytest.mark.parametrize("product", DEMO_HISTORY, ids=lambda p: f"{p.code}@{p.version}")
def test_every_demo_product_round_trips_through_json(product: Any) -> None:
    text = json.dumps(product_to_dict(product))
    assert product_from_dict(json.loads(text)) == product


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate_min": "x"}, "rate_min"),
        ({"rate_min": "0.2"}, "rate_min"),
        ({"surprise": 1}, "surprise"),
        ({"terms": "12"}, "terms"),
        ({"terms": [12, "24"]}, "terms.1"),
        ({"effective_from": "2026-13-01"}, "effective_from"),
        ({"min_amount": "1.001"}, "min_amount"),
        ({"eligibility": {"max_dsr": "lots"}}, "eligibility.max_dsr"),
        ({"eligibility": {"conditions": ["flying"]}}, "eligibility.conditions"),
        ({"eligibility": {"max_dsr": "0"}}, "eligibility.max_dsr"),
        ({"fees": [{"kind": "gps"}]}, "fees.0.amount"),
        ({"fees": [{"kind": "gps", "amount": "1", "timing": "weekly"}]}, "fees.0.timing"),
        ({"subsidy": {"subsidiser": "oem", "customer_rate": "2"}}, "subsidy.customer_rate"),
        ({"fees": [{"kind": "gps", "amount": 12.5}]}, "fees.0.amount"),
        ({"subsidy": {"customer_rate": "0"}}, "subsidy.subsidiser"),
        ({"credit_insurance_required": "yes"}, "credit_insurance_required"),
        ({"late_fee": {"amount": "0.00"}}, "late_fee.amount"),
        ({"late_fee": {"amount": "50.00", "after_days": 0}}, "late_fee.after_days"),
        ({"late_fee": {"amount": "50.00", "after_days": "15"}}, "late_fee.after_days"),
        ({"late_fee": {"after_days": 15}}, "late_fee.amount"),
        ({"fees": {}}, "fees"),  # an empty object read as no fees
        ({"fees": "gps"}, "fees"),
    ],
)
def test_bad_json_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    data = {**product_to_dict(STANDARD_NEW), **change}
    with pytest.raises(InvalidInput) as caught:
        product_from_dict(data)
    assert caught.value.field == field, caught.value.message


def test_a_missing_required_key_is_named() -> None:
    data = product_to_dict(STANDARD_NEW)
    del data["rate_max"]
    with pytest.raises(InvalidInput) as caught:
        product_from_dict(data)
    assert caught.value.field == "rate_max"


def test_fees_read_back_as_fees() -> None:
    data = product_to_dict(BALLOON)
    assert product_from_dict(data).fees[1] == Fee(
        kind=FeeKind.GPS, amount=Money.parse("1500", "CNY"), financed=True
    )


def test_a_late_fee_round_trips_and_gives_the_servicing_rule_in_minor_units() -> None:
    from autolend.domain.servicing import LateFeeRule

    data = {**product_to_dict(USED_CAR), "late_fee": {"amount": "50.00", "after_days": 10}}
    product = product_from_dict(data)
    assert product_from_dict(json.loads(json.dumps(product_to_dict(product)))) == product
    assert product.late_fee is not None
    assert product.late_fee.rule == LateFeeRule(5_000, 10)
