"""Due dates and the interest factor of each period.

Due-date rules (``n`` counts rows from 1, grace rows included):

* monthly / quarterly: ``add_months(anchor, k x months)``.  With ``first_due`` given
  (or set by ``due_day``) the anchor is ``first_due`` and k = n - 1; otherwise the
  anchor is ``start`` and k = n, so a loan started on 31 January stays on the 31st
  (clamped to 28/29 February, 30 April ...) even without ``sticky_end_of_month``.
  With ``sticky_end_of_month`` (the default) an anchor on a month end keeps every due
  date on a month end: 2024-02-29 -> 2024-03-31 -> 2024-04-30.
* ``due_day`` D (1..28, monthly or quarterly only): every due date is on day D; unless
  ``first_due`` is given, it is the first day D at least 15 days (plus two months for
  quarterly) after ``start``: start 2024-01-10, D = 20 -> first due 2024-02-20.
* semimonthly: two dates a month, the first due date's day and 15 days later:
  ``add_months(first_due, m)`` for even rows and that plus 15 days for odd ones
  (first due 2024-01-05: 01-05, 01-20, 02-05, 02-20 ...).  Default first due:
  ``start`` + 15 days.
* biweekly / weekly: every 14 / 7 days from ``first_due`` (default start + 14 / 7).

Irregular first period: the first period is *regular* when ``first_due`` is exactly
one period after ``start``.  Otherwise, on the period basis, its interest is the
periodic rate x (accrual days from ``start`` to ``first_due``) / (accrual days of the
regular period ending on ``first_due``), days counted by the loan's day count; e.g.
monthly, start 2024-01-10, first due 2024-02-20: 41 / 31 (2024-01-20 .. 02-20) of a
month's interest.  On the daily basis every period, the first included, accrues
``annual rate x year_fraction(previous due date, due date)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from autolend.domain.calendar import add_months
from autolend.domain.daycount import DayCount, accrual_days, year_fraction_parts
from autolend.domain.schedule.enums import Frequency, InterestBasis
from autolend.domain.schedule.rounding import CONTEXT
from autolend.domain.schedule.terms import LoanTerms

__all__ = [
    "Periods", "default_first_due", "due_dates", "first_due_date", "first_period_share",
    "periods_of",
]  # fmt: skip

_MIN_FIRST_PERIOD_DAYS = 15


def default_first_due(terms: LoanTerms) -> date:
    """The first due date when ``first_due`` is not given: one period after ``start``
    (the 2022-11-01 start of a monthly loan gives 2022-12-01), or with ``due_day`` the
    first such day at least 15 days (plus 2 months for quarterly) after ``start``."""
    frequency, start = terms.frequency, terms.start
    if terms.due_day is not None:
        earliest = add_months(start, frequency.months - 1) + timedelta(_MIN_FIRST_PERIOD_DAYS)
        candidate = earliest.replace(day=terms.due_day)
        return candidate if candidate >= earliest else add_months(candidate, 1)
    if frequency.months:
        return add_months(start, frequency.months, sticky_end_of_month=terms.sticky_end_of_month)
    return start + timedelta(frequency.days)


def first_due_date(terms: LoanTerms) -> date:
    """``terms.first_due`` if given, else :func:`default_first_due`."""
    return terms.first_due if terms.first_due is not None else default_first_due(terms)


def due_dates(terms: LoanTerms) -> tuple[date, ...]:
    """All ``grace_periods + periods`` due dates, strictly increasing.

    >>> from autolend.domain.money import Money
    >>> t = LoanTerms(principal=Money.of_minor(100, "CNY"), annual_rate=Decimal(0),
    ...               periods=3, start=date(2024, 1, 31))
    >>> [d.isoformat() for d in due_dates(t)]
    ['2024-02-29', '2024-03-31', '2024-04-30']
    """
    anchored = terms.first_due is not None or terms.due_day is not None
    anchor = first_due_date(terms) if anchored else terms.start
    return _dates(anchor, anchored, terms.frequency, terms.total_periods,
                  terms.sticky_end_of_month)  # fmt: skip


@lru_cache(maxsize=1024)
def _dates(
    anchor: date, anchored: bool, frequency: Frequency, count: int, sticky: bool
) -> tuple[date, ...]:
    """Pure and cached: many loans of a portfolio share start dates and terms."""
    if frequency is Frequency.SEMIMONTHLY:
        first = anchor if anchored else anchor + timedelta(frequency.days)
        half = timedelta(frequency.days)
        return tuple(
            add_months(first, j // 2, sticky_end_of_month=sticky) + (half if j % 2 else _ZERO)
            for j in range(count)
        )
    if frequency.months:
        offset = 0 if anchored else 1
        return tuple(
            add_months(anchor, (j + offset) * frequency.months, sticky_end_of_month=sticky)
            for j in range(count)
        )
    step = timedelta(frequency.days)
    first = anchor if anchored else anchor + step
    return tuple(first + step * j for j in range(count))


_ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Periods:
    """The accrual periods of a schedule, independent of the rate.

    Row ``i`` accrues ``annual_rate x nums[i] / dens[i]`` of its opening balance and
    spans ``days[i]`` days by the day count, ending on ``due_dates[i]``.
    """

    due_dates: tuple[date, ...]
    days: tuple[int, ...]
    nums: tuple[int, ...]
    dens: tuple[int, ...]

    def rate_factors(self, annual_rate: Decimal) -> tuple[list[Decimal], list[Decimal]]:
        """``(annual_rate x num, den)`` per row as Decimals, computed once per loan.

        Periods share few distinct numerators (1 on the period basis; 28..31 days on
        ACT/360), so each distinct product is computed once.
        """
        multiply = CONTEXT.multiply  # exact: the rate has <= 10 decimals, num few digits
        products: dict[int, Decimal] = {}
        rate_nums: list[Decimal] = []
        for num in self.nums:
            product = products.get(num)
            if product is None:
                product = products[num] = multiply(annual_rate, Decimal(num))
            rate_nums.append(product)
        return rate_nums, list(self.decimal_dens)

    @property
    def decimal_dens(self) -> tuple[Decimal, ...]:
        """The denominators as Decimals."""
        return _decimal_tuple(self.dens)


@lru_cache(maxsize=1024)
def _decimal_tuple(values: tuple[int, ...]) -> tuple[Decimal, ...]:
    return tuple(Decimal(value) for value in values)


def periods_of(terms: LoanTerms) -> Periods:
    """Due dates, accrual days and year-fraction factors of every row."""
    dates = due_dates(terms)
    return _periods(terms.start, dates, frequency=terms.frequency, basis=terms.interest_basis,
                    day_count=terms.day_count, sticky=terms.sticky_end_of_month)  # fmt: skip


@lru_cache(maxsize=1024)
def _periods(
    start: date,
    dates: tuple[date, ...],
    *,
    frequency: Frequency,
    basis: InterestBasis,
    day_count: DayCount,
    sticky: bool,
) -> Periods:
    previous = (start, *dates[:-1])
    days = tuple(accrual_days(a, b, day_count) for a, b in zip(previous, dates, strict=True))
    if basis is InterestBasis.DAILY:
        parts = [year_fraction_parts(a, b, day_count) for a, b in zip(previous, dates, strict=True)]
        return Periods(dates, days, tuple(p[0] for p in parts), tuple(p[1] for p in parts))
    per_year = frequency.periods_per_year
    nums, dens = [1] * len(dates), [per_year] * len(dates)
    if not _is_regular_first(start, dates[0], frequency, sticky):
        regular_start = _regular_start(dates[0], frequency, sticky)
        nums[0] = days[0]
        dens[0] = per_year * accrual_days(regular_start, dates[0], day_count)
    return Periods(dates, days, tuple(nums), tuple(dens))


def first_period_share(terms: LoanTerms, first_due: date) -> tuple[int, int]:
    """The first period (``start`` to ``first_due``) in regular periods, as (days, days
    of the regular period ending on ``first_due``); ``(1, 1)`` when it is regular, i.e.
    ``first_due`` is one period after ``start`` by the due-date rule above. The same
    share the period basis charges interest for, so an APR that uses it times the first
    payment where the schedule charges it. E.g. start 2026-01-28, first due 2026-02-28:
    one month, (1, 1) (not 31 days over the 28 from 01-31, a month end); start 2024-01-10,
    first due 2024-02-20: (41, 31)."""
    frequency, sticky = terms.frequency, terms.sticky_end_of_month
    if _is_regular_first(terms.start, first_due, frequency, sticky):
        return 1, 1
    regular_start = _regular_start(first_due, frequency, sticky)
    days = accrual_days(terms.start, first_due, terms.day_count)
    return days, accrual_days(regular_start, first_due, terms.day_count)


def _is_regular_first(start: date, first_due: date, frequency: Frequency, sticky: bool) -> bool:
    if frequency.months:
        return add_months(start, frequency.months, sticky_end_of_month=sticky) == first_due
    return (first_due - start).days == frequency.days


def _regular_start(first_due: date, frequency: Frequency, sticky: bool) -> date:
    """The start of the regular period that would end on ``first_due``."""
    if frequency.months:
        return add_months(first_due, -frequency.months, sticky_end_of_month=sticky)
    return first_due - timedelta(frequency.days)
