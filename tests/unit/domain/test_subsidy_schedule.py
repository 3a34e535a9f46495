"""The deferred subsidy earned per installment: in proportion to the interest at the list
rate, rounded down to the fen except the last installment, which takes the remainder.

The figures are worked by hand in :mod:`autolend.domain.subsidy_schedule`: a 0 %
promotion on 240,000.00 over 12 months at a 6 % list rate earns list-rate interest
1,200.00, 1,100.00, ..., 100.00 (weights 12 : 11 : ... : 1, sum 78)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import InterestBasis, LoanTerms, Subsidy, build_schedule
from autolend.domain.subsidy_schedule import (
    Reamortisation,
    balance_day_weights,
    floor_share,
    list_rate_weights,
    recognition_plan,
    revised_plan,
    subsidy_schedule,
)

OEM_ZERO = Subsidy(customer_rate=Decimal(0), subsidiser="oem")


def promotion(principal: str = "240000", rate: str = "0.06") -> LoanTerms:
    return LoanTerms(principal=Money.parse(principal, "CNY"), annual_rate=Decimal(rate),
                     periods=12, start=date(2026, 1, 5), subsidy=OEM_ZERO)  # fmt: skip


def test_the_list_rate_interest_of_a_zero_percent_promotion_falls_with_the_balance() -> None:
    weights = list_rate_weights(build_schedule(promotion()))
    # 240,000.00 x 0.5 % = 1,200.00, then 20,000.00 less principal each month.
    assert weights == tuple(120_000 - 10_000 * k for k in range(12))


def test_a_6000_subsidy_over_12_installments_decreases_and_sums_to_the_fen() -> None:
    amounts = subsidy_schedule(600_000, list_rate_weights(build_schedule(promotion())))
    assert len(amounts) == 12
    assert sum(amounts) == 600_000
    assert all(a > b for a, b in pairwise(amounts))
    # 6,000.00 x 12 / 78 = 923.0769... rounded down; 6,000.00 x 2 / 78 = 153.846... down.
    assert amounts[0] == 92_307
    assert amounts[10] == 15_384
    # The 5.69 fen rounded away from the first 11 go to the last: 76.923... + 0.0569.
    assert amounts[-1] == 600_000 - sum(amounts[:-1]) == 7_698


def test_every_share_but_the_last_is_rounded_down_so_the_last_is_never_below_its_share() -> None:
    weights = [3, 7, 11, 13, 1]
    amounts = subsidy_schedule(99_999, weights)
    exact = [99_999 * w / sum(weights) for w in weights]
    assert all(0 <= e - a < 1 for a, e in zip(amounts[:-1], exact[:-1], strict=True))
    assert amounts[-1] >= exact[-1]
    assert sum(amounts) == 99_999


def test_the_named_rounding_rounds_down_whole_fen() -> None:
    assert floor_share(100, 1, 3) == 33
    assert floor_share(200, 1, 3) == 66  # 66.67 is not rounded up


def test_a_period_without_list_rate_interest_earns_nothing_before_the_last() -> None:
    assert subsidy_schedule(1_000, [0, 5, 5]) == (0, 500, 500)


@pytest.mark.parametrize(
    ("total", "weights"),
    [(-1, [1]), (100, []), (100, [0, 0]), (100, [1, -1])],
)
def test_a_negative_subsidy_or_unusable_weights_are_refused(total: int, weights: list[int]) -> None:
    with pytest.raises(InvalidInput):
        subsidy_schedule(total, weights)


def test_without_the_list_rate_balance_times_days_gives_the_same_shares_on_a_daily_basis() -> None:
    daily = LoanTerms(principal=Money.parse("120000", "CNY"), annual_rate=Decimal("0.06"),
                      periods=6, start=date(2026, 1, 5), interest_basis=InterestBasis.DAILY,
                      subsidy=OEM_ZERO)  # fmt: skip
    schedule = build_schedule(daily)
    by_rate = subsidy_schedule(300_000, list_rate_weights(schedule))
    by_days = subsidy_schedule(300_000, balance_day_weights(schedule))
    # The rate cancels out; only the interest rounding per row can move a fen or two.
    assert all(abs(a - b) <= 2 for a, b in zip(by_rate, by_days, strict=True))


def test_an_open_loan_recognises_the_installments_due_by_the_date() -> None:
    plan = [(date(2026, 2, 5), 600), (date(2026, 3, 5), 300), (date(2026, 4, 5), 100)]
    assert recognition_plan(plan, date(2026, 2, 4)) == []
    assert recognition_plan(plan, date(2026, 3, 5)) == plan[:2]


def test_a_closed_loan_recognises_one_by_one_only_the_installments_due_before_it_closed() -> None:
    plan = [(date(2026, 2, 5), 600), (date(2026, 3, 5), 300), (date(2026, 4, 5), 100)]
    assert recognition_plan(plan, date(2026, 4, 30), closed_on=date(2026, 3, 5)) == plan[:1]
    # Closed after the date asked about: still open on that date.
    assert recognition_plan(plan, date(2026, 2, 5), closed_on=date(2026, 3, 20)) == plan[:1]


DAYS = [date(2026, m, 5) for m in range(2, 13)] + [date(2027, 1, 5)]  # 12 due dates


def booked() -> list[tuple[date, int]]:
    """6,000.00 over 12 installments, weights 12 : 11 : ... : 1 (the module's example)."""
    return list(zip(DAYS, subsidy_schedule(600_000, range(12, 0, -1)), strict=True))


def test_a_prepayment_halving_the_balance_earns_half_the_rest_at_once() -> None:
    # By hand: 3,461.55 left after installment 3; half of it, rounded down for the new
    # rows (1,730.77), stays deferred; the catch-up is 1,730.78 on the third due date.
    change = Reamortisation(7, DAYS[2], tuple(range(18, 0, -2)),
                            tuple(zip(DAYS[3:], range(9, 0, -1), strict=True)))  # fmt: skip
    lines = revised_plan(booked(), [change])
    assert [(x.due, x.amount) for x in lines[:3]] == booked()[:3]
    assert (lines[3].due, lines[3].amount, lines[3].catch_up_of) == (DAYS[2], 173_078, 7)
    new = lines[4:]
    assert [x.due for x in new] == DAYS[3:]
    assert sum(x.amount for x in new) == 173_077
    assert new[0].amount == 34_615  # 1,730.77 x 9 / 45 = 346.154 rounded down
    assert sum(x.amount for x in lines) == 600_000


def test_a_shorter_term_spreads_what_is_kept_over_the_fewer_rows_left() -> None:
    # Shorten term: 4 rows left instead of 9, weights 10 : 7 : 4 : 1 of the old 90 in all.
    change = Reamortisation(8, DAYS[2], tuple(range(18, 0, -2)),
                            tuple(zip(DAYS[3:7], (10, 7, 4, 1), strict=True)))  # fmt: skip
    lines = revised_plan(booked(), [change])
    assert [x.due for x in lines[4:]] == DAYS[3:7]
    kept = 346_155 * 22 // 90  # the rest x 22 / 90, rounded down: 846.15
    assert lines[3].amount == 346_155 - kept == 261_540
    assert sum(x.amount for x in lines[4:]) == kept
    assert sum(x.amount for x in lines) == 600_000


def test_two_prepayments_each_take_their_catch_up_from_what_the_one_before_left() -> None:
    first = Reamortisation(
        1,
        DAYS[2],
        (9, 8, 7, 6, 5, 4, 3, 2, 1),
        tuple(zip(DAYS[3:], (6, 5, 4, 3, 2, 1, 0, 0, 0), strict=True)),
    )
    second = Reamortisation(2, DAYS[4], (4, 3, 2, 1, 0, 0, 0),
                            tuple(zip(DAYS[5:9], (2, 1, 1, 0), strict=True)))  # fmt: skip
    lines = revised_plan(booked(), [first, second])
    catch_ups = [x for x in lines if x.catch_up_of is not None]
    assert [(x.due, x.catch_up_of) for x in catch_ups] == [(DAYS[2], 1), (DAYS[4], 2)]
    rest = sum(x.amount for x in revised_plan(booked(), [first]) if x.due > DAYS[4])
    assert catch_ups[1].amount == rest - rest * 4 // 10
    assert all(x.amount == 0 for x in lines if x.due > DAYS[8])
    assert sum(x.amount for x in lines) == 600_000


def test_no_catch_up_when_nothing_is_left_to_earn_less_and_all_of_it_when_nothing_remains() -> None:
    same = Reamortisation(3, DAYS[2], (3, 2, 1), tuple(zip(DAYS[3:6], (3, 2, 1), strict=True)))
    plan = [(DAYS[k], 100) for k in range(6)]
    assert revised_plan(plan, [same])[3].amount == 0
    zeroed = Reamortisation(4, DAYS[2], (3, 2, 1), tuple(zip(DAYS[3:6], (0, 0, 0), strict=True)))
    lines = revised_plan(plan, [zeroed])
    assert lines[3].amount == 300 and all(x.amount == 0 for x in lines[4:])


def test_recognition_by_date_keeps_whatever_each_line_carries() -> None:
    lines = revised_plan(booked(), [])
    shown = recognition_plan([(x.due, x) for x in lines], DAYS[1])
    assert [line for _, line in shown] == lines[:2]
