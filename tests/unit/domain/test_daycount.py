"""Behaviour of autolend.domain.daycount: ISDA 2006 day-count conventions, exactly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.domain.daycount import DayCount, accrual_days, year_fraction, year_fraction_parts
from autolend.domain.errors import InvalidInput


def test_conventions_carry_their_market_names() -> None:
    assert [c.value for c in DayCount] == ["ACT/360", "ACT/365", "ACT/ACT", "30/360"]
    assert DayCount("ACT/360") is DayCount.ACT_360


# ISDA, "EMU and market conventions: recent developments" (1998, mktc1198), the
# Actual/Actual (ISDA) examples; the same figures are in QuantLib's test suite
# (test-suite/daycounters.cpp, testActualActual) to 12 decimals.
F = Fraction
ISDA_ACT_ACT_EXAMPLES = [
    (date(2003, 11, 1), date(2004, 5, 1), F(61, 365) + F(121, 366), "0.497724380567"),
    (date(1999, 2, 1), date(1999, 7, 1), F(150, 365), "0.410958904110"),
    (date(1999, 7, 1), date(2000, 7, 1), F(184, 365) + F(182, 366), "1.001377348600"),
    (date(2002, 8, 15), date(2003, 7, 15), F(334, 365), "0.915068493151"),
    (date(2003, 7, 15), date(2004, 1, 15), F(170, 365) + F(14, 366), "0.504004790778"),
    (date(1999, 7, 30), date(2000, 1, 30), F(155, 365) + F(29, 366), "0.503892506924"),
    (date(2000, 1, 30), date(2000, 6, 30), F(152, 366), "0.415300546448"),
]


@pytest.mark.parametrize(("start", "end", "exact", "published"), ISDA_ACT_ACT_EXAMPLES)
def test_act_act_isda_matches_the_isda_paper_examples(
    start: date, end: date, exact: Fraction, published: str
) -> None:
    fraction = year_fraction(start, end, DayCount.ACT_ACT)
    assert fraction == exact
    assert abs(fraction - Fraction(published)) < Fraction(1, 10**11)  # published to 12 places


def test_the_isda_first_example_under_act_365_and_act_360() -> None:
    # Same paper, example 1: 182 actual days.
    start, end = date(2003, 11, 1), date(2004, 5, 1)
    assert year_fraction(start, end, DayCount.ACT_365) == Fraction(182, 365)
    assert year_fraction(start, end, DayCount.ACT_360) == Fraction(182, 360)
    assert accrual_days(start, end, DayCount.ACT_ACT) == 182


# 2006 ISDA Definitions s.4.16(f), 30/360 (Bond Basis): the worked examples of ISDA's
# spreadsheet 30-360-2006ISDADefs.xls (examples 2 and 3), as reproduced in QuantLib's
# test suite (testThirty360_BondBasis).
ISDA_30_360_EXAMPLES = [
    (date(2006, 8, 20), date(2007, 2, 20), 180),
    (date(2006, 8, 31), date(2007, 2, 28), 178),
    (date(2007, 2, 28), date(2007, 8, 31), 183),
    (date(2007, 8, 31), date(2008, 2, 29), 179),
    (date(2008, 2, 29), date(2008, 8, 31), 182),
    (date(2006, 1, 31), date(2006, 2, 28), 28),
    (date(2006, 1, 30), date(2006, 2, 28), 28),
    (date(2006, 2, 28), date(2006, 3, 3), 5),
    (date(2006, 9, 30), date(2006, 10, 31), 30),
    (date(2006, 10, 31), date(2006, 11, 28), 28),
    (date(2008, 2, 28), date(2008, 8, 31), 183),
    (date(2007, 2, 26), date(2008, 2, 29), 363),
    (date(2008, 2, 29), date(2009, 2, 28), 359),
    (date(2008, 2, 28), date(2008, 3, 31), 33),
    (date(2007, 1, 31), date(2007, 2, 28), 28),
]


@pytest.mark.parametrize(("start", "end", "days"), ISDA_30_360_EXAMPLES)
def test_thirty_360_bond_basis_matches_the_isda_spreadsheet(
    start: date, end: date, days: int
) -> None:
    assert accrual_days(start, end, DayCount.THIRTY_360) == days
    assert year_fraction(start, end, DayCount.THIRTY_360) == Fraction(days, 360)


def test_thirty_360_keeps_d2_31_only_when_d1_is_before_the_30th() -> None:
    # D1 = 31 -> 30; D2 = 31 -> 30 only because D1 is then 30.
    assert accrual_days(date(2007, 1, 31), date(2007, 3, 31), DayCount.THIRTY_360) == 60
    assert accrual_days(date(2007, 1, 30), date(2007, 3, 31), DayCount.THIRTY_360) == 60
    assert accrual_days(date(2007, 1, 29), date(2007, 3, 31), DayCount.THIRTY_360) == 62


def test_act_act_counts_a_whole_year_between_as_one() -> None:
    fraction = year_fraction(date(2003, 7, 1), date(2005, 7, 1), DayCount.ACT_ACT)
    assert fraction == Fraction(184, 365) + 1 + Fraction(181, 365)
    assert year_fraction(date(2024, 1, 1), date(2025, 1, 1), DayCount.ACT_ACT) == 1


def test_parts_are_the_unreduced_fraction() -> None:
    assert year_fraction_parts(date(2024, 1, 1), date(2024, 1, 31), DayCount.ACT_360) == (30, 360)
    assert year_fraction_parts(date(2024, 1, 1), date(2024, 1, 31), DayCount.ACT_365) == (30, 365)
    num, den = year_fraction_parts(date(2003, 11, 1), date(2004, 5, 1), DayCount.ACT_ACT)
    assert (num, den) == (61 * 366 + 121 * 365, 365 * 366)


def test_a_period_ending_before_it_starts_is_rejected_on_end() -> None:
    with pytest.raises(InvalidInput) as caught:
        year_fraction(date(2024, 2, 1), date(2024, 1, 1), DayCount.ACT_360)
    assert caught.value.field == "end"


def test_datetimes_are_not_dates() -> None:
    with pytest.raises(TypeError):
        accrual_days(datetime(2024, 1, 1), date(2024, 2, 1), DayCount.ACT_360)


DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(DATES, st.integers(0, 3000), st.sampled_from(list(DayCount)))
def test_year_fractions_are_additive_for_actual_conventions_and_empty_periods_are_zero(
    start: date, span: int, convention: DayCount
) -> None:
    end = start + timedelta(days=span)
    assert year_fraction(start, start, convention) == 0
    fraction = year_fraction(start, end, convention)
    assert fraction >= 0
    if convention is not DayCount.THIRTY_360:
        assert accrual_days(start, end, convention) == span
    if convention is DayCount.ACT_ACT:
        middle = start + timedelta(days=span // 2)
        assert fraction == year_fraction(start, middle, convention) + year_fraction(
            middle, end, convention
        )


@given(DATES, DATES)
def test_act_act_lies_between_act_366_and_act_365(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    days = (end - start).days
    assert Fraction(days, 366) <= year_fraction(start, end, DayCount.ACT_ACT) <= Fraction(days, 365)
