"""Each demo product accepts a typical request and refuses one that breaks each of its
caps, naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.money import Money, RoundingMode
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.product_catalogue import (
    DEMO_PRODUCTS,
    NEV_GREEN,
    OEM_ZERO,
    SENIOR_INSURED,
    STANDARD_NEW,
    USED_CAR,
    YOUNG_FIRST,
)
from autolend.domain.product_rules import (
    ProductRequest,
    age_on,
    check_request,
    loan_subsidy,
    subsidy_total,
)
from autolend.domain.products import Employment, Energy, Product, VehicleCondition
from autolend.domain.schedule import build_schedule
from autolend.services.product_terms import fee_rule, servicing_terms

AS_OF = date(2026, 11, 28)
IDS = [p.code for p in DEMO_PRODUCTS]
D45 = Decimal("0.045")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def born_aged(years: int) -> date:
    return date(AS_OF.year - years, 1, 1)


def typical(product: Product, **changes: object) -> ProductRequest:
    """A request the product accepts: 200,000.00 (100,000.00 used) with 10 points more
    than the minimum down payment, the middle term, a young enough applicant."""
    rules = product.eligibility
    condition = rules.conditions[0]
    price = cny("100000" if condition is VehicleCondition.USED else "200000")
    down = price.multiply(product.min_down_payment_ratio + Decimal("0.10"), RoundingMode.HALF_UP)
    request = ProductRequest(
        vehicle_price=price, down_payment=down, term_months=product.terms[len(product.terms) // 2],
        condition=condition, energy=rules.energies[0], birth_date=born_aged(rules.min_age + 2),
        employment=rules.employment[0], monthly_income=cny("50000"),
        first_time_buyer=rules.first_time_buyer_only,
    )  # fmt: skip
    return replace(request, **changes)  # type: ignore[arg-type]


def broken(product: Product, request: ProductRequest) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in check_request(product, request, AS_OF)}


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_each_demo_product_accepts_a_typical_request(product: Product) -> None:
    assert check_request(product, typical(product), AS_OF) == []


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_a_term_the_product_does_not_offer_is_refused_naming_the_term(product: Product) -> None:
    found = broken(product, typical(product, term_months=product.terms[-1] + 6))
    assert ("term_months", "term_not_offered") in found


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_a_term_above_the_pack_cap_is_refused_naming_the_term(product: Product) -> None:
    used = product.eligibility.conditions[0] is VehicleCondition.USED
    found = broken(product, typical(product, term_months=48 if used else 72))
    assert ("term_months", "term_above_cap") in found


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_a_down_payment_below_the_minimum_is_refused_naming_it(product: Product) -> None:
    request = typical(product)
    ratio = product.min_down_payment_ratio - Decimal("0.05")
    low = request.vehicle_price.multiply(ratio, RoundingMode.HALF_UP)
    assert ("down_payment", "down_payment_too_low") in broken(
        product, replace(request, down_payment=low)
    )


def test_a_small_down_payment_with_a_small_loan_is_judged_on_the_buyers_own_money() -> None:
    """200,000.00 asked as 10,000.00 down and 100,000.00 financed: the buyer pays 100,000.00
    themselves (50 %), above STD_NEW's 20 %; it was referred as "down payment too low" and
    countered with a larger loan. 10,000.00 down and 180,000.00 financed (10 % own) is
    still too low."""
    request = typical(STANDARD_NEW, down_payment=cny("10000"), amount=cny("100000"))
    assert broken(STANDARD_NEW, request) == set()
    too_little = replace(request, amount=cny("180000"))
    assert ("down_payment", "down_payment_too_low") in broken(STANDARD_NEW, too_little)


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_an_amount_above_the_ltv_cap_of_the_appraisal_is_refused_naming_the_amount(
    product: Product,
) -> None:
    request = typical(product)
    appraisal = Money(request.vehicle_price.minor // 2, request.vehicle_price.currency)
    found = broken(product, replace(request, reference_price=appraisal))
    assert ("amount", "ltv_above_cap") in found


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_an_amount_above_the_product_maximum_is_refused_naming_the_amount(
    product: Product,
) -> None:
    price = Money(product.max_amount.minor * 2, product.max_amount.currency)
    down = price.multiply(product.min_down_payment_ratio + Decimal("0.10"), RoundingMode.HALF_UP)
    found = broken(product, typical(product, vehicle_price=price, down_payment=down))
    assert ("amount", "amount_out_of_range") in found


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_an_applicant_too_old_at_application_is_refused_naming_the_birth_date(
    product: Product,
) -> None:
    assert product.eligibility.max_age is not None  # a CN product's: 60 unless it sets one
    old = born_aged(product.eligibility.max_age + 1)
    assert ("birth_date", "age_at_application") in broken(product, typical(product, birth_date=old))


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_an_applicant_too_young_is_refused_naming_the_birth_date(product: Product) -> None:
    young = born_aged(product.eligibility.min_age - 1)
    found = broken(product, typical(product, birth_date=young))
    assert ("birth_date", "age_at_application") in found


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_an_employment_type_the_product_excludes_is_refused_naming_it(product: Product) -> None:
    other = next(e for e in Employment if e not in product.eligibility.employment)
    assert ("employment", "employment_not_allowed") in broken(
        product, typical(product, employment=other)
    )


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_a_debt_service_ratio_above_the_cap_is_refused_naming_the_income(
    product: Product,
) -> None:
    found = broken(product, typical(product, monthly_income=cny("3000")))
    assert ("monthly_income", "dsr_above_cap") in found
    obliged = typical(product, monthly_obligations=cny("49000"))
    assert ("monthly_income", "dsr_above_cap") in broken(product, obliged)


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=IDS)
def test_a_rate_outside_the_product_range_is_refused_naming_the_rate(product: Product) -> None:
    high = typical(product, annual_rate=product.rate_max + Decimal("0.01"))
    assert ("annual_rate", "rate_out_of_range") in broken(product, high)
    assert check_request(product, typical(product, annual_rate=product.rate_min), AS_OF) == []


@pytest.mark.parametrize(
    "product",
    [p for p in DEMO_PRODUCTS if len(p.eligibility.conditions) == 1],
    ids=lambda p: p.code,
)
def test_a_vehicle_condition_the_product_excludes_is_refused_naming_it(product: Product) -> None:
    other = next(c for c in VehicleCondition if c not in product.eligibility.conditions)
    found = broken(product, typical(product, condition=other))
    assert ("condition", "condition_not_allowed") in found


def test_the_nev_green_loan_refuses_a_combustion_engine_car() -> None:
    assert ("energy", "energy_not_allowed") in broken(NEV_GREEN, typical(NEV_GREEN, energy="ice"))
    assert check_request(NEV_GREEN, typical(NEV_GREEN, energy=Energy.NEV), AS_OF) == []


def test_the_young_buyer_loan_is_for_first_time_buyers_with_ten_percent_down_over_60_months() -> (
    None
):
    request = typical(YOUNG_FIRST, term_months=60, down_payment=cny("20000"))
    assert check_request(YOUNG_FIRST, request, AS_OF) == []
    repeat = replace(request, first_time_buyer=False)
    assert ("first_time_buyer", "first_time_buyer_only") in broken(YOUNG_FIRST, repeat)


def test_the_used_car_loan_caps_ltv_at_70_percent_and_the_term_at_36_months() -> None:
    # 68,500.00 of the car + 1,500.00 of GPS financed = 70,000.00: exactly 70 % of 100,000.00.
    at_cap = typical(USED_CAR, down_payment=cny("31500"), term_months=36)
    assert check_request(USED_CAR, at_cap, AS_OF) == []
    over = replace(at_cap, down_payment=cny("31499.99"))
    assert ("amount", "ltv_above_cap") in broken(USED_CAR, over)
    assert ("term_months", "term_above_cap") in broken(USED_CAR, replace(at_cap, term_months=48))
    lower = replace(at_cap, reference_price=cny("90000"))
    assert ("amount", "ltv_above_cap") in broken(USED_CAR, lower)


def test_the_senior_loan_refuses_a_term_that_ends_after_age_72() -> None:
    seventy = typical(SENIOR_INSURED, birth_date=born_aged(70), term_months=24)
    assert check_request(SENIOR_INSURED, seventy, AS_OF) == []
    assert ("birth_date", "age_at_maturity") in broken(
        SENIOR_INSURED, replace(seventy, term_months=36)
    )


def test_the_zero_percent_promotion_judges_affordability_at_the_borrower_rate() -> None:
    tight = typical(OEM_ZERO, monthly_income=cny("7200"), term_months=36)
    # 126,000.00 over 36 months at 0 %: 3,500.00 a month, 48.6 % of 7,200.00 (cap 50 %).
    assert check_request(OEM_ZERO, tight, AS_OF) == []


def test_a_product_out_of_force_is_refused_naming_the_product() -> None:
    ended = replace(USED_CAR, effective_to=date(2026, 6, 30))
    assert ("product", "not_in_force") in broken(ended, typical(USED_CAR))


def test_age_counts_whole_years() -> None:
    assert age_on(date(1990, 6, 15), date(2026, 6, 14)) == 35
    assert age_on(date(1990, 6, 15), date(2026, 6, 15)) == 36


def test_a_zero_percent_promotion_books_the_makers_whole_subsidy() -> None:
    """The state plan's two caps are tested in ``test_subsidy_caps.py``."""
    request = OEM_ZERO.sample_request(cny("100000"), 12, Decimal("0.045"))
    subsidy = loan_subsidy(OEM_ZERO, D45, request.loan_terms().principal)
    schedule = build_schedule(replace(request, subsidy=subsidy).loan_terms())
    total = subsidy_total(OEM_ZERO, schedule)
    assert all(row.interest == 0 for row in schedule.rows)  # the borrower pays 0 %
    assert total is not None and total == schedule.total_subsidy and total.minor > 0


def test_a_product_gives_the_servicing_terms_a_booked_loan_carries() -> None:
    terms = servicing_terms(SENIOR_INSURED, cny("100000"))
    assert (terms.waterfall, terms.monthly_fees) == ("standard", (("insurance", 5000),))
    assert servicing_terms(USED_CAR, cny("70000")).waterfall == "non_performing"
    assert fee_rule(USED_CAR) == (PrepaymentFeeRule.WAIVED_TRADE_IN, Decimal("0.02"))


def test_at_the_minimum_down_payment_the_ltv_refusal_says_the_financed_fees_count() -> None:
    """20 % down on the standard new car loan with its GPS fee financed: the loan is above
    80 % of the price, which the bare "loan-to-value at most 80%" never explained to a
    dealer who typed no amount at all."""
    request = typical(STANDARD_NEW, down_payment=cny("40000"))  # 20 % of 200,000.00
    [ltv] = [v for v in check_request(STANDARD_NEW, request, AS_OF) if v.rule == "ltv_above_cap"]
    assert ltv.field == "amount"
    assert ltv.message.startswith("loan-to-value at most 80%; with its financed fees the loan is ")
    assert ltv.message.endswith("80.75%")  # (160,000.00 + 1,500.00 GPS) / 200,000.00
