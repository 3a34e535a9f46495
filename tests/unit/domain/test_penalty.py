"""Penalty interest (罚息) and compound interest (复利) on overdue amounts, under a ceiling."""

from __future__ import annotations

import doctest
import importlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.daycount import DayCount
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode, currency
from autolend.domain.penalty import (
    PenaltyAccrual,
    PenaltyPolicy,
    accrue_penalty,
    daily_penalty,
    penalty_rate,
)

CNY = currency("CNY")
SIX_PERCENT = Decimal("0.06")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


# --- one day ------------------------------------------------------------------------------


def test_the_worked_example_charges_two_fifty_and_eight_fen_a_day() -> None:
    # 6 % x 1.5 = 9 % a year; 10,000.00 x 0.09 / 360 = 2.50; 300.00 x 0.09 / 360 = 0.075
    assert penalty_rate(SIX_PERCENT, PenaltyPolicy()) == Decimal("0.09")
    day = daily_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy())
    assert day == PenaltyAccrual(penalty_on_principal=250, compound_on_interest=8)
    assert day.total == 258


def test_a_thirty_percent_uplift_gives_a_seven_point_eight_percent_penalty_rate() -> None:
    policy = PenaltyPolicy(uplift=Decimal("0.3"))
    assert penalty_rate(SIX_PERCENT, policy) == Decimal("0.078")
    day = daily_penalty(cny("10000"), cny("0"), SIX_PERCENT, policy)
    assert day.penalty_on_principal == 217  # 2.1666... -> 2.17


def test_overdue_interest_does_not_compound_when_the_policy_says_so() -> None:
    policy = PenaltyPolicy(compound_overdue_interest=False)
    day = daily_penalty(cny("10000"), cny("300"), SIX_PERCENT, policy)
    assert day == PenaltyAccrual(250, 0)


def test_act_365_divides_the_annual_penalty_rate_by_365() -> None:
    policy = PenaltyPolicy(day_count="ACT/365")  # type: ignore[arg-type]
    assert policy.day_count is DayCount.ACT_365
    day = daily_penalty(cny("10000"), cny("0"), SIX_PERCENT, policy)
    assert day.penalty_on_principal == 247  # 2.4657... -> 2.47


def test_a_half_fen_day_rounds_up_by_default() -> None:
    # 20.00 x 0.09 / 360 = 0.005: exactly half a fen
    assert daily_penalty(cny("20"), cny("0"), SIX_PERCENT, PenaltyPolicy()).total == 1
    even = PenaltyPolicy(rounding=RoundingMode.HALF_EVEN)
    assert daily_penalty(cny("20"), cny("0"), SIX_PERCENT, even).total == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"uplift": Decimal("1.5")}, "uplift"),
        ({"uplift": Decimal("-0.1")}, "uplift"),
        ({"uplift": 0.5}, "uplift"),
        ({"day_count": DayCount.ACT_ACT}, "day_count"),
        ({"day_count": DayCount.THIRTY_360}, "day_count"),
        ({"day_count": "ACT/999"}, "day_count"),
        ({"compound_overdue_interest": "yes"}, "compound_overdue_interest"),
    ],
)
def test_an_invalid_policy_is_refused_naming_the_field(
    kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        PenaltyPolicy(**kwargs)  # type: ignore[arg-type]
    assert error.value.field == field


def test_negative_or_foreign_overdue_amounts_and_bad_rates_are_refused() -> None:
    policy = PenaltyPolicy()
    with pytest.raises(InvalidInput) as negative:
        daily_penalty(cny("-1"), cny("0"), SIX_PERCENT, policy)
    assert negative.value.field == "overdue_principal"
    with pytest.raises(CurrencyMismatch):
        daily_penalty(cny("1"), Money.parse("1", "USD"), SIX_PERCENT, policy)
    with pytest.raises(InvalidInput) as rate:
        daily_penalty(cny("1"), cny("0"), Decimal("1.2"), policy)
    assert rate.value.field == "contract_rate"


# --- over many days -----------------------------------------------------------------------


def test_without_a_ceiling_every_day_accrues_the_same_with_no_penalty_on_penalty() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 30,
                            cost_so_far=cny("0"), ceiling_amount=None)  # fmt: skip
    assert (result.penalty, result.compound) == (cny("75.00"), cny("2.40"))
    assert result.total == cny("77.40")
    assert result.days_accrued == 30
    assert result.ceiling_reached is False


def test_the_ceiling_cuts_the_crossing_day_to_land_exactly_on_it() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 10,
                            cost_so_far=cny("1000"), ceiling_amount=cny("1020"))  # fmt: skip
    # 7 full days of 2.58 = 18.06; day 8 is cut to the 1.94 left, all of it penalty.
    assert (result.penalty, result.compound) == (cny("19.44"), cny("0.56"))
    assert result.days_accrued == 8
    assert result.ceiling_reached is True
    assert cny("1000") + result.total == cny("1020")


def test_the_cut_day_is_charged_to_penalty_first_then_to_compound_interest() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 5,
                            cost_so_far=cny("0"), ceiling_amount=cny("5.07"))  # fmt: skip
    # 1 full day (2.58), then 2.49 left: all penalty, as 2.49 < the day's 2.50.
    assert (result.penalty, result.compound, result.days_accrued) == (cny("4.99"), cny("0.08"), 2)
    nearly = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 5,
                            cost_so_far=cny("0"), ceiling_amount=cny("5.14"))  # fmt: skip
    # 1 full day, then 2.56 left: the day's 2.50 penalty and 0.06 of its 0.08 compound.
    assert (nearly.penalty, nearly.compound) == (cny("5.00"), cny("0.14"))


