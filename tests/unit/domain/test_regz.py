"""Behaviour of autolend.domain.regz: the Regulation Z Appendix J actuarial APR."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from autolend.domain.apr import periodic_irr
from autolend.domain.calendar import add_months
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.regz import (
    FREQUENCIES,
    UnitPeriod,
    months_back,
    regz_apr,
    regz_within_tolerance,
)

ADVANCE = date(1978, 1, 10)


def monthly(
    first: date, count: int, amount: Decimal, *, sticky: bool = False
) -> list[tuple[date, Decimal]]:
    return [(add_months(first, k, sticky_end_of_month=sticky), amount) for k in range(count)]


# --- golden cases -------------------------------------------------------------------------


def test_appendix_j_example_c_1_i_gives_9_69_percent() -> None:
    """12 CFR 1026 Appendix J (c)(1)(i): amount financed 5,000, 24 monthly payments of
    230, first payment one month after the advance -> APR 9.69 %."""
    result = regz_apr(
        Decimal(5000), monthly(date(1978, 2, 10), 24, Decimal(230)), ADVANCE, "monthly"
    )
    assert result.apr == Decimal("9.69")
    assert abs(result.apr_exact - Decimal("9.6857080623")) < Decimal("1e-8")
    assert result.unit_periods_per_year == 12
    assert result.odd_days_fraction == 0
    assert result.first_period == 1
    assert result.regular


def test_a_first_payment_ten_days_late_adds_an_odd_days_fraction_of_ten_thirtieths() -> None:
    on_time = regz_apr(
        Decimal(5000), monthly(date(1978, 2, 10), 24, Decimal(230)), ADVANCE, "monthly"
    )
    late = regz_apr(Decimal(5000), monthly(date(1978, 2, 20), 24, Decimal(230)), ADVANCE, "monthly")
    assert late.odd_days_fraction == Fraction(10, 30)
    assert late.first_period == Fraction(4, 3)
    assert late.apr < on_time.apr
    assert late.apr == Decimal("9.42")
    # 1026.22(a)(3): an irregular first period alone does not make it irregular.
    assert late.regular


def test_a_single_payment_after_twelve_monthly_unit_periods_gives_9_57_percent() -> None:
    # (1 + i) ** 12 = 1.1, so i = 0.00797414 a month and the APR is 12 i = 9.57 %.
    result = regz_apr(Decimal(5000), [(date(1979, 1, 10), Decimal(5500))], ADVANCE, "monthly")
    assert result.apr == Decimal("9.57")
    assert abs(result.apr_exact - Decimal("9.5689685144")) < Decimal("1e-8")


def test_a_one_year_single_payment_with_a_yearly_unit_period_gives_10_00_percent() -> None:
    # App. J (b)(4)(ii): a single-advance, single-payment loan's unit-period is its term.
    result = regz_apr(Decimal(5000), [(date(1979, 1, 10), Decimal(5500))], ADVANCE, "annual")
    assert result.apr == Decimal("10.00")
    assert result.unit_periods_per_year == 1


def test_the_apr_equals_the_periodic_irr_times_periods_when_there_are_no_odd_days() -> None:
    weekly = [(date(2024, 1, 1) + timedelta(days=7 * (k + 1)), Decimal(50)) for k in range(52)]
    result = regz_apr(Decimal(2400), weekly, date(2024, 1, 1), "weekly")
    irr = periodic_irr([Decimal(2400), *[Decimal(-50)] * 52])
    assert abs(result.apr_exact - irr * 52 * 100) < Decimal("1e-8")
    assert result.regular


def test_an_interest_free_plan_has_a_zero_apr() -> None:
    result = regz_apr(
        Decimal(1200), monthly(date(2024, 2, 15), 12, Decimal(100)), date(2024, 1, 15), "monthly"
    )
    assert result.apr == 0


def test_money_amounts_give_the_same_apr_as_decimals() -> None:
    payments = [
        (d, Money.of_minor(23000, "USD")) for d, _ in monthly(date(1978, 2, 10), 24, Decimal(0))
    ]
    result = regz_apr(Money.of_minor(500000, "USD"), payments, ADVANCE, "monthly")
    assert result.apr == Decimal("9.69")


# --- unit-periods (App. J (b)(5)) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "end", "expected"),
    [("monthly", date(1978, 2, 20), (1, Fraction(10, 30))),
     ("monthly", date(1978, 1, 25), (0, Fraction(15, 30))),
     ("semimonthly", date(1978, 2, 20), (2, Fraction(10, 15))),  # 30 + 10 days over 15
     ("quarterly", date(1978, 5, 20), (1, Fraction(40, 90))),  # 4 months 10 days = 130 days
     ("weekly", date(1978, 1, 20), (1, Fraction(3, 7))),
     ("biweekly", date(1978, 2, 10), (2, Fraction(3, 14))),  # 31 actual days
     ("annual", date(1979, 2, 10), (1, Fraction(1, 12))),  # whole months: over 12
     ("annual", date(1979, 1, 20), (1, Fraction(10, 365)))],  # odd days: over 365
)  # fmt: skip
def test_unit_periods_follow_appendix_j_b_5(
    frequency: str, end: date, expected: tuple[int, Fraction]
) -> None:
    assert UnitPeriod.from_frequency(frequency).measure(ADVANCE, end) == expected


def test_each_frequency_has_its_appendix_j_number_of_unit_periods_a_year() -> None:
    per_year = {f: UnitPeriod.from_frequency(f).per_year for f in FREQUENCIES}
    assert per_year == {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12,
                        "quarterly": 4, "annual": 1}  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(date(1978, 1, 10), date(1978, 3, 10), (2, 0)),
     (date(1978, 1, 10), date(1978, 3, 9), (1, 30)),  # back to Feb 9; Jan 10..Feb 9
     (date(2023, 1, 31), date(2023, 2, 28), (1, 0)),  # Jan 31 has no Feb date: month end
     (date(2023, 1, 29), date(2023, 2, 28), (1, 0)),
     (date(2023, 2, 28), date(2023, 3, 31), (1, 0)),
     (date(2023, 1, 15), date(2023, 3, 31), (2, 16))],  # back to Jan 31
)  # fmt: skip
def test_full_months_are_counted_back_from_the_later_date(
    start: date, end: date, expected: tuple[int, int]
) -> None:
    assert months_back(start, end) == expected


# --- regular and irregular transactions (1026.22(a)(3)) ------------------------------------


def test_a_month_end_schedule_is_regular_with_no_odd_days() -> None:
    payments = monthly(date(2023, 2, 28), 12, Decimal(100), sticky=True)
    result = regz_apr(Decimal(1100), payments, date(2023, 1, 31), "monthly")
    assert result.odd_days_fraction == 0
    assert result.regular


def test_a_first_and_sixteenth_semimonthly_schedule_is_regular() -> None:
    dates: list[date] = []
    for month in range(12):
        first = add_months(date(2024, 1, 1), month)
        dates += [first.replace(day=16), add_months(first, 1)]
    for advance in (date(2024, 1, 1), date(2024, 1, 5)):
        result = regz_apr(Decimal(2300), [(d, Decimal(100)) for d in dates], advance, "semimonthly")
        assert result.regular
        assert result.unit_periods_per_year == 24


def test_a_different_first_or_final_payment_keeps_the_transaction_regular() -> None:
    payments = monthly(date(1978, 2, 10), 24, Decimal(230))
    payments[0] = (payments[0][0], Decimal(250))
    payments[-1] = (payments[-1][0], Decimal(100))
    assert regz_apr(Decimal(5000), payments, ADVANCE, "monthly").regular


def test_an_uneven_payment_in_the_middle_makes_the_transaction_irregular() -> None:
    payments = monthly(date(1978, 2, 10), 24, Decimal(230))
    payments[5] = (payments[5][0], Decimal(300))
    assert not regz_apr(Decimal(5000), payments, ADVANCE, "monthly").regular


def test_a_skipped_month_makes_the_transaction_irregular() -> None:
    payments = monthly(date(1978, 2, 10), 25, Decimal(230))
    del payments[6]
    assert not regz_apr(Decimal(5000), payments, ADVANCE, "monthly").regular


@pytest.mark.parametrize(
    ("disclosed", "regular", "accurate"),
    [("9.81", True, True), ("9.57", True, True), ("9.82", True, False), ("9.56", True, False),
     ("9.93", False, True), ("9.44", False, True), ("9.94", False, False)],
)  # fmt: skip
def test_a_disclosed_apr_is_accurate_within_an_eighth_or_a_quarter_point(
    disclosed: str, regular: bool, accurate: bool
) -> None:
    exact = Decimal("9.6857")
    assert regz_within_tolerance(Decimal(disclosed), exact, regular=regular) is accurate


def test_the_tolerance_bounds_themselves_are_accurate() -> None:
    assert regz_within_tolerance(Decimal("10.125"), Decimal(10), regular=True)
    assert regz_within_tolerance(Decimal("9.75"), Decimal(10), regular=False)


# --- invalid input -------------------------------------------------------------------------


def _payments(*days: int) -> list[tuple[date, Decimal]]:
    return [(ADVANCE + timedelta(days=d), Decimal(100)) for d in days]


@pytest.mark.parametrize(
    ("amount", "payments", "frequency", "field"),
    [(Decimal(0), _payments(30), "monthly", "amount"),
     (Decimal(-1), _payments(30), "monthly", "amount"),
     (Decimal(90), [], "monthly", "payments"),
     (Decimal(90), [(ADVANCE + timedelta(days=30), Decimal(0))], "monthly", "payments"),
     (Decimal(90), _payments(0), "monthly", "first_payment"),
     (Decimal(90), _payments(-5, 30), "monthly", "first_payment"),
     (Decimal(90), _payments(30, 30), "monthly", "payments"),
     (Decimal(90), _payments(60, 30), "monthly", "payments"),
     (Decimal(90), _payments(30), "daily", "frequency"),
     (Decimal(90), _payments(30), "Monthly", "frequency")],
)  # fmt: skip
def test_invalid_loans_are_rejected_naming_the_field(
    amount: Decimal, payments: list[tuple[date, Decimal]], frequency: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        regz_apr(amount, payments, ADVANCE, frequency)
    assert caught.value.field == field


def test_datetimes_are_not_accepted_as_dates() -> None:
    with pytest.raises(TypeError):
        regz_apr(Decimal(90), [(datetime(1978, 2, 10), Decimal(100))], ADVANCE, "monthly")
    with pytest.raises(TypeError):
        regz_apr(Decimal(90), _payments(30), datetime(1978, 1, 10), "monthly")
