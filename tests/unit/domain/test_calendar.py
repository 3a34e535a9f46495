"""Behaviour of autolend.domain.calendar: month arithmetic and business-day rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.domain.calendar import (
    BusinessCalendar,
    RollConvention,
    add_months,
    days_between,
    is_end_of_month,
    last_day_of_month,
)
from autolend.domain.errors import InvalidInput

# Mainland China, Spring Festival 2025, per the State Council General Office notice on
# the 2025 holiday arrangements (国办发明电〔2024〕12号): off from Tue 28 Jan to Tue
# 4 Feb 2025 inclusive; Sun 26 Jan and Sat 8 Feb are make-up working days (调休).
SPRING_FESTIVAL_2025 = frozenset(date(2025, 1, 28) + timedelta(days=i) for i in range(8))
MAKE_UP_WORKDAYS_2025 = frozenset({date(2025, 1, 26), date(2025, 2, 8)})
CHINA_2025 = BusinessCalendar(holidays=SPRING_FESTIVAL_2025, extra_workdays=MAKE_UP_WORKDAYS_2025)
SAT_SUN = BusinessCalendar()


def test_the_2025_fixture_falls_on_the_weekdays_the_notice_states() -> None:
    assert date(2025, 1, 26).weekday() == 6  # Sunday
    assert date(2025, 2, 8).weekday() == 5  # Saturday
    assert max(SPRING_FESTIVAL_2025) == date(2025, 2, 4)


# --- month arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 1, date(2024, 3, 29)),  # not sticky: day 29 kept
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 1, date(2024, 3, 31)),
        (date(2024, 4, 30), 1, date(2024, 5, 31)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 30), 2, date(2024, 3, 30)),  # Jan 30 is not a month end
        (date(2024, 1, 30), 1, date(2024, 2, 29)),  # still clamped
    ],
)
def test_sticky_end_of_month_keeps_month_end_dates_at_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months, sticky_end_of_month=True) == expected


def test_add_months_rejects_results_outside_the_calendar() -> None:
    with pytest.raises(InvalidInput):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(InvalidInput):
        add_months(date(1, 1, 1), -1)


def test_date_helpers_refuse_datetime_which_never_equals_a_date() -> None:
    with pytest.raises(TypeError):
        add_months(datetime(2024, 1, 31, 12, 0), 1)
    with pytest.raises(TypeError):
        SAT_SUN.is_business_day(datetime(2024, 6, 3, 9, 0))


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(1900, 2, 1), date(1900, 2, 28)),  # Gregorian: century not divisible by 400
        (date(2000, 2, 1), date(2000, 2, 29)),
        (date(2024, 12, 5), date(2024, 12, 31)),
        (date(2024, 4, 30), date(2024, 4, 30)),
    ],
)
def test_last_day_of_month_follows_gregorian_leap_years(day: date, last: date) -> None:
    assert last_day_of_month(day) == last


def test_is_end_of_month() -> None:
    assert is_end_of_month(date(2023, 2, 28))
    assert not is_end_of_month(date(2024, 2, 28))
    assert is_end_of_month(date(2024, 12, 31))


def test_days_between_counts_actual_days_and_is_signed() -> None:
    assert days_between(date(2024, 2, 1), date(2024, 3, 1)) == 29
    assert days_between(date(2023, 2, 1), date(2023, 3, 1)) == 28
    assert days_between(date(2024, 3, 1), date(2024, 2, 1)) == -29


# --- business days ----------------------------------------------------------------------


def test_make_up_working_weekend_days_are_business_days() -> None:
    assert CHINA_2025.is_business_day(date(2025, 1, 26))  # Sunday, 调休
    assert CHINA_2025.is_business_day(date(2025, 2, 8))  # Saturday, 调休
    assert not CHINA_2025.is_business_day(date(2025, 2, 9))  # ordinary Sunday
    assert not CHINA_2025.is_business_day(date(2025, 1, 29))  # Wednesday, holiday
    assert CHINA_2025.is_business_day(date(2025, 1, 27))  # ordinary Monday


def test_next_and_previous_business_day_skip_the_holiday_block() -> None:
    assert CHINA_2025.next_business_day(date(2025, 1, 27)) == date(2025, 2, 5)
    assert CHINA_2025.previous_business_day(date(2025, 2, 5)) == date(2025, 1, 27)
    assert CHINA_2025.next_business_day(date(2025, 1, 24)) == date(2025, 1, 26)


def test_next_business_day_is_strictly_after_even_on_a_business_day() -> None:
    assert SAT_SUN.next_business_day(date(2024, 6, 3)) == date(2024, 6, 4)
    assert SAT_SUN.previous_business_day(date(2024, 6, 3)) == date(2024, 5, 31)


@pytest.mark.parametrize(
    ("day", "convention", "expected"),
    [
        # Sat 31 Aug 2024: following leaves the month, so modified following goes back.
        (date(2024, 8, 31), RollConvention.FOLLOWING, date(2024, 9, 2)),
        (date(2024, 8, 31), RollConvention.MODIFIED_FOLLOWING, date(2024, 8, 30)),
        (date(2024, 8, 31), RollConvention.PRECEDING, date(2024, 8, 30)),
        (date(2024, 8, 31), RollConvention.UNADJUSTED, date(2024, 8, 31)),
        # Sat 15 Jun 2024: mid-month, modified following is plain following.
        (date(2024, 6, 15), RollConvention.MODIFIED_FOLLOWING, date(2024, 6, 17)),
        # Sat 1 Jun 2024: preceding crosses back into May.
        (date(2024, 6, 1), RollConvention.PRECEDING, date(2024, 5, 31)),
        # A business day never moves.
        (date(2024, 6, 3), RollConvention.PRECEDING, date(2024, 6, 3)),
    ],
)
def test_roll_follows_the_isda_business_day_conventions(
    day: date, convention: RollConvention, expected: date
) -> None:
    # Conventions as defined in the 2006 ISDA Definitions, Section 4.12.
    assert SAT_SUN.roll(day, convention) == expected


def test_roll_through_the_spring_festival() -> None:
    due = date(2025, 1, 28)
    assert CHINA_2025.roll(due, RollConvention.FOLLOWING) == date(2025, 2, 5)
    # Modified following would land in February, so it rolls back to January instead.
    assert CHINA_2025.roll(due, RollConvention.MODIFIED_FOLLOWING) == date(2025, 1, 27)


def test_add_business_days_from_a_weekend_counts_from_the_deemed_monday() -> None:
    saturday = date(2024, 6, 8)
    assert SAT_SUN.add_business_days(saturday, 0) == date(2024, 6, 10)
    assert SAT_SUN.add_business_days(saturday, 1) == date(2024, 6, 11)
    assert SAT_SUN.add_business_days(saturday, -1) == date(2024, 6, 7)


def test_add_business_days_uses_make_up_working_days() -> None:
    assert CHINA_2025.add_business_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert CHINA_2025.add_business_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    assert CHINA_2025.add_business_days(date(2025, 2, 10), -2) == date(2025, 2, 7)


def test_business_days_between_is_half_open_and_signed() -> None:
    monday, next_monday = date(2024, 6, 3), date(2024, 6, 10)
    assert SAT_SUN.business_days_between(monday, next_monday) == 5
    assert SAT_SUN.business_days_between(next_monday, monday) == -5
    assert SAT_SUN.business_days_between(monday, monday) == 0
    # [27 Jan, 10 Feb 2025): 27 Jan, 5-7 Feb and the make-up Saturday 8 Feb.
    assert CHINA_2025.business_days_between(date(2025, 1, 27), date(2025, 2, 10)) == 5


def test_a_friday_saturday_weekend_makes_sunday_a_business_day() -> None:
    gulf = BusinessCalendar(weekend=frozenset({4, 5}))
    assert gulf.is_business_day(date(2024, 6, 9))  # Sunday
    assert gulf.next_business_day(date(2024, 6, 6)) == date(2024, 6, 9)  # Thu -> Sun


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekend": frozenset(range(7))},
        {"weekend": frozenset({7})},
        {
            "holidays": frozenset({date(2025, 2, 8)}),
            "extra_workdays": frozenset({date(2025, 2, 8)}),
        },
    ],
)
def test_inconsistent_calendars_are_rejected(kwargs: dict[str, frozenset[object]]) -> None:
    with pytest.raises(InvalidInput):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_stepping_past_the_last_representable_date_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        SAT_SUN.next_business_day(date.max)


# --- properties -------------------------------------------------------------------------

WINDOW = (date(2023, 1, 1), date(2027, 12, 31))
window_dates = st.dates(min_value=WINDOW[0], max_value=WINDOW[1])
months_delta = st.integers(min_value=-600, max_value=600)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    holidays = draw(st.frozensets(window_dates, max_size=80))
    extra = draw(st.frozensets(window_dates, max_size=20)) - holidays
    weekend = draw(st.frozensets(st.integers(min_value=0, max_value=6), max_size=6))
    return BusinessCalendar(holidays=holidays, weekend=weekend, extra_workdays=extra)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), months_delta)
def test_add_months_moves_exactly_k_months_and_never_past_the_start_day(
    start: date, months: int
) -> None:
    moved = add_months(start, months)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day <= start.day
    assert moved.day == start.day or is_end_of_month(moved)
    sticky = add_months(start, months, sticky_end_of_month=True)
    assert is_end_of_month(sticky) if is_end_of_month(start) else sticky == moved


@given(calendars(), window_dates)
def test_following_and_preceding_always_land_on_a_business_day(
    cal: BusinessCalendar, day: date
) -> None:
    following = cal.roll(day, RollConvention.FOLLOWING)
    preceding = cal.roll(day, RollConvention.PRECEDING)
    modified = cal.roll(day, RollConvention.MODIFIED_FOLLOWING)
    assert cal.is_business_day(following) and following >= day
    assert cal.is_business_day(preceding) and preceding <= day
    assert cal.is_business_day(modified) and modified in (following, preceding)
    assert cal.business_days_between(day, following) == 0  # nothing skipped
    assert cal.business_days_between(preceding, day) == (1 if preceding < day else 0)


@given(calendars(), window_dates)
def test_next_business_day_is_the_first_business_day_after(
    cal: BusinessCalendar, day: date
) -> None:
    nxt = cal.next_business_day(day)
    assert nxt > day and cal.is_business_day(nxt)
    assert cal.business_days_between(day + timedelta(days=1), nxt) == 0


@given(calendars(), window_dates, st.integers(min_value=-40, max_value=40))
def test_adding_then_subtracting_business_days_returns_to_the_rolled_start(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    there = cal.add_business_days(day, n)
    assert cal.is_business_day(there)
    assert cal.add_business_days(there, -n) == cal.roll(day, RollConvention.FOLLOWING)


@given(calendars(), window_dates, st.integers(min_value=-40, max_value=40))
def test_business_days_between_counts_the_days_added(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    start = cal.roll(day, RollConvention.FOLLOWING)
    assert cal.business_days_between(start, cal.add_business_days(start, n)) == n