def test_landing_exactly_on_the_ceiling_on_the_last_day_counts_as_reaching_it() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 10,
                            cost_so_far=cny("0"), ceiling_amount=cny("25.80"))  # fmt: skip
    assert result.days_accrued == 10
    assert result.total == cny("25.80")
    assert result.ceiling_reached is True


def test_nothing_accrues_once_the_cost_is_already_at_the_ceiling() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 10,
                            cost_so_far=cny("2400"), ceiling_amount=cny("2400"))  # fmt: skip
    assert result.total == cny("0") and result.days_accrued == 0 and result.ceiling_reached


def test_a_distant_ceiling_is_not_reached() -> None:
    result = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 10,
                            cost_so_far=cny("0"), ceiling_amount=cny("1000"))  # fmt: skip
    assert result.total == cny("25.80") and not result.ceiling_reached


def test_zero_days_accrue_nothing_and_negative_days_are_refused() -> None:
    nothing = accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 0,
                             cost_so_far=cny("0"), ceiling_amount=cny("1000"))  # fmt: skip
    assert nothing.total == cny("0") and nothing.days_accrued == 0
    with pytest.raises(InvalidInput) as error:
        accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), -1,
                       cost_so_far=cny("0"), ceiling_amount=None)  # fmt: skip
    assert error.value.field == "days"


def test_the_ceiling_and_cost_so_far_must_be_in_the_loans_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        accrue_penalty(cny("10000"), cny("300"), SIX_PERCENT, PenaltyPolicy(), 3,
                       cost_so_far=cny("0"), ceiling_amount=Money.parse("5", "USD"))  # fmt: skip


AMOUNTS = st.integers(0, 100_000_000)


@settings(max_examples=300, deadline=None)
@given(
    principal=AMOUNTS,
    interest=st.integers(0, 5_000_000),
    rate_bp=st.integers(0, 3600),
    uplift_pct=st.integers(0, 100),
    days=st.integers(0, 2000),
    cost=AMOUNTS,
    room=st.one_of(st.none(), st.integers(-1_000_000, 10_000_000)),
)
def test_accrual_never_passes_the_ceiling_and_is_daily_times_days_below_it(
    principal: int, interest: int, rate_bp: int, uplift_pct: int, days: int, cost: int,
    room: int | None,
) -> None:  # fmt: skip
    policy = PenaltyPolicy(uplift=Decimal(uplift_pct).scaleb(-2))
    rate = Decimal(rate_bp).scaleb(-4)
    ceiling = None if room is None else Money(max(cost + room, 0), CNY)
    result = accrue_penalty(Money(principal, CNY), Money(interest, CNY), rate, policy, days,
                            cost_so_far=Money(cost, CNY), ceiling_amount=ceiling)  # fmt: skip
    day = daily_penalty(Money(principal, CNY), Money(interest, CNY), rate, policy)
    assert 0 <= result.days_accrued <= days
    assert result.penalty.minor >= 0 and result.compound.minor >= 0
    if ceiling is not None:
        assert result.total.minor <= max(ceiling.minor - cost, 0)
        assert result.ceiling_reached == (cost + result.total.minor >= ceiling.minor)
    if not result.ceiling_reached:
        assert result.days_accrued == days
        assert result.penalty.minor == day.penalty_on_principal * days
        assert result.compound.minor == day.compound_on_interest * days
    else:
        assert ceiling is not None
        assert cost + result.total.minor == max(ceiling.minor, cost)


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(importlib.import_module("autolend.domain.penalty"))
    assert result.attempted > 0
    assert result.failed == 0


def test_the_china_pack_caps_penalty_accrual_at_24_percent_a_year_and_flags_it() -> None:
    from datetime import date as _date

    from autolend.domain.penalty import ceiling_amount_from_pack, policy_from_pack
    from autolend.domain.regulation import CN_PACK

    contract = _date(2026, 1, 5)
    policy = policy_from_pack(CN_PACK, contract)
    principal = Money.parse("10000", "CNY")
    # 10,000 x 24 % x 30 / 360 = 200.00 may be charged in all over 30 days; 190.00 was
    # already charged, so at 2.50 a day penalty accrual stops after 4 days (10.00).
    cap = ceiling_amount_from_pack(CN_PACK, principal, contract, 30)
    assert cap == Money.parse("200.00", "CNY")
    result = accrue_penalty(
        principal,
        Money.parse("0", "CNY"),
        Decimal("0.06"),
        policy,
        30,
        cost_so_far=Money.parse("190.00", "CNY"),
        ceiling_amount=cap,
    )
    assert result.ceiling_reached
    assert result.penalty == Money.parse("10.00", "CNY")


def test_an_uplift_outside_the_packs_range_is_refused() -> None:
    from datetime import date as _date

    from autolend.domain.penalty import policy_from_pack
    from autolend.domain.regulation import CN_PACK

    with pytest.raises(InvalidInput, match=r"0\.3\.\.0\.5"):
        policy_from_pack(CN_PACK, _date(2026, 1, 5), Decimal("0.8"))
