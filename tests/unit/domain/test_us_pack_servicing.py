"""The US pack's servicing rules: US practice charges a late fee, not penalty or compound
interest, so overdue interest on a US loan bears nothing more (CN's 复利 stays), and a
US product left without a penalty uplift takes the pack's 0 (a CN one still +50 %)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.penalty import daily_penalty, policy_from_pack
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import product_from_dict, product_to_dict
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.domain.regulation.packs import pack_code_for_currency

START = date(2026, 1, 5)


def us_product_dict(**changes: Any) -> dict[str, Any]:
    """The standard new-car product moved to the US pack (USD amounts), without an uplift."""
    data = product_to_dict(STANDARD_NEW) | {"pack": "US", "currency": "USD", "code": "US_NEW"}
    data["fees"] = [fee for fee in data["fees"] if fee["amount"] is None]  # the CNY gps fee
    # No upper age limit under the US pack (Reg B 1002.6(b)(2)).
    data["eligibility"] |= {"max_age": None, "max_age_at_maturity": None}
    del data["penalty_uplift"]
    return data | changes


def test_the_cn_pack_compounds_overdue_interest_and_the_us_pack_does_not() -> None:
    assert (CN_PACK.compounds_overdue_interest, US_PACK.compounds_overdue_interest) == (
        True,
        False,
    )


def test_the_us_policy_has_no_uplift_no_compounding_and_a_365_day_year() -> None:
    policy = policy_from_pack(US_PACK, START)
    assert (policy.uplift, policy.compound_overdue_interest) == (Decimal(0), False)
    assert policy.day_count is DayCount.ACT_365


def test_the_cn_policy_is_unchanged() -> None:
    policy = policy_from_pack(CN_PACK, START)
    assert (policy.uplift, policy.compound_overdue_interest) == (Decimal("0.5"), True)
    assert policy.day_count is DayCount.ACT_360


def test_a_us_day_charges_the_contract_rate_on_principal_and_nothing_on_interest() -> None:
    """10,000.00 overdue principal and 300.00 overdue interest at 7.3 %: penalty rate
    7.3 % x (1 + 0) = 7.3 %, 10,000.00 x 0.073 / 365 = 2.00 a day; no compound (under CN
    the 300.00 would add 300.00 x 0.1095 / 360 = 0.09125 -> 0.09)."""
    rate = Decimal("0.073")
    for pack, code, expected in ((US_PACK, "USD", (200, 0)), (CN_PACK, "CNY", (304, 9))):
        principal, interest = Money.parse("10000", code), Money.parse("300", code)
        day = daily_penalty(principal, interest, rate, policy_from_pack(pack, START))
        assert (day.penalty_on_principal, day.compound_on_interest) == expected


def test_a_us_product_without_a_penalty_uplift_takes_the_packs_zero() -> None:
    product = product_from_dict(us_product_dict())
    assert product.penalty_uplift == Decimal(0)
    assert product_to_dict(product)["penalty_uplift"] == "0"  # stored as given, read back so


def test_a_cn_product_without_a_penalty_uplift_still_takes_fifty_percent() -> None:
    data = product_to_dict(STANDARD_NEW)
    del data["penalty_uplift"]
    assert product_from_dict(data).penalty_uplift == Decimal("0.5")
    assert product_from_dict(data) == STANDARD_NEW


def test_a_us_product_with_an_uplift_above_zero_is_still_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        product_from_dict(us_product_dict(penalty_uplift="0.3"))
    assert refused.value.field == "penalty_uplift"


def test_the_pack_of_a_currency_is_the_pack_that_lends_in_it() -> None:
    assert [pack_code_for_currency(c) for c in ("CNY", "usd", "EUR")] == ["CN", "US", None]
