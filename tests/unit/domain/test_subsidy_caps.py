"""The 2025 consumer-loan interest subsidy's two caps (NEV_GREEN_2025): the state pays
1 point a year on at most 50,000.00 of the loan (单笔5万元及以上的重点领域消费, 贴息上限为
5万元额度以内), and at most 3,000.00 to one borrower at this lender over all their loans
under the plan. The product stores both caps; old product bodies without the principal
cap read back as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.decision_rules import deal_request
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.product_catalogue import NEV_GREEN, NEV_GREEN_2025, OEM_ZERO
from autolend.domain.product_codec import product_from_dict, product_to_dict
from autolend.domain.product_rules import loan_subsidy, subsidy_total
from autolend.domain.products import Product, ProductSubsidy
from autolend.domain.quote import QuoteRequest
from autolend.domain.schedule import Method, build_schedule

START = date(2026, 1, 5)
R499 = Decimal("0.0499")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def deal(price: str, down: str, months: int, product: Product = NEV_GREEN_2025) -> QuoteRequest:
    """A deal at 4.99 % starting on 2026-01-05 (the plan's product has no fees)."""
    return deal_request(product, price=cny(price), down_payment=cny(down),
                        term_months=months, rate=R499, start=START)  # fmt: skip


def customer_rate(request: QuoteRequest) -> Decimal:
    assert request.subsidy is not None
    return request.subsidy.customer_rate


def test_the_state_plan_pays_one_point_on_only_fifty_thousand_of_a_larger_loan() -> None:
    """200,000.00 at 4.99 %: the base is 50,000.00 of it, a quarter, so the rate comes
    down by 1 % x 50,000 / 200,000 = 0.25 point: the borrower pays 4.74 %, not 3.99 %."""
    request = deal("240000", "40000", 36)
    assert request.loan_terms().principal == cny("200000")
    assert customer_rate(request) == Decimal("0.0474")


def test_a_loan_at_or_below_fifty_thousand_is_subsidised_on_all_of_it() -> None:
    """39,950.00 at 4.99 %: under the 50,000.00 cap, the whole loan takes the point:
    4.99 % - 1 % = 3.99 %."""
    request = deal("47000", "7050", 36)
    assert request.loan_terms().principal == cny("39950")
    assert customer_rate(request) == Decimal("0.0399")


def test_the_subsidy_is_one_point_on_the_capped_base_row_by_row() -> None:
    """200,000.00 at 4.99 % repaid in 3 equal principal instalments (a short loan, so
    every row can be checked by hand); borrower rate 4.74 %, a month 1/12 of a year. The
    subsidised base is a quarter of each opening balance:

    row 1: 200,000.00: 200,000.00 x 4.99 % / 12 = 831.666.. -> 831.67 at the contract
           rate, 200,000.00 x 4.74 % / 12 = 790.00 paid: the state pays 41.67
           (= 50,000.00 x 1 % / 12);
    row 2: 133,333.33: 554.444.. -> 554.44 less 526.666.. -> 526.67: 27.77
           (base 33,333.33 x 1 % / 12 = 27.78 before the two roundings);
    row 3: 66,666.66: 277.222.. -> 277.22 less 263.333.. -> 263.33: 13.89.

    In all 41.67 + 27.77 + 13.89 = 83.33; on the whole loan it would have been about
    four times as much (166.67 + 111.11 + 55.56 = 333.34)."""
    product = replace(NEV_GREEN_2025, method=Method.EQUAL_PRINCIPAL)
    schedule = build_schedule(deal("240000", "40000", 3, product).loan_terms())
    assert [r.opening_balance for r in schedule.rows] == [20_000_000, 13_333_333, 6_666_666]
    assert [r.subsidy_interest for r in schedule.rows] == [4_167, 2_777, 1_389]
    assert schedule.total_subsidy == cny("83.33")
    assert subsidy_total(product, schedule) == cny("83.33")  # far under the 3,000.00 cap


def test_the_cap_is_per_borrower_and_counts_what_they_were_granted_before() -> None:
    """200,000.00 at 4.99 % over 60 months: the state's share here is 1,320.00 (above
    1,000.00, so the cap can bind). A first loan gets all of it; a borrower granted
    2,000.00 before gets 3,000.00 - 2,000.00 = 1,000.00; one granted 3,500.00 gets 0,
    never less."""
    schedule = build_schedule(deal("240000", "40000", 60).loan_terms())
    assert schedule.total_subsidy == cny("1320.00")
    assert subsidy_total(NEV_GREEN_2025, schedule) == cny("1320.00")
    assert subsidy_total(NEV_GREEN_2025, schedule, already_granted=200_000) == cny("1000")
    assert subsidy_total(NEV_GREEN_2025, schedule, already_granted=350_000) == cny("0")


def test_a_subsidy_without_a_cap_ignores_what_was_granted_before() -> None:
    request = OEM_ZERO.sample_request(cny("100000"), 12, Decimal("0.045"))
    subsidy = loan_subsidy(OEM_ZERO, Decimal("0.045"), request.loan_terms().principal)
    schedule = build_schedule(replace(request, subsidy=subsidy).loan_terms())
    assert subsidy_total(OEM_ZERO, schedule, already_granted=10**9) == schedule.total_subsidy


def test_the_rate_cut_is_rounded_down_so_the_base_never_exceeds_the_cap() -> None:
    """150,000.00: a third of the loan; 1 % / 3 = 0.333..% is cut to 10 places
    (0.0033333333), so the borrower pays 4.99 % - 0.33333333 % = 4.65666667 %."""
    assert NEV_GREEN_2025.subsidy is not None
    rate = NEV_GREEN_2025.subsidy.customer_rate_for(R499, cny("150000"))
    assert rate == Decimal("0.0465666667")
    assert (R499 - rate) * 150_000 <= Decimal("0.01") * 50_000


def test_the_maker_pays_on_the_whole_loan_after_the_state_plan_ended() -> None:
    """Version 2 (from 2026-09-01) has no principal cap: 4.99 % - 1 % = 3.99 %."""
    subsidy = loan_subsidy(NEV_GREEN, R499, cny("200000"))
    assert subsidy is not None and subsidy.customer_rate == Decimal("0.0399")


def test_the_principal_cap_is_stored_and_an_old_body_without_it_reads_as_uncapped() -> None:
    data = product_to_dict(NEV_GREEN_2025)
    assert data["subsidy"]["principal_cap"] == "50000.00"
    assert product_from_dict(data) == NEV_GREEN_2025
    old = {**data, "subsidy": {k: v for k, v in data["subsidy"].items() if k != "principal_cap"}}
    subsidy = product_from_dict(old).subsidy
    assert subsidy is not None and subsidy.principal_cap is None
    assert subsidy.customer_rate_for(R499, cny("200000")) == Decimal("0.0399")


def test_a_principal_cap_must_be_positive_money_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        ProductSubsidy(subsidiser="state", rate_points=Decimal("0.01"), principal_cap=cny("0"))
    assert refused.value.field == "subsidy.principal_cap"
    data = product_to_dict(NEV_GREEN_2025)
    data["subsidy"]["principal_cap"] = "lots"
    with pytest.raises(InvalidInput) as unreadable:
        product_from_dict(data)
    assert unreadable.value.field == "subsidy.principal_cap"
