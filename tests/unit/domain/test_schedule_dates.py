"""Due dates by frequency, month-end stickiness, fixed repayment days, irregular first periods."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms, build_schedule, default_first_due, due_dates


def make(**overrides: Any) -> LoanTerms:
    fields: dict[str, Any] = {
        "principal": Money.parse("12000", "CNY"),
        "annual_rate": Decimal("0.12"),
        "periods": 4,
        "start": date(2024, 1, 15),
    }
    fields.update(overrides)
    return LoanTerms(**fields)


def iso(terms: LoanTerms) -> list[str]:
    return [d.isoformat() for d in due_dates(terms)]


def test_monthly_dates_follow_the_start_day() -> None:
    assert iso(make()) == ["2024-02-15", "2024-03-15", "2024-04-15", "2024-05-15"]


def test_a_loan_started_on_the_31st_stays_on_month_ends_clamped_each_month() -> None:
    terms = make(start=date(2024, 1, 31), periods=4)
    assert iso(terms) == ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    # Even without stickiness each date comes from the start, not from the previous date.
    unsticky = make(start=date(2024, 1, 31), periods=4, sticky_end_of_month=False)
    assert iso(unsticky) == ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]


def test_stickiness_keeps_a_month_end_start_on_month_ends() -> None:
    # 29 Feb 2024 is a month end: sticky -> month ends; not sticky -> the 29th.
    assert iso(make(start=date(2024, 2, 29), periods=3)) == [
        "2024-03-31", "2024-04-30", "2024-05-31",
    ]  # fmt: skip
    assert iso(make(start=date(2024, 2, 29), periods=3, sticky_end_of_month=False)) == [
        "2024-03-29", "2024-04-29", "2024-05-29",
    ]  # fmt: skip


def test_a_given_first_due_date_anchors_the_following_dates() -> None:
    terms = make(first_due=date(2024, 2, 29), start=date(2024, 2, 1), periods=3)
    assert iso(terms) == ["2024-02-29", "2024-03-31", "2024-04-30"]


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        (date(2024, 1, 10), date(2024, 2, 20)),  # the 20th is only 10 days away
        (date(2024, 1, 3), date(2024, 1, 20)),  # 17 days: at least 15
        (date(2024, 1, 5), date(2024, 1, 20)),  # exactly 15 days
        (date(2024, 1, 20), date(2024, 2, 20)),
        (date(2024, 12, 28), date(2025, 1, 20)),
    ],
)
def test_a_fixed_repayment_day_puts_the_first_due_date_at_least_15_days_out(
    start: date, first_due: date
) -> None:
    terms = make(start=start, due_day=20)
    assert default_first_due(terms) == first_due
    dates = due_dates(terms)
    assert dates[0] == first_due
    assert all(d.day == 20 for d in dates)


def test_a_quarterly_fixed_day_is_at_least_two_months_and_15_days_out() -> None:
    terms = make(start=date(2024, 1, 10), due_day=5, frequency="quarterly", periods=3)
    assert iso(terms) == ["2024-04-05", "2024-07-05", "2024-10-05"]


def test_quarterly_steps_three_months() -> None:
    terms = make(frequency="quarterly", start=date(2023, 11, 30), periods=4)
    assert iso(terms) == ["2024-02-29", "2024-05-31", "2024-08-31", "2024-11-30"]


def test_semimonthly_is_the_first_due_day_and_15_days_later_each_month() -> None:
    terms = make(frequency="semimonthly", first_due=date(2024, 1, 5), start=date(2023, 12, 20))
    assert iso(terms) == ["2024-01-05", "2024-01-20", "2024-02-05", "2024-02-20"]
    late = make(frequency="semimonthly", first_due=date(2024, 1, 25), start=date(2024, 1, 10))
    assert iso(late) == ["2024-01-25", "2024-02-09", "2024-02-25", "2024-03-11"]


def test_semimonthly_defaults_to_15_days_after_the_start() -> None:
    terms = make(frequency="semimonthly", start=date(2024, 1, 1))
    assert iso(terms) == ["2024-01-16", "2024-01-31", "2024-02-16", "2024-03-02"]


@pytest.mark.parametrize(("frequency", "step"), [("weekly", 7), ("biweekly", 14)])
def test_weekly_and_biweekly_step_in_days(frequency: str, step: int) -> None:
    dates = due_dates(make(frequency=frequency, periods=5))
    assert dates[0] == date(2024, 1, 15) + timedelta(days=step)
    assert all((b - a).days == step for a, b in itertools.pairwise(dates))


def test_grace_periods_add_due_dates_before_the_regular_ones() -> None:
    assert iso(make(periods=2, grace_periods=2)) == [
        "2024-02-15", "2024-03-15", "2024-04-15", "2024-05-15",
    ]  # fmt: skip


def test_rows_report_accrual_days_by_the_day_count() -> None:
    terms = make(start=date(2024, 1, 31), periods=2)
    assert [r.days for r in build_schedule(terms).rows] == [29, 31]
    thirty = make(start=date(2024, 1, 31), periods=2, day_count="30/360")
    # Bond Basis has no end-of-February rule: 29 Feb -> 31 Mar is 30 + (31 - 29) = 32.
    assert [r.days for r in build_schedule(thirty).rows] == [29, 32]


# --- irregular first period ---------------------------------------------------------------


def first_interest(**overrides: Any) -> int:
    return build_schedule(make(**overrides)).rows[0].interest


def test_a_regular_first_period_on_the_period_basis_charges_one_periodic_rate() -> None:
    # 12,000.00 x 12 % / 12 = 120.00, whatever the month's length.
    assert first_interest() == 12000
    assert first_interest(start=date(2024, 1, 31)) == 12000  # to 29 February


def test_a_long_first_period_on_the_period_basis_is_pro_rated_by_days() -> None:
    # Start 10 Jan, first due 20 Feb: 41 days against the 31-day regular period
    # 20 Jan - 20 Feb: 12,000.00 x 1 % x 41 / 31 = 158.709... -> 158.71.
    assert first_interest(start=date(2024, 1, 10), first_due=date(2024, 2, 20)) == 15871


def test_a_short_first_period_on_the_period_basis_is_pro_rated_by_days() -> None:
    # 5 Jan -> 20 Jan is 15 days of the 31-day regular period 20 Dec - 20 Jan:
    # 120.00 x 15 / 31 = 58.06.
    assert first_interest(start=date(2024, 1, 5), first_due=date(2024, 1, 20)) == 5806


def test_a_short_first_period_counts_days_by_30_360_when_that_is_the_day_count() -> None:
    # 30/360: 5 Jan -> 20 Jan is 15 days; 20 Dec -> 20 Jan is 30 days: 120.00 / 2.
    kwargs = {"start": date(2024, 1, 5), "first_due": date(2024, 1, 20), "day_count": "30/360"}
    assert first_interest(**kwargs) == 6000


def test_on_the_daily_basis_every_period_accrues_by_its_days() -> None:
    # ACT/360: 12,000.00 x 12 % x 41 / 360 = 164.00 for the 41-day first period.
    terms = make(start=date(2024, 1, 10), first_due=date(2024, 2, 20), interest_basis="daily")
    rows = build_schedule(terms).rows
    assert rows[0].interest == 16400
    # The second period (20 Feb -> 20 Mar 2024) has 29 days.
    assert rows[1].days == 29
    assert rows[1].interest == round(rows[1].opening_balance * Decimal("0.12") * 29 / 360)


@pytest.mark.parametrize(
    ("day_count", "expected"),
    [
        ("ACT/360", 12400),  # 12,000.00 x 12 % x 31 / 360 = 124.00
        ("ACT/365", 12230),  # x 31 / 365 = 122.301...
        ("ACT/ACT", 12197),  # x 31 / 366 (2024 is a leap year) = 121.967...
        ("30/360", 12000),  # 1 Jan -> 1 Feb is 30 days: x 30 / 360 = 120.00
    ],
)
def test_daily_interest_uses_the_day_count(day_count: str, expected: int) -> None:
    terms = make(start=date(2024, 1, 1), interest_basis="daily", day_count=day_count)
    assert build_schedule(terms).rows[0].interest == expected
