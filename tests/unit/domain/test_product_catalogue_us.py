"""The US demo catalogue: US pack, dollars, within the pack's caps, and each product takes
a plausible US deal at its longest term, its minimum down payment and its top rate (the
CN catalogue's products refuse a term above 60 months, so a US deal needs these)."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from autolend.domain import product_catalogue_us
from autolend.domain.money import Money
from autolend.domain.product_caps import ltv_cap
from autolend.domain.product_catalogue_us import US_DEMO_PRODUCTS, US_NEW_AUTO, US_USED_AUTO
from autolend.domain.product_rules import ProductRequest, check_request
from autolend.domain.products import Employment, Energy, Product, VehicleCondition
from autolend.domain.regulation import pack_for
from autolend.domain.regulation.packs import US_PACK

ON = date(2026, 11, 28)


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(product_catalogue_us).failed == 0


@pytest.mark.parametrize("product", US_DEMO_PRODUCTS, ids=lambda p: p.code)
def test_each_us_product_is_in_dollars_under_the_us_pack_without_penalty_interest(
    product: Product,
) -> None:
    assert (product.pack, product.currency) == ("US", "USD")
    assert product.penalty_uplift == 0 and product.prepayment_fee_rate == 0
    assert product.late_fee is not None and product.late_fee.amount.currency.code == "USD"
    assert product.eligibility.max_age is None and product.eligibility.max_age_at_maturity is None
    limits = US_PACK.term_limits_on(ON)
    used = VehicleCondition.USED in product.eligibility.conditions
    assert product.terms[-1] <= (limits.used_car_months if used else limits.new_car_months)
    for condition in product.eligibility.conditions:
        cap = product.max_ltv_used if used else product.max_ltv_new
        for energy in product.eligibility.energies:
            assert cap <= ltv_cap("US", condition, energy, ON)


@pytest.mark.parametrize("product", US_DEMO_PRODUCTS, ids=lambda p: p.code)
def test_each_us_product_takes_a_deal_at_its_longest_term_least_down_and_top_rate(
    product: Product,
) -> None:
    condition = product.eligibility.conditions[0]
    price = Money.parse("36000.00", "USD")
    down = Money.of_minor(int(price.minor * product.min_down_payment_ratio), "USD")
    request = ProductRequest(
        vehicle_price=price, down_payment=down, term_months=product.terms[-1],
        condition=condition, energy=Energy.ICE, birth_date=date(1961, 3, 1),
        employment=Employment.RETIRED,
        monthly_income=Money.parse("9000.00", "USD"), annual_rate=product.rate_max,
    )  # fmt: skip
    assert check_request(product, request, ON) == []


def test_the_new_car_loan_goes_to_84_months_and_the_used_car_loan_to_72() -> None:
    assert (US_NEW_AUTO.terms[-1], US_USED_AUTO.terms[-1]) == (
        pack_for("US").term_limits_on(ON).new_car_months,
        pack_for("US").term_limits_on(ON).used_car_months,
    )
