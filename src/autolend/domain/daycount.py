"""Day-count conventions: how many days a period has and what fraction of a year it is.

The conventions follow the ISDA 2006 Definitions, section 4.16:

* ``ACT/360`` (4.16(e)): actual days / 360.  The PBOC convention for a daily rate
  (annual rate / 360), so it is this project's default for China.
* ``ACT/365`` (Actual/365 (Fixed), 4.16(d)): actual days / 365, leap years included.
* ``ACT/ACT`` (Actual/Actual (ISDA), 4.16(b)): the days falling in a leap year / 366
  plus the days falling in a non-leap year / 365.
* ``30/360`` (30/360, Bond Basis, 4.16(f)):
  ``[360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)] / 360`` where D1 = 31 becomes 30 and
  D2 = 31 becomes 30 when D1 (after that change) is 30.

Fractions are exact :class:`fractions.Fraction` values, never binary floating point.

>>> year_fraction(date(2003, 11, 1), date(2004, 5, 1), DayCount.ACT_ACT)
Fraction(66491, 133590)
>>> accrual_days(date(2007, 1, 31), date(2007, 2, 28), DayCount.THIRTY_360)
28
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction

from autolend.domain.errors import InvalidInput

__all__ = ["DayCount", "accrual_days", "year_fraction", "year_fraction_parts"]

_FIXED_DENOMINATOR = {"ACT/360": 360, "ACT/365": 365, "30/360": 360}


class DayCount(StrEnum):
    """A day-count convention; the value is its market name (e.g. ``"ACT/360"``)."""

    ACT_360 = "ACT/360"
    ACT_365 = "ACT/365"
    ACT_ACT = "ACT/ACT"
    THIRTY_360 = "30/360"


def _check_period(start: date, end: date) -> None:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    if end < start:
        raise InvalidInput(f"period end {end} is before its start {start}", field="end")


def _thirty_360_days(start: date, end: date) -> int:
    """Days under 30/360 Bond Basis: 2007-01-31 -> 2007-03-31 is 60, -> 2007-02-28 is 28."""
    d1 = min(start.day, 30)
    d2 = 30 if end.day == 31 and d1 == 30 else end.day
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def _days_in_year(year: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 366 if leap else 365


def accrual_days(start: date, end: date, convention: DayCount) -> int:
    """Days in ``[start, end)`` as ``convention`` counts them (30/360 or actual).

    >>> accrual_days(date(2024, 2, 1), date(2024, 3, 1), DayCount.ACT_360)
    29
    >>> accrual_days(date(2024, 2, 1), date(2024, 3, 1), DayCount.THIRTY_360)
    30
    """
    _check_period(start, end)
    if convention is DayCount.THIRTY_360:
        return _thirty_360_days(start, end)
    return (end - start).days


def year_fraction_parts(start: date, end: date, convention: DayCount) -> tuple[int, int]:
    """``(numerator, denominator)`` of the year fraction, not reduced (fast path).

    ACT/ACT across a year end: with D1 days in year 1 (length Y1) and D2 days in the
    last year (length Y2) and F whole years between, the fraction is
    ``(D1 Y2 + D2 Y1 + F Y1 Y2) / (Y1 Y2)``.

    >>> year_fraction_parts(date(2024, 1, 1), date(2024, 1, 31), DayCount.ACT_360)
    (30, 360)
    """
    _check_period(start, end)
    if convention is DayCount.THIRTY_360:
        return _thirty_360_days(start, end), 360
    days = (end - start).days
    if convention is not DayCount.ACT_ACT:
        return days, _FIXED_DENOMINATOR[convention.value]
    if start.year == end.year:
        return days, _days_in_year(start.year)
    first_year, last_year = _days_in_year(start.year), _days_in_year(end.year)
    head = (date(start.year + 1, 1, 1) - start).days
    tail = (end - date(end.year, 1, 1)).days
    whole_years = end.year - start.year - 1
    numerator = head * last_year + tail * first_year + whole_years * first_year * last_year
    return numerator, first_year * last_year


def year_fraction(start: date, end: date, convention: DayCount) -> Fraction:
    """The exact fraction of a year from ``start`` to ``end`` under ``convention``.

    Worked example (ISDA, "EMU and market conventions"): 2003-11-01 to 2004-05-01 is
    61 days in 2003 and 121 days in 2004, so ACT/ACT = 61/365 + 121/366 (0.49772),
    ACT/365 = 182/365 and ACT/360 = 182/360.

    >>> year_fraction(date(2003, 11, 1), date(2004, 5, 1), DayCount.ACT_360)
    Fraction(91, 180)
    """
    numerator, denominator = year_fraction_parts(start, end, convention)
    return Fraction(numerator, denominator)
